"""Lesson 04: init_rmsprop, rmsprop_update."""

LOOPS = '''
import numpy as np


def init_rmsprop(parameters):
    L = len(parameters) // 2
    s = {}
    for l in range(1, L + 1):
        s["dW" + str(l)] = np.zeros((parameters["W" + str(l)].shape[0], parameters["W" + str(l)].shape[1]))
        s["db" + str(l)] = np.zeros((parameters["b" + str(l)].shape[0], 1))
    return s


def rmsprop_update(parameters, grads, s, *, learning_rate, beta2=0.999, epsilon=1e-8):
    L = len(parameters) // 2
    new_parameters, new_s = {}, {}
    for l in range(1, L + 1):
        for key in ("W" + str(l), "b" + str(l)):
            g = grads["d" + key]
            new_s["d" + key] = beta2 * s["d" + key] + (1 - beta2) * np.square(g)
            new_parameters[key] = parameters[key] - learning_rate * g / (np.sqrt(new_s["d" + key]) + epsilon)
    return new_parameters, new_s
'''

COMPREHENSIONS = '''
import numpy as np


def init_rmsprop(parameters):
    return {"d" + name: np.zeros_like(value) for name, value in parameters.items()}


def rmsprop_update(parameters, grads, s, *, learning_rate, beta2=0.999, epsilon=1e-8):
    s = {key: beta2 * s[key] + (1 - beta2) * grads[key] ** 2 for key in s}
    parameters = {
        name: value - learning_rate * grads["d" + name] / (np.sqrt(s["d" + name]) + epsilon)
        for name, value in parameters.items()
    }
    return parameters, s
'''

DEEPCOPY = '''
import copy

import numpy as np


def init_rmsprop(parameters):
    s = {}
    for l in range(1, len(parameters) // 2 + 1):
        s[f"dW{l}"] = np.zeros_like(parameters[f"W{l}"])
        s[f"db{l}"] = np.zeros_like(parameters[f"b{l}"])
    return s


def rmsprop_update(parameters, grads, s, *, learning_rate, beta2=0.999, epsilon=1e-8):
    new_parameters, new_s = copy.deepcopy(parameters), copy.deepcopy(s)
    for key in new_parameters:
        g = grads["d" + key]
        new_s["d" + key] = beta2 * new_s["d" + key] + (1 - beta2) * g * g
        root = np.sqrt(new_s["d" + key])
        new_parameters[key] = new_parameters[key] - learning_rate * np.divide(g, root + epsilon)
    return new_parameters, new_s
'''

STYLES = {"loops": LOOPS, "comprehensions": COMPREHENSIONS, "deepcopy": DEEPCOPY}
