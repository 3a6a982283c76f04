# Generated from lessons/02_exponentially_weighted_averages.py by `make solutions`: do not edit; edit the lesson.
"""Lesson 02 — Exponentially weighted averages: the reference answers."""

import numpy as np


def ewa(theta, beta):
    """Exponentially weighted average of a 1-D series: equation (1) of section 1 (lesson 02).

    theta: (T,) float array, the series theta_1 ... theta_T (T >= 1); not modified.
    beta: float in [0, 1), the weight kept from the past.
    Returns v: a new (T,) float array with v[t-1] = v_t, the average after t values, from v_0 = 0.
    """
    theta = np.asarray(theta, dtype=float)
    v = np.empty_like(theta)
    running = 0.0
    for t, value in enumerate(theta):
        running = beta * running + (1 - beta) * value
        v[t] = running
    return v


def ewa_bias_corrected(theta, beta):
    """Bias-corrected exponentially weighted average: equation (3) of section 5 (lesson 02).

    theta: (T,) float array, the series (T >= 1); not modified. beta: float in [0, 1).
    Returns v_hat: a new (T,) float array, v_hat[t-1] = the corrected average after t values,
    made from the uncorrected v_t of `ewa` (corrected values are never fed back).
    """
    v = ewa(theta, beta)
    t = np.arange(1, v.shape[0] + 1)
    return v / (1 - beta**t)
