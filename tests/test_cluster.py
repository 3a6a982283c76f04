"""Grading on a Dask cluster (grader/cluster.py): a real scheduler and two workers on 127.0.0.1, started here
from the course's environment. The cluster's grades.csv and tests.csv are byte for byte those of a local run,
and a worker killed mid-run loses no submission and records none twice."""

import csv
import json
import os
import pickle
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import NamedTuple

import pytest

from grader import cluster, feedback
from grader.autograde import Outcome, autograde, read_cells
from grader.intake import Submission
from grader.sample_class import make_class
from grader.sandbox import Limits

LIMITS = Limits(cell_timeout=3, probe_timeout=3)
# Every kind of the sample class but its slow ones (they wait out time limits), to keep the test short, and
# hostile-output_flood, whose message counts the bytes it wrote before its CPU time ran out: that count differs
# between any two runs on a loaded machine, local or not.
SUBSET = [
    "correct-05", "blank-05", "mistake-05", "hostile-sys_exit", "hostile-os_exit", "hostile-fork_bomb",
    "hostile-always-equal", "hostile-network", "tamper-renamed", "tamper-extra-cells", "ünïcode stüdent ✓",
    "broken-invalid-json", "broken-missing", "lmsstudent_12345_678901_05_adam.ipynb",
]
DEEP = 600  # levels of a cell's metadata: json reads them, pickle cannot write them
START_SECONDS = 90


class Cluster(NamedTuple):
    address: str
    scheduler: subprocess.Popen
    workers: list  # [subprocess.Popen], each a nanny and its worker in a process group of their own


def quiet(*_):
    pass


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def deep_metadata_notebook(source, target):
    """A correct notebook whose first cell's metadata nests DEEP lists: its outcome must still travel back."""
    notebook = json.loads(source.read_text(encoding="utf-8"))
    nested = []
    for _ in range(DEEP):
        nested = [nested]
    notebook["cells"][0]["metadata"]["deep"] = nested
    target.parent.mkdir(parents=True)
    target.write_text(json.dumps(notebook), encoding="utf-8")


@pytest.fixture(scope="module")
def submitted(tmp_path_factory):
    """SUBSET of the 05_adam sample class, plus a correct notebook with deeply nested cell metadata."""
    root = tmp_path_factory.mktemp("cluster-class")
    make_class(root / "all", ["05_adam"])
    for name in SUBSET:
        source = root / "all" / name
        copy_entry = shutil.copytree if source.is_dir() else shutil.copy2
        copy_entry(source, root / "submitted" / name)
    notebook = root / "all" / "correct-05" / "05_adam" / "05_adam.ipynb"
    deep_metadata_notebook(notebook, root / "submitted" / "deep-metadata" / "05_adam" / "05_adam.ipynb")
    return root / "submitted"


@pytest.fixture(scope="module")
def local_run(submitted, tmp_path_factory):
    out = tmp_path_factory.mktemp("local") / "out"
    start = time.perf_counter()
    autograde(submitted, out, jobs=2, limits=LIMITS, slugs=["05_adam"], progress=False, log=quiet)
    print(f"\nlocal run (2 threads): {time.perf_counter() - start:.1f} s")
    return out


def stop(process):
    """Kill a process and everything in its process group, then reap it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def start(request, arguments, folder, name):
    """A dask command in its own process group, stopped when the test ends whatever happens."""
    log = open(folder / f"{name}.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", *arguments], cwd=folder, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    request.addfinalizer(lambda: (stop(process), log.close()))
    return process


@pytest.fixture
def dask_cluster(request, tmp_path):
    """A scheduler and two one-thread workers on 127.0.0.1, from this environment; returned once both registered."""
    from distributed import Client

    folder = tmp_path / "cluster"
    folder.mkdir()
    address = f"tcp://127.0.0.1:{free_port()}"
    port = address.rsplit(":", 1)[1]
    scheduler = start(
        request,
        ["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"],
        folder,
        "scheduler",
    )
    workers = [
        start(
            request,
            ["distributed.cli.dask_worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
             "--name", f"worker-{n}", "--local-directory", str(folder / f"worker-{n}")],
            folder,
            f"worker-{n}",
        )
        for n in range(2)
    ]
    with Client(address, timeout=START_SECONDS, set_as_default=False) as client:
        client.wait_for_workers(2, timeout=START_SECONDS)
    return Cluster(address, scheduler, workers)


def test_an_outcome_travels_without_the_students_metadata_and_renders_the_same(submitted):
    notebook = submitted / "deep-metadata" / "05_adam" / "05_adam.ipynb"
    outcome = Outcome(Submission("deep-metadata", "05_adam", notebook), tests=[("adam_update", 3, 3, "passed")])
    outcome.cells = [(cell, {"error": None, "output": "ok"}) for cell in read_cells(notebook)]
    page = feedback.render(outcome)
    with pytest.raises(RecursionError):
        pickle.dumps(outcome)
    travelled = pickle.loads(pickle.dumps(cluster.travelling(outcome)))
    assert feedback.render(travelled) == page
    assert any(cell["metadata"] for cell, _ in travelled.cells), "a test cell keeps its grade id"


def test_a_worker_that_would_grade_otherwise_refuses_the_task(submitted):
    from grader.autograde import course_version
    from grader.sandbox import isolation

    notebook = submitted / "correct-05" / "05_adam" / "05_adam.ipynb"
    version = course_version("05_adam", LIMITS)
    assert cluster.mismatch(Submission("a", "05_adam", notebook), LIMITS, version, isolation()) == ""
    elsewhere = Submission("a", "05_adam", Path("/nowhere/a/05_adam/05_adam.ipynb"))
    assert "shared file system" in cluster.mismatch(elsewhere, LIMITS, version, isolation())
    assert "version" in cluster.mismatch(Submission("a", "05_adam", notebook), LIMITS, "0" * 16, isolation())
    assert "sandbox" in cluster.mismatch(Submission("a", "05_adam", notebook), LIMITS, version, "another")
    with pytest.raises(cluster.WorkerMismatch):
        cluster.grade_on_worker(elsewhere, LIMITS, version, isolation())


def test_the_cluster_grades_byte_for_byte_as_a_local_run(submitted, local_run, dask_cluster, tmp_path):
    out = tmp_path / "out"
    start_time = time.perf_counter()
    outcomes = autograde(
        submitted, out, limits=LIMITS, slugs=["05_adam"], progress=False, log=quiet, scheduler=dask_cluster.address
    )
    print(f"\ncluster run (2 workers x 1 thread): {time.perf_counter() - start_time:.1f} s")
    assert len(outcomes) == len(SUBSET) + 1
    for name in ("grades.csv", "tests.csv"):
        assert (out / name).read_bytes() == (local_run / name).read_bytes(), name
    assert pages(out) == pages(local_run)


def pages(out):
    return {path.relative_to(out): path.read_bytes() for path in sorted((out / "feedback").rglob("*.html"))}


class Kill(NamedTuple):
    worker: str  # its address
    running: list  # the task keys it had when killed


def kill_a_busy_worker(cluster_, out, after, killed):
    """Once `after` results are in out/results/, kill -9 the process group of a worker that holds a task."""
    from distributed import Client

    deadline = time.monotonic() + 300
    while len(list((out / "results").glob("*/*.json"))) < after and time.monotonic() < deadline:
        time.sleep(0.05)
    with Client(cluster_.address, timeout=30, set_as_default=False) as client:
        groups = {address: os.getpgid(pid) for address, pid in client.run(os.getpid).items()}
        while time.monotonic() < deadline:
            for address, keys in client.processing().items():
                if keys:
                    stop(next(w for w in cluster_.workers if w.pid == groups[address]))
                    killed.append(Kill(address, list(keys)))
                    return
            time.sleep(0.02)


def test_a_worker_killed_mid_run_loses_no_submission_and_doubles_none(submitted, local_run, dask_cluster, tmp_path):
    out = tmp_path / "out"
    killed = []
    killer = threading.Thread(target=kill_a_busy_worker, args=(dask_cluster, out, 3, killed), daemon=True)
    killer.start()
    start_time = time.perf_counter()
    outcomes = autograde(
        submitted, out, limits=LIMITS, slugs=["05_adam"], progress=False, log=quiet, scheduler=dask_cluster.address
    )
    seconds = time.perf_counter() - start_time
    killer.join(timeout=10)
    assert killed and killed[0].running, "no worker was killed while it held a task"
    print(f"\ncluster run, {killed[0].worker} killed -9 holding {len(killed[0].running)} task(s): {seconds:.1f} s")
    keys = [(o.submission.student_id, o.submission.assignment_id) for o in outcomes]
    assert len(keys) == len(set(keys)) == len(SUBSET) + 1
    assert len(list((out / "results").glob("*/*.json"))) == len(keys)
    with open(out / "grades.csv", newline="", encoding="utf-8") as handle:
        rows = [(row["student_id"], row["assignment_id"]) for row in csv.DictReader(handle)]
    assert sorted(rows) == sorted(set(rows)) and len(rows) == len(keys)
    for name in ("grades.csv", "tests.csv"):
        assert (out / name).read_bytes() == (local_run / name).read_bytes(), name
