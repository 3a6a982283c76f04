"""Lesson 01: gd_update, random_mini_batches."""

LOOPS = '''
import math

import numpy as np


def gd_update(parameters, grads, *, learning_rate):
    L = len(parameters) // 2
    updated = {}
    for l in range(1, L + 1):
        updated["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        updated["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return updated


def random_mini_batches(X, Y, mini_batch_size, rng):
    m = X.shape[1]
    permutation = list(rng.permutation(m))
    shuffled_X = X[:, permutation]
    shuffled_Y = Y[:, permutation]
    mini_batches = []
    num_complete = math.floor(m / mini_batch_size)
    for k in range(num_complete):
        mini_batch_X = shuffled_X[:, k * mini_batch_size : (k + 1) * mini_batch_size]
        mini_batch_Y = shuffled_Y[:, k * mini_batch_size : (k + 1) * mini_batch_size]
        mini_batches.append((mini_batch_X, mini_batch_Y))
    if m % mini_batch_size != 0:
        mini_batches.append((shuffled_X[:, num_complete * mini_batch_size :],
                             shuffled_Y[:, num_complete * mini_batch_size :]))
    return mini_batches
'''

COMPREHENSIONS = '''
import numpy as np


def gd_update(parameters, grads, *, learning_rate):
    return {name: value - learning_rate * grads["d" + name] for name, value in parameters.items()}


def random_mini_batches(X, Y, mini_batch_size, rng):
    order = rng.permutation(X.shape[1])
    X, Y = X[:, order], Y[:, order]
    starts = range(0, X.shape[1], mini_batch_size)
    return [(X[:, s : s + mini_batch_size], Y[:, s : s + mini_batch_size]) for s in starts]
'''

DEEPCOPY_AND_SPLIT = '''
import copy

import numpy as np


def gd_update(parameters, grads, *, learning_rate):
    new_parameters = copy.deepcopy(parameters)
    for key in new_parameters:
        new_parameters[key] -= learning_rate * grads[f"d{key}"]
    return new_parameters


def random_mini_batches(X, Y, mini_batch_size, rng):
    m = X.shape[1]
    perm = rng.permutation(m)
    cuts = np.arange(mini_batch_size, m, mini_batch_size)  # where each full batch ends
    return list(zip(np.split(X[:, perm], cuts, axis=1), np.split(Y[:, perm], cuts, axis=1)))
'''

STYLES = {"loops": LOOPS, "comprehensions": COMPREHENSIONS, "deepcopy_split": DEEPCOPY_AND_SPLIT}
