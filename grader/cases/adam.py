"""Check cases of lesson 05 (Adam)."""

import numpy as np

from grader.case_inputs import gradients, parameters, squares, zeros
from grader.casebook import Case, Mistake

P = parameters(50)
G = gradients(51, P)
V = gradients(52, P, scale=0.3)
S = squares(53, P, scale=0.5)


def _adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon, *, correct=True, eps_inside=False,
          t_offset=0):
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


def _returns_corrected(parameters, grads, v, s, t, *, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    p, new_v, new_s = _adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon)
    return p, {k: x / (1 - beta1**t) for k, x in new_v.items()}, {k: x / (1 - beta2**t) for k, x in new_s.items()}


def _shared_init(parameters):
    zeros_dict = {"d" + key: np.zeros_like(value) for key, value in parameters.items()}
    return zeros_dict, zeros_dict


MISTAKES = [
    Mistake("adam_update", "your update matches Adam without bias correction", _variant(correct=False)),
    Mistake("adam_update", "your update puts epsilon inside the square root", _variant(eps_inside=True)),
    Mistake("adam_update", "your bias correction uses t + 1 instead of t (t is already 1-based)",
            _variant(t_offset=1)),
    Mistake("adam_update", "you return the bias-corrected v and s; return the uncorrected moments",
            _returns_corrected),
    Mistake("init_adam", "v and s are one and the same dict; create two independent dicts", _shared_init),
]

CASES = [
    Case("init_adam", "two layers", (P,), visible=True),
    Case("init_adam", "one layer of shape (4, 1)", ({"W1": np.ones((4, 1)), "b1": np.ones((4, 1))},)),
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
]
