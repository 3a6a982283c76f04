"""Small seeded inputs shared by the check cases."""

import numpy as np


def parameters(seed, dims=(3, 2, 1)):
    """{"W1": (dims[1], dims[0]), "b1": (dims[1], 1), ...} with standard normal entries."""
    rng = np.random.default_rng(seed)
    result = {}
    for l in range(1, len(dims)):
        result[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1]))
        result[f"b{l}"] = rng.standard_normal((dims[l], 1))
    return result


def gradients(seed, like, scale=1.0):
    """Random gradients {"dW1", "db1", ...} shaped like the parameter dict `like`."""
    rng = np.random.default_rng(seed)
    return {"d" + key: scale * rng.standard_normal(value.shape) for key, value in like.items()}


def squares(seed, like, scale=1.0):
    """Non-negative second-moment state shaped like the gradients of `like`."""
    return {key: value**2 for key, value in gradients(seed, like, scale).items()}


def zeros(like):
    return {"d" + key: np.zeros_like(value) for key, value in like.items()}


# Hints of the zero-state cases of init_momentum and init_rmsprop (and of their twins).
TWO_LAYERS_HINT = (
    "one zero array per parameter, shaped like it, under the gradient names (dW1, db1, ...), not the parameter "
    "names"
)
THREE_LAYERS_HINT = (
    "three layers: every parameter gets its zeros, however many layers there are; follow the keys of parameters, "
    "not a fixed depth"
)
