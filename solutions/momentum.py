# Generated from lessons/03_momentum.py by `make solutions`: do not edit; edit the lesson.
"""Lesson 03 — Gradient descent with momentum: the reference answers."""

import numpy as np


def init_momentum(parameters):
    """Zero velocity for every parameter: the start of equations (1) and (2) (lesson 03).

    parameters: dict "W1" (n1, n0), "b1" (n1, 1), ..., any number of layers; not modified.
    Returns v: a new dict "dW1", "db1", ... (the gradient keys), each a new float array of zeros
    shaped like the matching parameter.
    """
    return {"d" + key: np.zeros_like(value) for key, value in parameters.items()}


def momentum_update(parameters, grads, v, *, learning_rate, beta=0.9):
    """One step of momentum in exponentially-weighted-average form: equations (1)-(2) (lesson 03).

    parameters: dict "W1" (n1, n0), "b1" (n1, 1), ..., any number of layers.
    grads, v: dicts "dW1", "db1", ..., each shaped like its parameter (v: the velocities so far).
    learning_rate: float alpha; beta: float in [0, 1) (both keyword-only).
    The velocity is updated first, and the step uses the new velocity.
    Returns (parameters, v): the parameters after the step and the new velocities, two new dicts.
    No argument is modified.
    """
    new_v = {key: beta * v[key] + (1 - beta) * grads[key] for key in v}
    new_parameters = {
        key: value - learning_rate * new_v["d" + key] for key, value in parameters.items()
    }
    return new_parameters, new_v
