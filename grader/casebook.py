"""The check cases of every graded function, and what the reference makes of them.

Each lesson has a module in grader/cases/ named like its solutions module, defining
CASES (a list of Case) and MISTAKES (a list of Mistake). Visible cases are what the
student's notebook checks (stored with their expected outputs in
coursekit/data/visible_checks.json); the others are hidden and only the grader runs them.

Because the visible expected outputs ship with coursekit, a function that only looks its
inputs up in that file would pass them. So the test cell `test_<function>` is judged on the
*twins* of the visible cases: the same checks, under the same names, on fresh numbers whose
expected outputs are never shipped (see `twin`). `test_<function>_hidden` is judged on every
original case, visible and hidden, and on the twins.
"""

import importlib
import inspect
import pkgutil
import types
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache, partial

import numpy as np

from coursekit import grade_ids
from coursekit.checking import call_key, judge, own_cache_call, probe, rng_states
from coursekit.plain import Rng, from_plain, to_plain
from grader import cases as cases_package


@dataclass(frozen=True, eq=False)  # holds arrays: compared by identity
class OwnCache:
    """Argument `argument_index` of a backward case, made by the student's own forward pass: output
    `output_position` of `function` called on `args` and `kwargs`. The case gives the reference
    forward's cache there too. The backward is judged on the cache its own forward made whenever
    that forward returns what the reference does on `compared_keys` (see checking.own_cache_call),
    so it may read whatever keys its forward stores."""

    function: str
    args: tuple
    compared_keys: tuple  # (position in the returned tuple, keys of the dict there to compare)
    kwargs: dict = field(default_factory=dict)
    output_position: int = 1
    argument_index: int = 1


@dataclass(frozen=True, eq=False)  # hashed by identity: cached expectations
class Case:
    function: str
    name: str
    args: tuple
    kwargs: dict = field(default_factory=dict)
    visible: bool = False
    tolerance: tuple | None = None
    compared_keys: tuple | None = None  # (position in the returned tuple, keys of the dict there to compare)
    # What the case tests and where to look when it fails; the judge appends it to a failure that
    # names no catalogued mistake, so that no message is numbers alone. Twins keep their original's.
    hint: str | None = None
    own_cache: OwnCache | None = None  # a backward case: also judged on the cache the student's forward makes


@dataclass(frozen=True)
class Mistake:
    """A known wrong implementation; a student output equal to its output gets `message`."""

    function: str
    message: str
    implementation: Callable


@dataclass(frozen=True)
class Misconception:
    """A typical wrong answer to a question: `answer` maps some of its names to the values a wrong
    reasoning gives (judged with the question's tolerance); `says` names the misconception, without
    giving the right value."""

    answer: dict
    says: str


@dataclass(frozen=True)
class Question:
    """A "predict, then check" question of a lesson (grader/questions.py): its answer cell's grade id,
    what it tests in words, known misconceptions, and the feedback for any other wrong answer."""

    grade_id: str
    what: str
    misconceptions: list = field(default_factory=list)
    hint: str = ""


@cache
def question_index():
    """{grade id of an answer cell: Question}, from the QUESTIONS lists of grader/cases."""
    index = {}
    for lesson in lessons().values():
        for question in getattr(lesson, "QUESTIONS", []):
            if question.grade_id in index:
                raise ValueError(f"question {question.grade_id} is listed twice in grader/cases")
            index[question.grade_id] = question
    return index


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
    """Cases a test cell is judged on: the twins of the visible cases for test_<f>; every
    original case (in CASES order) then those twins for test_<f>_hidden. The hidden list is
    also what the autograder probes, so it holds every case of both cells, always in this order.
    """
    hidden = grade_ids.is_hidden(grade_id)
    function = grade_ids.function_of(grade_id)
    if function not in function_index():
        raise KeyError(f"no check cases for grade_id {grade_id!r}")
    originals = [case for case in lessons()[function_index()[function]].CASES if case.function == function]
    twins = [twin(case) for case in originals if case.visible]
    return originals + twins if hidden else twins


# ----------------------------------------------------------------------------- twins


@cache  # one object per twin: expectations and the autograder's reports are keyed by case identity
def twin(case):
    """The twin of a visible case: same function, name and kind of arguments, other numbers.

    A case module declares in TWINS the twins that no generic rule can make (a precondition
    the numbers must keep, or arguments the rule leaves alone); every other twin is
    `generic_twin(case)`. Twins are not visible: their expected outputs are never shipped.
    """
    if not case.visible:
        raise ValueError(f"{case.function} ({case.name}) is hidden: only visible cases have twins")
    declared = declared_twins(case.function)
    return declared[case.name] if case.name in declared else generic_twin(case)


@cache
def declared_twins(function):
    """{case name: twin} that the function's case module declares in its optional TWINS list."""
    lesson = lessons()[function_index()[function]]
    declared = {case.name: case for case in getattr(lesson, "TWINS", ()) if case.function == function}
    visible = {case.name for case in lesson.CASES if case.function == function and case.visible}
    if declared.keys() - visible:
        raise ValueError(f"TWINS of {function} name no visible case: {sorted(declared.keys() - visible)}")
    return declared


def generic_twin(case):
    """Fresh numbers of the same kind, seeded by the case so that every build makes the same twin.

    A case with a seeded generator (Rng) gets another seed and keeps everything else: there
    the randomness is the data, and the other arguments are sizes, bounds and search spaces
    that the case name quotes. Any other case has each float array multiplied elementwise by
    factors in [0.6, 1.4], which keeps shapes, signs and zeros (second moments and variances
    stay non-negative); float arrays of only 0s and 1s (one-hot labels, initial states) and
    every other value (the scalar hyperparameters, steps and sizes the names quote, integer
    labels and epochs) are kept.
    """
    if case.own_cache:
        raise ValueError(f"{case.function} ({case.name}) takes a cache from a forward pass: declare its twin")
    rng = np.random.default_rng(zlib.crc32(f"{case.function}: {case.name}".encode()))  # not hash(): salted
    seeded = any(isinstance(leaf, Rng) for leaf in _leaves((case.args, case.kwargs)))
    fresh = partial(_reseeded if seeded else _scaled, rng=rng)
    return replace(case, args=_map_leaves(case.args, fresh), kwargs=_map_leaves(case.kwargs, fresh), visible=False)


def _leaves(value):
    if type(value) in (tuple, list):
        return [leaf for item in value for leaf in _leaves(item)]
    if type(value) is dict:
        return _leaves(list(value.values()))
    return [value]


def _map_leaves(value, change):
    """value with every leaf of its tuples, lists and dict values replaced by change(leaf)."""
    if type(value) in (tuple, list):
        return type(value)(_map_leaves(item, change) for item in value)
    if type(value) is dict:
        return {key: _map_leaves(item, change) for key, item in value.items()}
    return change(value)


def _reseeded(leaf, rng):
    # The cases' own seeds are small, so a seed drawn from [1000, 2**31) is always another one.
    return Rng(int(rng.integers(1000, 2**31))) if isinstance(leaf, Rng) else leaf


def _scaled(leaf, rng):
    if type(leaf) is not np.ndarray or leaf.dtype.kind != "f" or np.isin(leaf, (0.0, 1.0)).all():
        return leaf
    return (leaf * rng.uniform(0.6, 1.4, leaf.shape)).astype(leaf.dtype)


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
    if case.hint:
        plain["hint"] = case.hint
    if case.own_cache:
        own = case.own_cache
        plain["own_cache"] = {
            "function": own.function,
            "args": to_plain(tuple(own.args)),
            "kwargs": to_plain(dict(own.kwargs)),
            "compared_keys": [own.compared_keys[0], list(own.compared_keys[1])],
            "output_position": own.output_position,
            "argument_index": own.argument_index,
        }
    return plain


def stand_in_calls(function, dependency, plain_cases):
    """What `dependency` must answer while `function` is probed on the plain cases (see
    coursekit.checking.replay_stand_in): the calls the reference of `function` makes, recorded
    here with the reference of `dependency`. Replays carry values, never the dependency's code."""
    real = reference(dependency)
    parameters = [
        [name, None if p.default is inspect.Parameter.empty else p.default]
        for name, p in inspect.signature(real).parameters.items()
    ]
    answers = {}

    def recorder(*args, **kwargs):
        key = call_key(parameters, args, kwargs)
        output = real(*args, **kwargs)
        states = [to_plain(v) for v in (*args, *kwargs.values()) if type(v) is np.random.Generator]
        answers[key] = [key, to_plain(output), states]
        return output

    checked = reference(function)
    recording = types.FunctionType(
        checked.__code__, {**checked.__globals__, dependency: recorder}, checked.__name__, checked.__defaults__,
        checked.__closure__,
    )
    recording.__kwdefaults__ = checked.__kwdefaults__
    for case in plain_cases:
        try:
            recording(*from_plain(case["args"]), **from_plain(case["kwargs"]))
        except Exception:  # noqa: BLE001 - a case where the reference raises on purpose records nothing more
            pass
    return {"parameters": parameters, "answers": list(answers.values())}


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


@cache
def own_forward_expected(case):
    """The reference forward's plain output on the arguments of the case's own_cache, or None.
    It stays outside the sandbox: the plain case carries the arguments only."""
    if case.own_cache is None:
        return None
    own = plain_case(case)["own_cache"]
    return probe(reference(own["function"]), own["args"], own["kwargs"])["output"]


def judge_report(case, report):
    plain, expected, mistakes = expectations(case)
    plain, report = own_cache_call(plain, report, own_forward_expected(case))
    return judge(plain, report, expected, mistakes)


def visible_checks():
    """The data behind coursekit.checking.check: the original visible cases (never their twins)
    with expected outcomes."""
    table = {}
    for lesson in lessons().values():
        for case in lesson.CASES:
            if case.visible:
                plain, expected, mistakes = expectations(case)
                entry = {"case": plain, "expected": expected, "mistakes": [list(m) for m in mistakes]}
                if case.own_cache:
                    entry["own_forward"] = own_forward_expected(case)
                table.setdefault(case.function, []).append(entry)
    return table
