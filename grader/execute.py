"""Executing lesson notebooks in a Jupyter kernel (tests and timing)."""

import os
import tempfile
import traceback

from nbclient import NotebookClient

from grader.course import read_lesson


def execute_notebook(notebook, *, timeout=120, cwd=None):
    """Run every cell; returns None, or the error text of the first failing cell.

    The notebooks run here have their answers filled in but no earlier notebooks beside them, so
    the kernel's `coursekit.earlier.load` takes earlier lessons' functions from `solutions`
    (COURSE_EARLIER=solutions, unless the caller's environment says otherwise)."""
    env_cwd = cwd or tempfile.mkdtemp(prefix="lesson-")
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small matrices: BLAS threads only contend
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": env_cwd}})
    try:
        client.execute(env={"COURSE_EARLIER": "solutions", **os.environ})
    except Exception:  # nbclient raises CellExecutionError and timeouts
        return traceback.format_exc(limit=0)[-3000:]
    return None


def execute_source(slug, *, timeout=120):
    return execute_notebook(read_lesson(slug), timeout=timeout)
