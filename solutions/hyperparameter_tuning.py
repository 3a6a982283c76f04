# Generated from lessons/07_hyperparameter_tuning.py by `make solutions`: do not edit; edit the lesson.
"""Lesson 07 — Hyperparameter tuning: the reference answers."""

import numpy as np


def sample_log_uniform(low, high, size, rng):
    """Sample values whose log10 is uniform on [log10(low), log10(high)]: rule (1) (lesson 07).

    low, high: floats, 0 < low < high. size: None for one float, an int or a shape for an array
    of that shape. rng: a numpy.random.Generator, used for exactly one rng.uniform call (with this
    size) that draws the exponents. Returns values in [low, high]; nothing else is drawn.
    """
    return 10 ** rng.uniform(np.log10(low), np.log10(high), size)


def sample_beta(low, high, size, rng):
    """Sample averaging betas in [low, high] so that 1 - beta is log-uniform: rule (2) (lesson 07).

    low, high: floats, 0 <= low < high < 1. size, rng: as in sample_log_uniform (exactly one
    rng.uniform call with this size draws the exponents, lower bound first). Returns beta (not
    1 - beta), in [low, high].
    """
    return 1 - 10 ** rng.uniform(np.log10(1 - high), np.log10(1 - low), size)


def random_search(objective, space, n_trials, rng):
    """Random search (lesson 07): n_trials draws from `space`, best (lowest score) first.

    space: {name: (kind, low, high)}, kind in "log", "beta", "uniform", "int"; each trial
    draws every name in `space` order, then calls objective(params) -> float.
    Returns [(params, score), ...] sorted by score, ties kept in trial order.
    """
    def draw(kind, low, high):
        if kind == "log":
            return sample_log_uniform(low, high, None, rng)
        if kind == "beta":
            return sample_beta(low, high, None, rng)
        if kind == "uniform":
            return rng.uniform(low, high)
        if kind == "int":
            return int(rng.integers(low, high + 1))
        raise ValueError(f"unknown kind {kind!r}: use 'log', 'beta', 'uniform' or 'int'")

    trials = []
    for _ in range(n_trials):
        params = {name: draw(kind, low, high) for name, (kind, low, high) in space.items()}
        trials.append((params, float(objective(params))))
    return sorted(trials, key=lambda trial: trial[1])


def refine_space(trials, space, top_k=5):
    """Coarse to fine (lesson 07): shrink each range to the top_k best trials.

    trials: [(params, score), ...] best first (as random_search returns them).
    Returns {name: (kind, min over the top_k, max over the top_k)}; kinds are kept.
    """
    best = trials[:top_k]
    return {
        name: (kind, min(params[name] for params, _ in best), max(params[name] for params, _ in best))
        for name, (kind, _, _) in space.items()
    }
