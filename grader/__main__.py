"""Command line of the instructor's tools: `python -m grader COMMAND --help`."""

import argparse
import os
import sys
import time
from pathlib import Path

from grader import build


def cmd_release(args):
    slugs = args.lessons or build.lesson_slugs()
    build.release(args.course, args.notebooks, slugs)
    print(f"released {len(slugs)} lessons to {args.notebooks}/ (nbgrader course in {args.course}/)")


def cmd_build_checks(args):
    from coursekit.checking import VISIBLE_CHECKS

    from grader.casebook import visible_checks

    VISIBLE_CHECKS.parent.mkdir(parents=True, exist_ok=True)
    build.dump_json(visible_checks(), VISIBLE_CHECKS)
    print(f"wrote {VISIBLE_CHECKS.relative_to(build.ROOT)}")


def cmd_execute(args):
    """Run lesson sources (solutions filled in) top to bottom and print each one's time."""
    from grader.execute import execute_source

    failed = 0
    for slug in args.lessons or build.lesson_slugs():
        start = time.perf_counter()
        error = execute_source(slug, timeout=args.timeout)
        seconds = time.perf_counter() - start
        print(f"{slug:40s} {seconds:6.1f} s  {'ok' if error is None else 'FAILED'}", flush=True)
        if error:
            failed += 1
            print(error)
    return 1 if failed else 0


def cmd_compare(args):
    from grader.compare import compare, format_table

    start = time.perf_counter()
    rows = compare(args.figure, epochs=args.epochs)
    print(format_table(rows))
    print(f"figure (cost curves and decision boundaries): {args.figure}")
    print(f"total {time.perf_counter() - start:.1f} s")


def cmd_autograde(args):
    from grader.autograde import autograde
    from grader.sandbox import Limits

    out = args.out or Path(f"grading-output/{time.strftime('%Y%m%d-%H%M%S')}")
    limits = Limits(cell_timeout=args.timeout, probe_timeout=args.timeout, memory_mb=args.memory)
    start = time.perf_counter()
    outcomes = autograde(args.submissions, out, jobs=args.jobs, limits=limits, slugs=args.lessons)
    graded = sum(o.status == "graded" for o in outcomes)
    print(f"{len(outcomes)} submissions, {graded} graded, {len(outcomes) - graded} with a problem, "
          f"in {time.perf_counter() - start:.1f} s")
    print(f"grades: {out / 'grades.csv'}\ntests: {out / 'tests.csv'}\nfeedback: {out / 'feedback'}/")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m grader", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    release = commands.add_parser("release", help="build the student notebooks from lessons/")
    release.add_argument("--lessons", nargs="*", help="lesson slugs (default: all)")
    release.add_argument("--course", type=Path, default=build.BUILD / "course")
    release.add_argument("--notebooks", type=Path, default=build.NOTEBOOKS)
    release.set_defaults(run=cmd_release)

    checks = commands.add_parser("build-checks", help="regenerate coursekit/data/visible_checks.json")
    checks.set_defaults(run=cmd_build_checks)

    execute = commands.add_parser("execute", help="run lesson sources and time them")
    execute.add_argument("--lessons", nargs="*")
    execute.add_argument("--timeout", type=int, default=120)
    execute.set_defaults(run=cmd_execute)

    compare = commands.add_parser("compare", help="train the moons network with every optimizer")
    compare.add_argument("--figure", type=Path, default=Path("artifacts/optimizer_comparison.png"))
    compare.add_argument("--epochs", type=int, default=150)
    compare.set_defaults(run=cmd_compare)

    grade = commands.add_parser("autograde", help="grade a folder of submissions in the sandbox")
    grade.add_argument("submissions", type=Path)
    grade.add_argument("--out", type=Path, help="output folder (default: grading-output/<time>)")
    grade.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    grade.add_argument("--timeout", type=float, default=10.0, help="seconds per cell and per probed function")
    grade.add_argument("--memory", type=int, default=2048, help="MB of address space per submission")
    grade.add_argument("--lessons", nargs="*", help="only these assignments")
    grade.set_defaults(run=cmd_autograde)

    args = parser.parse_args(argv)
    return args.run(args) or 0


if __name__ == "__main__":
    sys.exit(main())
