"""The course's sources: where things are, the lessons, and their nbgrader cells.

A lesson source (lessons/NN_slug.py, jupytext py:percent) carries nbgrader's own metadata,
completed here so that the sources stay short: `# %% nbgrader={"grade_id": "adam_update"}` on a
cell with `### BEGIN SOLUTION` becomes a solution cell; `{"grade_id": "test_adam_update",
"points": 1}` a locked, autograded test cell.
"""

import json
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "build"


def lesson_slugs():
    return sorted(path.stem for path in LESSONS.glob("[0-9][0-9]_*.py"))


def complete_nbgrader_metadata(cell):
    meta = cell.metadata.get("nbgrader")
    if meta is None:
        return
    is_test = "points" in meta
    is_solution = cell.cell_type == "code" and "### BEGIN SOLUTION" in cell.source
    meta.setdefault("grade", is_test)
    meta.setdefault("solution", is_solution)
    meta.setdefault("locked", is_test)
    meta.setdefault("task", False)
    meta.setdefault("schema_version", 3)
    if is_test:
        meta["points"] = float(meta["points"]) if not float(meta["points"]).is_integer() else int(meta["points"])


def read_lesson(slug):
    """The instructor's source notebook of a lesson, with complete nbgrader metadata."""
    notebook = jupytext.read(LESSONS / f"{slug}.py")
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
    """[(grade_id, points, cell)] of the test cells of a lesson, from its source."""
    return [
        (cell.metadata["nbgrader"]["grade_id"], cell.metadata["nbgrader"]["points"], cell)
        for cell in read_lesson(slug).cells
        if cell.metadata.get("nbgrader", {}).get("grade")
    ]


def dump_json(obj, path):
    Path(path).write_text(json.dumps(obj, indent=1, sort_keys=True) + "\n")
