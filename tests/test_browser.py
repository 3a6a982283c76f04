"""End to end in a browser: JupyterLab and nbgrader's formgrader, driven in Debian's Chromium
by Playwright (the PyPI package, launched with the system Chromium: no browser download).

- every lesson notebook, with the reference solutions filled in, runs in JupyterLab without
  an error, draws every figure and prints every visible check's success line;
- a notebook as shipped (stubs) shows the student-facing message of its first check;
- a slider (ipywidgets) drives a figure;
- the formgrader of a course graded by `grader.autograde` lists the assignment and the
  students with their scores.

A screenshot of each page goes to artifacts/browser/. Chromium comes from Debian's packages
and is installed here with apt-get when missing; the tests skip, loudly, only on a machine
with neither Chromium nor apt-get.
"""

import json
import re
import shutil
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import sync_playwright
from support.browser import (
    CHROMIUM_ARGS,
    LabServer,
    NotebookRun,
    close_notebook,
    dialogs_seen,
    ensure_chromium,
    load_lab,
    new_page,
    open_notebook,
    run_all_cells,
    run_notebooks,
    screenshot,
    wait_until_executed,
)

from grader import course
from grader.sample_class import _solution_notebook, make_class, points

SHIPPED = "05_adam"  # the notebook opened as shipped, with its stubs
GRADED = "05_adam"  # the assignment graded for the formgrader test
GRADED_STUDENTS = ("correct-05", "mistake-05", "blank-05")
NOTEBOOK_TIMEOUT_S = 120  # a lesson runs in well under 15 s; this only stops a hang

CHECK_CALL = re.compile(r"^check\(\s*[\"']test_(\w+)[\"'](?P<rest>.*)$", re.M)
ERROR_LINE = re.compile(r"^(Traceback \(most recent call last\)|\w*(Error|Exception|Failed|Interrupt|Exit)\b)", re.M)


# ----------------------------------------------------------------------------- what a notebook promises


def visible_checks(source):
    """Names of the functions whose visible checks a cell runs and reports (not quiet)."""
    return [m[1].removesuffix("_hidden") for m in CHECK_CALL.finditer(source) if "quiet=True" not in m["rest"]]


def draws_a_figure(source):
    """A cell that shows a figure: it calls plt.show() or one of coursekit's plots."""
    return "plt.show()" in source or re.search(r"\bplots\.\w+\(", source) is not None


def shows_an_error(stderr_text):
    """An error output (a traceback, or an exception's line), as opposed to a warning."""
    return any(ERROR_LINE.match(line.strip()) for line in stderr_text.splitlines()) or "Traceback" in stderr_text


def describe(index, source):
    first = next((line for line in source.splitlines() if line.strip()), "")
    return f"code cell {index + 1} ({first[:60]!r})"


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def chromium():
    path, problem, skip = ensure_chromium()
    if path is None and skip:
        banner = "!" * 100
        message = f"BROWSER TESTS SKIPPED: {problem}. Install Debian's `chromium` to run them."
        print(f"\n{banner}\n{message}\n{banner}", file=sys.stderr)
        warnings.warn(message, stacklevel=1)
        pytest.skip(message)
    if path is None:
        pytest.fail(problem)
    return path


@pytest.fixture(scope="session")
def browser(chromium):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    page = new_page(browser)
    yield page
    page.context.close()


@pytest.fixture(scope="session")
def student_lab(tmp_path_factory):
    """JupyterLab serving the lessons with the reference solutions filled in (no hidden tests),
    the shipped notebook of SHIPPED and the slider notebooks."""
    root = tmp_path_factory.mktemp("student-lab")
    served = root / "notebooks"
    served.mkdir()
    for slug in course.lesson_slugs():
        nbformat.write(_solution_notebook(slug), served / f"{slug}.ipynb")
    shutil.copy(course.NOTEBOOKS / f"{SHIPPED}.ipynb", served / f"shipped_{SHIPPED}.ipynb")
    for case in SLIDERS:
        nbformat.write(case.notebook(), served / f"{case.name}.ipynb")
    with LabServer(served, root / "home") as server:
        server.served = served
        yield server


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory):
    """A course graded by grader.autograde (a few sample students of GRADED), served by
    JupyterLab with nbgrader's formgrader; yields (server, {student: expected score})."""
    from grader.autograde import autograde

    root = tmp_path_factory.mktemp("graded")
    expected = {e.student_id: e for e in make_class(root / "class", [GRADED]) if e.student_id in GRADED_STUDENTS}
    for student in expected:
        shutil.copytree(root / "class" / student, root / "submitted" / student)
    shutil.rmtree(root / "class")
    outcomes = autograde(root / "submitted", root / "out", jobs=2, slugs=[GRADED], progress=False, log=lambda *_: None)
    scores = {student: e.score for student, e in expected.items()}
    wrong = [
        f"{o.submission.student_id}: {o.score} ({o.status}: {o.message}), expected {scores[o.submission.student_id]}"
        for o in outcomes
        if o.score != scores[o.submission.student_id]
    ]
    assert len(outcomes) == len(expected) and not wrong, f"the grader is wrong (see tests/test_grader.py): {wrong}"
    course = root / "out" / "course"
    (course / "exchange").mkdir(exist_ok=True)
    (course / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        f"c.CourseDirectory.db_url = {'sqlite:///' + str(course / 'gradebook.db')!r}\n"
        f"c.Exchange.root = {str(course / 'exchange')!r}\n"
    )
    with LabServer(course, root / "home", cwd=course) as server:
        server.course = course
        yield server, scores


# ----------------------------------------------------------------------------- JupyterLab


@pytest.fixture(scope="session")
def notebook_runs(request, browser, student_lab):
    """The lessons (reference solutions) and the shipped notebook whose tests were selected,
    opened and Run All in JupyterLab, two at a time; {name: NotebookRun}."""
    names = []
    for item in request.session.items:
        if item.originalname == "test_solution_notebook_runs_clean_in_jupyterlab":
            names.append(f"{item.callspec.params['slug']}.ipynb")
        elif item.originalname == "test_shipped_notebook_shows_the_student_message":
            names.append(f"shipped_{SHIPPED}.ipynb")
    runs = [
        NotebookRun(name, len(nbformat.read(student_lab.served / name, as_version=4).cells), shot=Path(name).stem)
        for name in names
    ]
    start = time.monotonic()
    run_notebooks(browser, student_lab, runs, slots=2, timeout=NOTEBOOK_TIMEOUT_S)
    took = ", ".join(f"{run.shot} {run.seconds:.0f} s" for run in runs)
    print(f"\nbrowser: {len(runs)} notebooks run in JupyterLab in {time.monotonic() - start:.0f} s ({took})")
    return {run.name: run for run in runs}


def shown_cells(run):
    if run.error:
        pytest.fail(f"{run.name} in JupyterLab: {run.error}")
    return run.cells


def test_lab_loads_the_nbgrader_and_widgets_extensions(page, student_lab):
    load_lab(page, student_lab, "extensions")
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").wait_for()
    config = json.loads(page.locator("#jupyter-config-data").text_content())
    loaded = {extension["name"] for extension in config.get("federated_extensions", [])}
    disabled = set(config.get("disabledExtensions", []))
    for extension in ("@jupyter/nbgrader", "@jupyter-widgets/jupyterlab-manager"):
        assert extension in loaded and extension not in disabled, (loaded, disabled)


@pytest.mark.parametrize("slug", course.lesson_slugs())
def test_solution_notebook_runs_clean_in_jupyterlab(notebook_runs, student_lab, slug):
    """Run All on the lesson with the reference solutions: every cell ran, none shows an
    error, every figure cell shows an image, every visible check prints its success line."""
    notebook = nbformat.read(student_lab.served / f"{slug}.ipynb", as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    shown = shown_cells(notebook_runs[f"{slug}.ipynb"])

    assert len(shown) == len(code), f"JupyterLab shows {len(shown)} code cells, the notebook has {len(code)}"
    problems = []
    for index, (cell, output) in enumerate(zip(code, shown, strict=True)):
        where = describe(index, cell.source)
        if not re.fullmatch(r"\[\d+\]:", output["prompt"]):
            problems.append(f"{where} did not run (prompt {output['prompt']!r})")
        for text in output["stderr"]:
            if shows_an_error(text):
                problems.append(f"{where} shows an error: {text.strip().splitlines()[-1][:200]}")
        if draws_a_figure(cell.source) and not any(image["width"] > 0 for image in output["images"]):
            problems.append(f"{where} draws a figure but shows no image")
        for name in visible_checks(cell.source):
            if f"✓ {name}:" not in output["text"]:
                problems.append(f"{where} does not print the success line of {name}'s checks: {output['text'][:200]!r}")
    assert not problems, f"{slug} in JupyterLab:\n" + "\n".join(problems)


def test_shipped_notebook_shows_the_student_message(notebook_runs, student_lab):
    """The notebook as shipped (stubs): Run All stops at the first visible check, which says in
    words that the function is not implemented yet (not a bare NotImplementedError traceback)."""
    name = f"shipped_{SHIPPED}.ipynb"
    notebook = nbformat.read(student_lab.served / name, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    first_check = next(i for i, cell in enumerate(code) if visible_checks(cell.source))
    function = visible_checks(code[first_check].source)[0]
    shown = shown_cells(notebook_runs[name])

    for index in range(first_check):
        assert not any(map(shows_an_error, shown[index]["stderr"])), describe(index, code[index].source)
    output = shown[first_check]
    assert output["stderr"], f"the first check ({function}) shows no failure: {output['text'][:300]!r}"
    text = output["text"]
    assert re.search(rf"^CheckFailed: ✗ {function} is not implemented yet\b", text, re.M), text
    assert not re.search(r"^NotImplementedError\b", text, re.M), f"a bare NotImplementedError traceback:\n{text}"
    assert "Traceback" not in text, f"the check shows a traceback, not only its message:\n{text}"
    assert all(o["prompt"] == "[ ]:" for o in shown[first_check + 1 :]), "Run All did not stop at the failed check"


# ----------------------------------------------------------------------------- widgets


@dataclass
class SliderCase:
    """A notebook with an ipywidgets slider driving a matplotlib figure. `notebook` makes it;
    the test runs it, moves the `index`-th slider of the page by `steps` and expects the
    figure of the widget's output to change. A lesson with a slider can be added as
    SliderCase("06_learning_rate_decay", lambda: _solution_notebook("06_learning_rate_decay"))."""

    name: str
    notebook: Callable[[], nbformat.NotebookNode]
    index: int = 0
    steps: int = 2
    step_size: float = 1.0


SLIDER_DEMO = """import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np


def draw(frequency):
    x = np.linspace(0, 2 * np.pi, 400)
    figure, ax = plt.subplots(figsize=(5, 3))
    ax.plot(x, np.sin(frequency * x))
    ax.set_title(f"sin({frequency} x)")
    plt.show()


widgets.interact(draw, frequency=widgets.IntSlider(value=1, min=1, max=8, description="frequency"));
"""


def slider_demo_notebook():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(SLIDER_DEMO)])
    notebook.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    return notebook


# Lesson 02's beta slider, and a minimal notebook that tells a broken lesson from a broken widget stack.
SLIDERS = [
    SliderCase("02_exponentially_weighted_averages", lambda: _solution_notebook("02_exponentially_weighted_averages"),
               step_size=0.01),
    SliderCase("slider_demo", slider_demo_notebook),
]


@pytest.mark.parametrize("case", SLIDERS, ids=lambda case: case.name)
def test_slider_changes_the_figure(page, student_lab, case):
    """Move the slider with the keyboard, as a student would after clicking it: its value goes
    up and the figure it drives is drawn anew (a different image)."""
    name = f"{case.name}.ipynb"
    notebook = nbformat.read(student_lab.served / name, as_version=4)
    open_notebook(page, student_lab, name, len(notebook.cells), workspace="slider")
    run_all_cells(page)
    shown = wait_until_executed(page, timeout=NOTEBOOK_TIMEOUT_S * 1000)
    assert not [o["stderr"] for o in shown if any(map(shows_an_error, o["stderr"]))], dialogs_seen(page)
    slider = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .widget-slider").nth(case.index)
    handle = slider.locator("[role=slider]")
    # the figure: in the slider's interact() box, or else the next widget output after it
    figure = slider.locator(
        "xpath=(ancestor::div[contains(@class, 'widget-interact')][1]//div[contains(@class, 'widget-output')]"
        " | following::div[contains(@class, 'widget-output')])[1]//img"
    ).first
    figure.wait_for()
    readout = slider.locator(".widget-readout")  # what the student reads beside the slider
    before_value, before = readout.inner_text(), figure.get_attribute("src")
    handle.scroll_into_view_if_needed()
    handle.click()
    for _ in range(case.steps):
        handle.press("ArrowRight")
    deadline = time.monotonic() + 30
    while figure.get_attribute("src") in (before, None) and time.monotonic() < deadline:
        page.wait_for_timeout(200)  # the kernel draws the figure anew and the output widget replaces the image
    after_value, after = readout.inner_text(), figure.get_attribute("src")
    screenshot(page, f"{case.name}_moved")
    close_notebook(page, student_lab, name)
    assert float(after_value) == pytest.approx(float(before_value) + case.steps * case.step_size), (
        before_value,
        after_value,
    )
    assert after and after != before, "the figure did not change when the slider moved"


# ----------------------------------------------------------------------------- formgrader

STUDENT_ROWS_JS = """
() => [...document.querySelectorAll('table tbody tr')]
  .map(tr => [...tr.querySelectorAll('td')].map(td => td.innerText.trim()))
"""


def table_rows(page, expected_text, timeout=30_000):
    """The rows of the page's table once one of them contains expected_text (tables fill in
    from formgrader's API after the page loads)."""
    page.locator("table tbody tr", has_text=expected_text).first.wait_for(timeout=timeout)
    return page.evaluate(STUDENT_ROWS_JS)


def score_text(score, max_score):
    return f"{round(score, 2):g} / {round(max_score, 2):g}"


def test_formgrader_lists_the_assignment_and_the_students_scores(page, graded_course):
    server, scores = graded_course
    full = points(GRADED)
    page.goto(server.url("formgrader"))
    rows = table_rows(page, GRADED)
    assert [row for row in rows if row and row[0] == GRADED], rows
    screenshot(page, "formgrader_assignments")

    page.get_by_role("link", name="Manage Students").click()
    rows = table_rows(page, GRADED_STUDENTS[0])
    screenshot(page, "formgrader_students")
    listed = {cells[1]: cells[3] for cells in rows if len(cells) >= 4}
    assert listed == {student: score_text(score, full) for student, score in scores.items()}, rows


def test_formgrader_lists_each_graded_submission(page, graded_course):
    """A student's page and the assignment's submissions list (nbgrader reads them from the
    course folders submitted/ and autograded/, not only from the gradebook), with the scores,
    and no autograded score waiting for a manual grade."""
    server, scores = graded_course
    assert (server.course / "autograded").is_dir() and (server.course / "submitted").is_dir()
    full = points(GRADED)
    student = GRADED_STUDENTS[0]
    page.goto(server.url("formgrader"))
    table_rows(page, GRADED)
    page.get_by_role("link", name="Manage Students").click()
    table_rows(page, student)
    page.locator("table tbody tr", has_text=student).get_by_role("link").first.click()
    rows = table_rows(page, GRADED)
    assert [GRADED, score_text(scores[student], full)] == rows[0][:2], rows

    page.get_by_role("link", name="Manual Grading").click()
    table_rows(page, GRADED)
    page.get_by_role("link", name=GRADED, exact=True).first.click()
    table_rows(page, GRADED)
    page.get_by_role("link", name=GRADED, exact=True).last.click()
    rows = table_rows(page, "Submission")
    screenshot(page, "formgrader_submissions")
    listed = sorted(cells[2] for cells in rows if len(cells) > 2)
    assert listed == sorted(score_text(score, full) for score in scores.values()), rows
    flagged = page.evaluate(
        "() => [...document.querySelectorAll('table tbody td.needs-manual-grade')].map(td => td.dataset.order)"
    )
    assert flagged and set(flagged) == {"0"}, f"autograded submissions marked as needing a manual grade: {flagged}"
