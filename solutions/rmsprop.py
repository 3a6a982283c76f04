# Generated from lessons/04_rmsprop.py by `make solutions`: do not edit; edit the lesson.
"""Lesson 04 — RMSprop: the reference answers."""

import numpy as np


def init_rmsprop(parameters):
    """Zero mean square for every parameter (lesson 04).

    parameters: dict "W1", "b1", ... Returns s: dict "dW1", "db1", ... of zeros.
    """
    return {"d" + key: np.zeros_like(value) for key, value in parameters.items()}


def rmsprop_update(parameters, grads, s, *, learning_rate, beta2=0.999, epsilon=1e-8):
    """One step of RMSprop (lesson 04).

    s_dW = beta2 * s_dW + (1 - beta2) * dW**2
    W = W - learning_rate * dW / (sqrt(s_dW) + epsilon)      (epsilon outside the root)

    parameters: dict "W1" (n1, n0), "b1" (n1, 1), ...; grads and s: dicts "dW1", "db1", ...
    Returns (parameters, s), both new dicts; the arguments are not modified.
    """
    new_s = {key: beta2 * s[key] + (1 - beta2) * grads[key] ** 2 for key in s}
    new_parameters = {
        key: value - learning_rate * grads["d" + key] / (np.sqrt(new_s["d" + key]) + epsilon)
        for key, value in parameters.items()
    }
    return new_parameters, new_s
