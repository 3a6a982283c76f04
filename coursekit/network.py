"""A small fully connected network: ReLU hidden layers, a pluggable output head and
optional batch norm.

Shapes follow the course: X (n_x, m), parameters "W1" (n1, n0), "b1" (n1, 1), ...
With batch norm the hidden layers have "gamma_l", "beta_l" (n_l, 1) instead of "b_l".
Gradients carry the same keys with a "d" in front.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np


class Head(NamedTuple):
    """Output layer: activation A = activation(Z), cost(Z, Y) (mean) and dZ = backward(Z, Y)."""

    activation: Callable
    cost: Callable
    backward: Callable


class BatchNorm(NamedTuple):
    """The four batch-norm functions of lesson 08, with its signatures."""

    forward: Callable
    backward: Callable
    update_running_stats: Callable
    inference: Callable


def relu(Z):
    return np.maximum(Z, 0)


def sigmoid(Z):
    return np.exp(-np.logaddexp(0, -Z))


def binary_cross_entropy(Z, Y):
    """Mean logistic loss computed from the logits Z (1, m), stable for any Z."""
    return float(np.mean(np.logaddexp(0, Z) - Y * Z))


def binary_cross_entropy_backward(Z, Y):
    return (sigmoid(Z) - Y) / Z.shape[1]


SIGMOID_HEAD = Head(sigmoid, binary_cross_entropy, binary_cross_entropy_backward)


def init_parameters(layer_dims, rng, *, batchnorm=False):
    """He initialisation for layer sizes [n0, n1, ..., nL]; b (or beta) zeros, gamma ones."""
    parameters = {}
    last = len(layer_dims) - 1
    for l in range(1, last + 1):
        n_in, n_out = layer_dims[l - 1], layer_dims[l]
        parameters[f"W{l}"] = rng.standard_normal((n_out, n_in)) * np.sqrt(2.0 / n_in)
        if batchnorm and l < last:
            parameters[f"gamma{l}"] = np.ones((n_out, 1))
            parameters[f"beta{l}"] = np.zeros((n_out, 1))
        else:
            parameters[f"b{l}"] = np.zeros((n_out, 1))
    return parameters


def num_layers(parameters):
    return sum(1 for key in parameters if key.startswith("W"))


def init_running_stats(parameters):
    """Running mean 0 and variance 1 for every batch-norm layer."""
    return {
        key.replace("gamma", kind): np.full_like(value, start)
        for key, value in parameters.items()
        if key.startswith("gamma")
        for kind, start in (("mean", 0.0), ("var", 1.0))
    }


def forward(X, parameters, head, *, batchnorm=None, running=None):
    """Forward pass. Batch norm uses batch statistics unless `running` stats are given.

    Returns (A_L, cache); cache["batch_stats"] maps a layer l to its (mu, var).
    """
    L = num_layers(parameters)
    A, layers, batch_stats = X, [], {}
    for l in range(1, L):
        Z = parameters[f"W{l}"] @ A
        bn_cache = None
        if f"gamma{l}" in parameters:
            gamma, beta = parameters[f"gamma{l}"], parameters[f"beta{l}"]
            if running is None:
                Z, bn_cache = batchnorm.forward(Z, gamma, beta)
                batch_stats[l] = (bn_cache["mu"], bn_cache["var"])
            else:
                Z = batchnorm.inference(Z, gamma, beta, running[f"mean{l}"], running[f"var{l}"])
        else:
            Z = Z + parameters[f"b{l}"]
        layers.append((A, Z, bn_cache))
        A = relu(Z)
    ZL = parameters[f"W{L}"] @ A + parameters[f"b{L}"]
    return head.activation(ZL), {"layers": layers, "A_last_hidden": A, "ZL": ZL, "batch_stats": batch_stats}


def cost(X, Y, parameters, head, *, batchnorm=None, running=None):
    _, cache = forward(X, parameters, head, batchnorm=batchnorm, running=running)
    return head.cost(cache["ZL"], Y)


def backward(Y, parameters, cache, head, *, batchnorm=None):
    """Gradients of the mean cost for the cache of a training forward pass."""
    L = num_layers(parameters)
    dZ = head.backward(cache["ZL"], Y)
    A_prev = cache["A_last_hidden"]
    grads = {f"dW{L}": dZ @ A_prev.T, f"db{L}": dZ.sum(axis=1, keepdims=True)}
    dA = parameters[f"W{L}"].T @ dZ
    for l in range(L - 1, 0, -1):
        A_prev, Z, bn_cache = cache["layers"][l - 1]
        dZ = dA * (Z > 0)
        if bn_cache is not None:
            dZ, grads[f"dgamma{l}"], grads[f"dbeta{l}"] = batchnorm.backward(dZ, bn_cache)
        else:
            grads[f"db{l}"] = dZ.sum(axis=1, keepdims=True)
        grads[f"dW{l}"] = dZ @ A_prev.T
        dA = parameters[f"W{l}"].T @ dZ
    return grads


def update_running(running, batch_stats, batchnorm):
    """New running stats after one training forward pass (lesson 08's EWA)."""
    new = dict(running)
    for l, (mu, var) in batch_stats.items():
        new[f"mean{l}"], new[f"var{l}"] = batchnorm.update_running_stats(
            running[f"mean{l}"], running[f"var{l}"], mu, var
        )
    return new


def predict(X, parameters, head, *, batchnorm=None, running=None):
    """Class predictions (m,): threshold 0.5 for one output unit, argmax for several."""
    A, _ = forward(X, parameters, head, batchnorm=batchnorm, running=running)
    return (A[0] > 0.5).astype(int) if A.shape[0] == 1 else A.argmax(axis=0)


def accuracy(predictions, Y):
    """Fraction correct; Y is (1, m) binary, (C, m) one-hot or (m,) integer labels."""
    Y = np.asarray(Y)
    labels = Y.argmax(axis=0) if Y.ndim == 2 and Y.shape[0] > 1 else Y.reshape(-1)
    return float(np.mean(predictions == labels))
