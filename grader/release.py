"""Releasing the course: lesson sources -> nbgrader source notebooks -> student notebooks
(notebooks/NN_slug.ipynb, by nbgrader generate_assignment), with the nbgrader course and the
nbgrader_config.py that nbgrader's exchange commands read.
"""

import os
import sys
from pathlib import Path

import nbformat

from grader.cells import point_cells
from grader.course import BUILD, NOTEBOOKS, lesson_slugs, read_lesson

COURSE_ID = "optimization-in-neural-networks"
GENERATED_NOTE = "generated from lessons/{slug}.py by `make notebooks`: do not edit, edit the source"


def write_sources(course_dir, slugs=None):
    for slug in slugs or lesson_slugs():
        target = Path(course_dir) / "source" / slug / f"{slug}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(read_lesson(slug), target)


def nbgrader_api(course_dir, db_path=None, course_id=COURSE_ID, exchange_root=None, db_url=None):
    """An NbGraderAPI on course_dir with an absolute root and gradebook (a path, or any database URL
    nbgrader takes, e.g. postgresql://...)."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"  # alembic
    config = Config()
    config.CourseDirectory.course_id = course_id
    config.CourseDirectory.root = str(Path(course_dir).resolve())
    config.CourseDirectory.db_url = db_url or gradebook_url(db_path or Path(course_dir) / "gradebook.db")
    config.Exchange.root = str(Path(exchange_root or Path(course_dir) / "exchange").resolve())
    Path(config.Exchange.root).mkdir(parents=True, exist_ok=True)
    return NbGraderAPI(config=config)


def gradebook_url(db_path):
    return f"sqlite:///{Path(db_path).resolve()}"


def course_config(course_dir, course_id, exchange_root, db_url=None):
    """The instructor's nbgrader_config.py: with it, `nbgrader release_assignment`, `collect`,
    `release_feedback` ... run from the course folder need no flags. Paths are absolute so that
    the file works from any working folder that loads it."""
    course_dir = Path(course_dir).resolve()
    return (
        "# Written by `python -m grader release`; it is rewritten by the next release.\n"
        "c = get_config()  # noqa: F821 (nbgrader provides get_config when it loads this file)\n"
        f"c.CourseDirectory.course_id = {course_id!r}\n"
        f"c.CourseDirectory.root = {str(course_dir)!r}\n"
        f"c.CourseDirectory.db_url = {db_url or gradebook_url(course_dir / 'gradebook.db')!r}\n"
        f"c.Exchange.root = {str(Path(exchange_root).resolve())!r}\n"
    )


def student_config(course_id, exchange_root, student_id=None):
    """A student's nbgrader_config.py, for the folder where they run `nbgrader fetch_assignment`,
    `submit` and `fetch_feedback`. nbgrader takes the student's name from the operating system
    (JUPYTERHUB_USER only for the user `jovyan`); student_id sets it where that name is not theirs."""
    lines = [
        "c = get_config()  # noqa: F821 (nbgrader provides get_config when it loads this file)",
        f"c.CourseDirectory.course_id = {course_id!r}",
        f"c.Exchange.root = {str(Path(exchange_root).resolve())!r}",
    ]
    if student_id is not None:
        lines.append(f"c.CourseDirectory.student_id = {student_id!r}")
    return "\n".join(lines) + "\n"


def normalized_release(notebook, slug):
    """A release notebook as committed: no outputs, stable metadata, marked as generated."""
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    notebook.metadata["course"] = {"lesson": slug, "note": GENERATED_NOTE.format(slug=slug)}
    return notebook


def release(course_dir=BUILD / "course", notebooks_dir=NOTEBOOKS, slugs=None, course_id=COURSE_ID, exchange_root=None,
            db_url=None):
    """Build the nbgrader course (sources, gradebook, release, nbgrader_config.py) and the student notebooks.

    exchange_root is the folder nbgrader's exchange shares with the students (default: the course's
    exchange/); nbgrader creates it on first use."""
    slugs = slugs or lesson_slugs()
    for slug in slugs:  # a test cell that tests nothing stops the release, naming the cell
        point_cells(slug)
    course_dir = Path(course_dir)
    exchange_root = Path(exchange_root or course_dir / "exchange")
    write_sources(course_dir, slugs)
    (course_dir / "nbgrader_config.py").write_text(course_config(course_dir, course_id, exchange_root, db_url))
    api = nbgrader_api(course_dir, course_id=course_id, exchange_root=exchange_root, db_url=db_url)
    for slug in slugs:
        result = api.generate_assignment(slug, force=True)
        if not result["success"]:
            raise RuntimeError(f"nbgrader generate_assignment {slug} failed:\n{result['error']}\n{result['log']}")
        released = nbformat.read(course_dir / "release" / slug / f"{slug}.ipynb", as_version=4)
        Path(notebooks_dir).mkdir(parents=True, exist_ok=True)
        nbformat.write(normalized_release(released, slug), Path(notebooks_dir) / f"{slug}.ipynb")
    return course_dir
