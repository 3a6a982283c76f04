"""Lesson 08: batchnorm_forward, batchnorm_backward, update_running_stats, batchnorm_inference.

Each style's backward reads the keys its own forward stores (the spec asks only for "mu" and "var")."""

# The spec's suggested keys, numpy's mean and var.
SPEC_KEYS = '''
import numpy as np


def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
    mu = np.mean(Z, axis=1, keepdims=True)
    var = np.var(Z, axis=1, keepdims=True)
    Z_norm = (Z - mu) / np.sqrt(var + epsilon)
    Z_tilde = gamma * Z_norm + beta
    return Z_tilde, {"mu": mu, "var": var, "Z_norm": Z_norm, "gamma": gamma, "epsilon": epsilon}


def batchnorm_backward(dZ_tilde, cache):
    m = dZ_tilde.shape[1]
    Z_norm, gamma = cache["Z_norm"], cache["gamma"]
    dbeta = np.sum(dZ_tilde, axis=1, keepdims=True)
    dgamma = np.sum(dZ_tilde * Z_norm, axis=1, keepdims=True)
    dZ_norm = dZ_tilde * gamma
    dZ = (m * dZ_norm - np.sum(dZ_norm, axis=1, keepdims=True)
          - Z_norm * np.sum(dZ_norm * Z_norm, axis=1, keepdims=True)) / (m * np.sqrt(cache["var"] + cache["epsilon"]))
    return dZ, dgamma, dbeta


def update_running_stats(running_mean, running_var, mu, var, momentum=0.9):
    new_mean = momentum * running_mean + (1 - momentum) * mu
    new_var = momentum * running_var + (1 - momentum) * var
    return new_mean, new_var


def batchnorm_inference(Z, gamma, beta, running_mean, running_var, epsilon=1e-5):
    Z_norm = (Z - running_mean) / np.sqrt(running_var + epsilon)
    return gamma * Z_norm + beta
'''

# The computation graph of CS231n, one node at a time, and the chain rule back through each node.
STAGED = '''
import numpy as np


def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
    m = Z.shape[1]
    mu = Z.sum(axis=1, keepdims=True) / m
    centered = Z - mu
    var = (centered**2).sum(axis=1, keepdims=True) / m
    std = np.sqrt(var + epsilon)
    inv_std = 1.0 / std
    Z_hat = centered * inv_std
    out = gamma * Z_hat + beta
    cache = {"mu": mu, "var": var, "centered": centered, "std": std, "inv_std": inv_std, "Z_hat": Z_hat,
             "gamma": gamma, "out": out}
    return out, cache


def batchnorm_backward(dZ_tilde, cache):
    m = dZ_tilde.shape[1]
    centered, std, inv_std, Z_hat, gamma = (cache[k] for k in ("centered", "std", "inv_std", "Z_hat", "gamma"))
    dbeta = dZ_tilde.sum(axis=1, keepdims=True)
    dgamma = (dZ_tilde * Z_hat).sum(axis=1, keepdims=True)
    dZ_hat = dZ_tilde * gamma
    dinv_std = (dZ_hat * centered).sum(axis=1, keepdims=True)
    dcentered = dZ_hat * inv_std
    dstd = -dinv_std / std**2
    dvar = 0.5 * dstd / std
    dcentered = dcentered + 2.0 * centered * dvar / m
    dmu = -dcentered.sum(axis=1, keepdims=True)
    dZ = dcentered + dmu / m
    return dZ, dgamma, dbeta


def update_running_stats(running_mean, running_var, mu, var, momentum=0.9):
    running_mean = running_mean.copy()
    running_var = running_var.copy()
    running_mean *= momentum
    running_mean += (1 - momentum) * mu
    running_var *= momentum
    running_var += (1 - momentum) * var
    return running_mean, running_var


def batchnorm_inference(Z, gamma, beta, running_mean, running_var, epsilon=1e-5):
    std = np.sqrt(running_var + epsilon)
    return np.multiply(gamma, np.divide(Z - running_mean, std)) + beta
'''

# The backward recomputes what it needs from the input, which is all the forward keeps (with mu, var).
RECOMPUTE = '''
import numpy as np


def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
    mu = Z.mean(axis=1, keepdims=True)
    var = ((Z - mu) ** 2).mean(axis=1, keepdims=True)
    Z_tilde = gamma * (Z - mu) / np.sqrt(var + epsilon) + beta
    return Z_tilde, {"Z": Z, "gamma": gamma, "beta": beta, "mu": mu, "var": var, "eps": epsilon}


def batchnorm_backward(dZ_tilde, cache):
    Z, gamma, mu, var, eps = cache["Z"], cache["gamma"], cache["mu"], cache["var"], cache["eps"]
    m = Z.shape[1]
    inv_std = 1 / np.sqrt(var + eps)
    x_hat = (Z - mu) * inv_std
    dx_hat = gamma * dZ_tilde
    dZ = inv_std / m * (m * dx_hat - dx_hat.sum(axis=1, keepdims=True)
                        - x_hat * (dx_hat * x_hat).sum(axis=1, keepdims=True))
    return dZ, (dZ_tilde * x_hat).sum(axis=1, keepdims=True), dZ_tilde.sum(axis=1, keepdims=True)


def update_running_stats(running_mean, running_var, mu, var, momentum=0.9):
    def average(running, batch):
        return momentum * running + (1 - momentum) * batch

    return average(running_mean, mu), average(running_var, var)


def batchnorm_inference(Z, gamma, beta, running_mean, running_var, epsilon=1e-5):
    scale = gamma / np.sqrt(running_var + epsilon)
    shift = beta - scale * running_mean
    return scale * Z + shift
'''

STYLES = {"spec_keys": SPEC_KEYS, "staged": STAGED, "recompute": RECOMPUTE}
