"""Hidden checks run inside a kernel: used by the hidden test sections of the lesson
sources (nbgrader validate, and anyone running a source notebook). The autograder runs
the same cases, but judges them outside the student's process."""

from coursekit.checking import probe, summarize
from grader.casebook import cases_for, judge_report, plain_case


def check_hidden(grade_id, function):
    cases = cases_for(grade_id)
    problems = []
    for case in cases:
        plain = plain_case(case)
        problems += judge_report(case, probe(function, plain["args"], plain["kwargs"]))
    if problems:
        raise AssertionError(summarize(problems))
    print(f"✓ {grade_id}: all {len(cases)} checks passed.")
