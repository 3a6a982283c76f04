"""Benchmark: this grader against plain sequential `nbgrader autograde` on one synthetic class.

The class holds the correct, blank and classic-mistake submissions of every lesson (the
hostile ones are left out: plain nbgrader would stall on them), `--copies` times over.
Prints the wall time of each, the seconds per notebook, the ratio, and the fixed cost of one
notebook in the sandbox (to compare with a kernel start, about 0.4-0.5 s here).

    .venv/bin/python scripts/benchmark_grading.py [--copies 2] [--jobs 2]
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from grader import course, release, sandbox
from grader.autograde import autograde
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


def plain_nbgrader(class_dir, course_dir, slugs):
    """`nbgrader autograde ASSIGNMENT --force` for each assignment, one after the other."""
    release.release(course_dir, course_dir / "student-notebooks", slugs)
    shutil.copytree(class_dir, course_dir / "submitted")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    start = time.perf_counter()
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
    return time.perf_counter() - start


def sandbox_overhead(repeats=5):
    """Median seconds to grade an empty notebook: sandbox, interpreter and runner start-up."""
    sandbox.isolation()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        sandbox.run_submission([], [])
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    slugs = course.lesson_slugs()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp = Path(tmp)
        class_dir, count = synthetic_class(tmp, args.copies)
        print(f"class: {count} notebooks over {len(slugs)} lessons")
        release.release(tmp / "ours" / "course", tmp / "ours" / "course" / "student-notebooks", slugs)  # not timed
        start = time.perf_counter()
        autograde(class_dir, tmp / "ours", jobs=args.jobs, slugs=slugs, progress=False, log=lambda *_: None)
        ours = time.perf_counter() - start
        print(f"this grader ({args.jobs} jobs): {ours:7.1f} s  {ours / count:5.2f} s per notebook", flush=True)
        plain = plain_nbgrader(class_dir, (tmp / "plain").resolve(), slugs)
        print(f"plain nbgrader autograde:  {plain:7.1f} s  {plain / count:5.2f} s per notebook")
        print(f"ratio: {plain / ours:.1f}x faster")
        print(f"overhead of one empty notebook in the sandbox ({sandbox.isolation()}): {sandbox_overhead():.2f} s")


if __name__ == "__main__":
    main()
