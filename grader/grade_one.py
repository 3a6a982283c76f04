"""Grading one notebook on submit: the document a queue worker, a web hook or Gradescope's
run_autograder reads (`python -m grader grade-one NOTEBOOK --lesson SLUG --json`).

The notebook is graded exactly as in a class run (autograde.grade_one: the sandbox, points from
the lesson source), and the outcome becomes one JSON document:

    {"lesson", "score", "max_score", "status", "message",
     "tests": [{"grade_id", "function", "score", "max_score", "message", "visible", "manual"}]}

A notebook that is absent or unreadable still gets a document (status "missing" or "invalid
notebook", 0 points): that is the student's grade, not the caller's error.
"""

from pathlib import Path

from coursekit import grade_ids
from grader.autograde import grade_one
from grader.cells import point_cells
from grader.intake import Submission

STUDENT_ID = "submission"  # one notebook, no class: the id only names it in messages


def grade_notebook(path, slug, limits):
    """The Outcome of one notebook for one lesson, graded in the sandbox."""
    return grade_one(Submission(STUDENT_ID, slug, Path(path)), limits=limits)


def is_visible(cell):
    """Whether a student may see a cell's verdict before grades are published: `test_<f>_hidden` and
    instructor test code with hidden parts are hidden, and so are the answers to questions (a verdict on
    each submit would let a student guess a choice or a number until it passes); everything else is visible."""
    if cell.kind == "answer":
        return False
    if cell.kind == "cases":
        return not grade_ids.is_hidden(cell.grade_id)
    return not cell.hidden


def test_record(graded, cell):
    """One test cell's verdict as plain data."""
    return {
        "grade_id": graded.grade_id,
        "function": grade_ids.function_of(graded.grade_id),
        "score": graded.score,
        "max_score": graded.max_score,
        "message": graded.message,
        "visible": is_visible(cell),
        "manual": cell.kind == "manual",
    }


def outcome_document(outcome):
    """The JSON document of one graded notebook."""
    slug = outcome.submission.assignment_id
    cells = {cell.grade_id: cell for cell in point_cells(slug)}
    return {
        "lesson": slug,
        "score": outcome.score,
        "max_score": outcome.max_score,
        "status": outcome.row_status,  # "needs-manual-grading" when a hand-graded cell awaits its score
        "message": outcome.row_message,
        "tests": [test_record(graded, cells[graded.grade_id]) for graded in outcome.tests],
    }


def as_text(document):
    """The document for a person at a terminal (without --json)."""
    lines = [f"{document['lesson']}: {document['score']:g}/{document['max_score']:g} ({document['status']})"]
    if document["message"]:
        lines.append(document["message"])
    for test in document["tests"]:
        shown = "visible" if test["visible"] else "hidden"
        lines.append(f"  {test['grade_id']:44s} {test['score']:g}/{test['max_score']:g} {shown:7s} {test['message']}")
    return "\n".join(lines)
