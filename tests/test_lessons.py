"""The lessons: solutions/, the visible checks and the student notebooks are what the sources
generate, every source runs with its hidden tests (pytest --nbval-lax), and so do the student
notebooks' set-up cells; no student notebook passes a test blank (nbgrader validate)."""

import ast
import importlib
import json

import nbformat
import pytest

from coursekit import grade_ids
from coursekit.checking import VISIBLE_CHECKS
from grader import casebook, course, release, solution_modules

SLUGS = course.lesson_slugs()
GRADED = [slug for slug in SLUGS if course.source_cells(slug)]
SPEC_FUNCTIONS = {
    "01_mini_batch_gradient_descent": ["gd_update", "random_mini_batches", "train_one_epoch"],
    "02_exponentially_weighted_averages": ["ewa", "ewa_bias_corrected"],
    "03_momentum": ["init_momentum", "momentum_update"],
    "04_rmsprop": ["init_rmsprop", "rmsprop_update"],
    "05_adam": ["init_adam", "adam_update"],
    "06_learning_rate_decay": ["inverse_time_decay", "exponential_decay", "inverse_sqrt_decay", "step_decay"],
    "07_hyperparameter_tuning": ["sample_log_uniform", "sample_beta", "random_search", "refine_space"],
    "08_batch_normalization": [
        "batchnorm_forward",
        "batchnorm_backward_staged",
        "batchnorm_backward",
        "update_running_stats",
        "batchnorm_inference",
    ],
    "09_softmax_regression": ["softmax", "one_hot", "softmax_cross_entropy", "softmax_cross_entropy_backward"],
}


def module_of(slug):
    return slug[3:]


def test_the_ten_lessons_exist():
    assert len(SLUGS) == 10 and SLUGS[-1] == "10_capstone"
    assert set(SPEC_FUNCTIONS) <= set(SLUGS)


def test_solutions_package_is_generated_from_the_lessons():
    fresh, committed = solution_modules.generated_modules(), solution_modules.committed_modules()
    differing = sorted(name for name in fresh.keys() | committed.keys() if fresh.get(name) != committed.get(name))
    assert not differing, f"solutions/{', '.join(differing)}: run `make solutions` and commit solutions/"


@pytest.mark.parametrize("slug", sorted(SPEC_FUNCTIONS))
def test_the_solutions_module_defines_exactly_the_lessons_graded_functions(slug):
    module = importlib.import_module(f"solutions.{module_of(slug)}")
    tree = ast.parse(open(module.__file__).read())
    assert sorted(node.name for node in tree.body if isinstance(node, ast.FunctionDef)) == sorted(SPEC_FUNCTIONS[slug])


@pytest.mark.parametrize("slug", sorted(SPEC_FUNCTIONS))
def test_every_graded_function_has_a_visible_and_a_hidden_test_cell_and_cases(slug):
    cells = {grade_id: points for grade_id, points, _ in course.source_cells(slug)}
    for function in SPEC_FUNCTIONS[slug]:
        assert cells.get(f"test_{function}", 0) > 0 and cells.get(f"test_{function}_hidden", 0) > 0
        assert cells[f"test_{function}_hidden"] > cells[f"test_{function}"], "hidden checks are worth more"
        if function not in casebook.function_index():  # judged by its own cells of asserts (grader/cells.py)
            continue
        cases = casebook.cases_for(f"test_{function}_hidden")
        assert any(c.visible for c in cases) and sum(not c.visible for c in cases) >= 2
    functions_cells = {grade_id for grade_id in cells if grade_ids.function_of(grade_id) in casebook.function_index()}
    assert functions_cells == {f"test_{f}{s}" for f in SPEC_FUNCTIONS[slug] for s in ("", "_hidden")
                               if f in casebook.function_index()}


def test_reference_solutions_pass_every_case():
    from coursekit.checking import probe

    for lesson in casebook.lessons().values():
        for case in lesson.CASES:
            plain = casebook.plain_case(case)
            report = probe(casebook.reference(case.function), plain["args"], plain["kwargs"])
            assert casebook.judge_report(case, report) == [], (case.function, case.name)


def test_every_named_mistake_fails_a_case_with_its_message():
    from coursekit.checking import probe

    for lesson in casebook.lessons().values():
        for mistake in lesson.MISTAKES:
            messages = []
            for case in casebook.cases_for(f"test_{mistake.function}_hidden"):
                plain = casebook.plain_case(case)
                messages += casebook.judge_report(case, probe(mistake.implementation, plain["args"], plain["kwargs"]))
            assert messages, f"{mistake.message!r} passes every case of {mistake.function}"
            assert any(mistake.message in m or "shares its memory" in m or "same dict" in m for m in messages), (
                f"{mistake.message!r} is never named: {messages[:2]}"
            )


def test_visible_checks_file_is_current():
    assert json.loads(VISIBLE_CHECKS.read_text()) == json.loads(json.dumps(casebook.visible_checks())), (
        "run `make checks` and commit coursekit/data/visible_checks.json"
    )


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    release.release(course, course / "notebooks")
    return course


@pytest.mark.parametrize("slug", SLUGS)
def test_student_notebooks_are_current(released, slug):
    fresh = (released / "notebooks" / f"{slug}.ipynb").read_text()
    committed = (course.NOTEBOOKS / f"{slug}.ipynb").read_text()
    assert fresh == committed, "run `make notebooks` and commit notebooks/"


@pytest.mark.parametrize("slug", SLUGS)
def test_student_notebooks_hold_no_solutions_and_import_none(slug):
    notebook = nbformat.read(course.NOTEBOOKS / f"{slug}.ipynb", as_version=4)
    assert "generated" in notebook.metadata["course"]["note"]
    for cell in notebook.cells:
        assert "BEGIN SOLUTION" not in cell.source and "HIDDEN TESTS" not in cell.source
        if cell.cell_type == "code":
            for node in ast.walk(ast.parse(cell.source)):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else []
                )
                assert not any(n.split(".")[0] in ("solutions", "grader") for n in names), cell.source


def validator(invert):
    from nbgrader.validator import Validator
    from traitlets.config import Config

    config = Config()
    config.Validator.invert = invert
    config.ExecutePreprocessor.timeout = 120
    return Validator(config=config)


def set_up_cells(notebook):
    """A student notebook cut before its first answer cell: what runs before the student writes anything."""
    first = next((i for i, cell in enumerate(notebook.cells) if cell.metadata.get("nbgrader", {}).get("solution")),
                 len(notebook.cells))
    notebook.cells = notebook.cells[:first]
    return notebook


def nbval(paths, cwd):
    """`pytest --nbval-lax` on some notebooks, in the course's environment (a Popen)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "COURSE_EARLIER": "solutions", "MPLBACKEND": "Agg"}  # earlier lessons: the reference
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-p", "no:cacheprovider", "-q",
         "--rootdir", str(cwd), *map(str, paths)],
        cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def test_every_lesson_runs_under_nbval(released, tmp_path):
    """Each lesson's source notebook (solutions and hidden tests in) runs top to bottom, and so do the
    student notebooks' set-up cells, under `pytest --nbval-lax`: a cell that raises fails here, shown
    by nbval with its source. Two pytest processes share the lessons (two cores)."""
    paths = []
    for slug in SLUGS:
        source = nbformat.read(released / "source" / slug / f"{slug}.ipynb", as_version=4)
        nbformat.write(source, tmp_path / f"{slug}.ipynb")
        student = nbformat.read(course.NOTEBOOKS / f"{slug}.ipynb", as_version=4)
        nbformat.write(set_up_cells(student), tmp_path / f"{slug}_student_set_up.ipynb")
        paths += [tmp_path / f"{slug}.ipynb", tmp_path / f"{slug}_student_set_up.ipynb"]
    runs = [nbval(paths[0::2][half::2] + paths[1::2][half::2], tmp_path) for half in (0, 1)]
    outputs = [run.communicate()[0] for run in runs]
    for run, output in zip(runs, outputs, strict=True):
        assert run.returncode == 0, "a lesson failed under pytest --nbval-lax:\n" + output[-6000:]
    passed = sum(int(line.split()[0]) for output in outputs for line in output.splitlines()
                 if line.split() and line.split()[0].isdigit() and " passed" in line)
    assert passed >= len(paths), (passed, outputs[0][-500:])


@pytest.mark.parametrize("slug", GRADED)
def test_blank_student_notebook_passes_no_test(released, slug):
    results = validator(invert=True).validate(str(released / "release" / slug / f"{slug}.ipynb"))
    assert results == {}, results


VISIBLE_CATCHES_FLOOR = 95  # of the catalogued mistakes, flagged by the notebooks' visible checks at 095aeaa


def test_visible_checks_flag_at_least_as_many_mistakes_as_before():
    """Rewriting the lessons never weakens the checks students see (scripts/visible_catches.py prints the table)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("visible_catches", course.ROOT / "scripts" / "visible_catches.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    table = script.caught_mistakes()
    caught = sum(flagged for rows in table.values() for _, flagged in rows)
    assert caught >= VISIBLE_CATCHES_FLOOR, f"the visible checks flag {caught} mistakes, not {VISIBLE_CATCHES_FLOOR}"
