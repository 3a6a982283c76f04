# Generated from lessons/03_momentum.py by `make solutions`: do not edit; edit the lesson.
"""Lesson 03 — Gradient descent with momentum: the reference answers."""

import numpy as np


def init_momentum(parameters):
    """Zero velocity for every parameter (lesson 03).

    parameters: dict "W1", "b1", ... Returns v: dict "dW1", "db1", ... of zeros shaped
    like the matching parameter.
    """
    return {"d" + key: np.zeros_like(value) for key, value in parameters.items()}


def momentum_update(parameters, grads, v, *, learning_rate, beta=0.9):
    """One step of momentum in exponentially-weighted-average form (lesson 03).

    v_dW = beta * v_dW + (1 - beta) * dW
    W = W - learning_rate * v_dW          (the same for every W_l and b_l)

    parameters: dict "W1" (n1, n0), "b1" (n1, 1), ...; grads and v: dicts "dW1", "db1", ...
    Returns (parameters, v), both new dicts; the arguments are not modified.
    """
    new_v = {key: beta * v[key] + (1 - beta) * grads[key] for key in v}
    new_parameters = {
        key: value - learning_rate * new_v["d" + key] for key, value in parameters.items()
    }
    return new_parameters, new_v
