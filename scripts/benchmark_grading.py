"""Benchmark: this grader against plain sequential `nbgrader autograde` on one synthetic class.

The class holds the correct, blank and classic-mistake submissions of every lesson (the
hostile ones are left out: plain nbgrader would stall on them), `--copies` times over.
Prints, for each: wall seconds and core-seconds per notebook (the CPU of every process: the
grader's own, and the sandbox's as its control group counts it, or nbgrader's and its
kernels'), the ratio, the same grader with plotting imported eagerly in the sandbox (as before
lazy imports), and the fixed cost of one notebook in the sandbox.

    .venv/bin/python scripts/benchmark_grading.py [--copies 2] [--jobs 2]
"""

import argparse
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from grader import course, release, sandbox
from grader.autograde import ClassOptions, autograde
from grader.sample_class import make_class


def synthetic_class(root, copies):
    """Correct, blank and mistake submissions, `copies` students of each."""
    scratch = Path(root) / "all"
    expected = [e for e in make_class(scratch) if e.kind in ("correct", "blank") or e.kind.startswith("mistake")]
    target = Path(root) / "class"
    for copy in range(copies):
        for e in expected:
            source = scratch / e.student_id / e.assignment_id
            shutil.copytree(source, target / f"{e.student_id}-{copy}" / e.assignment_id)
    shutil.rmtree(scratch)
    return target, len(expected) * copies


def prepare_plain(class_dir, course_dir, slugs):
    """An nbgrader course with the class in submitted/ (not timed)."""
    release.release(course_dir, course_dir / "student-notebooks", slugs)
    shutil.copytree(class_dir, course_dir / "submitted")


def plain_nbgrader(course_dir, slugs):
    """`nbgrader autograde ASSIGNMENT --force` for each assignment, one after the other."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "COURSE_EARLIER": "absent"}  # as in our sandbox: earlier lessons' notebooks are not there
    for slug in slugs:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "nbgrader",
                "autograde",
                slug,
                "--force",
                f"--CourseDirectory.root={course_dir}",
                f"--CourseDirectory.db_url=sqlite:///{course_dir}/gradebook.db",
            ],
            cwd=course_dir,
            env=env,
            check=True,
            capture_output=True,
        )


def sandbox_overhead(repeats=5):
    """Median seconds to grade an empty notebook: sandbox, interpreter and runner start-up."""
    sandbox.isolation()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        sandbox.run_submission([], [])
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def cpu_of(run):
    """(wall seconds, core-seconds of this process and its children) of run(), and its result."""
    before, children, start = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN), \
        time.perf_counter()
    result = run()
    after, children_after = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(getattr(after, f) - getattr(before, f) for f in ("ru_utime", "ru_stime"))
    cpu += sum(getattr(children_after, f) - getattr(children, f) for f in ("ru_utime", "ru_stime"))
    return time.perf_counter() - start, cpu, result


def ours(class_dir, out, jobs, slugs, eager=False):
    """(wall, core-seconds) of this grader; the sandbox's CPU comes from its control groups."""
    environment = sandbox._environment
    if eager:
        sandbox._environment = lambda: {**environment(), "GRADER_EAGER_IMPORTS": "1"}
    try:
        wall, cpu, outcomes = cpu_of(
            lambda: autograde(class_dir, out, jobs=jobs, slugs=slugs, progress=False, log=lambda *_: None,
                              options=ClassOptions(reuse=False))
        )
    finally:
        sandbox._environment = environment
    sandbox_cpu = sum(o.cpu_seconds for o in outcomes)  # cgroup CPU; sandboxes are not our children
    return wall, cpu + sandbox_cpu


@contextmanager
def local_dask_cluster(workers):
    """A Dask scheduler and `workers` one-thread workers on 127.0.0.1, stopped on leaving."""
    from distributed import Client

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    python = [sys.executable, "-m"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "start_new_session": True}
    processes = [subprocess.Popen([*python, "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port",
                                   str(port), "--no-dashboard"], **quiet)]
    try:
        processes += [
            subprocess.Popen([*python, "distributed.cli.dask_worker", address, "--nworkers", "1", "--nthreads", "1",
                              "--no-dashboard"], **quiet)
            for _ in range(workers)
        ]
        with Client(address, timeout=60) as client:
            client.wait_for_workers(workers, timeout=120)
        yield address
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def dask_throughput(class_dir, root, slugs, count, workers):
    with local_dask_cluster(workers) as address:
        release.release(root / "course", root / "course" / "student-notebooks", slugs)
        start = time.perf_counter()
        autograde(class_dir, root, slugs=slugs, progress=False, log=lambda *_: None, scheduler=address,
                  options=ClassOptions(reuse=False))
        wall = time.perf_counter() - start
    print(f"Dask, {workers} worker(s) x 1 thread: {wall:7.1f} s wall, {count / wall:5.2f} notebooks per second",
          flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--dask", action="store_true", help="also the throughput on a local Dask cluster: 1, 2 workers")
    args = parser.parse_args()
    slugs = course.lesson_slugs()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp = Path(tmp)
        class_dir, count = synthetic_class(tmp, args.copies)
        print(f"class: {count} notebooks over {len(slugs)} lessons; sandbox: {sandbox.isolation()}, "
              f"{sandbox.resource_control()}")
        for name in ("ours", "eager"):  # the course made once each, not timed
            release.release(tmp / name / "course", tmp / name / "course" / "student-notebooks", slugs)
        wall, cores = ours(class_dir, tmp / "ours", args.jobs, slugs)
        print(f"this grader ({args.jobs} jobs):     {wall:7.1f} s wall, {wall / count:5.2f} s and "
              f"{cores / count:5.2f} core-s per notebook", flush=True)
        eager_wall, eager_cores = ours(class_dir, tmp / "eager", args.jobs, slugs, eager=True)
        print(f"  plotting imported eagerly: {eager_wall:7.1f} s wall, {eager_wall / count:5.2f} s and "
              f"{eager_cores / count:5.2f} core-s per notebook", flush=True)
        prepare_plain(class_dir, (tmp / "plain").resolve(), slugs)
        plain_wall, plain_cores, _ = cpu_of(lambda: plain_nbgrader((tmp / "plain").resolve(), slugs))
        print(f"plain nbgrader autograde:    {plain_wall:7.1f} s wall, {plain_wall / count:5.2f} s and "
              f"{plain_cores / count:5.2f} core-s per notebook")
        print(f"ratio: {plain_wall / wall:.1f}x faster in wall time, {plain_cores / cores:.1f}x fewer core-seconds")
        print(f"overhead of one empty notebook in the sandbox: {sandbox_overhead():.2f} s")
        if args.dask:
            for workers in (1, 2):
                dask_throughput(class_dir, tmp / f"dask-{workers}", slugs, count, workers)


if __name__ == "__main__":
    main()
