"""Dependent functions are probed with stand-ins that replay values, never reference code."""

import json
import re
import types

import numpy as np
import pytest

from coursekit.checking import probe, replay_stand_in
from coursekit.plain import dumps
from grader import casebook, course
from grader.autograde import probe_plan
from solutions import softmax_regression


def test_no_probe_plan_carries_code():
    for slug in course.lesson_slugs():
        text = json.dumps(probe_plan(slug))
        assert not re.search(r"\bdef \w+\(|\blambda\b|\\n    ", text), slug


def _plan_entry(slug, function):
    return next(entry for entry in probe_plan(slug) if entry[0] == function)


def _with_globals(function, replaced):
    copy = types.FunctionType(function.__code__, {**function.__globals__, **replaced}, function.__name__,
                              function.__defaults__, function.__closure__)
    copy.__kwdefaults__ = function.__kwdefaults__
    return copy


def test_a_dependent_function_with_stand_ins_gives_exactly_the_reference_output_on_every_case():
    checked = 0
    for slug in course.lesson_slugs():
        for function, cases, stand_ins in probe_plan(slug):
            if not stand_ins:
                continue
            reference = casebook.reference(function)
            stand_in_functions = {name: replay_stand_in(name, calls) for name, calls in stand_ins.items()}
            replayed = _with_globals(reference, stand_in_functions)
            for case in cases:
                expected = probe(reference, case["args"], case["kwargs"])
                got = probe(replayed, case["args"], case["kwargs"])
                assert dumps(got["output"]) == dumps(expected["output"]), (function, case["name"])
                assert dumps(got["args_after"]) == dumps(expected["args_after"]), (function, case["name"])  # rng states
                checked += 1
    assert checked >= 20


def test_an_unspecified_call_goes_to_the_students_own_function_or_fails_in_words():
    _, _, stand_ins = _plan_entry("09_softmax_regression", "softmax_cross_entropy_backward")
    calls = stand_ins["softmax"]
    own_calls = []

    def own(Z):
        own_calls.append(Z)
        return softmax_regression.softmax(Z)

    stand_in = replay_stand_in("softmax", calls, own=own)
    Z = np.array([[1.0, 2.0], [3.0, -1.0]])
    np.testing.assert_allclose(stand_in(Z - Z.max(axis=0)), softmax_regression.softmax(Z))
    assert len(own_calls) == 1
    with pytest.raises(LookupError, match="not one the lesson's formula makes"):
        replay_stand_in("softmax", calls)(Z)
