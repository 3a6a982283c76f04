"""The check cases of every graded function, and what the reference makes of them.

Each lesson has a module in grader/cases/ named like its solutions module, defining
CASES (a list of Case) and MISTAKES (a list of Mistake). Visible cases are what the
student's notebook checks (stored with their expected outputs in
coursekit/data/visible_checks.json); the others are hidden and only the grader runs them.
The test cell `test_<function>` runs the visible cases, `test_<function>_hidden` all of them.
"""

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from coursekit.checking import judge, probe, rng_states, to_plain
from grader import cases as cases_package


@dataclass(frozen=True, eq=False)  # hashed by identity: cached expectations
class Case:
    function: str
    name: str
    args: tuple
    kwargs: dict = field(default_factory=dict)
    visible: bool = False
    tolerance: tuple | None = None
    compared_keys: tuple | None = None  # (position in the returned tuple, keys of the dict there to compare)


@dataclass(frozen=True)
class Mistake:
    """A known wrong implementation; a student output equal to its output gets `message`."""

    function: str
    message: str
    implementation: Callable


@cache
def lessons():
    """{solutions module name: cases module} for every module in grader/cases."""
    return {
        info.name: importlib.import_module(f"grader.cases.{info.name}")
        for info in pkgutil.iter_modules(cases_package.__path__)
    }


@cache
def function_index():
    """{graded function name: solutions module name}."""
    return {case.function: module for module, lesson in lessons().items() for case in lesson.CASES}


def reference(function):
    return getattr(importlib.import_module(f"solutions.{function_index()[function]}"), function)


def cases_for(grade_id):
    """Cases of a test cell: visible ones for test_<f>, all of them for test_<f>_hidden."""
    hidden = grade_id.endswith("_hidden")
    function = grade_id.removeprefix("test_").removesuffix("_hidden")
    if function not in function_index():
        raise KeyError(f"no check cases for grade_id {grade_id!r}")
    lesson = lessons()[function_index()[function]]
    return [case for case in lesson.CASES if case.function == function and (hidden or case.visible)]


def mistakes_for(function):
    lesson = lessons()[function_index()[function]]
    return [mistake for mistake in lesson.MISTAKES if mistake.function == function]


def plain_case(case):
    parameters = list(inspect.signature(reference(case.function)).parameters)
    plain = {
        "function": case.function,
        "name": case.name,
        "args": to_plain(tuple(case.args)),
        "kwargs": to_plain(dict(case.kwargs)),
        "arg_names": parameters[: len(case.args)] + list(case.kwargs),
    }
    if case.tolerance:
        plain["tolerance"] = list(case.tolerance)
    if case.compared_keys:
        plain["compared_keys"] = [case.compared_keys[0], list(case.compared_keys[1])]
    return plain


def _outcome(report):
    outcome = {"output": report["output"], "raised": report["raised"]}
    if rng_states(report):
        outcome["rng_after"] = rng_states(report)
    return outcome


@cache
def expectations(case):
    """(plain case, reference outcome, [(message, mistake outcome), ...]) of a case."""
    plain = plain_case(case)
    expected = _outcome(probe(reference(case.function), plain["args"], plain["kwargs"]))
    mistakes = [
        (mistake.message, _outcome(probe(mistake.implementation, plain["args"], plain["kwargs"])))
        for mistake in mistakes_for(case.function)
    ]
    return plain, expected, mistakes


def judge_report(case, report):
    plain, expected, mistakes = expectations(case)
    return judge(plain, report, expected, mistakes)


def visible_checks():
    """The data behind coursekit.checking.check: visible cases with expected outcomes."""
    table = {}
    for lesson in lessons().values():
        for case in lesson.CASES:
            if case.visible:
                plain, expected, mistakes = expectations(case)
                table.setdefault(case.function, []).append(
                    {"case": plain, "expected": expected, "mistakes": [list(m) for m in mistakes]}
                )
    return table
