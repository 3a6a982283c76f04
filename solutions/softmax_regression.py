# Generated from lessons/09_softmax_regression.py by `make solutions`: do not edit; edit the lesson.
"""Lesson 09 — Softmax regression: the reference answers."""

import numpy as np


def softmax(Z):
    """Column-wise softmax, stable for large logits (lesson 09).

    A_j = exp(Z_j - max_k Z_k) / sum_i exp(Z_i - max_k Z_k)   for each column (example).

    Z: (C, m) logits. Returns A: (C, m), every column sums to 1.
    """
    exp = np.exp(Z - Z.max(axis=0, keepdims=True))
    return exp / exp.sum(axis=0, keepdims=True)


def one_hot(labels, num_classes):
    """One-hot columns from integer labels (lesson 09).

    labels: (m,) or (1, m) integers in [0, num_classes). Returns Y: (num_classes, m) float,
    Y[labels[i], i] = 1.
    """
    labels = np.asarray(labels).reshape(-1)
    return (np.arange(num_classes)[:, None] == labels[None, :]).astype(float)


def softmax_cross_entropy(Z, Y):
    """Mean cross-entropy of softmax(Z) against one-hot Y, from the logits (lesson 09).

    J = -(1/m) sum_i sum_j Y_ji log softmax(Z)_ji,  with
    log softmax(Z)_j = Z_j - max(Z) - log sum_k exp(Z_k - max(Z))   (log-sum-exp).

    Z, Y: (C, m). Returns a float.
    """
    shifted = Z - Z.max(axis=0, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    return float(-(Y * log_softmax).sum() / Z.shape[1])


def softmax_cross_entropy_backward(Z, Y):
    """Gradient of the mean cross-entropy with respect to the logits (lesson 09).

    dZ = (softmax(Z) - Y) / m.   Z, Y: (C, m). Returns dZ: (C, m).
    """
    return (softmax(Z) - Y) / Z.shape[1]
