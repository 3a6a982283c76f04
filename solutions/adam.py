# Generated from lessons/05_adam.py by `make solutions`: do not edit; edit the lesson.
"""Lesson 05 — Adam: the reference answers."""

import numpy as np


def init_adam(parameters):
    """Zero first and second moments for every parameter (lesson 05).

    parameters: dict "W1" (n1, n0), "b1" (n1, 1), ... for any number of layers.
    Returns (v, s): two independent new dicts "dW1", "db1", ... of zeros, each entry shaped like the
    matching parameter; v and s share no array.
    """
    v = {"d" + key: np.zeros_like(value) for key, value in parameters.items()}
    s = {"d" + key: np.zeros_like(value) for key, value in parameters.items()}
    return v, s


def adam_update(parameters, grads, v, s, t, *, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """One step of Adam (lesson 05): equations (1)-(4) of section 1, for every parameter.

    parameters: dict "W1" (n1, n0), "b1" (n1, 1), ...; grads, v, s: dicts "dW1", "db1", ..., each entry
    shaped like the matching parameter. t: the 1-based number of this update (the first call gets t=1).
    learning_rate, beta1, beta2, epsilon: floats (epsilon outside the square root).
    Returns (parameters, v, s): new dicts, the parameters after the step and the uncorrected moments
    (the state the next update starts from); the arguments are not modified.
    """
    new_v = {key: beta1 * v[key] + (1 - beta1) * grads[key] for key in v}
    new_s = {key: beta2 * s[key] + (1 - beta2) * grads[key] ** 2 for key in s}
    new_parameters = {}
    for key, value in parameters.items():
        v_hat = new_v["d" + key] / (1 - beta1**t)
        s_hat = new_s["d" + key] / (1 - beta2**t)
        new_parameters[key] = value - learning_rate * v_hat / (np.sqrt(s_hat) + epsilon)
    return new_parameters, new_v, new_s
