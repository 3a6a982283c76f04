"""The student-side helpers: no answers inside, a correct network, checked datasets."""

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from coursekit import data, gradcheck, network, optimizers, surfaces, training
from coursekit.earlier import EarlierLessonError, load
from grader import course
from solutions import batch_normalization as bn
from solutions import softmax_regression as sm
from solutions.adam import adam_update, init_adam
from solutions.mini_batch_gradient_descent import gd_update, random_mini_batches

COURSEKIT = Path(__file__).resolve().parents[1] / "coursekit"
BATCHNORM = network.BatchNorm(
    bn.batchnorm_forward, bn.batchnorm_backward, bn.update_running_stats, bn.batchnorm_inference
)
SOFTMAX_HEAD = network.Head(sm.softmax, sm.softmax_cross_entropy, sm.softmax_cross_entropy_backward)


def imports_and_branches(node, branches=()):
    """[(module imported, the `if` tests whose true branch holds the import)] below a node; a
    dynamic import (importlib.import_module, __import__) counts, with the text it starts with."""
    found = []
    if isinstance(node, ast.Import):
        found += [(alias.name, branches) for alias in node.names]
    elif isinstance(node, ast.ImportFrom):
        found.append((node.module or "", branches))
    elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
        "import_module",
        "__import__",
    ):
        first = node.args[0] if node.args else None
        parts = first.values if isinstance(first, ast.JoinedStr) else [first]
        found.append((parts[0].value if isinstance(parts[0], ast.Constant) else "?", branches))
    if isinstance(node, ast.If):
        found += imports_and_branches(node.test, branches)
        for child in node.body:
            found += imports_and_branches(child, (*branches, node.test))
        for child in node.orelse:
            found += imports_and_branches(child, branches)
    else:
        for child in ast.iter_child_nodes(node):
            found += imports_and_branches(child, branches)
    return found


def is_solutions_switch(test):
    """`if source == "solutions":`, the branch of coursekit.earlier's COURSE_EARLIER=solutions."""
    return (
        isinstance(test, ast.Compare)
        and [type(op) for op in test.ops] == [ast.Eq]
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value == "solutions"
    )


def test_coursekit_imports_solutions_only_under_the_instructors_switch_and_never_grader():
    switched = []
    for path in sorted(COURSEKIT.glob("*.py")):
        for module, branches in imports_and_branches(ast.parse(path.read_text())):
            root = module.split(".")[0]
            assert root != "grader", f"{path.name} imports {module}"
            if root in ("solutions", "?"):
                assert path.name == "earlier.py" and any(map(is_solutions_switch, branches)), (
                    f"{path.name} imports {module} outside COURSE_EARLIER=solutions"
                )
                switched.append(module)
    assert switched == ["solutions."], switched


def test_importing_every_coursekit_module_loads_no_solutions():
    code = (
        "import sys, coursekit.data, coursekit.network, coursekit.optimizers, coursekit.training, "
        "coursekit.gradcheck, coursekit.surfaces, coursekit.plots, coursekit.checking, coursekit.earlier\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('solutions', 'grader')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_earlier_loads_solutions_only_when_switched_to_them(tmp_path):
    code = (
        "import sys\nfrom coursekit.earlier import EarlierLessonError, load\n"
        "try:\n    load('05_adam', 'adam_update')\nexcept EarlierLessonError:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('solutions', 'grader')))"
    )
    for switch, loaded in (("", "[]"), ("absent", "[]"), ("solutions", "['solutions', 'solutions.adam']")):
        env = {**os.environ, "COURSE_EARLIER": switch, "COURSE_NOTEBOOKS": str(tmp_path)}
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
        assert done.stdout.strip() == loaded, (switch, done.stdout)


def lesson_01_notebook(folder, edit=lambda source: source, name=None):
    """The lesson 01 notebook with its answers filled in (`edit` changes each answer)."""
    notebook = course.read_lesson("01_mini_batch_gradient_descent")
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = edit(cell.source)
    path = Path(folder) / (name or "01_mini_batch_gradient_descent.ipynb")
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


def test_earlier_loads_the_students_own_functions_from_their_notebook(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_EARLIER", raising=False)
    monkeypatch.chdir(tmp_path)
    lesson_01_notebook(tmp_path, lambda source: source.replace("return {key", "return {  key"))
    own_gd_update, own_batches = load("01_mini_batch_gradient_descent", "gd_update", "random_mini_batches")
    assert own_gd_update.__module__ == "lesson_01_mini_batch_gradient_descent" and callable(own_batches)
    parameters, grads = {"W1": np.ones((2, 2))}, {"dW1": np.full((2, 2), 2.0)}
    np.testing.assert_array_equal(own_gd_update(parameters, grads, learning_rate=0.5)["W1"], np.zeros((2, 2)))
    assert load("01_mini_batch_gradient_descent", "gd_update").__name__ == "gd_update"  # one name: the function


def test_earlier_finds_a_notebook_in_nbgraders_layout_or_the_folder_given(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_EARLIER", raising=False)
    slug = "01_mini_batch_gradient_descent"
    lesson_01_notebook(tmp_path / "course", name=f"{slug}/{slug}.ipynb")
    (tmp_path / "course" / "05_adam").mkdir()
    monkeypatch.chdir(tmp_path / "course" / "05_adam")
    assert callable(load(slug, "gd_update"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COURSE_NOTEBOOKS", str(tmp_path / "course" / slug))
    assert callable(load(slug, "gd_update"))


def test_earlier_says_what_to_do_when_a_notebook_or_function_is_missing_or_wrong(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_EARLIER", raising=False)
    monkeypatch.setenv("COURSE_NOTEBOOKS", str(tmp_path))
    slug = "01_mini_batch_gradient_descent"
    with pytest.raises(EarlierLessonError, match=f"lesson 01's notebook {slug}.ipynb is not in {tmp_path}"):
        load(slug, "gd_update")
    shutil.copy(course.NOTEBOOKS / f"{slug}.ipynb", tmp_path)  # as shipped: the stubs
    with pytest.raises(EarlierLessonError) as missing:
        load(slug, "gd_update")
    assert str(missing.value) == (
        f"lesson 01's gd_update is not written yet in {slug}.ipynb: finish it there, then come back"
    )
    lesson_01_notebook(tmp_path, lambda source: source.replace("value - learning_rate", "value + learning_rate"))
    with pytest.raises(EarlierLessonError, match="gd_update in .* does not pass its checks yet") as wrong:
        load(slug, "gd_update", "random_mini_batches")
    assert "adds the gradient instead of subtracting it" in str(wrong.value)
    lesson_01_notebook(tmp_path, lambda source: source.replace("return {key", "return undefined_name or {key"))
    with pytest.raises(EarlierLessonError, match="does not pass its checks yet:\n.*NameError"):
        load(slug, "gd_update")
    lesson_01_notebook(tmp_path, lambda source: source.replace("def gd_update", "def gd_update("))
    with pytest.raises(EarlierLessonError, match="cell of gd_update in .* stops with SyntaxError"):
        load(slug, "gd_update")


def test_earlier_while_grading_gives_stand_ins_that_raise_only_when_called(monkeypatch):
    monkeypatch.setenv("COURSE_EARLIER", "absent")
    init_adam_stand_in, adam_update_stand_in = load("05_adam", "init_adam", "adam_update")
    assert adam_update_stand_in.__name__ == "adam_update"
    with pytest.raises(EarlierLessonError, match="lesson 05's adam_update is not available while grading"):
        adam_update_stand_in({}, {}, {}, {}, 1, learning_rate=0.1)


def test_earlier_under_the_instructors_switch_gives_the_reference_functions(monkeypatch):
    monkeypatch.setenv("COURSE_EARLIER", "solutions")
    assert load("05_adam", "init_adam", "adam_update") == (init_adam, adam_update)
    monkeypatch.setenv("COURSE_EARLIER", "answers")
    with pytest.raises(ValueError, match="COURSE_EARLIER='answers'"):
        load("05_adam", "adam_update")


def test_network_gradients_match_finite_differences():
    rng = np.random.default_rng(0)
    X, Y = data.make_moons(12, rng)
    parameters = network.init_parameters([2, 5, 4, 1], rng)
    errors = gradcheck.check_network_gradients(parameters, X, Y, network.SIGMOID_HEAD)
    assert max(errors.values()) < 1e-7, errors


def test_network_with_batchnorm_and_softmax_gradients_match_finite_differences():
    rng = np.random.default_rng(1)
    X, labels = data.make_spiral(5, rng)
    parameters = network.init_parameters([2, 6, 5, 3], rng, batchnorm=True)
    errors = gradcheck.check_network_gradients(parameters, X, sm.one_hot(labels, 3), SOFTMAX_HEAD, batchnorm=BATCHNORM)
    assert set(errors) == {"W1", "gamma1", "beta1", "W2", "gamma2", "beta2", "W3", "b3"}
    assert max(errors.values()) < 1e-7, errors


def test_gradient_check_detects_a_wrong_gradient():
    x = np.array([1.0, -2.0, 3.0])
    numeric = gradcheck.numerical_gradient(lambda v: float(np.sum(v**3)), x)
    assert gradcheck.relative_error(numeric, 3 * x**2) < 1e-9
    assert gradcheck.relative_error(numeric, 2 * x**2) > 0.1


def test_training_with_adam_learns_the_moons():
    rng = np.random.default_rng(2)
    X, Y = data.make_moons(300, rng)
    start = network.init_parameters([2, 16, 1], rng)
    parameters, _, history = training.train(
        start,
        X,
        Y,
        head=network.SIGMOID_HEAD,
        optimizer=optimizers.adam(init_adam, adam_update),
        learning_rate=0.01,
        epochs=60,
        batch_size=64,
        make_batches=random_mini_batches,
        rng=np.random.default_rng(3),
        progress=False,
    )
    assert history["epoch_cost"][-1] < 0.5 * history["epoch_cost"][0]
    assert network.accuracy(network.predict(X, parameters, network.SIGMOID_HEAD), Y) > 0.9
    assert len(history["cost"]) == 60 * 5 and len(history["seconds"]) == 60


def test_training_updates_running_stats_with_batchnorm():
    rng = np.random.default_rng(4)
    X, Y = data.make_moons(64, rng)
    start = network.init_parameters([2, 4, 1], rng, batchnorm=True)
    _, running, _ = training.train(
        start,
        X,
        Y,
        head=network.SIGMOID_HEAD,
        optimizer=optimizers.gradient_descent(gd_update),
        learning_rate=0.1,
        epochs=1,
        batch_size=64,
        make_batches=random_mini_batches,
        rng=rng,
        batchnorm=BATCHNORM,
        progress=False,
    )
    Z = start["W1"] @ X
    np.testing.assert_allclose(running["mean1"], 0.1 * Z.mean(axis=1, keepdims=True))
    np.testing.assert_allclose(running["var1"], 0.9 + 0.1 * Z.var(axis=1, keepdims=True))


def test_schedule_sets_the_rate_of_every_update():
    rng = np.random.default_rng(5)
    X, Y = data.make_moons(40, rng)
    start = network.init_parameters([2, 3, 1], rng)
    _, _, history = training.train(
        start,
        X,
        Y,
        head=network.SIGMOID_HEAD,
        optimizer=optimizers.gradient_descent(gd_update),
        learning_rate=1.0,
        epochs=3,
        batch_size=20,
        make_batches=random_mini_batches,
        rng=rng,
        schedule=lambda lr, epoch, t: lr / t,
        progress=False,
    )
    assert history["learning_rate"] == [1.0, 1 / 2, 1 / 3, 1 / 4, 1 / 5, 1 / 6]


def test_adaptive_optimizer_leaves_the_saddle_faster_than_small_steps():
    gd = optimizers.gradient_descent(gd_update)
    adam = optimizers.adam(init_adam, adam_update)
    saddle = surfaces.saddle()
    slow = surfaces.run_on_surface(gd, saddle, (0.5, 1e-3), learning_rate=0.05, steps=50)
    fast = surfaces.run_on_surface(adam, saddle, (0.5, 1e-3), learning_rate=0.05, steps=50)
    assert abs(fast[-1, 1]) > 0.5 > abs(slow[-1, 1])


def test_generators_are_seeded_and_shaped():
    X, Y = data.make_moons(101, np.random.default_rng(0))
    assert X.shape == (2, 101) and Y.shape == (1, 101) and set(np.unique(Y)) == {0.0, 1.0}
    np.testing.assert_array_equal(X, data.make_moons(101, np.random.default_rng(0))[0])
    X, labels = data.make_spiral(50, np.random.default_rng(0))
    assert X.shape == (2, 150) and np.bincount(labels).tolist() == [50, 50, 50]
    assert data.seasonal_series(np.random.default_rng(0)).shape == (365,)


def test_digits_load_with_a_verified_checksum():
    X, labels = data.load_digits()
    assert X.shape == (64, 1797) and labels.shape == (1797,)
    assert X.min() == 0 and X.max() == 1 and np.bincount(labels).min() > 170


def test_digits_loader_rejects_a_damaged_or_missing_file(tmp_path):
    with pytest.raises(data.DatasetError, match="missing"):
        data.load_digits(tmp_path)
    (tmp_path / data.DIGITS_FILE).write_bytes(b"not the digits")
    with pytest.raises(data.DatasetError, match="sha256"):
        data.load_digits(tmp_path)


def test_datasets_readme_lists_the_shipped_file_and_its_checksum():
    readme = (Path(__file__).resolve().parents[1] / "datasets" / "README.md").read_text()
    assert data.DIGITS_SHA256 in readme and data.file_sha256(data.DATA_DIR / data.DIGITS_FILE) == data.DIGITS_SHA256
