"""nbgrader's own workflow end to end, with a local exchange folder: our release, then nbgrader's
release_assignment, fetch_assignment and submit (as the student alice), collect, our sandboxed
autograde into the same course, release_feedback and fetch_feedback. The page alice fetches
starts with her results, renders the lesson's math, and shows no hidden test."""

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat

from grader import autograde as autograder
from grader import release
from grader.autograde import autograde
from grader.sample_class import _solution_notebook
from grader.sandbox import Limits

SLUG = "05_adam"
FULL = sum(points for _, points in autograder.test_cells(SLUG))  # the lesson's points: functions and questions
STUDENT = "alice"
VENV_BIN = Path(sys.executable).parent  # nbgrader, and the alembic a gradebook may need


def nbgrader(*args, cwd, home):
    """Run the venv's nbgrader as a user whose home is `home`: nbgrader reads ~/.jupyter and keeps a
    student's submissions (with their secrets) in ~/.local/share/jupyter/nbgrader_cache."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("JUPYTER", "XDG_"))}
    env.update(HOME=str(home), PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}")
    done = subprocess.run(
        [str(VENV_BIN / "nbgrader"), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def fill_in_solutions(path):
    """The student's work: every solution cell of the fetched notebook replaced by the lesson's solution."""
    solutions = {
        cell.metadata["nbgrader"]["grade_id"]: cell.source
        for cell in _solution_notebook(SLUG).cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = solutions[cell.metadata["nbgrader"]["grade_id"]]
    nbformat.write(notebook, path)


def outside_code(page):
    """The page without its code blocks (matplotlib labels in code cells hold dollars, rightly)."""
    return re.sub(r"<pre[^>]*>.*?</pre>", "", page, flags=re.S)


def test_release_submit_collect_grade_and_fetch_feedback_through_nbgrader(tmp_path):
    course, exchange, student = tmp_path / "course", tmp_path / "exchange", tmp_path / "alice-work"
    instructor_home, student_home = tmp_path / "instructor-home", tmp_path / "alice-home"
    for folder in (student, instructor_home, student_home):
        folder.mkdir()

    release.release(course, tmp_path / "notebooks", [SLUG], exchange_root=exchange)
    assert f"c.Exchange.root = {str(exchange.resolve())!r}" in (course / "nbgrader_config.py").read_text()
    (student / "nbgrader_config.py").write_text(release.student_config(release.COURSE_ID, exchange, STUDENT))

    nbgrader("release_assignment", SLUG, cwd=course, home=instructor_home)
    nbgrader("fetch_assignment", SLUG, cwd=student, home=student_home)
    fill_in_solutions(student / SLUG / f"{SLUG}.ipynb")
    nbgrader("submit", SLUG, cwd=student, home=student_home)
    nbgrader("collect", SLUG, cwd=course, home=instructor_home)
    submitted = course / "submitted" / STUDENT / SLUG
    assert (submitted / f"{SLUG}.ipynb").is_file() and (submitted / "submission_secret.txt").is_file()

    outcomes = autograde(
        course / "submitted",
        tmp_path / "out",
        slugs=[SLUG],
        jobs=1,
        limits=Limits(cell_timeout=3, probe_timeout=3),
        course_dir=course,
        progress=False,
        log=lambda *_: None,
    )
    (outcome,) = outcomes
    assert (outcome.submission.student_id, outcome.score, outcome.max_score) == (STUDENT, FULL, FULL), outcome.message
    page_in_course = course / "feedback" / STUDENT / SLUG / f"{SLUG}.html"  # autograde wrote it, with the receipts
    assert page_in_course.is_file() and (page_in_course.parent / "submission_secret.txt").is_file()

    nbgrader("release_feedback", SLUG, cwd=course, home=instructor_home)
    nbgrader("fetch_feedback", SLUG, cwd=student, home=student_home)
    (fetched,) = (student / SLUG / "feedback").glob(f"*/{SLUG}.html")  # feedback/<timestamp>/<notebook>.html
    page = fetched.read_text(encoding="utf-8")

    results, notebook = page.split("<h2>Your notebook as graded</h2>")
    assert f"Score: {FULL}/{FULL}</b> — status: graded" in results
    assert "init_adam: 3/3</b> — passed" in results and "adam_update: 4/4</b> — passed" in results
    assert "<math" in notebook and "$" not in outside_code(page)
    assert "check_hidden" not in page and "grader.hidden" not in page and "HIDDEN TESTS" not in page
