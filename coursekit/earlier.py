"""Your functions of earlier lessons, in a later lesson: loaded from your own notebooks.

    gd_update, random_mini_batches = load("01_mini_batch_gradient_descent", "gd_update", "random_mini_batches")

reads your saved notebook of lesson 01 (`01_mini_batch_gradient_descent.ipynb`) and runs only the
cells of those functions (with numpy as np and math, and that notebook's cells of imports), then
their visible checks. When the notebook or a function is missing, or a function fails its checks,
it stops with a message that says what to do: a later lesson never runs on unfinished code, and
your functions are written once, where you wrote them.

Where the notebook is looked for: the folder named by the environment variable COURSE_NOTEBOOKS,
else the working folder (in Jupyter, the running notebook's own folder); in each, `<slug>.ipynb`,
then nbgrader's layout of one folder per assignment, `../<slug>/<slug>.ipynb`.

The environment variable COURSE_EARLIER switches where the functions come from:
- unset (or "notebooks"): your notebooks, as above;
- "solutions": the released reference answers, the `solutions` package (instructors: running the
  lesson sources in CI). The only place where coursekit imports `solutions`;
- "absent": stand-ins that raise "not available while grading" when called, and only then (the
  grading sandbox, which has no earlier notebooks: a cell that merely loads them never fails).
"""

import ast
import json
import math
import os
from pathlib import Path

import numpy as np

from coursekit import grade_ids
from coursekit.checking import CheckFailed, check, load_visible_checks

SWITCH = "COURSE_EARLIER"
FOLDER = "COURSE_NOTEBOOKS"
SOURCES = ("notebooks", "solutions", "absent")


class EarlierLessonError(RuntimeError):
    """A function of an earlier lesson cannot be used yet; the message says what to do."""

    def _render_traceback_(self):
        """What IPython shows instead of a traceback: the message, without coursekit's frames."""
        return ["\x1b[1;31mEarlierLessonError\x1b[0m: " + str(self)]


def load(slug, *functions):
    """Your functions named `functions` of the lesson `slug` ("05_adam"): the function itself when
    one name is given, else a tuple of them in the order asked."""
    if not functions:
        raise TypeError('load needs the names of the functions: load("05_adam", "init_adam", "adam_update")')
    source = os.environ.get(SWITCH) or "notebooks"
    if source == "solutions":
        import importlib  # here only: coursekit imports `solutions` under this switch and nowhere else

        module = importlib.import_module(f"solutions.{slug[3:]}")  # 05_adam -> solutions.adam
        found = [getattr(module, name) for name in functions]
    elif source == "absent":
        found = [stand_in(slug, name) for name in functions]
    elif source == "notebooks":
        found = from_notebook(slug, functions)
    else:
        raise ValueError(f"{SWITCH}={source!r}: expected one of {', '.join(SOURCES)} (or unset)")
    return found[0] if len(found) == 1 else tuple(found)


def stand_in(slug, name):
    """A function named `name` that raises when called, and only then."""

    def not_available(*args, **kwargs):
        raise EarlierLessonError(f"lesson {slug[:2]}'s {name} is not available while grading")

    not_available.__name__ = not_available.__qualname__ = name
    return not_available


# ----------------------------------------------------------------------------- from a notebook


def notebook_path(slug):
    """The student's saved notebook of a lesson (see the module's docstring for where it looks)."""
    folder = Path(os.environ.get(FOLDER) or Path.cwd())
    for path in (folder / f"{slug}.ipynb", folder.parent / slug / f"{slug}.ipynb"):
        if path.is_file():
            return path
    raise EarlierLessonError(
        f"lesson {slug[:2]}'s notebook {slug}.ipynb is not in {folder}: put your {slug}.ipynb beside this "
        f"notebook (or set {FOLDER} to its folder), then come back. In Colab or Binder, upload your saved "
        f"{slug}.ipynb into the working folder (Colab: the Files panel on the left)"
    )


def code_cells(path):
    """[(nbgrader grade_id or None, source)] of a notebook's code cells, in order."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise EarlierLessonError(f"{path.name} could not be read as a notebook ({error})") from None
    return [
        (cell.get("metadata", {}).get("nbgrader", {}).get("grade_id"), _text(cell.get("source", "")))
        for cell in cells
        if cell.get("cell_type") == "code"
    ]


def _text(source):
    return "".join(source) if isinstance(source, list) else source


def is_import_cell(source):
    """A cell of imports and nothing else (running it defines names only)."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    return bool(body) and all(isinstance(node, ast.Import | ast.ImportFrom) for node in body)


def not_written(slug, name):
    return EarlierLessonError(f"lesson {slug[:2]}'s {name} is not written yet in {slug}.ipynb: finish it there, "
                              "then come back")


def run_cell(source, namespace, slug, what):
    """Run one cell of an earlier notebook in `namespace`; an error in it becomes a message."""
    try:
        exec(compile(source, f"{slug}.ipynb ({what})", "exec"), namespace)
    except Exception as error:  # the student's cell may raise anything
        raise EarlierLessonError(
            f"lesson {slug[:2]}'s {what} in {slug}.ipynb stops with {type(error).__name__}: {error}: "
            "fix it there, then come back"
        ) from None


def run_visible_checks(slug, name, function, namespace, checks):
    """The visible checks of a graded function, quietly; a failure becomes a message."""
    if name not in checks:
        return
    try:
        check(grade_ids.visible(name), function, checks=checks, quiet=True, peers=namespace)
    except CheckFailed as failed:
        if "is not implemented yet" in str(failed):  # the shipped stub: raise NotImplementedError()
            raise not_written(slug, name) from None
        raise EarlierLessonError(
            f"lesson {slug[:2]}'s {name} in {slug}.ipynb does not pass its checks yet:\n{failed}\n"
            "Fix it there, then come back"
        ) from None


def from_notebook(slug, functions):
    """The functions, defined by their solution cells of the student's notebook and checked."""
    cells = code_cells(notebook_path(slug))
    namespace = {"__name__": f"lesson_{slug}", "np": np, "math": math}
    for _, source in cells:
        if is_import_cell(source):
            run_cell(source, namespace, slug, "cell of imports")
    for grade_id, source in cells:  # in the notebook's order, as the student ran them
        if grade_id in functions:
            run_cell(source, namespace, slug, f"cell of {grade_id}")
    for name in functions:
        if not callable(namespace.get(name)):
            raise not_written(slug, name)
    checks = load_visible_checks()
    for name in functions:
        run_visible_checks(slug, name, namespace[name], namespace, checks)
    return [namespace[name] for name in functions]
