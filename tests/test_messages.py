"""Every failed check says in words what it tested and what differs.

A difference alone ("result[0]['W1'][0, 0] is 1.57405, expected 1.56041") does not tell a
student what to fix. So a failing check either names the catalogued mistake its output equals
(" -- <message>") or carries its case's hint (" — <hint>": what the case tests, where to look),
and the judge's other problems are fixed sentences that say what is wrong (see
coursekit.checking.judge). These tests run every catalogued mistake through every check of its
function, once as the grader judges it and once as if no mistake were catalogued (a student's
own wrong version), and look at every message.
"""

from functools import cache

import pytest

from coursekit.checking import judge, load_visible_checks, probe
from grader import casebook

FUNCTIONS = sorted(casebook.function_index())

# The judge's problems that are not about the returned values; each is a sentence saying what is wrong.
CONDUCT_SENTENCES = (
    "is not implemented yet (it raises NotImplementedError)",
    "in place; return new arrays instead",
    "drew a different amount of random numbers from `rng`",
    "used numpy's global random generator; use the `rng` argument instead",
    "; return independent new dicts and arrays",
)


def every_case():
    """Every case a test cell is judged on: originals, then twins, of every graded function."""
    return [case for function in FUNCTIONS for case in casebook.cases_for(f"test_{function}_hidden")]


def report_of(implementation, case):
    plain = casebook.plain_case(case)
    return probe(implementation, plain["args"], plain["kwargs"])


def judged_without_catalogue(case, report):
    """What the judge says when the output matches no catalogued mistake: a student's own error."""
    plain, expected, _ = casebook.expectations(case)
    return judge(plain, report, expected, mistakes=())


@cache
def failures():
    """{(function, mistake index): [(case, problem as judged, problems as if uncatalogued), ...]}."""
    found = {}
    for function in FUNCTIONS:
        for index, mistake in enumerate(casebook.mistakes_for(function)):
            rows = found.setdefault((function, index), [])
            for case in casebook.cases_for(f"test_{function}_hidden"):
                report = report_of(mistake.implementation, case)
                rows.append((case, casebook.judge_report(case, report), judged_without_catalogue(case, report)))
    return found


def names_a_mistake(problem, function):
    """The problem ends with " -- " and the whole message of one of the function's catalogued mistakes."""
    _, separator, named = problem.partition(" -- ")
    return bool(separator) and named in {mistake.message for mistake in casebook.mistakes_for(function)}


def carries_the_hint(problem, case):
    return bool(case.hint) and problem.endswith(f" — {case.hint}")


def is_a_conduct_sentence(problem, case):
    """One of the judge's fixed sentences about how the function behaved, after the call's prefix."""
    after_prefix = problem.removeprefix(f"{case.function} ({case.name})").removeprefix(case.function)
    return after_prefix != problem and any(sentence in after_prefix for sentence in CONDUCT_SENTENCES)


def has_words_beyond_the_numbers(problem, case):
    """Words beyond the call prefix and "<path> is X, expected Y": a named mistake, the case's hint,
    or a sentence about conduct (mutation, random generators, aliasing, not implemented)."""
    return (
        names_a_mistake(problem, case.function)
        or carries_the_hint(problem, case)
        or is_a_conduct_sentence(problem, case)
    )


def coverage_line(pairs, what):
    """(how many of the (case, problem) pairs have words beyond the numbers, the line that says so)."""
    with_words = sum(has_words_beyond_the_numbers(problem, case) for case, problem in pairs)
    share = with_words / len(pairs) if pairs else 1.0
    line = (
        f"message coverage ({what}): {with_words}/{len(pairs)} failing checks over {len(failures())} "
        f"catalogued mistakes have words beyond the numbers ({share:.0%})"
    )
    return with_words, line


# ----------------------------------------------------------------------------- hints


@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_case_and_twin_has_a_hint(function):
    for case in casebook.cases_for(f"test_{function}_hidden"):
        assert isinstance(case.hint, str) and case.hint.strip(), (case.function, case.name)


def test_hints_keep_clear_of_the_separators_that_reports_parse():
    # grader.report counts named mistakes after " -- "; tests.csv joins a cell's problems with " | ";
    # coursekit.checking.check stops at the first problem that says "not implemented".
    for case in every_case():
        for separator in (" -- ", " | ", "not implemented"):
            assert separator not in case.hint, (case.function, case.name, separator)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_a_twin_keeps_the_hint_of_its_original(function):
    lesson = casebook.lessons()[casebook.function_index()[function]]
    for case in lesson.CASES:
        if case.function == function and case.visible:
            assert casebook.twin(case).hint == case.hint, case.name


def test_the_plain_case_carries_the_hint_to_the_judge_and_the_visible_checks():
    case = casebook.cases_for("test_momentum_update_hidden")[1]
    assert casebook.plain_case(case)["hint"] == case.hint
    def forgets_to_step(parameters, grads, v, **_):
        return {key: value.copy() for key, value in parameters.items()}, {key: x.copy() for key, x in v.items()}

    report = report_of(forgets_to_step, case)
    (problem,) = judged_without_catalogue(case, report)
    assert problem.startswith(f"momentum_update ({case.name}): result[0]") and problem.endswith(f" — {case.hint}")
    shipped = {entry["case"]["name"]: entry["case"].get("hint") for entry in load_visible_checks()["momentum_update"]}
    assert shipped[case.name] == case.hint


def test_a_named_mistake_keeps_its_own_message_without_the_hint():
    case = casebook.cases_for("test_adam_update_hidden")[0]
    mistake = casebook.mistakes_for("adam_update")[0]
    problems = casebook.judge_report(case, report_of(mistake.implementation, case))
    assert problems and all(problem.endswith(f" -- {mistake.message}") for problem in problems)
    assert not any(case.hint in problem for problem in problems)


def test_an_exception_gets_the_hint_and_an_empty_exception_message_no_dangling_colon():
    case = casebook.cases_for("test_gd_update_hidden")[0]

    def raises(*_, **__):
        raise KeyError

    (problem,) = judged_without_catalogue(case, report_of(raises, case))
    assert problem == f"gd_update ({case.name}) raised KeyError — {case.hint}"


# ----------------------------------------------------------------------------- coverage


def test_every_catalogued_mistake_is_caught_by_a_case():
    for (function, index), rows in failures().items():
        assert any(problems for _, problems, _ in rows), casebook.mistakes_for(function)[index].message


def test_every_failing_check_of_a_catalogued_mistake_has_words_beyond_the_numbers():
    pairs = [(case, problem) for rows in failures().values() for case, problems, _ in rows for problem in problems]
    with_words, line = coverage_line(pairs, "as graded")
    print(line)
    named = [
        casebook.mistakes_for(function)[index].message
        for (function, index), rows in failures().items()
        if any(casebook.mistakes_for(function)[index].message in p for _, problems, _ in rows for p in problems)
    ]
    print(f"mistakes named by their own message: {len(named)}/{len(failures())} ({len(named) / len(failures()):.0%})")
    missing = [problem for case, problem in pairs if not has_words_beyond_the_numbers(problem, case)]
    assert with_words == len(pairs), missing[:5]


def test_an_uncatalogued_mistake_still_gets_words_beyond_the_numbers():
    """The catalogue cannot hold every wrong version a student writes: judged as if none of the
    catalogued mistakes were known, each failing check still says what it tested."""
    pairs = [(case, problem) for rows in failures().values() for case, _, problems in rows for problem in problems]
    with_words, line = coverage_line(pairs, "as if uncatalogued")
    print(line)
    missing = [problem for case, problem in pairs if not has_words_beyond_the_numbers(problem, case)]
    assert with_words == len(pairs), missing[:5]
