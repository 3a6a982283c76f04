"""The course as a website: `make book` (python -m grader.book) builds build/book/, a static HTML
site of the lessons, with Sphinx, MyST-NB and the book theme (the engine of Jupyter Book 1).

1. Each lesson's instructor notebook (grader.course.read_lesson: solutions and test cells) runs
   top to bottom in a kernel (run_notebook), two lessons at a time, with earlier lessons'
   functions from `solutions`: every figure on the site comes from a run of the reference answers.
2. student_page() turns each executed notebook into what a student is handed: every solution
   cell reads as in the lesson's student notebook (notebooks/, by cell id; nbgrader's own stub
   where that has no such cell), nbgrader's preprocessors drop the hidden tests and mark
   schemes, and the hidden checks' cells leave the page. Cells whose code changed and test cells
   lose their outputs (they came from code the student does not have); the experiments' figures
   stay.
3. Sphinx builds the pages from these notebooks without executing anything (book/conf.py), and
   MathJax is copied next to them from a PyPI package (django-static-mathjax): the site loads no
   file from anywhere but itself, and building it needs no network.
"""

import argparse
import copy
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat

from coursekit import grade_ids
from grader.course import BUILD, NOTEBOOKS, ROOT, lesson_slugs

BOOK = ROOT / "book"  # conf.py, the landing page, the stylesheet
SITE = BUILD / "book"  # the built site: open build/book/index.html

# The kernel draws figures into the notebook (with Agg, plt.show() would leave nothing to keep).
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
# Outputs a static page cannot show: a widget needs a running kernel (the lesson draws its default
# figure in the cell before, and says so).
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# What of MathJax's es5 folder the site needs: the TeX-to-HTML component, the extensions and fonts
# it loads on demand, the menu and its accessibility and speech parts (loaded when a reader asks).
WORK_MARK = ".book-source"  # marks the folder of the student notebooks that a build may replace
MATHJAX_PARTS = ("tex-chtml.js", "input", "output", "ui", "a11y", "sre", "adaptors")


# ----------------------------------------------------------------------------- 1. execute


def run_notebook(notebook, *, timeout=120):
    """Run every cell of the notebook in a fresh kernel (in place); None, or the error text of the
    first failing cell. As grader.execute.execute_notebook, with figures drawn into the notebook
    and without nbclient's stand-in for the Output widget: that stand-in sends on the kernel's shell
    channel while nbclient waits there for the cell's reply, and the reply is then sometimes seen
    only when the cell's timeout runs out (nbclient issue 312: lesson 02's slider cell took
    `timeout` seconds instead of 0.4 in about one run in five). Without it, what the widget would
    show arrives as the cell's own outputs, which student_page drops with the widget."""
    from nbclient import NotebookClient

    env = {**os.environ, "COURSE_EARLIER": "solutions", "MPLBACKEND": INLINE_BACKEND, "OPENBLAS_NUM_THREADS": "1"}
    with tempfile.TemporaryDirectory(prefix="book-lesson-") as cwd:
        client = NotebookClient(notebook, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": cwd}})
        client.widget_registry = {}
        try:
            client.execute(env=env)
        except Exception:  # nbclient raises CellExecutionError and timeouts
            return traceback.format_exc(limit=0)[-3000:]
    return None


def _execute_lesson(slug, timeout):
    """(slug, executed notebook as JSON text, error or None, seconds); runs in a worker process."""
    from grader.course import read_lesson

    start = time.perf_counter()
    try:
        notebook = read_lesson(slug)
    except Exception as error:  # a lesson source that does not read: reported with the others
        return slug, None, f"{type(error).__name__}: {error}", time.perf_counter() - start
    error = run_notebook(notebook, timeout=timeout)
    return slug, nbformat.writes(notebook), error, time.perf_counter() - start


def executed_lessons(slugs, *, jobs=2, timeout=120, log=print):
    """{slug: the instructor notebook of the lesson, executed}, `jobs` lessons at a time.
    Raises RuntimeError naming every lesson that failed, with its error."""
    notebooks, errors = {}, []
    context = multiprocessing.get_context("spawn")  # fresh workers: no state of the caller's process
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = [pool.submit(_execute_lesson, slug, timeout) for slug in slugs]
        for future in futures:
            slug, text, error, seconds = future.result()
            if error:
                errors.append(f"{slug}:\n{error}")
            else:
                notebooks[slug] = nbformat.reads(text, as_version=4)
                log(f"  executed {slug} in {seconds:.1f} s")
    if errors:
        raise RuntimeError("lessons failed to run, the site is not built:\n" + "\n\n".join(errors))
    return notebooks


# ----------------------------------------------------------------------------- 2. the student version


def _nbgrader_student_sources(notebook):
    """The notebook with nbgrader's release preprocessors applied to the cells' sources: the same
    stubs, hidden-test removal and mark-scheme removal as `generate_assignment`."""
    from nbgrader.preprocessors import ClearHiddenTests, ClearMarkScheme, ClearSolutions

    resources = {}
    for preprocessor in (ClearSolutions(), ClearHiddenTests(), ClearMarkScheme()):
        notebook, resources = preprocessor.preprocess(notebook, resources)
    return notebook


def _static_outputs(outputs):
    """The outputs a static page can show: none of a cell that shows a widget (it needs a kernel
    behind the page; what it draws at first, the lesson draws in the cell before)."""
    if any(WIDGET_VIEW in output.get("data", {}) for output in outputs):
        return []
    return outputs


def released_notebook(slug):
    """The student notebook that `make notebooks` wrote for the lesson, or None."""
    path = NOTEBOOKS / f"{slug}.ipynb"
    return nbformat.read(path, as_version=4) if path.is_file() else None


def student_page(executed, released=None):
    """The student version of an executed instructor notebook, for the site (a new notebook).

    A solution cell reads as in `released` (the student notebook of the lesson, matched by cell
    id: the stubs students get, whatever the release writes), else as nbgrader's preprocessors
    leave it."""
    stubs = {  # by cell id and grade id: a released notebook older than the lesson never mixes cells up
        (cell.id, cell.metadata["nbgrader"].get("grade_id")): cell.source
        for cell in (released.cells if released is not None else [])
        if cell.metadata.get("nbgrader", {}).get("solution")
    }
    original = [cell.source for cell in executed.cells]
    notebook = _nbgrader_student_sources(copy.deepcopy(executed))
    cells = []
    for cell, source in zip(notebook.cells, original, strict=True):
        nbgrader = cell.metadata.get("nbgrader", {})
        if grade_ids.is_hidden(nbgrader.get("grade_id", "")):
            continue  # the hidden checks' cell: on a page it would only say that the grader runs more
        if nbgrader.get("solution") and (cell.get("id"), nbgrader.get("grade_id")) in stubs:
            cell.source = stubs[cell.id, nbgrader.get("grade_id")]
        if cell.cell_type == "code":
            if cell.source != source or "points" in nbgrader:
                # an answer or hidden test was taken out, or a check ran on the reference answers:
                # the outputs came from code the student does not have
                cell.outputs, cell.execution_count = [], None
            if not cell.source.strip():
                continue
            cell.outputs = _static_outputs(cell.outputs)
        cells.append(cell)
    notebook.cells = cells
    notebook.metadata.pop("widgets", None)  # widget state: MyST-NB would load widget scripts for it
    return notebook


# ----------------------------------------------------------------------------- 3. the site


def mathjax_source():
    """MathJax 3's browser files (es5/) as installed by the django-static-mathjax package."""
    import mathjax  # the django-static-mathjax package: MathJax's files and no Python code

    folder = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    if not (folder / "tex-chtml.js").is_file():
        raise FileNotFoundError(f"MathJax's tex-chtml.js is not in {folder}: reinstall django-static-mathjax")
    return folder


def copy_mathjax(static_dir):
    """MathJax into <site>/_static/mathjax/ (book/conf.py's mathjax_path points there), with its licence."""
    source, target = mathjax_source(), Path(static_dir) / "mathjax"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for part in MATHJAX_PARTS:
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part)
        else:
            shutil.copy2(source / part, target / part)
    licences = list(source.parents[2].parent.glob("django_static_mathjax-*.dist-info/LICENSE*"))
    if licences:
        shutil.copy2(licences[0], target / "LICENSE")
    return target


def check_replaceable(path, mark):
    """A folder that a build may replace: missing, empty, or holding `mark` (a file that an earlier
    build wrote there), so that a mistyped --out never deletes anything else."""
    path = Path(path)
    if path.exists() and any(path.iterdir()) and not (path / mark).is_file():
        raise RuntimeError(f"{path} is not empty and holds no {mark} of an earlier build: not replacing it")
    return path


def fresh_folder(path, mark):
    """An empty folder at path, in place of an earlier build's (check_replaceable)."""
    path = check_replaceable(path, mark)
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def write_sources(notebooks, source_dir):
    """The Sphinx source folder: book/'s pages and one student notebook per lesson."""
    source_dir = fresh_folder(source_dir, WORK_MARK)
    (source_dir / WORK_MARK).write_text("the student notebooks of the site, written by python -m grader.book\n")
    for page in BOOK.glob("*.md"):
        shutil.copy2(page, source_dir / page.name)
    for slug, executed in notebooks.items():
        nbformat.write(student_page(executed, released_notebook(slug)), source_dir / f"{slug}.ipynb")
    return source_dir


def sphinx_build(source_dir, site, doctrees):
    """Sphinx's HTML builder on source_dir with book/conf.py; raises when it fails."""
    from sphinx.cmd.build import build_main

    fresh_folder(site, ".buildinfo")  # Sphinx's own file in every HTML build
    shutil.rmtree(doctrees, ignore_errors=True)
    status = build_main(["-b", "html", "-q", "-c", str(BOOK), "-d", str(doctrees), str(source_dir), str(site)])
    if status != 0:
        raise RuntimeError(f"sphinx-build failed ({status}); its messages are above")
    return Path(site)


def build(site=SITE, *, slugs=None, jobs=2, timeout=120, log=print):
    """Execute the lessons, write their student pages and build the site; returns its index.html
    and the seconds spent executing and building."""
    slugs = list(slugs or lesson_slugs())
    work = Path(site).parent / f"{Path(site).name}-work"  # build/book-work beside build/book
    check_replaceable(site, ".buildinfo")  # before the lessons run, not after
    check_replaceable(work / "source", WORK_MARK)
    start = time.perf_counter()
    log(f"book: executing {len(slugs)} lessons, {jobs} at a time ...")
    notebooks = executed_lessons(slugs, jobs=jobs, timeout=timeout, log=log)
    executed = time.perf_counter()
    source_dir = write_sources(notebooks, work / "source")
    log("book: building the pages with Sphinx ...")
    sphinx_build(source_dir, site, work / "doctrees")
    done = time.perf_counter()
    return Path(site) / "index.html", executed - start, done - executed


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m grader.book", description=__doc__.split("\n\n")[0])
    parser.add_argument("--lessons", nargs="*", help="slugs of the lessons to include (default: all)")
    parser.add_argument("--out", type=Path, default=SITE, help=f"the site's folder (default: {SITE})")
    parser.add_argument("--jobs", type=int, default=2, help="lessons executed at a time (default: 2)")
    parser.add_argument("--timeout", type=int, default=120, help="seconds a cell may run (default: 120)")
    args = parser.parse_args(argv)
    try:
        index, run_s, build_s = build(args.out, slugs=args.lessons, jobs=args.jobs, timeout=args.timeout)
    except RuntimeError as error:
        print(f"book: {error}", file=sys.stderr)
        return 1
    print(f"book: executed in {run_s:.1f} s, built in {build_s:.1f} s: {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
