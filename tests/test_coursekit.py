"""The student-side helpers: no answers inside, a correct network, checked datasets."""

import ast
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from coursekit import data, gradcheck, network, optimizers, surfaces, training
from solutions import batch_normalization as bn
from solutions import softmax_regression as sm
from solutions.adam import adam_update, init_adam
from solutions.mini_batch_gradient_descent import gd_update, random_mini_batches

COURSEKIT = Path(__file__).resolve().parents[1] / "coursekit"
BATCHNORM = network.BatchNorm(
    bn.batchnorm_forward, bn.batchnorm_backward, bn.update_running_stats, bn.batchnorm_inference
)
SOFTMAX_HEAD = network.Head(sm.softmax, sm.softmax_cross_entropy, sm.softmax_cross_entropy_backward)


def imported_modules(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_coursekit_source_never_imports_solutions_or_grader():
    for path in COURSEKIT.glob("*.py"):
        for module in imported_modules(path):
            assert module.split(".")[0] not in ("solutions", "grader"), f"{path.name} imports {module}"


def test_importing_every_coursekit_module_loads_no_solutions():
    code = (
        "import sys, coursekit.data, coursekit.network, coursekit.optimizers, coursekit.training, "
        "coursekit.gradcheck, coursekit.surfaces, coursekit.plots, coursekit.checking\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('solutions', 'grader')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


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
