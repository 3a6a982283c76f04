"""Tests of solutions.hyperparameter_tuning (lesson 07)."""

import copy

import numpy as np
import pytest
from support.oracles import global_rng_unchanged

from solutions.hyperparameter_tuning import random_search, refine_space, sample_beta, sample_log_uniform

SPACE = {"lr": ("log", 1e-4, 1e-1), "beta": ("beta", 0.9, 0.999),
         "dropout": ("uniform", 0.0, 0.5), "layers": ("int", 1, 3)}


def objective(params):
    return (np.log10(params["lr"]) + 2.5) ** 2 + params["dropout"]


def recorder(calls, score=0.0):
    def record(params):
        calls.append(dict(params))
        return score
    return record


def test_sample_log_uniform_range_and_decades():
    x = sample_log_uniform(1e-4, 1.0, 40_000, np.random.default_rng(0))
    assert x.shape == (40_000,)
    assert x.min() >= 1e-4 and x.max() <= 1.0
    counts = np.histogram(np.log10(x), bins=[-4, -3, -2, -1, 0])[0] / x.size
    np.testing.assert_allclose(counts, 0.25, atol=0.02)  # each decade gets a quarter


def test_sample_log_uniform_formula_and_scalar():
    rng, twin = np.random.default_rng(5), np.random.default_rng(5)
    expected = 10 ** twin.uniform(-3, 1, 4)
    np.testing.assert_allclose(sample_log_uniform(1e-3, 10.0, 4, rng), expected, rtol=1e-12)
    assert np.ndim(sample_log_uniform(1e-3, 10.0, None, rng)) == 0


def test_sample_beta_range_and_one_minus_beta_log_uniform():
    beta = sample_beta(0.9, 0.999, 40_000, np.random.default_rng(1))
    assert beta.min() >= 0.9 and beta.max() <= 0.999
    counts = np.histogram(np.log10(1 - beta), bins=[-3, -2, -1])[0] / beta.size
    np.testing.assert_allclose(counts, 0.5, atol=0.02)  # as many in [0.99, 0.999] as in [0.9, 0.99]


def test_samplers_do_not_use_global_rng():
    rng = np.random.default_rng(0)
    assert global_rng_unchanged(lambda: sample_log_uniform(1e-3, 1.0, 10, rng))
    assert global_rng_unchanged(lambda: sample_beta(0.9, 0.99, 10, rng))
    assert global_rng_unchanged(lambda: random_search(objective, SPACE, 5, rng))


def test_random_search_draws_in_space_order():
    calls = []
    random_search(recorder(calls), SPACE, 6, np.random.default_rng(7))
    twin = np.random.default_rng(7)
    assert len(calls) == 6
    for params in calls:
        assert list(params) == list(SPACE)  # the objective receives every name
        assert params["lr"] == pytest.approx(10 ** twin.uniform(np.log10(1e-4), np.log10(1e-1)), rel=1e-14)
        assert params["beta"] == pytest.approx(1 - 10 ** twin.uniform(np.log10(1 - 0.999), np.log10(1 - 0.9)),
                                               rel=1e-14)
        assert params["dropout"] == twin.uniform(0.0, 0.5)
        assert params["layers"] == int(twin.integers(1, 4)) and isinstance(params["layers"], int)


def test_random_search_sorted_best_first():
    trials = random_search(objective, SPACE, 20, np.random.default_rng(2))
    scores = [score for _, score in trials]
    assert len(trials) == 20
    assert scores == sorted(scores)
    for params, score in trials:
        assert score == objective(params)


def test_random_search_stable_for_ties():
    calls = []
    trials = random_search(recorder(calls, score=1.0), {"x": ("uniform", 0, 1)}, 8, np.random.default_rng(3))
    assert [params for params, _ in trials] == calls


def test_random_search_int_inclusive_of_high():
    trials = random_search(lambda p: 0.0, {"n": ("int", 1, 2)}, 200, np.random.default_rng(4))
    assert {params["n"] for params, _ in trials} == {1, 2}


def test_refine_space_spans_top_k_and_keeps_kinds():
    trials = [({"lr": 1e-3, "n": 2}, 0.1), ({"lr": 1e-2, "n": 3}, 0.2),
              ({"lr": 1e-4, "n": 1}, 0.3), ({"lr": 1.0, "n": 5}, 0.4)]
    space = {"lr": ("log", 1e-5, 10.0), "n": ("int", 1, 8)}
    trials_copy, space_copy = copy.deepcopy(trials), copy.deepcopy(space)
    assert refine_space(trials, space, top_k=3) == {"lr": ("log", 1e-4, 1e-2), "n": ("int", 1, 3)}
    assert refine_space(trials, space) == {"lr": ("log", 1e-4, 1.0), "n": ("int", 1, 5)}
    assert trials == trials_copy and space == space_copy


def test_coarse_to_fine_round_trip():
    trials = random_search(objective, SPACE, 30, np.random.default_rng(6))
    fine = refine_space(trials, SPACE, top_k=5)
    assert [kind for kind, _, _ in fine.values()] == [kind for kind, _, _ in SPACE.values()]
    for name, (_, low, high) in fine.items():
        assert SPACE[name][1] <= low <= high <= SPACE[name][2]
        assert low == min(params[name] for params, _ in trials[:5])
