"""The course's sources: where things are, the lessons, and their nbgrader cells.

A lesson source (lessons/NN_slug.py, jupytext py:percent) carries nbgrader's own metadata,
completed here so that the sources stay short: `# %% nbgrader={"grade_id": "adam_update"}` on a
cell with `### BEGIN SOLUTION` becomes a solution cell; `{"grade_id": "test_adam_update",
"points": 1}` a locked, autograded test cell. A graded function's two test cells are written
once, as a header on its solution cell, `checks={"visible": 1, "hidden": 3}` (with `"peers":
["batchnorm_forward"]` when its checks need another function of the lesson), and read_lesson
puts them back after it (expand_checks).
"""

import json
from pathlib import Path

import jupytext
import nbformat

from coursekit import grade_ids

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "build"


def lesson_slugs():
    return sorted(path.stem for path in LESSONS.glob("[0-9][0-9]_*.py"))


def complete_nbgrader_metadata(cell):
    """nbgrader's metadata from the short header of a source cell.

    points on a markdown cell: a manually graded answer (students write in it), or a manually
    graded task with "task": true; points with "solution": true on a code cell: a manually graded
    code answer; points on any other code cell: a locked, autograded test cell; `### BEGIN
    SOLUTION` in a code cell without points: an autograded answer (a graded function)."""
    meta = cell.metadata.get("nbgrader")
    if meta is None:
        return
    graded = "points" in meta
    task = bool(meta.get("task"))
    solution = meta.get("solution", cell.cell_type == "markdown" and graded and not task) or (
        cell.cell_type == "code" and "### BEGIN SOLUTION" in cell.source
    )
    meta.setdefault("grade", graded and not task)
    meta["solution"] = bool(solution)
    meta.setdefault("locked", (graded and not solution) or task)
    meta.setdefault("task", task)
    meta.setdefault("schema_version", 3)
    if graded:
        meta["points"] = float(meta["points"]) if not float(meta["points"]).is_integer() else int(meta["points"])


CHECKS_KEYS = {"visible", "hidden", "peers"}


def sources_of_test_cells(function, peers=()):
    """(visible, hidden) sources of the two test cells of a graded function. `peers`: the other
    functions of the lesson that its checks call (batchnorm_backward's own batchnorm_forward)."""
    peer_argument = (", peers={" + ", ".join(f'"{peer}": {peer}' for peer in peers) + "}") if peers else ""
    visible, hidden = grade_ids.visible(function), grade_ids.hidden(function)
    return (
        f'check("{visible}", {function}{peer_argument})',
        f"# The grader runs more checks on {function} here.\n"
        f'check("{visible}", {function}, quiet=True{peer_argument})\n'
        "### BEGIN HIDDEN TESTS\n"
        "from grader.hidden import check_hidden\n\n"
        f'check_hidden("{hidden}", {function}{peer_argument})\n'
        "### END HIDDEN TESTS"
    )


def expanded_test_cells(solution_cell):
    """The two test cells that the `checks` header of a solution cell stands for."""
    checks, function = solution_cell.metadata["checks"], solution_cell.metadata["nbgrader"]["grade_id"]
    if set(checks) - CHECKS_KEYS or not {"visible", "hidden"} <= set(checks):
        raise ValueError(f"{function}: checks={checks} needs the points of both test cells, "
                         f'as in checks={{"visible": 1, "hidden": 3}} (and "peers" only)')
    visible, hidden = sources_of_test_cells(function, checks.get("peers", ()))
    return [
        nbformat.v4.new_code_cell(visible, metadata={"nbgrader": {"grade_id": grade_ids.visible(function),
                                                                  "points": checks["visible"]}}),
        nbformat.v4.new_code_cell(hidden, metadata={"nbgrader": {"grade_id": grade_ids.hidden(function),
                                                                 "points": checks["hidden"]}}),
    ]


def recording_test_cell(answer_cell):
    """The locked test cell that the `answer` header of a question's answer cell stands for."""
    from grader import questions

    key = questions.answer_key(answer_cell)
    return nbformat.v4.new_code_cell(questions.recording_source(key), metadata={
        "nbgrader": {"grade_id": questions.test_cell_id(key.grade_id), "points": key.points}})


def expand_checks(notebook):
    """Each solution cell with a `checks` header followed by its two test cells, and each answer
    cell with an `answer` header by its recording test cell (grader/questions.py); the headers
    are not nbgrader's and leave the cells."""
    cells = []
    for cell in notebook.cells:
        cells.append(cell)
        if "checks" in cell.metadata:
            cells += expanded_test_cells(cell)
            del cell.metadata["checks"]
        if "answer" in cell.metadata:
            cells.append(recording_test_cell(cell))
            del cell.metadata["answer"]
    notebook.cells = cells
    return notebook


def read_lesson(slug):
    """The instructor's source notebook of a lesson, with its test cells and complete nbgrader metadata."""
    notebook = expand_checks(jupytext.read(LESSONS / f"{slug}.py"))
    for index, cell in enumerate(notebook.cells):
        cell.id = f"{slug[:2]}-{index:03d}"
        cell.metadata.pop("lines_to_next_cell", None)
        complete_nbgrader_metadata(cell)
    notebook.metadata.pop("jupytext", None)
    notebook.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    return notebook


def source_cells(slug):
    """[(grade_id, points, cell)] of the cells of a lesson that carry points (tests, hand-graded
    answers and tasks), from its source."""
    return [
        (cell.metadata["nbgrader"]["grade_id"], cell.metadata["nbgrader"]["points"], cell)
        for cell in read_lesson(slug).cells
        if "points" in cell.metadata.get("nbgrader", {})
    ]


def dump_json(obj, path):
    Path(path).write_text(json.dumps(obj, indent=1, sort_keys=True) + "\n")
