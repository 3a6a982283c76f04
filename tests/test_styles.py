"""The grader is fair to every correct answer the contract admits: independently written correct
answers in several styles (tests/support/styles/) get full marks from the autograder, pass the visible
checks, and run every cell of their lesson, experiments included.

For each lesson and style, the student's notebook is the shipped one (notebooks/) with each graded
solution cell replaced by that style's definition of the function.
"""

import ast
import importlib
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pytest

from grader import autograde as autograder
from grader import course
from grader.execute import execute_notebook
from grader.hidden import check_hidden
from grader.sandbox import Limits
from grader.solution_modules import without_markers

LIMITS = Limits(cell_timeout=3, probe_timeout=3)
SLUGS = [slug for slug in course.lesson_slugs() if autograder.graded_functions(slug)]


def styles(slug):
    """{style name: source} of a lesson, from tests/support/styles/lesson_NN.py."""
    return importlib.import_module(f"support.styles.lesson_{slug[:2]}").STYLES


def student_id(slug, style):
    return f"style-{slug[:2]}-{style.replace('_', '-')}"


STUDENTS = {student_id(slug, style): (slug, style) for slug in SLUGS for style in styles(slug)}


def solution_cells(source):
    """{function: cell source}: each graded function of a style with the style's imports and the
    private helpers (names starting with _) written just before it, as a student's cell."""
    tree = ast.parse(source)
    lines = source.splitlines()

    def text(node):
        return "\n".join(lines[node.lineno - 1 : node.end_lineno])

    imports = [text(node) for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    cells, helpers = {}, []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("_"):
            helpers.append(text(node))
        elif isinstance(node, ast.FunctionDef):
            cells[node.name] = "\n\n".join(["\n".join(imports), *helpers, text(node)]).strip() + "\n"
            helpers = []
        elif not isinstance(node, ast.Import | ast.ImportFrom):
            raise ValueError(f"a style holds imports and functions only, not {ast.dump(node)[:60]}")
    return cells


def reference_answers(slug):
    """{grade id: source} of the lesson's other answer cells, as the source answers them: the
    questions' literals and any solution cell without check cases (a task judged by plain asserts)."""
    answers = {}
    for cell in course.read_lesson(slug).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code" and "### BEGIN SOLUTION" in cell.source:
            answers[meta["grade_id"]] = without_markers(cell.source)
    return answers


def styled_notebook(slug, style):
    """The lesson's student notebook with every graded solution cell written in `style`, and the
    lesson's other answer cells (questions, asserts-graded tasks) answered as the source does."""
    notebook = nbformat.read(course.NOTEBOOKS / f"{slug}.ipynb", as_version=4)
    cells = solution_cells(styles(slug)[style])
    others = reference_answers(slug)
    replaced = set()
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id") in cells:
            cell.source = cells[meta["grade_id"]]
            replaced.add(meta["grade_id"])
        elif meta.get("solution") and meta.get("grade_id") in others:
            cell.source = others[meta["grade_id"]]
    assert replaced == set(autograder.graded_functions(slug)), f"{slug} {style}: replaced {sorted(replaced)}"
    return notebook


def run_notebook(slug, style):
    """(slug, style, error text or None) of a notebook run top to bottom in a Jupyter kernel."""
    return slug, style, execute_notebook(styled_notebook(slug, style), timeout=120)


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """{student id: Outcome}, every styled notebook graded in one autograder run."""
    root = tmp_path_factory.mktemp("styles")
    for student, (slug, style) in STUDENTS.items():
        target = root / "submitted" / student / slug / f"{slug}.ipynb"
        target.parent.mkdir(parents=True)
        nbformat.write(styled_notebook(slug, style), target)
    outcomes = autograder.autograde(root / "submitted", root / "out", jobs=2, limits=LIMITS, progress=False,
                         log=lambda *_: None)
    return {outcome.submission.student_id: outcome for outcome in outcomes}


@pytest.fixture(scope="module")
def executed():
    """[(slug, style, error or None)] of every styled notebook run in a kernel, two at a time."""
    with ProcessPoolExecutor(max_workers=2) as pool:
        return list(pool.map(run_notebook, *zip(*STUDENTS.values(), strict=True)))


# ----------------------------------------------------------------------------- tests


@pytest.mark.parametrize("slug", SLUGS)
def test_every_graded_function_has_three_styles_or_more(slug):
    assert len(styles(slug)) >= 3
    for style, source in styles(slug).items():
        assert set(solution_cells(source)) == set(autograder.graded_functions(slug)), style


def score_table(graded):
    """Functions x styles, each cell "score/max" of the function's test cells."""
    lines = []
    for slug in SLUGS:
        names = list(styles(slug))
        lines.append(f"\n{slug:34s}" + "".join(f"{name:>16s}" for name in names))
        for function in autograder.graded_functions(slug):
            row = []
            for name in names:
                tests = [t for t in graded[student_id(slug, name)].tests if t[0] in (f"test_{function}",
                                                                                     f"test_{function}_hidden")]
                row.append(f"{sum(t[1] for t in tests):g}/{sum(t[2] for t in tests):g}")
            lines.append(f"  {function:32s}" + "".join(f"{cell:>16s}" for cell in row))
    return "\n".join(lines)


def test_the_autograder_gives_every_style_full_marks(graded):
    assert set(graded) == set(STUDENTS)
    print(score_table(graded))
    failures = []
    for student, outcome in sorted(graded.items()):
        slug = STUDENTS[student][0]
        assert outcome.max_score == sum(points for _, points in autograder.test_cells(slug)) > 0
        if outcome.status != "graded":
            failures.append(f"{student}: status {outcome.status!r} ({outcome.message})")
        failures += [f"{student}: {grade_id} {score}/{points}: {message}"
                     for grade_id, score, points, message in outcome.tests if score != points]
    assert not failures, "\n".join(failures)


def test_every_styled_notebook_runs_without_an_error(executed):
    failures = [f"{slug} ({style}):\n{error}" for slug, style, error in executed if error]
    assert not failures, "\n\n".join(failures)


def test_the_styled_notebooks_differ_from_the_shipped_stubs_only_in_the_solution_cells():
    slug, style = next(iter(STUDENTS.values()))
    shipped = nbformat.read(Path(course.NOTEBOOKS) / f"{slug}.ipynb", as_version=4)
    styled = styled_notebook(slug, style)
    changed = [new.metadata.get("nbgrader", {}).get("grade_id") for old, new in zip(shipped.cells, styled.cells,
                                                                                    strict=True)
               if old.source != new.source]
    assert sorted(changed) == sorted(set(autograder.graded_functions(slug)) | set(reference_answers(slug)))


def test_a_backward_gets_the_cache_of_its_own_forward_only_when_that_forward_is_right(capsys):
    namespace = {}
    exec(styles("08_batch_normalization")["staged"], namespace)  # its backward reads keys the spec does not name
    forward, backward = namespace["batchnorm_forward"], namespace["batchnorm_backward"]
    check_hidden("test_batchnorm_backward_hidden", backward, peers={"batchnorm_forward": forward})

    def unbiased_forward(Z, gamma, beta, epsilon=1e-5):
        Z_tilde, cache = forward(Z, gamma, beta, epsilon)
        return Z_tilde, {**cache, "var": Z.var(axis=1, ddof=1, keepdims=True)}

    with pytest.raises(AssertionError, match="KeyError"):  # judged on the reference cache instead
        check_hidden("test_batchnorm_backward_hidden", backward, peers={"batchnorm_forward": unbiased_forward})
