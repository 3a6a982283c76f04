# Generated from lessons/08_batch_normalization.py by `make solutions`: do not edit; edit the lesson.
"""Lesson 08 — Batch normalization: the reference answers."""

import numpy as np


def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
    """Batch norm of pre-activations over the mini-batch (lesson 08).

    mu = mean(Z, axis=1)    var = mean((Z - mu)**2, axis=1)       (biased: divide by m)
    Z_norm = (Z - mu) / sqrt(var + epsilon)      Z_tilde = gamma * Z_norm + beta

    Z: (n, m); gamma, beta: (n, 1). Returns (Z_tilde (n, m), cache): a dict holding "mu" and
    "var" (n, 1) and what your batchnorm_backward needs, e.g. "Z_norm" (n, m), "gamma" (n, 1), "epsilon".
    """
    mu = Z.mean(axis=1, keepdims=True)
    var = ((Z - mu) ** 2).mean(axis=1, keepdims=True)
    Z_norm = (Z - mu) / np.sqrt(var + epsilon)
    cache = {"mu": mu, "var": var, "Z_norm": Z_norm, "gamma": gamma, "epsilon": epsilon}
    return gamma * Z_norm + beta, cache


def batchnorm_backward(dZ_tilde, cache):
    """Gradients of batch norm (lesson 08).

    dbeta = sum_i dZ_tilde      dgamma = sum_i dZ_tilde * Z_norm
    dZ_norm = gamma * dZ_tilde
    dZ = (dZ_norm - mean_i(dZ_norm) - Z_norm * mean_i(dZ_norm * Z_norm)) / sqrt(var + epsilon)

    dZ_tilde: (n, m); cache: what your batchnorm_forward returned.
    Returns (dZ (n, m), dgamma (n, 1), dbeta (n, 1)).
    """
    Z_norm = cache["Z_norm"]
    dbeta = dZ_tilde.sum(axis=1, keepdims=True)
    dgamma = (dZ_tilde * Z_norm).sum(axis=1, keepdims=True)
    dZ_norm = cache["gamma"] * dZ_tilde
    dZ = (
        dZ_norm
        - dZ_norm.mean(axis=1, keepdims=True)
        - Z_norm * (dZ_norm * Z_norm).mean(axis=1, keepdims=True)
    ) / np.sqrt(cache["var"] + cache["epsilon"])
    return dZ, dgamma, dbeta


def update_running_stats(running_mean, running_var, mu, var, momentum=0.9):
    """Running averages for test time, in the EWA form of lesson 02 (lesson 08).

    running_mean = momentum * running_mean + (1 - momentum) * mu
    running_var = momentum * running_var + (1 - momentum) * var
    All arrays (n, 1). Returns (running_mean, running_var).
    """
    return (
        momentum * running_mean + (1 - momentum) * mu,
        momentum * running_var + (1 - momentum) * var,
    )


def batchnorm_inference(Z, gamma, beta, running_mean, running_var, epsilon=1e-5):
    """Batch norm at test time with the running statistics (lesson 08).

    Z_tilde = gamma * (Z - running_mean) / sqrt(running_var + epsilon) + beta
    Z: (n, m); the others (n, 1). Returns Z_tilde (n, m).
    """
    return gamma * (Z - running_mean) / np.sqrt(running_var + epsilon) + beta
