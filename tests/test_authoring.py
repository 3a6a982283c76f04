"""Authoring the course as docs/authoring.md tells an instructor to, on a scratch copy of the
course: a plain-assert test cell (visible and hidden parts) and a hand-graded question added to a
lesson, released, and a class graded with them."""

import csv
import json
import shutil
import subprocess
import sys

import pytest

from grader import course

SLUG = "05_adam"
COPIED = ("lessons", "grader", "coursekit", "solutions", "datasets", "pyproject.toml")

# What the guide shows an instructor adding at the end of lessons/05_adam.py.
PLAIN_ASSERT_TEST = '''

# %% nbgrader={"grade_id": "test_adam_moves_against_the_gradient", "points": 2}
p = {"W1": np.array([[1.0]]), "b1": np.array([[0.0]])}
g = {"dW1": np.array([[0.5]]), "db1": np.array([[0.0]])}
v0, s0 = init_adam(p)
moved, _, _ = adam_update(p, g, v0, s0, 1, learning_rate=0.1)
assert moved["W1"][0, 0] < 1.0, "Adam must move W1 against its gradient"
### BEGIN HIDDEN TESTS
assert abs(moved["W1"][0, 0] - 0.9) < 1e-6, "the first corrected step is learning_rate long"
### END HIDDEN TESTS
'''
HAND_GRADED_QUESTION = '''

# %% [markdown] nbgrader={"grade_id": "why_bias_correction", "points": 2}
# Why does Adam divide its moments by (1 - beta**t)? Answer in two sentences.
'''
EMPTY_TEST = '''

# %% nbgrader={"grade_id": "test_nothing", "points": 1}
# a test cell with neither check cases nor code
'''

STEPS = '''
import json, sys
from pathlib import Path
import nbformat
from grader import release
from grader.autograde import autograde
from grader.sample_class import _solution_notebook
from grader.sandbox import Limits

root = Path(sys.argv[1])
release.release(root / "course", root / "notebooks", ["05_adam"])
good = _solution_notebook("05_adam")
wrong = _solution_notebook("05_adam")
for cell in wrong.cells:
    if cell.metadata.get("nbgrader", {}).get("grade_id") == "adam_update":
        cell.source = cell.source.replace("v_hat = new_v", "v_hat = 0.5 * new_v")
for name, notebook in (("good", good), ("wrong", wrong)):
    path = root / "submitted" / name / "05_adam" / "05_adam.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(notebook, path)
outcomes = autograde(root / "submitted", root / "out", slugs=["05_adam"], course_dir=root / "course", jobs=2,
                     limits=Limits(cell_timeout=3, probe_timeout=3), progress=False, log=lambda *_: None)
print(json.dumps({o.submission.student_id: {"score": o.score, "status": o.row_status,
                  "tests": {t.grade_id: [t.score, t.max_score, t.message] for t in o.tests}} for o in outcomes}))
'''


def scratch_copy(root):
    for name in COPIED:
        source = course.ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, root / name)
    return root


def run_in(copy, *args):
    done = subprocess.run([sys.executable, *args], cwd=copy, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-4000:]
    return done.stdout


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    copy = scratch_copy(tmp_path_factory.mktemp("scratch-course"))
    lesson = copy / "lessons" / f"{SLUG}.py"
    lesson.write_text(lesson.read_text() + PLAIN_ASSERT_TEST + HAND_GRADED_QUESTION)
    (copy / "steps.py").write_text(STEPS)
    results = json.loads(run_in(copy, "steps.py", str(copy)).strip().splitlines()[-1])
    return copy, results


def test_a_plain_assert_test_cell_is_honoured(graded):
    _, results = graded
    good, wrong = results["good"]["tests"], results["wrong"]["tests"]
    assert good["test_adam_moves_against_the_gradient"] == [2, 2, "passed"]
    score, _, message = wrong["test_adam_moves_against_the_gradient"]
    assert score == 0 and "a hidden check failed (AssertionError)" in message
    assert "corrected step" not in message and "0.9" not in message  # hidden code never shows


def test_a_hand_graded_answer_is_editable_skipped_and_awaits_a_person(graded):
    copy, results = graded
    notebook = json.loads((copy / "notebooks" / f"{SLUG}.ipynb").read_text())
    cells = notebook["cells"]
    (question,) = [c for c in cells if c["metadata"].get("nbgrader", {}).get("grade_id") == "why_bias_correction"]
    assert question["cell_type"] == "markdown" and question["metadata"]["nbgrader"]["solution"] is True
    assert question["metadata"]["nbgrader"]["locked"] is False  # students can type their answer
    assert "BEGIN HIDDEN" not in json.dumps(notebook) and "corrected step" not in json.dumps(notebook)
    assert results["good"]["tests"]["why_bias_correction"] == [0, 2, "awaiting manual grading"]
    assert results["good"]["status"] == "needs-manual-grading"


def test_a_score_given_in_the_formgrader_reaches_grades_csv(graded):
    from nbgrader.api import Gradebook

    copy, results = graded
    with Gradebook(f"sqlite:///{copy / 'course' / 'gradebook.db'}") as gradebook:
        grade = gradebook.find_grade("why_bias_correction", SLUG, SLUG, "good")
        assert grade.needs_manual_grade
        grade.manual_score = 1.5
        gradebook.db.commit()
    run_in(copy, "-m", "grader", "autograde", str(copy / "submitted"), "--out", str(copy / "out"), "--course",
           str(copy / "course"), "--lessons", SLUG, "--timeout", "3")
    with open(copy / "out" / "grades.csv", encoding="utf-8") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert float(rows["good"]["score"]) == results["good"]["score"] + 1.5
    assert rows["good"]["status"] == "graded"
    assert rows["wrong"]["status"] == "needs-manual-grading"


def test_release_refuses_a_test_cell_that_tests_nothing(tmp_path):
    copy = scratch_copy(tmp_path / "course-copy")
    lesson = copy / "lessons" / f"{SLUG}.py"
    lesson.write_text(lesson.read_text() + EMPTY_TEST)
    done = subprocess.run([sys.executable, "-m", "grader", "release", "--lessons", SLUG, "--course",
                           str(tmp_path / "c"), "--notebooks", str(tmp_path / "n")], cwd=copy, capture_output=True,
                          text=True)
    assert done.returncode != 0 and "test_nothing" in done.stderr and "neither" in done.stderr
