"""One interface for every update rule.

An Optimizer has `init(parameters) -> state` and
`step(parameters, grads, state, t, learning_rate) -> (parameters, state)`, where `state` is a
tuple of dicts keyed like the gradients and `t` is the 1-based number of the update. The
constructors below wrap the graded functions of lessons 01, 03, 04 and 05 (the student's or
any other implementation with the course's signatures) into that interface.
"""

from collections.abc import Callable
from typing import NamedTuple


class Optimizer(NamedTuple):
    name: str
    init: Callable
    step: Callable


def gradient_descent(gd_update):
    return Optimizer(
        "gradient descent",
        lambda parameters: (),
        lambda p, g, state, t, lr: (gd_update(p, g, learning_rate=lr), ()),
    )


def momentum(init_momentum, momentum_update, beta=0.9):
    def step(p, g, state, t, lr):
        p, v = momentum_update(p, g, state[0], learning_rate=lr, beta=beta)
        return p, (v,)

    return Optimizer("momentum", lambda parameters: (init_momentum(parameters),), step)


def rmsprop(init_rmsprop, rmsprop_update, beta2=0.999, epsilon=1e-8):
    def step(p, g, state, t, lr):
        p, s = rmsprop_update(p, g, state[0], learning_rate=lr, beta2=beta2, epsilon=epsilon)
        return p, (s,)

    return Optimizer("RMSprop", lambda parameters: (init_rmsprop(parameters),), step)


def adam(init_adam, adam_update, beta1=0.9, beta2=0.999, epsilon=1e-8):
    def step(p, g, state, t, lr):
        p, v, s = adam_update(p, g, *state, t, learning_rate=lr, beta1=beta1, beta2=beta2, epsilon=epsilon)
        return p, (v, s)

    return Optimizer("Adam", init_adam, step)
