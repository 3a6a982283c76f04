"""Authoring the course as docs/authoring.md tells an instructor to, on a scratch copy of the
course: a plain-assert test cell (visible and hidden parts) and a hand-graded question added to a
lesson, released, and a class graded with them."""

import csv
import json
import re
import shutil
import subprocess
import sys

import pytest

from grader import course

SLUG = "05_adam"
COPIED = ("lessons", "grader", "coursekit", "solutions", "datasets", "student", "pyproject.toml")

GUIDE = course.ROOT / "docs" / "authoring.md"


def guide_blocks(section):
    """The python code blocks of a section of docs/authoring.md: the test does what the guide says."""
    text = GUIDE.read_text(encoding="utf-8")
    body = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", body, flags=re.S)


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
    if cell.metadata.get("nbgrader", {}).get("grade_id") == "bias_correction":
        cell.source = cell.source.replace("(1 - beta**t)", "(1 - beta)")
    if cell.metadata.get("nbgrader", {}).get("grade_id") == "predict_corrected_moment":
        cell.source = cell.source.replace("v_hat_3 = 2.0", "v_hat_3 = 0.5420")
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
    function, cases = guide_blocks("Add a graded function")
    (plain_asserts,) = guide_blocks("Add a test cell of plain asserts")
    (question,) = guide_blocks("Add a hand-graded question")
    predict, feedback = guide_blocks("Add a predict-then-check question")
    lesson = copy / "lessons" / f"{SLUG}.py"
    lesson.write_text("\n\n".join([lesson.read_text(), function, plain_asserts, question, predict]))
    case_module = copy / "grader" / "cases" / "adam.py"
    case_module.write_text(case_module.read_text() + "\n\n" + cases + "\n\n" + feedback)
    run_in(copy, "-m", "grader", "build-solutions")  # what `make notebooks` runs, in its order
    run_in(copy, "-m", "grader", "build-checks")
    (copy / "steps.py").write_text(STEPS)
    results = json.loads(run_in(copy, "steps.py", str(copy)).strip().splitlines()[-1])
    return copy, results


def test_a_new_graded_function_is_generated_checked_and_graded(graded):
    copy, results = graded
    assert "def bias_correction" in (copy / "solutions" / "adam.py").read_text()
    assert "bias_correction" in (copy / "coursekit" / "data" / "visible_checks.json").read_text()
    notebook = (copy / "notebooks" / f"{SLUG}.ipynb").read_text()
    assert "test_bias_correction_hidden" in notebook and "1 - beta**t" not in notebook  # the answer is not shipped
    good, wrong = results["good"]["tests"], results["wrong"]["tests"]
    assert good["test_bias_correction"][0] == 1 and good["test_bias_correction_hidden"][0] == 2
    assert wrong["test_bias_correction"][0] == 0 and wrong["test_bias_correction_hidden"][0] == 0
    assert "your correction divides by 1 - beta, not 1 - beta**t" in wrong["test_bias_correction"][2]


def test_a_plain_assert_test_cell_is_honoured(graded):
    _, results = graded
    good, wrong = results["good"]["tests"], results["wrong"]["tests"]
    assert good["test_adam_moves_against_the_gradient"] == [2, 2, "passed"]
    score, _, message = wrong["test_adam_moves_against_the_gradient"]
    assert score == 0 and "a hidden check failed (AssertionError)" in message
    assert "first corrected step is" not in message and "0.9" not in message  # hidden code never shows


def test_a_predict_then_check_question_is_released_as_a_stub_and_judged_with_its_misconception(graded):
    copy, results = graded
    notebook = json.loads((copy / "notebooks" / f"{SLUG}.ipynb").read_text())
    by_id = {c["metadata"].get("nbgrader", {}).get("grade_id"): c for c in notebook["cells"]}
    assert "".join(by_id["predict_corrected_moment"]["source"]) == "v_hat_3 = ...  # your answer"
    assert "2.0" not in "".join(by_id["test_predict_corrected_moment"]["source"])
    good, wrong = results["good"]["tests"], results["wrong"]["tests"]
    assert good["test_predict_corrected_moment"] == [1, 1, "passed"]
    score, _, message = wrong["test_predict_corrected_moment"]
    assert score == 0 and "before the bias correction" in message and "2.0" not in message


def test_a_hand_graded_answer_is_editable_skipped_and_awaits_a_person(graded):
    copy, results = graded
    notebook = json.loads((copy / "notebooks" / f"{SLUG}.ipynb").read_text())
    cells = notebook["cells"]
    (question,) = [c for c in cells if c["metadata"].get("nbgrader", {}).get("grade_id") == "why_bias_correction"]
    assert question["cell_type"] == "markdown" and question["metadata"]["nbgrader"]["solution"] is True
    assert question["metadata"]["nbgrader"]["locked"] is False  # students can type their answer
    assert "BEGIN HIDDEN" not in json.dumps(notebook) and "first corrected step is" not in json.dumps(notebook)
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
