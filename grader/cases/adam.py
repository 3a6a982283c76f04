"""Check cases of lesson 05 (Adam)."""

import numpy as np

from grader.case_inputs import gradients, parameters, squares, zeros
from grader.casebook import Case, Mistake

P = parameters(50)
G = gradients(51, P)
V = gradients(52, P, scale=0.3)
S = squares(53, P, scale=0.5)
P3 = parameters(56, dims=(4, 3, 2, 1))
G3 = gradients(57, P3)
V3 = gradients(58, P3, scale=0.3)
S3 = squares(59, P3, scale=0.5)
P1 = parameters(60, dims=(3, 2))


def _adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon, *, correct=True, eps_inside=False,
          t_offset=0, swap_betas=False, sum_form=False):
    if swap_betas:
        beta1, beta2 = beta2, beta1
    if sum_form:  # PyTorch/d2l momentum form v = beta1*v + g
        new_v = {k: beta1 * v[k] + grads[k] for k in v}
    else:
        new_v = {k: beta1 * v[k] + (1 - beta1) * grads[k] for k in v}
    new_s = {k: beta2 * s[k] + (1 - beta2) * grads[k] ** 2 for k in s}
    out = {}
    for key, value in parameters.items():
        step = t + t_offset
        v_hat = new_v["d" + key] / (1 - beta1**step) if correct else new_v["d" + key]
        s_hat = new_s["d" + key] / (1 - beta2**step) if correct else new_s["d" + key]
        denominator = np.sqrt(s_hat + epsilon) if eps_inside else np.sqrt(s_hat) + epsilon
        out[key] = value - learning_rate * v_hat / denominator
    return out, new_v, new_s


def _variant(**options):
    def update(parameters, grads, v, s, t, *, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
        return _adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon, **options)

    return update


def _zero_based(parameters, grads, v, s, t, *, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    with np.errstate(divide="ignore", invalid="ignore"):  # 1 - beta**0 = 0 at t=1
        return _adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon, t_offset=-1)


def _returns_corrected(parameters, grads, v, s, t, *, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    p, new_v, new_s = _adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon)
    v_hat = {k: x / (1 - beta1**t) for k, x in new_v.items()}
    s_hat = {k: x / (1 - beta2**t) for k, x in new_s.items()}
    return p, v_hat, s_hat


def _first_layers_only(parameters, grads, v, s, t, *, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """Updates W1, b1, W2, b2 only (a hard-coded two-layer loop)."""
    p, new_v, new_s = _adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon)
    for key in parameters:
        if key[1:] not in ("1", "2"):
            p[key], new_v["d" + key], new_s["d" + key] = parameters[key], v["d" + key], s["d" + key]
    return p, new_v, new_s


def _init_parameter_keys(parameters):
    v = {key: np.zeros_like(value) for key, value in parameters.items()}
    s = {key: np.zeros_like(value) for key, value in parameters.items()}
    return v, s


def _init_first_layers_only(parameters):
    v = {"d" + key: np.zeros_like(value) for key, value in parameters.items() if key[1:] in ("1", "2")}
    s = {"d" + key: np.zeros_like(value) for key, value in parameters.items() if key[1:] in ("1", "2")}
    return v, s


MISTAKES = [
    Mistake("adam_update", "your update matches Adam without bias correction", _variant(correct=False)),
    Mistake("adam_update", "your update puts epsilon inside the square root", _variant(eps_inside=True)),
    Mistake("adam_update", "your bias correction uses t + 1 instead of t (t is already 1-based)",
            _variant(t_offset=1)),
    Mistake("adam_update", "your bias correction uses t - 1 (t is already 1-based: the first update has t=1)",
            _zero_based),
    Mistake("adam_update", "you return the bias-corrected v and s; return the uncorrected moments",
            _returns_corrected),
    Mistake("adam_update", "your update uses beta2 for v and beta1 for s (the betas are swapped)",
            _variant(swap_betas=True)),
    Mistake("adam_update", "your first moment is v = beta1*v + dW (the PyTorch/d2l momentum form); "
            "Adam uses v = beta1*v + (1 - beta1)*dW", _variant(sum_form=True)),
    Mistake("adam_update", "only the layers 1 and 2 are updated; loop over every key of parameters",
            _first_layers_only),
    Mistake("init_adam", "your keys are the parameter names (W1, b1, ...); use the gradient keys dW1, db1",
            _init_parameter_keys),
    Mistake("init_adam", "only the layers 1 and 2 get zeros; loop over every key of parameters",
            _init_first_layers_only),
]
# v and s returned as one dict (or sharing arrays) are caught for every case by the aliasing check.

CASES = [
    Case("init_adam", "two layers", (P,), visible=True),
    Case("init_adam", "three layers", (P3,), visible=True),
    Case("init_adam", "one layer of shape (4, 1)", ({"W1": np.ones((4, 1)), "b1": np.ones((4, 1))},)),
    Case("init_adam", "four layers", (parameters(55, dims=(5, 4, 3, 2, 1)),)),
    Case("adam_update", "first step from zeros, t=1", (P, G, zeros(P), zeros(P), 1),
         {"learning_rate": 0.01}, visible=True),
    Case("adam_update", "step t=3 from a non-zero state", (P, G, V, S, 3),
         {"learning_rate": 0.02, "beta1": 0.8, "beta2": 0.99}, visible=True),
    Case("adam_update", "step t=10 from a non-zero state", (P, G, V, S, 10),
         {"learning_rate": 0.05}),
    Case("adam_update", "epsilon probe: tiny gradients and a large epsilon",
         (P, gradients(54, P, scale=1e-4), zeros(P), zeros(P), 1),
         {"learning_rate": 0.1, "epsilon": 1e-3}),
    Case("adam_update", "late step t=1000, bias correction almost gone", (P, G, V, S, 1000),
         {"learning_rate": 0.001, "beta1": 0.95, "beta2": 0.9}),
    Case("adam_update", "three layers, step t=2 from a non-zero state", (P3, G3, V3, S3, 2),
         {"learning_rate": 0.03}),
    Case("adam_update", "one layer, beta1=0 (RMSprop with bias correction), t=4",
         (P1, gradients(59, P1), gradients(60, P1), squares(61, P1), 4),
         {"learning_rate": 0.1, "beta1": 0.0, "beta2": 0.99}),
]

# The twins of the visible cases (see casebook.twin): init_adam's output depends on the shapes
# only, so scaling the numbers would not change it; these have other layer widths.
TWINS = [
    Case("init_adam", "two layers", (parameters(150, dims=(4, 3, 1)),)),
    Case("init_adam", "three layers", (parameters(156, dims=(3, 5, 2, 2)),)),
]
