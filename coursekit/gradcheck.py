"""Centred finite-difference gradient checking in float64."""

import numpy as np

from coursekit import network


def numerical_gradient(f, x, h=1e-5):
    """(f(x + h e_i) - f(x - h e_i)) / (2h) for every entry i of the array x; f returns a float."""
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        plus = f(x)
        x[index] = original - h
        minus = f(x)
        x[index] = original
        grad[index] = (plus - minus) / (2 * h)
    return grad


def relative_error(a, b):
    """||a - b|| / (||a|| + ||b||), 0 when both are zero."""
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denominator == 0 else float(np.linalg.norm(a - b) / denominator)


def check_network_gradients(parameters, X, Y, head, *, batchnorm=None, h=1e-5):
    """Largest relative error between network.backward and finite differences, per key."""
    _, cache = network.forward(X, parameters, head, batchnorm=batchnorm)
    grads = network.backward(Y, parameters, cache, head, batchnorm=batchnorm)
    errors = {}
    for key, value in parameters.items():

        def cost_at(x, key=key):
            return network.cost(X, Y, {**parameters, key: x}, head, batchnorm=batchnorm)

        errors[key] = relative_error(grads["d" + key], numerical_gradient(cost_at, value, h))
    return errors
