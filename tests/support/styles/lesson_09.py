"""Lesson 09: softmax, one_hot, softmax_cross_entropy, softmax_cross_entropy_backward."""

SHIFT_MAX = '''
import numpy as np


def softmax(Z):
    exps = np.exp(Z - np.max(Z, axis=0, keepdims=True))
    return exps / np.sum(exps, axis=0, keepdims=True)


def one_hot(labels, num_classes):
    labels = np.asarray(labels).ravel()
    Y = np.zeros((num_classes, labels.size))
    Y[labels, np.arange(labels.size)] = 1
    return Y


def softmax_cross_entropy(Z, Y):
    shifted = Z - Z.max(axis=0, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    return -np.sum(Y * log_probs) / Z.shape[1]


def softmax_cross_entropy_backward(Z, Y):
    m = Z.shape[1]
    return (softmax(Z) - Y) / m
'''

# One example (column) at a time, with Python's math for the scalar log-sum-exp.
COLUMNS = '''
import math

import numpy as np


def softmax(Z):
    A = np.empty_like(Z, dtype=float)
    for j in range(Z.shape[1]):
        e = np.exp(Z[:, j] - Z[:, j].max())
        A[:, j] = e / e.sum()
    return A


def one_hot(labels, num_classes):
    flat = np.reshape(labels, -1)
    Y = np.zeros((num_classes, len(flat)))
    for i, label in enumerate(flat):
        Y[int(label), i] = 1.0
    return Y


def softmax_cross_entropy(Z, Y):
    m = Z.shape[1]
    total = 0.0
    for j in range(m):
        z = [float(v) for v in Z[:, j]]
        c = max(z)
        log_sum = c + math.log(sum(math.exp(v - c) for v in z))
        total -= sum(float(y) * (v - log_sum) for y, v in zip(Y[:, j], z))
    return total / m


def softmax_cross_entropy_backward(Z, Y):
    dZ = np.empty_like(Z, dtype=float)
    m = Z.shape[1]
    for j in range(m):
        e = np.exp(Z[:, j] - Z[:, j].max())
        dZ[:, j] = (e / e.sum() - Y[:, j]) / m
    return dZ
'''

# A log-sum-exp helper, an identity matrix for one_hot, a mean over examples.
LOGSUMEXP = '''
import numpy as np


def _logsumexp(Z):
    c = Z.max(axis=0, keepdims=True)
    return c + np.log(np.exp(Z - c).sum(axis=0, keepdims=True))


def softmax(Z):
    return np.exp(Z - _logsumexp(Z))


def one_hot(labels, num_classes):
    return np.eye(num_classes)[np.asarray(labels).reshape(-1)].T


def softmax_cross_entropy(Z, Y):
    per_example = -(Y * (Z - _logsumexp(Z))).sum(axis=0)
    return float(per_example.mean())


def softmax_cross_entropy_backward(Z, Y):
    return (np.exp(Z - _logsumexp(Z)) - Y) / Y.shape[1]
'''

STYLES = {"shift_max": SHIFT_MAX, "columns": COLUMNS, "logsumexp": LOGSUMEXP}
