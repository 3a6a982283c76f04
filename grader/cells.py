"""What each cell with points in a lesson asks of the grader.

Four kinds, from the lesson source's nbgrader metadata (see course.complete_nbgrader_metadata):
- "cases": `test_<f>` / `test_<f>_hidden` of a graded function with check cases in grader/cases:
  judged outside the sandbox on the probe reports (the cell's own code is not run);
- "asserts": any other test cell: the instructor's code (plain asserts, hidden parts included)
  runs in the student's sandbox after the student's cells, and the points are lost when it
  raises. It runs in the student's process, so it is weaker against tampering than the cases;
- "answer": the test cell that records the answer to a "predict, then check" question: judged
  outside the sandbox on the values of the answer's names (grader/questions.py);
- "manual": a manually graded answer or task: not run, scored by a person in the formgrader.
"""

import re
from dataclasses import dataclass
from functools import cache

from coursekit import grade_ids
from grader import casebook, course, questions

HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


@dataclass(frozen=True)
class PointCell:
    grade_id: str
    points: float
    kind: str  # "cases", "answer", "asserts" or "manual"
    source: str = ""  # "asserts": the test code to run, hidden tests included
    hidden: bool = False  # "asserts": the code has a hidden part, never shown in feedback
    visible_source: str = ""  # "asserts" with a hidden part: the code without it, run first

    @property
    def visible_step(self):
        """The name of the step that runs the visible part of a cell with a hidden part."""
        return f"{self.grade_id} (visible part)"


def has_code(source):
    """Whether a cell does anything: more than comments, blank lines and `pass`."""
    lines = [line.split("#", 1)[0].strip() for line in source.splitlines()]
    return any(line and line != "pass" for line in lines)


def _kind(slug, grade_id, meta, cell):
    if meta.get("solution") or meta.get("task"):
        return "manual"
    if questions.question_of(slug, grade_id):
        return "answer"
    function = grade_ids.function_of(grade_id)
    if function in casebook.function_index() and grade_id in (grade_ids.visible(function), grade_ids.hidden(function)):
        return "cases"
    if cell.cell_type == "code" and has_code(cell.source):
        return "asserts"
    raise ValueError(
        f"{grade_id}: a test cell with points must have check cases (grader/cases) or test code of its own; "
        "this one has neither"
    )


@cache
def point_cells(slug):
    """[PointCell] of a lesson, in notebook order; ValueError naming a test cell that tests nothing."""
    result = []
    for grade_id, points, cell in course.source_cells(slug):
        kind = _kind(slug, grade_id, cell.metadata["nbgrader"], cell)
        if kind != "asserts":
            result.append(PointCell(grade_id, points, kind))
            continue
        source = re.sub(rf"^\s*({HIDDEN_BEGIN}|{HIDDEN_END})\s*$", "", cell.source, flags=re.M)
        visible = re.sub(rf"^\s*{HIDDEN_BEGIN}\s*$.*?^\s*{HIDDEN_END}\s*$", "", cell.source, flags=re.M | re.S)
        hidden = HIDDEN_BEGIN in cell.source
        result.append(PointCell(grade_id, points, kind, source, hidden, visible if hidden else ""))
    return result
