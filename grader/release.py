"""Releasing the course: lesson sources -> nbgrader source notebooks -> student notebooks
(notebooks/NN_slug.ipynb, by nbgrader generate_assignment), with the nbgrader course and the
nbgrader_config.py that nbgrader's exchange commands read.
"""

import json
import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlparse

import nbformat

from grader import questions
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


# ----------------------------------------------------------------------------- students anywhere
# Colab, Binder, a Python without the course: every student notebook opens with links to Colab and
# Binder and with a code cell that installs coursekit when it is missing (and does nothing where it
# is installed: a local student, the grader's sandbox). Where they point: student/pyproject.toml.

INSTALL_CELL_ID = "install-coursekit"  # a fixed id: releasing twice writes the same notebook
INSTALL_CELL = """\
# Colab, Binder or a Python without the course's package: this cell installs `coursekit` (with numpy,
# matplotlib, ipywidgets and tqdm when they are missing). Where coursekit is installed, it does nothing.
try:
    import coursekit
except ImportError:
    import importlib
    import subprocess
    import sys

    sources = [  # tried in turn: the course's wheel, then the same package from PyPI
{sources}
    ]
    for source in sources:
        command = [sys.executable, "-m", "pip", "install", "--quiet", source]
        pip = subprocess.run(command, capture_output=True, text=True)
        print(f"pip install {{source}}:", "done" if pip.returncode == 0 else pip.stderr.strip()[-1500:])
        if pip.returncode == 0:
            break
    else:
        raise ImportError("coursekit could not be installed (pip's messages are above); see the course's README")
    importlib.invalidate_caches()
    import coursekit
"""
LINKS_LINE = "*In the browser:* [Open in Colab]({colab}) · [Open in Binder]({binder})"


@dataclass(frozen=True)
class StudentLinks:
    """The course's GitHub repository and branch (Colab and Binder open the notebooks there) and what the
    install cell hands pip, in turn until one works: the wheel's URL, then the package's name on PyPI."""

    repository: str
    branch: str
    install_sources: tuple

    def __post_init__(self):
        parts = urlparse(self.repository)
        if parts.netloc != "github.com" or len(parts.path.strip("/").split("/")) != 2:
            raise ValueError(f"{self.repository!r}: Colab and Binder open notebooks from https://github.com/OWNER/REPO")

    @property
    def github(self):
        return urlparse(self.repository).path.strip("/")

    def colab(self, slug):
        return f"https://colab.research.google.com/github/{self.github}/blob/{self.branch}/notebooks/{slug}.ipynb"

    def binder(self, slug):
        notebook = quote(f"notebooks/{slug}.ipynb", safe="")
        return f"https://mybinder.org/v2/gh/{self.github}/{self.branch}?labpath={notebook}"


def student_links(repository=None, wheel_url=None):
    """StudentLinks from student/pyproject.toml ([project.urls] Repository, [tool.course-release]);
    repository and wheel_url replace the file's (wheel_url: any URL pip installs, file:// too)."""
    from grader import student_package

    config = tomllib.loads((student_package.STUDENT / "pyproject.toml").read_text(encoding="utf-8"))
    project, release_config = config["project"], config["tool"]["course-release"]
    repository = (repository or project["urls"]["Repository"]).rstrip("/")
    wheel_url = wheel_url or release_config["wheel-url"].format(
        repository=repository, version=project["version"], wheel=student_package.wheel_name()
    )
    return StudentLinks(repository, release_config["branch"], (wheel_url, f"{project['name']}=={project['version']}"))


def install_cell_source(links):
    return INSTALL_CELL.format(sources="\n".join(f"        {json.dumps(source)}," for source in links.install_sources))


def for_students_anywhere(notebook, slug, links):
    """The Colab and Binder links under the title of the first markdown cell, and the install cell as the
    first code cell (just before the notebook's first code cell)."""
    title = next(cell for cell in notebook.cells if cell.cell_type == "markdown")
    head, _, rest = title.source.partition("\n")
    line = LINKS_LINE.format(colab=links.colab(slug), binder=links.binder(slug))
    title.source = f"{head}\n\n{line}\n{rest}" if rest else f"{head}\n\n{line}"
    first_code = next((i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"), len(notebook.cells))
    cell = nbformat.v4.new_code_cell(install_cell_source(links), id=INSTALL_CELL_ID)
    notebook.cells.insert(first_code, cell)
    return notebook


def graded_cells(slug):
    """A lesson's cells with points, as its gradebook entry must hold them (what a release records)."""
    return json.dumps([[cell.grade_id, cell.points] for cell in point_cells(slug)])


def released_cells_path(course_dir, slug):
    return Path(course_dir) / "graded-cells" / f"{slug}.json"  # not in release/: nbgrader ships that folder


def released_cells(course_dir, slug):
    """graded_cells of a lesson when the course last released it; None when it was not released (or by a
    grader that did not keep this record)."""
    try:
        return released_cells_path(course_dir, slug).read_text(encoding="utf-8")
    except OSError:
        return None


def release(course_dir=BUILD / "course", notebooks_dir=NOTEBOOKS, slugs=None, course_id=COURSE_ID, exchange_root=None,
            db_url=None, links=None):
    """Build the nbgrader course (sources, gradebook, release, nbgrader_config.py) and the student notebooks.

    exchange_root is the folder nbgrader's exchange shares with the students (default: the course's
    exchange/); nbgrader creates it on first use. links (StudentLinks, default student_links()) fill
    the student notebooks' Colab and Binder links and their install cell."""
    slugs = slugs or lesson_slugs()
    links = links or student_links()
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
        nbformat.write(questions.with_answer_stubs(released, slug), course_dir / "release" / slug / f"{slug}.ipynb")
        Path(notebooks_dir).mkdir(parents=True, exist_ok=True)
        student = for_students_anywhere(normalized_release(released, slug), slug, links)
        nbformat.write(student, Path(notebooks_dir) / f"{slug}.ipynb")
        released_cells_path(course_dir, slug).parent.mkdir(exist_ok=True)
        released_cells_path(course_dir, slug).write_text(graded_cells(slug), encoding="utf-8")
    return course_dir
