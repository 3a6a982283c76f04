"""Twins: `test_<function>` is judged on fresh copies of the visible cases whose expected
outputs are never shipped, so a function that looks its inputs up in
coursekit/data/visible_checks.json scores nothing (see grader.casebook.twin)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from coursekit.checking import VISIBLE_CHECKS, describe_difference, load_visible_checks, probe
from coursekit.plain import from_plain, to_plain
from grader import casebook
from grader.hidden import check_hidden

ROOT = Path(__file__).resolve().parents[1]
FUNCTIONS = sorted(casebook.function_index())


def visible_cases(function):
    lesson = casebook.lessons()[casebook.function_index()[function]]
    return [case for case in lesson.CASES if case.function == function and case.visible]


def run(function, case):
    """The report of `function` called on the case, as the grader probes it."""
    plain = casebook.plain_case(case)
    return probe(function, plain["args"], plain["kwargs"])


def structure(value, shapes=True):
    """A value without its numbers: container types, dict keys, dtypes and (if `shapes`) shapes."""
    if type(value) is np.ndarray:
        return ("array", value.dtype.str, value.shape if shapes else value.ndim)
    if type(value) in (tuple, list):
        return (type(value).__name__, [structure(item, shapes) for item in value])
    if type(value) is dict:
        return ("dict", [(key, structure(item, shapes)) for key, item in value.items()])
    return type(value).__name__


def lookup_of_shipped_checks(function):
    """A 'solution' that is only a table: the shipped output for a shipped input, else it raises."""
    entries = load_visible_checks()[function]

    def looked_up(*args, **kwargs):
        for entry in entries:
            if to_plain(args) == entry["case"]["args"] and to_plain(kwargs) == entry["case"]["kwargs"]:
                return from_plain(entry["expected"]["output"])
        raise KeyError("not one of the shipped inputs")

    return looked_up


@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_visible_case_has_a_twin_of_the_same_kind_with_other_values(function):
    for case in visible_cases(function):
        twin = casebook.twin(case)
        assert twin is not case and not twin.visible
        assert (twin.function, twin.name, twin.tolerance, twin.compared_keys) == (
            case.function, case.name, case.tolerance, case.compared_keys)
        # A declared twin may change shapes where the output depends on nothing else (layer widths
        # for init_*, the length of a constant series); a generic twin keeps them.
        same_shapes = case.name not in casebook.declared_twins(function)
        assert structure((twin.args, twin.kwargs), same_shapes) == structure((case.args, case.kwargs), same_shapes)
        original, fresh = casebook.plain_case(case), casebook.plain_case(twin)
        assert (fresh["args"], fresh["kwargs"]) != (original["args"], original["kwargs"]), case.name


@pytest.mark.parametrize("function", FUNCTIONS)
def test_the_expected_output_of_a_twin_is_not_the_shipped_one(function):
    for case in visible_cases(function):
        shipped = casebook.expectations(case)[1]["output"]
        expected = casebook.expectations(casebook.twin(case))[1]["output"]
        assert describe_difference(expected, shipped, "result") is not None, case.name


@pytest.mark.parametrize("function", FUNCTIONS)
def test_the_reference_passes_every_twin(function):
    for twin in casebook.cases_for(f"test_{function}"):
        assert casebook.judge_report(twin, run(casebook.reference(function), twin)) == [], twin.name


@pytest.mark.parametrize("function", FUNCTIONS)
def test_a_mistake_caught_on_a_visible_case_is_caught_and_named_on_its_twin(function):
    for case in visible_cases(function):
        twin = casebook.twin(case)
        for mistake in casebook.mistakes_for(function):
            on_original = casebook.judge_report(case, run(mistake.implementation, case))
            on_twin = casebook.judge_report(twin, run(mistake.implementation, twin))
            assert on_twin or not on_original, (case.name, mistake.message)
            if any(mistake.message in problem for problem in on_original):
                assert any(mistake.message in problem for problem in on_twin), (case.name, mistake.message, on_twin)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_test_cells_are_judged_on_twins_and_the_hidden_cell_probes_everything(function):
    originals = [case for case in casebook.lessons()[casebook.function_index()[function]].CASES
                 if case.function == function]
    twins = [casebook.twin(case) for case in visible_cases(function)]
    assert list(map(id, casebook.cases_for(f"test_{function}"))) == list(map(id, twins))
    # The autograder probes the hidden list and finds each case's report by its position there.
    assert list(map(id, casebook.cases_for(f"test_{function}_hidden"))) == list(map(id, originals + twins))


def test_a_lookup_of_the_shipped_checks_passes_them_but_fails_every_adam_update_twin():
    lookup = lookup_of_shipped_checks("adam_update")
    for case in visible_cases("adam_update"):
        assert casebook.judge_report(case, run(lookup, case)) == [], case.name  # what scored before
    twins = casebook.cases_for("test_adam_update")
    assert twins
    for twin in twins:
        assert casebook.judge_report(twin, run(lookup, twin)), twin.name


def test_hidden_checks_in_a_kernel_run_originals_and_twins(capsys):
    check_hidden("test_adam_update_hidden", casebook.reference("adam_update"))
    assert f"all {len(casebook.cases_for('test_adam_update_hidden'))} checks passed" in capsys.readouterr().out


def test_the_shipped_visible_checks_do_not_change():
    """The shipped file holds the original visible cases only: regenerating it changes no byte."""
    assert VISIBLE_CHECKS.read_text() == json.dumps(casebook.visible_checks(), indent=1, sort_keys=True) + "\n"


def test_twins_are_the_same_in_every_process():
    """Seeded by the case, not by Python's salted hash(): every build judges on the same twins."""
    script = (
        "import json; from grader import casebook\n"
        "print(json.dumps([casebook.plain_case(casebook.twin(c)) for lesson in casebook.lessons().values()"
        " for c in lesson.CASES if c.visible]))"
    )
    environment = {**os.environ, "PYTHONHASHSEED": "12345"}
    output = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True,
                            text=True, check=True).stdout
    here = [casebook.plain_case(casebook.twin(c)) for lesson in casebook.lessons().values()
            for c in lesson.CASES if c.visible]
    assert json.loads(output) == json.loads(json.dumps(here))
