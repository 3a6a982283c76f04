"""Lesson 05: init_adam, adam_update."""

LOOPS = '''
import numpy as np


def init_adam(parameters):
    L = len(parameters) // 2
    v, s = {}, {}
    for l in range(1, L + 1):
        v["dW" + str(l)] = np.zeros_like(parameters["W" + str(l)])
        v["db" + str(l)] = np.zeros_like(parameters["b" + str(l)])
        s["dW" + str(l)] = np.zeros_like(parameters["W" + str(l)])
        s["db" + str(l)] = np.zeros_like(parameters["b" + str(l)])
    return v, s


def adam_update(parameters, grads, v, s, t, *, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    L = len(parameters) // 2
    new_parameters, new_v, new_s = {}, {}, {}
    v_corrected, s_corrected = {}, {}
    for l in range(1, L + 1):
        for p in ("W", "b"):
            key, g = "d" + p + str(l), grads["d" + p + str(l)]
            new_v[key] = beta1 * v[key] + (1 - beta1) * g
            v_corrected[key] = new_v[key] / (1 - beta1**t)
            new_s[key] = beta2 * s[key] + (1 - beta2) * np.power(g, 2)
            s_corrected[key] = new_s[key] / (1 - beta2**t)
            new_parameters[p + str(l)] = parameters[p + str(l)] - learning_rate * v_corrected[key] / (
                np.sqrt(s_corrected[key]) + epsilon)
    return new_parameters, new_v, new_s
'''

COMPREHENSIONS = '''
import numpy as np


def init_adam(parameters):
    v = {"d" + k: np.zeros_like(p) for k, p in parameters.items()}
    s = {"d" + k: np.zeros_like(p) for k, p in parameters.items()}
    return v, s


def adam_update(parameters, grads, v, s, t, *, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    v = {k: beta1 * v[k] + (1 - beta1) * g for k, g in grads.items()}
    s = {k: beta2 * s[k] + (1 - beta2) * g**2 for k, g in grads.items()}
    step = {k: (v[k] / (1 - beta1**t)) / (np.sqrt(s[k] / (1 - beta2**t)) + epsilon) for k in grads}
    return {k: p - learning_rate * step["d" + k] for k, p in parameters.items()}, v, s
'''

DEEPCOPY_MATH = '''
import copy
import math

import numpy as np


def init_adam(parameters):
    v = {}
    for key, value in parameters.items():
        v["d" + key] = np.zeros(value.shape)
    return v, copy.deepcopy(v)


def adam_update(parameters, grads, v, s, t, *, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    parameters, v, s = copy.deepcopy(parameters), copy.deepcopy(v), copy.deepcopy(s)
    correction1 = 1 - math.pow(beta1, t)
    correction2 = 1 - math.pow(beta2, t)
    for key in parameters:
        g = grads["d" + key]
        v["d" + key] = beta1 * v["d" + key] + (1 - beta1) * g
        s["d" + key] = beta2 * s["d" + key] + (1 - beta2) * g * g
        v_hat, s_hat = v["d" + key] / correction1, s["d" + key] / correction2
        parameters[key] -= learning_rate * v_hat / (np.sqrt(s_hat) + epsilon)
    return parameters, v, s
'''

STYLES = {"loops": LOOPS, "comprehensions": COMPREHENSIONS, "deepcopy_math": DEEPCOPY_MATH}
