"""Check cases of lesson 05 (Adam)."""

import numpy as np

from grader.case_inputs import gradients, parameters, squares, zeros
from grader.casebook import Case, Misconception, Mistake, Question

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

# Hints shared by a visible case and its declared twin (see TWINS).
TWO_LAYERS_HINT = (
    "a pair (v, s) of two separate dicts, each with one zero array per parameter, shaped like it, under the "
    "gradient names (dW1, db1, ...)"
)
THREE_LAYERS_HINT = (
    "three layers: every parameter gets its zeros in both v and s, however many layers there are; follow the keys "
    "of parameters, not a fixed depth"
)

CASES = [
    Case("init_adam", "two layers", (P,), visible=True, hint=TWO_LAYERS_HINT),
    Case("init_adam", "three layers", (P3,), visible=True, hint=THREE_LAYERS_HINT),
    Case("init_adam", "one layer of shape (4, 1)", ({"W1": np.ones((4, 1)), "b1": np.ones((4, 1))},),
         hint="a single layer: v and s each hold dW1 and db1, zero arrays shaped like W1 and b1"),
    Case("init_adam", "four layers", (parameters(55, dims=(5, 4, 3, 2, 1)),),
         hint="four layers: both v and s need all eight gradient keys, each zero array shaped like its parameter"),
    Case("adam_update", "first step from zeros, t=1", (P, G, zeros(P), zeros(P), 1),
         {"learning_rate": 0.01}, visible=True,
         hint="at t = 1 from zeros the corrected moments are the gradient and its square, so each parameter moves "
              "by about learning_rate against the sign of its gradient; the returned v and s stay uncorrected"),
    Case("adam_update", "step t=3 from a non-zero state", (P, G, V, S, 3),
         {"learning_rate": 0.02, "beta1": 0.8, "beta2": 0.99}, visible=True,
         hint="right at t = 1 from zeros, wrong from a non-zero state: check that both moments keep their previous "
              "values, each with its own beta argument, and that the correction uses t as given"),
    Case("adam_update", "step t=10 from a non-zero state", (P, G, V, S, 10),
         {"learning_rate": 0.05},
         hint="a later step with the default betas: the correction divides v by 1 - beta1**t and s by 1 - beta2**t, "
              "with t as given (it already counts from 1)"),
    Case("adam_update", "epsilon probe: tiny gradients and a large epsilon",
         (P, gradients(54, P, scale=1e-4), zeros(P), zeros(P), 1),
         {"learning_rate": 0.1, "epsilon": 1e-3},
         hint="tiny gradients make epsilon a large part of the denominator: it is added after the square root of "
              "the corrected s, and the epsilon argument is used"),
    Case("adam_update", "late step t=1000, bias correction almost gone", (P, G, V, S, 1000),
         {"learning_rate": 0.001, "beta1": 0.95, "beta2": 0.9},
         hint="by t = 1000 the correction is about 1, so a difference here is in the moments or the step itself; "
              "note that beta2 = 0.9 is smaller than beta1 = 0.95 here, so each beta must go to its own moment"),
    Case("adam_update", "three layers, step t=2 from a non-zero state", (P3, G3, V3, S3, 2),
         {"learning_rate": 0.03},
         hint="three layers: every W_l and b_l and every entry of v and s is updated, whatever the depth, in new "
              "dicts that leave the arguments as they were"),
    Case("adam_update", "one layer, beta1=0 (RMSprop with bias correction), t=4",
         (P1, gradients(59, P1), gradients(60, P1), squares(61, P1), 4),
         {"learning_rate": 0.1, "beta1": 0.0, "beta2": 0.99},
         hint="with beta1 = 0 the first moment is the gradient itself and its correction divides by 1, so the step "
              "is RMSprop's with a bias-corrected s"),
]

# The twins of the visible cases (see casebook.twin): init_adam's output depends on the shapes
# only, so scaling the numbers would not change it; these have other layer widths.
TWINS = [
    Case("init_adam", "two layers", (parameters(150, dims=(4, 3, 1)),), hint=TWO_LAYERS_HINT),
    Case("init_adam", "three layers", (parameters(156, dims=(3, 5, 2, 2)),), hint=THREE_LAYERS_HINT),
]


# ----------------------------------------------------------------------------- questions
# Each misconception value is what its wrong reasoning computes for the question's numbers
# (dW = 2 at t = 1 from zero moments, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8). The texts
# name no right value (tests/test_questions.py).

QUESTIONS = [
    Question("predict_adam_first_step", "the length of Adam's first step in units of alpha, without and with "
             "the bias correction",
             misconceptions=[
                 Misconception({"first_step_uncorrected_in_alphas": 1.0},
                               "one alpha is what the bias correction achieves; without it, v and s are both far "
                               "below the gradient and its square after one update, and the step is their ratio"),
                 Misconception({"first_step_uncorrected_in_alphas": 31.6},
                               "that is RMSprop's first step, counting only the shortfall of s; the first moment "
                               "is too small as well, by the factor (1 - beta1)"),
                 Misconception({"first_step_uncorrected_in_alphas": 0.1},
                               "that counts only the shortfall of v; the root of s is too small as well, by the "
                               "factor sqrt(1 - beta2), and it divides"),
                 Misconception({"first_step_in_alphas": 2.0},
                               "alpha times |dW| is the step of gradient descent; Adam divides the corrected first "
                               "moment by the root of the corrected second moment"),
             ],
             hint="write v and s after one update from zero; divide as in the step (4), once with the raw moments "
                  "and once with the corrected ones (3)"),
]
