# Generated from lessons/04_rmsprop.py by `make solutions`: do not edit; edit the lesson.
"""Lesson 04 — RMSprop: the reference answers."""

import numpy as np


def init_rmsprop(parameters):
    """Zero mean square for every parameter (lesson 04).

    parameters: dict "W1" (n1, n0), "b1" (n1, 1), ... for any number of layers.
    Returns s: a new dict "dW1", "db1", ... of zeros, each shaped like the matching parameter.
    """
    return {"d" + key: np.zeros_like(value) for key, value in parameters.items()}


def rmsprop_update(parameters, grads, s, *, learning_rate, beta2=0.999, epsilon=1e-8):
    """One step of RMSprop (lesson 04): equations (1) and (2) of section 1, for every parameter.

    parameters: dict "W1" (n1, n0), "b1" (n1, 1), ...; grads and s: dicts "dW1", "db1", ..., each entry
    shaped like the matching parameter. learning_rate, beta2, epsilon: floats (epsilon outside the root).
    Returns (parameters, s): new dicts, the parameters after the step and the mean squares that include
    this gradient (the step uses them); the arguments are not modified.
    """
    new_s = {key: beta2 * s[key] + (1 - beta2) * grads[key] ** 2 for key in s}
    new_parameters = {
        key: value - learning_rate * grads["d" + key] / (np.sqrt(new_s["d" + key]) + epsilon)
        for key, value in parameters.items()
    }
    return new_parameters, new_s
