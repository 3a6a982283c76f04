"""Two-dimensional loss surfaces for watching optimizers move.

A surface has `loss(w1, w2)` (works on grids) and `grad(w1, w2) -> (dw1, dw2)`. A point is
run through any Optimizer as a parameter dict with the course's keys: {"W1": [[w1], [w2]],
"b1": [[0], [0]]}, a layer of two units whose bias the loss ignores (its gradient is always 0),
so that an optimizer written as a loop over the layers W1, b1, ... runs on it too.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np


class Surface(NamedTuple):
    name: str
    loss: Callable
    grad: Callable


def elongated_quadratic(a=1.0, b=20.0):
    """0.5 * (a w1^2 + b w2^2): an ill-conditioned bowl (condition number b/a)."""
    return Surface(
        "elongated bowl",
        lambda w1, w2: 0.5 * (a * w1**2 + b * w2**2),
        lambda w1, w2: (a * w1, b * w2),
    )


def saddle():
    """w1^2 + w2^4/4 - w2^2/2: a saddle at the origin, minima at (0, +-1)."""
    return Surface(
        "saddle",
        lambda w1, w2: w1**2 + w2**4 / 4 - w2**2 / 2,
        lambda w1, w2: (2 * w1, w2**3 - w2),
    )


def plateau(width=1.0):
    """1 - exp(-(w1^2 + w2^2) / width^2): almost flat far from the minimum at the origin."""

    def loss(w1, w2):
        return 1 - np.exp(-(w1**2 + w2**2) / width**2)

    def grad(w1, w2):
        factor = 2 * np.exp(-(w1**2 + w2**2) / width**2) / width**2
        return factor * w1, factor * w2

    return Surface("plateau", loss, grad)


def run_on_surface(optimizer, surface, start, *, learning_rate, steps):
    """Positions visited from `start` over `steps` updates: array (steps + 1, 2)."""
    parameters = {"W1": np.asarray(start, dtype=float).reshape(2, 1), "b1": np.zeros((2, 1))}
    state = optimizer.init(parameters)
    path = [parameters["W1"][:, 0].copy()]
    for t in range(1, steps + 1):
        dw1, dw2 = surface.grad(*parameters["W1"][:, 0])
        grads = {"dW1": np.array([[dw1], [dw2]], dtype=float), "db1": np.zeros((2, 1))}
        parameters, state = optimizer.step(parameters, grads, state, t, learning_rate)
        path.append(parameters["W1"][:, 0].copy())
    return np.array(path)
