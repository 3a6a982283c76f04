"""Lesson 03: init_momentum, momentum_update."""

LOOPS = '''
import numpy as np


def init_momentum(parameters):
    L = len(parameters) // 2
    v = {}
    for l in range(1, L + 1):
        v["dW" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
        v["db" + str(l)] = np.zeros(parameters["b" + str(l)].shape)
    return v


def momentum_update(parameters, grads, v, *, learning_rate, beta=0.9):
    L = len(parameters) // 2
    new_parameters, new_v = {}, {}
    for l in range(1, L + 1):
        for name in ("W", "b"):
            key = name + str(l)
            new_v["d" + key] = beta * v["d" + key] + (1 - beta) * grads["d" + key]
            new_parameters[key] = parameters[key] - learning_rate * new_v["d" + key]
    return new_parameters, new_v
'''

COMPREHENSIONS = '''
import numpy as np


def init_momentum(parameters):
    return {f"d{key}": np.zeros_like(value) for key, value in parameters.items()}


def momentum_update(parameters, grads, v, *, learning_rate, beta=0.9):
    v = {key: beta * v[key] + (1 - beta) * grads[key] for key in grads}
    return {key: value - learning_rate * v[f"d{key}"] for key, value in parameters.items()}, v
'''

DEEPCOPY = '''
import copy

import numpy as np


def init_momentum(parameters):
    v = {}
    for key in sorted(parameters):
        v["d" + key] = np.zeros_like(parameters[key], dtype=float)
    return v


def momentum_update(parameters, grads, v, *, learning_rate, beta=0.9):
    parameters = copy.deepcopy(parameters)
    v = copy.deepcopy(v)
    for key in parameters:
        v["d" + key] *= beta
        v["d" + key] += (1 - beta) * grads["d" + key]
        parameters[key] -= learning_rate * v["d" + key]
    return parameters, v
'''

STYLES = {"loops": LOOPS, "comprehensions": COMPREHENSIONS, "deepcopy": DEEPCOPY}
