"""Hidden checks run inside a kernel: used by the hidden test sections of the lesson
sources (nbgrader validate, and anyone running a source notebook). The autograder runs
the same cases, but judges them outside the student's process."""

from coursekit.checking import probe_case, summarize
from grader.casebook import cases_for, judge_report, plain_case


def check_hidden(grade_id, function, peers=None):
    """`peers`: the notebook's other functions that a case may use (see coursekit.checking.probe_case)."""
    cases = cases_for(grade_id)
    problems = []
    for case in cases:
        problems += judge_report(case, probe_case(function, plain_case(case), peers))
    if problems:
        raise AssertionError(summarize(problems))
    print(f"✓ {grade_id}: all {len(cases)} checks passed.")
