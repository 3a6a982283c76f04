# Generated from lessons/09_softmax_regression.py by `make solutions`: do not edit; edit the lesson.
"""Lesson 09 — Softmax regression: the reference answers."""

import numpy as np


def softmax(Z):
    """Column-wise softmax, finite for any logits (lesson 09): equation (1) for every column.

    Z: (C, m) logits, one column per example; not modified.
    Returns A: (C, m), a new array of probabilities; every column sums to 1.
    """
    exp = np.exp(Z - Z.max(axis=0, keepdims=True))
    return exp / exp.sum(axis=0, keepdims=True)


def one_hot(labels, num_classes):
    """One-hot columns from integer labels, equation (3) (lesson 09).

    labels: (m,) or (1, m) integers in [0, num_classes); not modified.
    num_classes: int, the number of classes C.
    Returns Y: (num_classes, m) float array, one 1 per column.
    """
    labels = np.asarray(labels).reshape(-1)
    return (np.arange(num_classes)[:, None] == labels[None, :]).astype(float)


def softmax_cross_entropy(Z, Y):
    """Mean cross-entropy of softmax(Z) against one-hot Y, equation (5), from the logits (lesson 09).

    Z: (C, m) logits; Y: (C, m) one-hot labels (one 1 per column). Neither is modified.
    Returns J, a Python float: exact for any logits (log-probabilities by equation (6)).
    """
    shifted = Z - Z.max(axis=0, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    return float(-(Y * log_softmax).sum() / Z.shape[1])


def softmax_cross_entropy_backward(Z, Y):
    """Gradient of the mean cross-entropy J with respect to the logits, equation (7) (lesson 09).

    Z: (C, m) logits; Y: (C, m) one-hot labels. Neither is modified.
    Returns dZ: (C, m), a new array, finite for any logits.
    """
    return (softmax(Z) - Y) / Z.shape[1]
