# Generated from lessons/08_batch_normalization.py by `make solutions`: do not edit; edit the lesson.
"""Lesson 08 — Batch normalization: the reference answers."""

import numpy as np


def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
    """Batch norm of pre-activations over the mini-batch: equations (1) and (2) (lesson 08).

    Z: (n, m), one row per unit, one column per example; gamma, beta: (n, 1); epsilon: a float.
    Returns (Z_tilde, cache): Z_tilde (n, m), a new array; cache, a dict holding at least "mu" and
    "var", the biased batch statistics (n, 1), and whatever your batchnorm_backward will read.
    Z, gamma and beta are not modified.
    """
    mu = Z.mean(axis=1, keepdims=True)
    var = ((Z - mu) ** 2).mean(axis=1, keepdims=True)
    Z_norm = (Z - mu) / np.sqrt(var + epsilon)
    cache = {"mu": mu, "var": var, "Z_norm": Z_norm, "gamma": gamma, "epsilon": epsilon}
    return gamma * Z_norm + beta, cache


def batchnorm_backward_staged(dZ_tilde, Z, gamma, epsilon=1e-5):
    """Gradients of batch norm, node by node on its computational graph (lesson 08, section 3).

    dZ_tilde: (n, m), the gradient of the cost with respect to Z_tilde; Z: (n, m) and gamma: (n, 1),
    the inputs of the forward pass, and its epsilon. Recomputes the nodes (a) to (e), then goes
    back from (f) to (a), one small step per node.
    Returns (dZ (n, m), dgamma (n, 1), dbeta (n, 1)), new arrays; the inputs are not modified.
    """
    m = Z.shape[1]
    mu = Z.mean(axis=1, keepdims=True)  # (a)
    Z_c = Z - mu  # (b)
    var = (Z_c**2).mean(axis=1, keepdims=True)  # (c)
    s = np.sqrt(var + epsilon)  # (d)
    Z_norm = Z_c / s  # (e)

    dbeta = dZ_tilde.sum(axis=1, keepdims=True)  # (f), equation (3)
    dgamma = (dZ_tilde * Z_norm).sum(axis=1, keepdims=True)
    dZ_norm = gamma * dZ_tilde
    dZ_c = dZ_norm / s  # (e): the first gradient of Z_c
    ds = (dZ_norm * -Z_c / s**2).sum(axis=1, keepdims=True)  # (e): s is shared by the batch
    dvar = ds / (2 * s)  # (d)
    dZ_c = dZ_c + 2 * Z_c / m * dvar  # (c): the second gradient of Z_c adds up
    dmu = -dZ_c.sum(axis=1, keepdims=True)  # (b): mu is shared by the batch
    dZ = dZ_c + dmu / m  # (b) and (a): the two gradients of Z add up
    return dZ, dgamma, dbeta


def batchnorm_backward(dZ_tilde, cache):
    """Gradients of batch norm in one formula: equations (3) and (4) (lesson 08).

    dZ_tilde: (n, m), the gradient of the cost with respect to Z_tilde (it already carries the
    1/m of the mean cost). cache: what your batchnorm_forward returned; read it, do not modify it.
    Returns (dZ (n, m), dgamma (n, 1), dbeta (n, 1)), new arrays.
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
    """One update of the running averages for test time: equation (5) (lesson 08).

    running_mean, running_var: the averages so far; mu, var: the statistics of the current batch;
    all (n, 1). momentum: the weight kept by the running values, a float in [0, 1).
    Returns the new (running_mean, running_var), mean first, as new arrays.
    """
    return (
        momentum * running_mean + (1 - momentum) * mu,
        momentum * running_var + (1 - momentum) * var,
    )


def batchnorm_inference(Z, gamma, beta, running_mean, running_var, epsilon=1e-5):
    """Batch norm at test time with the running statistics: equation (6) (lesson 08).

    Z: (n, m), m = 1 included; gamma, beta, running_mean, running_var: (n, 1); epsilon: a float.
    Returns Z_tilde (n, m), a new array; each column depends on its own example only.
    """
    return gamma * (Z - running_mean) / np.sqrt(running_var + epsilon) + beta
