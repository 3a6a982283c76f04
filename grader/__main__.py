"""Command line of the instructor's tools: `python -m grader COMMAND --help`."""

import argparse
import os
import sys
import time
from pathlib import Path

from grader import course, release


def cmd_release(args):
    slugs = args.lessons or course.lesson_slugs()
    links = release.student_links(args.course_url, args.wheel_url)
    release.release(args.course, args.notebooks, slugs, course_id=args.course_id, exchange_root=args.exchange,
                    links=links)
    print(f"released {len(slugs)} lessons to {args.notebooks}/ (nbgrader course in {args.course}/)")
    print(f"nbgrader's commands run in {args.course}/ use {args.course / 'nbgrader_config.py'} "
          f"(course {args.course_id}, exchange {args.exchange or args.course / 'exchange'})")


def cmd_build_checks(args):
    from coursekit.checking import VISIBLE_CHECKS
    from grader.casebook import visible_checks

    VISIBLE_CHECKS.parent.mkdir(parents=True, exist_ok=True)
    course.dump_json(visible_checks(), VISIBLE_CHECKS)
    print(f"wrote {VISIBLE_CHECKS.relative_to(course.ROOT)}")


def cmd_build_solutions(args):
    from grader.solution_modules import SOLUTIONS, write_solutions

    for name in write_solutions():
        print(f"wrote {(SOLUTIONS / name).relative_to(course.ROOT)}")


def cmd_execute(args):
    """Run lesson sources (solutions filled in) top to bottom and print each one's time."""
    from grader.execute import execute_source

    failed, total = 0, 0.0
    for slug in args.lessons or course.lesson_slugs():
        start = time.perf_counter()
        error = execute_source(slug, timeout=args.timeout)
        seconds = time.perf_counter() - start
        total += seconds
        print(f"{slug:40s} {seconds:6.1f} s  {'ok' if error is None else 'FAILED'}", flush=True)
        if error:
            failed += 1
            print(error)
    print(f"{'total':40s} {total:6.1f} s")
    return 1 if failed else 0


def cmd_compare(args):
    from grader.compare import compare, format_table

    start = time.perf_counter()
    rows = compare(args.figure, epochs=args.epochs)
    print(format_table(rows))
    print(f"figure (cost curves and decision boundaries): {args.figure}")
    print(f"total {time.perf_counter() - start:.1f} s")


def class_options(args):
    """The instructor's choices for a run, read from the command line's files."""
    from grader.autograde import ClassOptions
    from grader.lateness import LatePolicy, parse_share, read_deadlines, read_timestamps

    roster = None
    if args.roster:
        from grader.roster import read_roster

        roster = read_roster(args.roster)
    return ClassOptions(
        students=tuple(args.student or ()),
        roster=roster,
        deadlines=read_deadlines(args.deadlines) if args.deadlines else {},
        late_policy=LatePolicy(parse_share(args.late_penalty), parse_share(args.late_cap)),
        timestamps=read_timestamps(args.timestamps) if args.timestamps else {},
        reuse=not args.regrade_all,
    )


def cmd_autograde(args):
    from grader.autograde import autograde
    from grader.sandbox import Limits

    out = args.out or Path(f"grading-output/{time.strftime('%Y%m%d-%H%M%S')}")
    limits = Limits(cell_timeout=args.timeout, probe_timeout=args.timeout, memory_mb=args.memory)
    start = time.perf_counter()
    outcomes = autograde(
        args.submissions, out, jobs=args.jobs, limits=limits, slugs=args.lessons, options=class_options(args),
        course_dir=args.course, scheduler=args.scheduler, db_url=args.db_url,
    )
    graded = sum(o.row_status == "graded" for o in outcomes)
    print(
        f"{len(outcomes)} submissions, {graded} graded, {len(outcomes) - graded} with a problem, "
        f"in {time.perf_counter() - start:.1f} s"
    )
    print(f"intake: {out / 'intake.csv'}\ngrades: {out / 'grades.csv'}\ntests: {out / 'tests.csv'}")
    print(f"feedback: {out / 'feedback'}/")


def cmd_report(args):
    from grader.report import write_report

    print(f"report: {write_report(args.run_dir)}")


def cmd_grade_one(args):
    """Grade one notebook: one document on stdout (JSON with --json), logs on stderr. Exit 0 whenever a
    grade was produced, a missing or unreadable notebook included (status "missing" / "invalid notebook");
    2 for an unknown lesson, which is the caller's mistake, not the student's."""
    import contextlib
    import json

    from grader import grade_one, sandbox

    if args.lesson not in course.lesson_slugs():
        print(f"grade-one: unknown lesson {args.lesson!r} (one of: {', '.join(course.lesson_slugs())})",
              file=sys.stderr)
        return 2
    limits = sandbox.Limits(cell_timeout=args.timeout, probe_timeout=args.timeout, memory_mb=args.memory)
    with contextlib.redirect_stdout(sys.stderr):  # whatever the grading prints, stdout holds only the document
        print(f"grade-one: {args.notebook} as {args.lesson}; sandbox: {sandbox.isolation()}; limits: {limits}")
        document = grade_one.outcome_document(grade_one.grade_notebook(args.notebook, args.lesson, limits))
    print(json.dumps(document) if args.json else grade_one.as_text(document))
    return 0


def cmd_gradescope(args):
    """Build the Gradescope autograder zip of one lesson."""
    from grader.autograde import test_cells
    from grader.gradescope import build_zip

    if args.lesson not in course.lesson_slugs() or not test_cells(args.lesson):
        print(f"gradescope: {args.lesson!r} is not a lesson with graded cells", file=sys.stderr)
        return 2
    names = build_zip(args.lesson, args.out, timeout=args.timeout)
    print(f"wrote {args.out} ({len(names)} files): upload it on the assignment's Configure Autograder page")
    return 0


def cmd_export(args):
    """Write a run's grades in an LMS's gradebook import format and say what was left out."""
    from grader.export import export
    from grader.roster import read_roster
    from grader.textsafe import clean_text

    try:
        roster = read_roster(args.roster)
        report = export(args.run_dir, args.format, roster, args.out, missing_as_zero=args.missing_as_zero)
    except (OSError, ValueError) as error:
        print(f"export: {clean_text(error)}", file=sys.stderr)
        return 1
    print(f"{report.fmt}: {report.rows_written} student rows in {report.out_file}")
    if report.not_on_roster:
        print("not on the roster: " + clean_text(", ".join(map(repr, report.not_on_roster))))
    if report.ambiguous:
        print("matching several roster students, left out: " + clean_text(", ".join(map(repr, report.ambiguous))))
    if report.without_grades:
        print("on the roster without any grade: " + clean_text(", ".join(map(repr, report.without_grades))))
    for warning in report.warnings:
        print(f"warning: {clean_text(warning)}")


def cmd_demo(args):
    """Generate a sample class, grade it, report, and print the grade table."""
    import csv
    import shutil

    from grader.autograde import autograde
    from grader.release import graded_cells, released_cells
    from grader.report import write_report
    from grader.sample_class import make_class
    from grader.sandbox import Limits

    out = args.out.resolve()
    shutil.rmtree(out / "submitted", ignore_errors=True)
    demo_course = out / "graded" / "course"  # the demo's own: made again when the lessons' graded cells changed
    if demo_course.exists() and any(released_cells(demo_course, slug) != graded_cells(slug)
                                    for slug in course.lesson_slugs()):
        print("the lessons' cells with points changed since the last demo: its nbgrader course is made again")
        shutil.rmtree(demo_course)
    expected = make_class(out / "submitted")
    print(
        f"sample class: {len({e.student_id for e in expected})} students, {len(expected)} submissions "
        f"in {out / 'submitted'}"
    )
    start = time.perf_counter()
    outcomes = autograde(
        out / "submitted",
        out / "graded",
        jobs=args.jobs,
        limits=Limits(cell_timeout=args.timeout, probe_timeout=args.timeout),
    )
    seconds = time.perf_counter() - start
    report = write_report(out / "graded")
    wanted = {(e.student_id, e.assignment_id): e for e in expected}
    print(f"\n{'student':28s} {'assignment':36s} {'score':>9s}  {'status':16s} kind (expected score)")
    fair = 0
    for o in outcomes:
        e = wanted.get((o.submission.student_id, o.submission.assignment_id))
        ok = e is not None and o.score == e.score and o.status == e.status
        fair += ok
        print(
            f"{o.submission.student_id[:28]:28s} {o.submission.assignment_id:36s} {o.score:4g}/{o.max_score:<4g} "
            f"{o.status:16s} {e.kind if e else '?'} ({e.score if e else '?'}){'' if ok else '  <-- UNEXPECTED'}"
        )
    print(f"\n{fair}/{len(outcomes)} submissions got exactly the expected score and status; graded in {seconds:.1f} s")
    print(f"grades: {out / 'graded' / 'grades.csv'}\ntests: {out / 'graded' / 'tests.csv'}")
    print(f"feedback: {out / 'graded' / 'feedback'}/\nreport: {report}")
    print(f"gradebook: {out / 'graded' / 'course' / 'gradebook.db'}")
    with open(out / "graded" / "expected.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student_id", "assignment_id", "kind", "expected_score", "expected_status"])
        writer.writerows([e.student_id, e.assignment_id, e.kind, e.score, e.status] for e in expected)
    return 0 if fair == len(outcomes) else 1


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m grader", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    releasing = commands.add_parser("release", help="build the student notebooks from lessons/")
    releasing.add_argument("--lessons", nargs="*", help="lesson slugs (default: all)")
    releasing.add_argument("--course", type=Path, default=course.BUILD / "course")
    releasing.add_argument("--notebooks", type=Path, default=course.NOTEBOOKS)
    releasing.add_argument("--course-id", default=release.COURSE_ID, help="nbgrader's course id (default: %(default)s)")
    releasing.add_argument("--exchange", type=Path, help="nbgrader's exchange folder (default: COURSE/exchange)")
    releasing.add_argument("--course-url", help="the course's https://github.com/OWNER/REPO, for the notebooks' Colab "
                           "and Binder links (default: [project.urls] Repository of student/pyproject.toml)")
    releasing.add_argument("--wheel-url", help="where the notebooks' install cell gets coursekit (default: the wheel "
                           "attached to the repository's release v<version>)")
    releasing.set_defaults(run=cmd_release)

    checks = commands.add_parser("build-checks", help="regenerate coursekit/data/visible_checks.json")
    checks.set_defaults(run=cmd_build_checks)

    solutions = commands.add_parser("build-solutions", help="regenerate solutions/ from the lessons' solution cells")
    solutions.set_defaults(run=cmd_build_solutions)

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
    grade.add_argument("--timeout", type=float, default=10.0, help="CPU seconds per cell and per checked function")
    grade.add_argument("--memory", type=int, default=2048, help="MB of memory per submission, files included")
    grade.add_argument("--lessons", nargs="*", help="only these assignments")
    grade.add_argument("--student", action="append", help="only this student (repeatable); others stay as they are")
    grade.add_argument("--roster", type=Path, help="CSV student_id,name,email,lms_id,section")
    grade.add_argument("--deadlines", type=Path, help="CSV assignment_id,deadline (ISO 8601; UTC unless zoned)")
    grade.add_argument("--timestamps", type=Path, help="CSV student_id,assignment_id,submitted_at (overrides files')")
    grade.add_argument("--late-penalty", default="0%/day", help="share of the raw score lost per day started: 10%%/day")
    grade.add_argument("--late-cap", default="100%", help="the most a late submission can lose, e.g. 50%%")
    grade.add_argument("--course", type=Path, help="an nbgrader course to record in (default: OUT/course)")
    grade.add_argument("--db-url", help="nbgrader's gradebook database, e.g. postgresql://... (default: the course's)")
    grade.add_argument("--regrade-all", action="store_true", help="grade again even notebooks unchanged since graded")
    grade.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                       help="grade on this Dask cluster (workers: the course installed, bubblewrap, the same paths)")
    grade.set_defaults(run=cmd_autograde)

    report = commands.add_parser("report", help="summarize a graded run folder")
    report.add_argument("run_dir", metavar="RUN", type=Path, help="a run folder written by autograde")
    report.set_defaults(run=cmd_report)

    one = commands.add_parser("grade-one", help="grade one notebook (a submit hook's unit): one document on stdout")
    one.add_argument("notebook", type=Path)
    one.add_argument("--lesson", required=True, help="the lesson slug, e.g. 05_adam")
    one.add_argument("--json", action="store_true", help="print the JSON document (default: a short text)")
    one.add_argument("--timeout", type=float, default=10.0, help="CPU seconds per cell and per checked function")
    one.add_argument("--memory", type=int, default=2048, help="MB of memory for the submission, files included")
    one.set_defaults(run=cmd_grade_one)

    scope = commands.add_parser("gradescope", help="build a Gradescope autograder zip for one lesson")
    scope.add_argument("lesson", help="the lesson slug, e.g. 05_adam")
    scope.add_argument("--out", type=Path, default=Path("autograder.zip"))
    scope.add_argument("--timeout", type=float, default=10.0, help="CPU seconds per cell and per checked function")
    scope.set_defaults(run=cmd_gradescope)

    lms = commands.add_parser("export", help="write a run's grades for an LMS gradebook import")
    lms.add_argument("run_dir", metavar="RUN", type=Path, help="a run folder written by autograde")
    lms.add_argument("--format", required=True, choices=["canvas", "moodle", "gradescope", "csv"])
    lms.add_argument("--roster", required=True, type=Path, help="CSV student_id,name,email,lms_id,section")
    lms.add_argument("--out", required=True, type=Path, help="the CSV file to write")
    lms.add_argument("--missing-as-zero", action="store_true", help="0, not an empty cell, for work not handed in")
    lms.set_defaults(run=cmd_export)

    demo = commands.add_parser("demo", help="grade a synthetic class end to end (the README's main job)")
    demo.add_argument("--out", type=Path, default=Path("grading-output/demo"))
    demo.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    demo.add_argument("--timeout", type=float, default=3.0)
    demo.set_defaults(run=cmd_demo)

    args = parser.parse_args(argv)
    return args.run(args) or 0


if __name__ == "__main__":
    sys.exit(main())
