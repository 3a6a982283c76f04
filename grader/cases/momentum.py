"""Check cases of lesson 03 (gradient descent with momentum)."""

import numpy as np

from grader.case_inputs import THREE_LAYERS_HINT, TWO_LAYERS_HINT, gradients, parameters, zeros
from grader.casebook import Case, Misconception, Mistake, Question

P = parameters(30)
G = gradients(31, P)
V = gradients(32, P, scale=0.5)
P3 = parameters(33, dims=(4, 3, 2, 1))
G3 = gradients(34, P3)
V3 = gradients(35, P3, scale=0.2)


def _velocity_after(grads_seq, beta):
    """The velocity after running the course's recurrence over grads_seq from zero."""
    v = {key: np.zeros_like(value) for key, value in grads_seq[0].items()}
    for grads in grads_seq:
        v = {key: beta * v[key] + (1 - beta) * grads[key] for key in v}
    return v


# Three earlier steps of a run whose gradients shrink, then a fourth gradient.
HISTORY = _velocity_after([gradients(36 + i, P, scale=2.0 / (i + 1)) for i in range(3)], 0.9)


# ----------------------------------------------------------------------------- mistakes


def _momentum(parameters, grads, v, learning_rate, beta, *, rule="ours", step_with="new"):
    if rule == "ours":
        new_v = {k: beta * v[k] + (1 - beta) * grads[k] for k in v}
    elif rule == "no_history":
        new_v = {k: (1 - beta) * grads[k] for k in v}
    elif rule == "pytorch":
        new_v = {k: beta * v[k] + grads[k] for k in v}
    elif rule == "swapped":
        new_v = {k: (1 - beta) * v[k] + beta * grads[k] for k in v}
    else:
        raise ValueError(rule)
    direction = {"new": new_v, "old": v, "gradient": grads}[step_with]
    out = {key: value - learning_rate * direction["d" + key] for key, value in parameters.items()}
    return out, new_v


def _variant(**options):
    def update(parameters, grads, v, *, learning_rate, beta=0.9):
        return _momentum(parameters, grads, v, learning_rate, beta, **options)

    return update


def _cs231n(parameters, grads, v, *, learning_rate, beta=0.9):
    new_v = {k: beta * v[k] - learning_rate * grads[k] for k in v}
    return {key: value + new_v["d" + key] for key, value in parameters.items()}, new_v


def _parameter_keys(parameters):
    return {key: np.zeros_like(value) for key, value in parameters.items()}


MISTAKES = [
    Mistake("momentum_update", "momentum history ignored: your velocity is (1 - beta) * dW; "
            "it must also keep beta times the previous velocity", _variant(rule="no_history")),
    Mistake("momentum_update", "your update uses the PyTorch/d2l convention v = beta*v + dW; "
            "this course uses v = beta*v + (1 - beta)*dW", _variant(rule="pytorch")),
    Mistake("momentum_update", "the weights are swapped: v = (1 - beta)*v + beta*dW; "
            "beta multiplies the previous velocity", _variant(rule="swapped")),
    Mistake("momentum_update", "your update moves the parameters with the gradient instead of the velocity: "
            "use W - learning_rate * v", _variant(step_with="gradient")),
    Mistake("momentum_update", "your update moves the parameters with the old velocity: "
            "compute the new v first, then step with it", _variant(step_with="old")),
    Mistake("momentum_update", "your update uses the CS231n convention v = mu*v - lr*dW, W += v; "
            "this course uses v = beta*v + (1 - beta)*dW, W -= lr*v", _cs231n),
    Mistake("init_momentum", "velocity keys must be dW1, db1, ... (gradient keys), not the parameter keys",
            _parameter_keys),
]


CASES = [
    Case("init_momentum", "two layers", (P,), visible=True, hint=TWO_LAYERS_HINT),
    Case("init_momentum", "three layers", (P3,), visible=True, hint=THREE_LAYERS_HINT),
    Case("init_momentum", "one layer of shape (4, 1)", ({"W1": np.ones((4, 1)), "b1": np.ones((4, 1))},),
         hint="a single layer whose W is a column: a dict of two zero arrays, dW1 and db1, each shaped like its "
              "parameter"),
    Case("init_momentum", "four layers of different widths", (parameters(9, dims=(6, 5, 3, 2, 1)),),
         hint="four layers of different widths: eight zero arrays, each with exactly the shape of its own parameter"),
    Case("momentum_update", "first step from zero velocity", (P, G, zeros(P)),
         {"learning_rate": 0.1}, visible=True,
         hint="from a zero velocity the new v is (1 - beta) times the gradient, and the parameters step with that "
              "new v; check both returned dicts"),
    Case("momentum_update", "from a non-zero velocity, beta=0.8", (P, G, V),
         {"learning_rate": 0.05, "beta": 0.8}, visible=True,
         hint="right on the first step from zeros, wrong from a non-zero velocity: check how the previous v enters "
              "the update, and that the beta argument is used"),
    Case("momentum_update", "step 4 of a run: velocity built up over 3 earlier steps",
         (P, gradients(39, P, scale=0.5), HISTORY), {"learning_rate": 0.2},
         hint="a velocity built up over earlier steps: the new v keeps beta of it and adds (1 - beta) of the new "
              "gradient, and the parameters step with the new v, not the old one"),
    Case("momentum_update", "beta=0 is plain gradient descent (the old velocity is forgotten)", (P, G, V),
         {"learning_rate": 0.3, "beta": 0.0},
         hint="with beta = 0 the new velocity is the gradient itself and the step is plain gradient descent; check "
              "which weight multiplies the old velocity and which the gradient"),
    Case("momentum_update", "beta=0.99, a long memory", (P, G, V),
         {"learning_rate": 1.0, "beta": 0.99},
         hint="beta close to 1: the new velocity is almost the old one plus 1% of the gradient, and learning_rate = "
              "1 shows any mix-up of the two weights"),
    Case("momentum_update", "three layers, non-zero velocity: returns a new v dict, inputs untouched",
         (P3, G3, V3), {"learning_rate": 0.1, "beta": 0.7},
         hint="three layers: every W_l, b_l and velocity entry is updated, whatever the depth, in new dicts that "
              "leave parameters, grads and v as they were"),
]

# The twins of the visible cases (see casebook.twin): init_momentum's output depends on the shapes
# only, so scaling the numbers would not change it; these have other layer widths.
TWINS = [
    Case("init_momentum", "two layers", (parameters(130, dims=(4, 3, 1)),), hint=TWO_LAYERS_HINT),
    Case("init_momentum", "three layers", (parameters(133, dims=(3, 5, 2, 2)),), hint=THREE_LAYERS_HINT),
]

# ----------------------------------------------------------------------------- predict, then check

QUESTIONS = [
    Question(
        "predict_pytorch_learning_rate",
        "the course's learning rate that takes the same steps as PyTorch's SGD with lr=0.05, momentum=0.99",
        misconceptions=[
            Misconception({"course_learning_rate": 0.05}, "that is PyTorch's rate copied unscaled: PyTorch's "
                          "velocity is a sum that grows to 1/(1 - beta) gradients, ours an average the size of one "
                          "gradient, so our rate must make up that factor"),
            Misconception({"course_learning_rate": 0.0005}, "the conversion goes the wrong way: our velocity is the "
                          "smaller one (an average, not a sum), so our learning rate must be the larger one"),
            Misconception({"course_learning_rate": 0.5}, "a factor of 10 is the rule for beta = 0.9, about ten "
                          "gradients in PyTorch's sum; with momentum=0.99 the sum holds 1/(1 - beta) gradients of "
                          "this beta"),
        ],
        hint="for a gradient g that stays the same, our velocity tends to g and PyTorch's to g/(1 - beta); the "
             "steps are equal when the learning rates make up that factor (section 6)",
    ),
]
