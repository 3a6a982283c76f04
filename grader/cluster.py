"""Grading a class on a Dask cluster: `python -m grader autograde SUBMISSIONS --out OUT --scheduler tcp://HOST:PORT`.

Each submission is one task, grade_one on a worker, in that worker's own sandbox. Every worker therefore
needs the course installed at the same version as this machine, bubblewrap and root, and must see the
submissions at the same paths (a shared file system); a worker that differs refuses the task, which is
recorded as a grader error rather than as a wrong grade. The outcomes come back here, to the one writer
(autograde's ClassRecord: results/, gradebook, feedback, CSVs), as each task finishes.

A worker that dies mid-task loses no submission: the scheduler runs its tasks again elsewhere (at most
`distributed.scheduler.allowed-failures` deaths per task, then KilledWorker, recorded as a grader error
and graded again by the next run). None is recorded twice: only this process writes, once a future
completes here, and once per (student, assignment).
"""

import socket
from contextlib import contextmanager

from grader import autograde, feedback, sandbox

RETRIES = 1  # a task that raised (a worker's passing trouble: no free sandbox uid, a full /tmp) runs once more
CONNECT_SECONDS = 30
FIRST_WORKER_SECONDS = 120  # a cluster with no worker would leave the run waiting without a word


class WorkerMismatch(RuntimeError):
    """A worker that would grade otherwise than this machine: its outcome is not recorded as a grade."""


def grade_on_worker(submission, limits, version, isolation):
    """The task: grade_one on a worker that grades as the client would, its outcome made fit to travel back."""
    problem = mismatch(submission, limits, version, isolation)
    if problem:
        raise WorkerMismatch(f"worker {socket.gethostname()}: {problem}")
    return travelling(autograde.grade_one(submission, limits=limits))


def mismatch(submission, limits, version, isolation):
    """Why this worker's grade could differ from the client's, or "" when it cannot."""
    if sandbox.isolation() != isolation:
        return f"its sandbox is {sandbox.isolation()!r}, the client's {isolation!r}"
    if autograde.course_version(submission.assignment_id, limits) != version:
        return "its course (lesson, grader, coursekit) is another version than the client's"
    if submission.path is not None and not submission.path.parent.is_dir():
        # read there, a missing folder would become the student's "invalid notebook"
        return f"it does not see {submission.path.parent} (the submissions must be on a shared file system)"
    return ""


def travelling(outcome):
    """The outcome with each notebook cell cut to what its feedback page reads (type, source, test cell's grade id).

    The rest of a cell's metadata is the student's own JSON, read by nothing after grading: it may be large
    (widget state, attachments) or nested too deep to pickle, which would strand the result on the worker."""
    outcome.cells = [(lean_cell(cell), run) for cell, run in outcome.cells]
    return outcome


def lean_cell(cell):
    grade_id = feedback._grade_id(cell)  # the only part of the metadata the page shows
    return {
        "type": cell.get("type") if isinstance(cell.get("type"), str) else None,
        "source": cell.get("source"),
        "metadata": {"nbgrader": {"grade": True, "grade_id": grade_id}} if grade_id else {},
    }


@contextmanager
def grading(scheduler, fresh, limits, note=print):
    """(job, future) of every job (submission, digest, version) of fresh as its task finishes on the cluster."""
    from distributed import Client, as_completed

    if not fresh:  # all reused: no reason to wait for a cluster
        yield iter(())
        return
    with Client(scheduler, timeout=CONNECT_SECONDS, set_as_default=False) as client:
        client.wait_for_workers(1, timeout=FIRST_WORKER_SECONDS)
        note(f"grading on the Dask cluster at {scheduler}: {len(client.nthreads())} workers now")
        isolation = sandbox.isolation()
        futures = {
            # pure=False: a fresh key per run, never a result another run left under the same arguments
            client.submit(grade_on_worker, job[0], limits, job[2], isolation, pure=False, retries=RETRIES): job
            for job in fresh
        }
        yield once_each(futures, as_completed(futures, loop=client.loop), note)


def once_each(futures, finished, note):
    """(job, future) of each finished future, once per (student, assignment): a second completion for the same
    student and assignment is dropped, so nothing is ever recorded twice. A cancelled future (the scheduler
    was lost) stops the run instead: recording it would put a grader error over a student's earlier grade."""
    recorded = set()
    for future in finished:
        job = futures.pop(future, None)  # dropping our hold lets the cluster forget a result once read
        if job is None:
            continue
        if future.cancelled():
            raise RuntimeError(
                f"the Dask cluster cancelled the grading ({len(futures) + 1} submissions not graded): "
                "finished results are kept; run the same command again to grade the rest"
            )
        key = (job[0].student_id, job[0].assignment_id)
        if key in recorded:
            note(f"a second result for {key!r} was not recorded")
            continue
        recorded.add(key)
        yield job, future
