"""The lessons: solutions/, the visible checks and the student notebooks are what the sources
generate, every source runs with its hidden tests (nbgrader validate), no student notebook
passes a test blank."""

import ast
import importlib
import json

import nbformat
import pytest

from coursekit.checking import VISIBLE_CHECKS
from grader import casebook, course, release, solution_modules

SLUGS = course.lesson_slugs()
GRADED = [slug for slug in SLUGS if course.source_cells(slug)]
SPEC_FUNCTIONS = {
    "01_mini_batch_gradient_descent": ["gd_update", "random_mini_batches"],
    "02_exponentially_weighted_averages": ["ewa", "ewa_bias_corrected"],
    "03_momentum": ["init_momentum", "momentum_update"],
    "04_rmsprop": ["init_rmsprop", "rmsprop_update"],
    "05_adam": ["init_adam", "adam_update"],
    "06_learning_rate_decay": ["inverse_time_decay", "exponential_decay", "inverse_sqrt_decay", "step_decay"],
    "07_hyperparameter_tuning": ["sample_log_uniform", "sample_beta", "random_search", "refine_space"],
    "08_batch_normalization": [
        "batchnorm_forward",
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
        cases = casebook.cases_for(f"test_{function}_hidden")
        assert any(c.visible for c in cases) and sum(not c.visible for c in cases) >= 2
    assert set(cells) == {f"test_{f}{s}" for f in SPEC_FUNCTIONS[slug] for s in ("", "_hidden")}


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


@pytest.mark.parametrize("slug", SLUGS)
def test_source_runs_top_to_bottom_and_validates(released, slug, monkeypatch):
    monkeypatch.setenv("COURSE_EARLIER", "solutions")  # the kernel's earlier lessons: coursekit.earlier
    results = validator(invert=False).validate(str(released / "source" / slug / f"{slug}.ipynb"))
    assert results == {}, results


@pytest.mark.parametrize("slug", GRADED)
def test_blank_student_notebook_passes_no_test(released, slug):
    results = validator(invert=True).validate(str(released / "release" / slug / f"{slug}.ipynb"))
    assert results == {}, results
