"""Lesson 07: sample_log_uniform, sample_beta, random_search, refine_space."""

LOOPS = '''
import numpy as np


def sample_log_uniform(low, high, size, rng):
    exponents = rng.uniform(np.log10(low), np.log10(high), size)
    return 10 ** exponents


def sample_beta(low, high, size, rng):
    exponents = rng.uniform(np.log10(1 - high), np.log10(1 - low), size)
    return 1 - 10 ** exponents


def random_search(objective, space, n_trials, rng):
    trials = []
    for _ in range(n_trials):
        params = {}
        for name, (kind, low, high) in space.items():
            if kind == "log":
                params[name] = sample_log_uniform(low, high, None, rng)
            elif kind == "beta":
                params[name] = sample_beta(low, high, None, rng)
            elif kind == "uniform":
                params[name] = rng.uniform(low, high)
            elif kind == "int":
                params[name] = int(rng.integers(low, high + 1))
            else:
                raise ValueError(f"unknown kind {kind!r}")
        trials.append((params, objective(params)))
    trials.sort(key=lambda trial: trial[1])
    return trials


def refine_space(trials, space, top_k=5):
    best = trials[:top_k]
    refined = {}
    for name, (kind, _, _) in space.items():
        values = [params[name] for params, _ in best]
        refined[name] = (kind, min(values), max(values))
    return refined
'''

# math for the logarithms, keyword arguments, a table of samplers, numpy reductions.
MATH_KEYWORDS = '''
import math
import operator

import numpy as np


def sample_log_uniform(low, high, size, rng):
    return np.power(10.0, rng.uniform(low=math.log10(low), high=math.log10(high), size=size))


def sample_beta(low, high, size, rng):
    one_minus_beta = np.power(10.0, rng.uniform(low=math.log10(1 - high), high=math.log10(1 - low), size=size))
    return 1.0 - one_minus_beta


def random_search(objective, space, n_trials, rng):
    samplers = {
        "log": lambda low, high: sample_log_uniform(low, high, size=None, rng=rng),
        "beta": lambda low, high: sample_beta(low=low, high=high, size=None, rng=rng),
        "uniform": lambda low, high: rng.uniform(low, high),
        "int": lambda low, high: int(rng.integers(low, high, endpoint=True)),
    }
    trials = []
    for _ in range(n_trials):
        params = {name: samplers[kind](low, high) for name, (kind, low, high) in space.items()}
        trials.append((params, float(objective(params))))
    return sorted(trials, key=operator.itemgetter(1))


def refine_space(trials, space, top_k=5):
    top = sorted(trials, key=lambda trial: trial[1])[:top_k]
    refined = {}
    for name, (kind, _low, _high) in space.items():
        values = np.array([params[name] for params, _score in top])
        refined[name] = (kind, values.min(), values.max())
    return refined
'''

# sample_beta reuses sample_log_uniform on 1 - beta; comprehensions everywhere.
REUSE = '''
import numpy as np


def sample_log_uniform(low, high, size, rng):
    log_low, log_high = np.log10([low, high])
    return 10 ** rng.uniform(log_low, log_high, size)


def sample_beta(low, high, size, rng):
    return 1 - sample_log_uniform(1 - high, 1 - low, size, rng)


def _draw(kind, low, high, rng):
    if kind == "log":
        return sample_log_uniform(low, high, None, rng)
    if kind == "beta":
        return sample_beta(low, high, None, rng)
    if kind == "uniform":
        return rng.uniform(low, high)
    return int(rng.integers(low, high + 1))


def random_search(objective, space, n_trials, rng):
    trials = []
    for _ in range(n_trials):
        params = {name: _draw(*spec, rng) for name, spec in space.items()}
        trials.append((params, objective(params)))
    return sorted(trials, key=lambda trial: trial[1])


def refine_space(trials, space, top_k=5):
    best = [params for params, _ in trials[:top_k]]
    return {
        name: (kind, min(p[name] for p in best), max(p[name] for p in best))
        for name, (kind, *_bounds) in space.items()
    }
'''

STYLES = {"loops": LOOPS, "math_keywords": MATH_KEYWORDS, "reuse": REUSE}
