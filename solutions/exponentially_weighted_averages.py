# Generated from lessons/02_exponentially_weighted_averages.py by `make solutions`: do not edit; edit the lesson.
"""Lesson 02 — Exponentially weighted averages: the reference answers."""

import numpy as np


def ewa(theta, beta):
    """Exponentially weighted average of a 1-D series (lesson 02).

    v_0 = 0;  v_t = beta * v_{t-1} + (1 - beta) * theta_t  for t = 1..T.

    theta: (T,) series. Returns v: (T,) with v[t-1] = v_t.
    """
    theta = np.asarray(theta, dtype=float)
    v = np.empty_like(theta)
    running = 0.0
    for t, value in enumerate(theta):
        running = beta * running + (1 - beta) * value
        v[t] = running
    return v


def ewa_bias_corrected(theta, beta):
    """Bias-corrected exponentially weighted average (lesson 02).

    v_hat_t = v_t / (1 - beta**t), t = 1..T, with v_t from `ewa`.

    theta: (T,) series. Returns v_hat: (T,).
    """
    v = ewa(theta, beta)
    t = np.arange(1, v.shape[0] + 1)
    return v / (1 - beta**t)
