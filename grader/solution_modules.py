"""solutions/<module>.py, generated from the lessons: each graded function is written once, in
the solution cell of its lesson, and `make solutions` (`python -m grader build-solutions`) copies
it here without nbgrader's markers, under the imports it uses. tests/test_lessons.py fails when a
committed module differs from what this writes.
"""

import ast

from grader import course
from grader.questions import answer_keys

SOLUTIONS = course.ROOT / "solutions"
HEADER = "# Generated from lessons/{slug}.py by `make solutions`: do not edit; edit the lesson."
# nbgrader's markers, and the stub that `nbgrader generate_assignment` writes in their place.
DROPPED_LINES = {"### BEGIN SOLUTION", "### END SOLUTION", "# YOUR CODE HERE", "raise NotImplementedError()"}
# The modules a solution may use, by the name it uses them under; standard library first (isort's order).
IMPORTS = {"math": "import math", "np": "import numpy as np"}
STANDARD_LIBRARY = {"math"}


def module_name(slug):
    """solutions/<module>.py of a lesson: 05_adam -> adam (also grader/cases/<module>.py)."""
    return slug[3:]


def is_graded_function(cell, questions=()):
    """An autograded answer: a code cell with nbgrader's solution markers and no points of its own
    (cells with points are tests or hand-graded answers), other than the answers to the lesson's
    `questions` (their grade ids: the answers are literals, not code, and stay in the lesson)."""
    meta = cell.metadata.get("nbgrader", {})
    return (cell.cell_type == "code" and meta.get("solution") and "points" not in meta
            and meta.get("grade_id") not in questions)


def without_markers(source):
    """A solution cell's code as a module holds it: nbgrader's marker and stub lines left out."""
    return "\n".join(line for line in source.splitlines() if line.strip() not in DROPPED_LINES).strip("\n")


def lesson_title(notebook):
    """The lesson's heading: `# Lesson 05 — Adam` in its first markdown cell."""
    first = next(cell for cell in notebook.cells if cell.cell_type == "markdown")
    return first.source.splitlines()[0].lstrip("# ").strip()


def import_lines(code):
    """The import statements for the modules (IMPORTS) that the code uses, grouped as isort does."""
    used = {node.id for node in ast.walk(ast.parse(code)) if isinstance(node, ast.Name)}
    standard = [IMPORTS[name] for name in sorted(used & set(IMPORTS)) if name in STANDARD_LIBRARY]
    third_party = [IMPORTS[name] for name in sorted(used & set(IMPORTS)) if name not in STANDARD_LIBRARY]
    return "\n\n".join("\n".join(group) for group in (standard, third_party) if group)


def module_source(slug):
    """The text of solutions/<module>.py for a lesson, or None when it has no graded function."""
    notebook = course.read_lesson(slug)
    asked = answer_keys(slug)
    functions = [without_markers(cell.source) for cell in notebook.cells if is_graded_function(cell, asked)]
    if not functions:
        return None
    code = "\n\n\n".join(functions)
    docstring = f'"""{lesson_title(notebook)}: the reference answers."""'
    imports = import_lines(code)
    head = f"{HEADER.format(slug=slug)}\n{docstring}\n" + (f"\n{imports}\n" if imports else "")
    return f"{head}\n\n{code}\n"


def generated_modules():
    """{file name: text} of every generated module of solutions/."""
    sources = {f"{module_name(slug)}.py": module_source(slug) for slug in course.lesson_slugs()}
    return {name: text for name, text in sources.items() if text is not None}


def committed_modules():
    """{file name: text} of the modules in solutions/ (its hand-written __init__.py aside)."""
    return {path.name: path.read_text() for path in sorted(SOLUTIONS.glob("*.py")) if path.name != "__init__.py"}


def write_solutions():
    """Write every generated module; returns the file names written."""
    modules = generated_modules()
    for name, text in modules.items():
        (SOLUTIONS / name).write_text(text)
    return sorted(modules)
