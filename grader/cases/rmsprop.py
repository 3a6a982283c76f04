"""Check cases of lesson 04 (RMSprop)."""

import numpy as np

from grader.case_inputs import THREE_LAYERS_HINT, TWO_LAYERS_HINT, gradients, parameters, squares, zeros
from grader.casebook import Case, Misconception, Mistake, Question

P = parameters(40)
G = gradients(41, P)
S = squares(42, P, scale=0.5)
P3 = parameters(43, dims=(4, 3, 2, 1))
G3 = gradients(44, P3)


def _mean_square_after(grads_seq, beta2):
    """The state s after running the course's recurrence over grads_seq from zero."""
    s = {key: np.zeros_like(value) for key, value in grads_seq[0].items()}
    for grads in grads_seq:
        s = {key: beta2 * s[key] + (1 - beta2) * grads[key] ** 2 for key in s}
    return s


# Four earlier steps of a run whose gradients shrink, then a fifth gradient.
HISTORY = _mean_square_after([gradients(45 + i, P, scale=3.0 / (i + 1)) for i in range(4)], 0.99)

# Some gradient entries are exactly zero where s is zero too: the step there must be 0, not 0/0.
G_ZERO = {key: value.copy() for key, value in G.items()}
G_ZERO["dW1"][0, :] = 0.0
G_ZERO["db2"][:] = 0.0
S_ZERO = {key: value.copy() for key, value in S.items()}
S_ZERO["dW1"][0, :] = 0.0
S_ZERO["db2"][:] = 0.0


# ----------------------------------------------------------------------------- mistakes


def _rmsprop(parameters, grads, s, learning_rate, beta2, epsilon, *, square=lambda g: g**2, weight=None,
             denominator="outside", state="new"):
    new_s = {k: beta2 * s[k] + (1 - beta2 if weight is None else weight) * square(grads[k]) for k in s}
    used = new_s if state == "new" else s
    out = {}
    for key, value in parameters.items():
        mean_square = used["d" + key]
        with np.errstate(divide="ignore", invalid="ignore"):
            if denominator == "outside":
                scale = np.sqrt(mean_square) + epsilon
            elif denominator == "inside":
                scale = np.sqrt(mean_square + epsilon)
            elif denominator == "no_root":
                scale = mean_square + epsilon
            else:  # no epsilon at all
                scale = np.sqrt(mean_square)
            out[key] = value - learning_rate * grads["d" + key] / scale
    return out, new_s


def _variant(**options):
    def update(parameters, grads, s, *, learning_rate, beta2=0.999, epsilon=1e-8):
        return _rmsprop(parameters, grads, s, learning_rate, beta2, epsilon, **options)

    return update


def _parameter_keys(parameters):
    return {key: np.zeros_like(value) for key, value in parameters.items()}


MISTAKES = [
    Mistake("rmsprop_update", "epsilon inside the square root: use sqrt(s) + epsilon, not sqrt(s + epsilon)",
            _variant(denominator="inside")),
    Mistake("rmsprop_update", "the squared gradient is not squared: s must average dW**2, not |dW|",
            _variant(square=np.abs)),
    Mistake("rmsprop_update", "the squared gradient is not squared: s must average dW**2, not dW",
            _variant(square=lambda g: g)),
    Mistake("rmsprop_update", "your update divides by s instead of sqrt(s)", _variant(denominator="no_root")),
    Mistake("rmsprop_update", "you forgot the (1 - beta2) factor: s = beta2*s + (1 - beta2)*dW**2",
            _variant(weight=1.0)),
    Mistake("rmsprop_update", "epsilon is missing: divide by sqrt(s) + epsilon (without it, a zero gradient "
            "where s = 0 gives 0/0 = nan)", _variant(denominator="no_epsilon")),
    Mistake("rmsprop_update", "your update divides by the old s: update s first, then step with the new s",
            _variant(state="old")),
    Mistake("init_rmsprop", "the keys of s must be dW1, db1, ... (gradient keys), not the parameter keys",
            _parameter_keys),
]


CASES = [
    Case("init_rmsprop", "two layers", (P,), visible=True, hint=TWO_LAYERS_HINT),
    Case("init_rmsprop", "three layers", (P3,), visible=True, hint=THREE_LAYERS_HINT),
    Case("init_rmsprop", "one layer of shape (4, 1)", ({"W1": np.ones((4, 1)), "b1": np.ones((4, 1))},),
         hint="a single layer whose W is a column: a dict of two zero arrays, dW1 and db1, each shaped like its "
              "parameter"),
    Case("init_rmsprop", "four layers of different widths", (parameters(9, dims=(6, 5, 3, 2, 1)),),
         hint="four layers of different widths: eight zero arrays, each with exactly the shape of its own parameter"),
    Case("rmsprop_update", "first step from s = 0", (P, G, zeros(P)),
         {"learning_rate": 0.01}, visible=True,
         hint="from s = 0 the new s is (1 - beta2) times the squared gradient, and the step divides the gradient by "
              "the square root of the new s plus epsilon; check both returned dicts"),
    Case("rmsprop_update", "from a non-zero s, beta2=0.9", (P, G, S),
         {"learning_rate": 0.01, "beta2": 0.9}, visible=True,
         hint="right on the first step from zeros, wrong from a non-zero s: check how the previous s enters the "
              "average of squared gradients, and that the beta2 argument is used"),
    Case("rmsprop_update", "step 5 of a run: s built up over 4 earlier steps, beta2=0.99",
         (P, gradients(49, P, scale=0.5), HISTORY), {"learning_rate": 0.003, "beta2": 0.99},
         hint="an s built up over earlier steps: the new s keeps beta2 of it and adds (1 - beta2) of the squared "
              "new gradient, and the step divides by the root of the new s, not the old one"),
    Case("rmsprop_update", "epsilon probe: tiny gradients from s = 0 and a large epsilon",
         (P, gradients(50, P, scale=1e-4), zeros(P)), {"learning_rate": 0.1, "epsilon": 1e-3},
         hint="tiny gradients make epsilon a large part of the denominator: check that epsilon is added after the "
              "square root, and that the epsilon argument is used"),
    Case("rmsprop_update", "zero gradient entries where s = 0: their step is 0, not nan",
         (P, G_ZERO, S_ZERO), {"learning_rate": 0.01, "beta2": 0.9},
         hint="where both the gradient and s are zero the step must be 0: epsilon in the denominator is what keeps "
              "0/0 from giving nan"),
    Case("rmsprop_update", "beta2=0.8, three layers from a non-zero s",
         (P3, G3, squares(51, P3, scale=2.0)), {"learning_rate": 0.05, "beta2": 0.8},
         hint="three layers with beta2 = 0.8: the step of every parameter divides its gradient by the root of its "
              "own s, whatever the depth, and the beta2 argument is used throughout"),
]

# The twins of the visible cases (see casebook.twin): init_rmsprop's output depends on the shapes
# only, so scaling the numbers would not change it; these have other layer widths.
TWINS = [
    Case("init_rmsprop", "two layers", (parameters(140, dims=(4, 3, 1)),), hint=TWO_LAYERS_HINT),
    Case("init_rmsprop", "three layers", (parameters(143, dims=(3, 5, 2, 2)),), hint=THREE_LAYERS_HINT),
]


# ----------------------------------------------------------------------------- questions
# Each misconception value is what its wrong reasoning computes for the question's numbers
# (dW = 2, beta2 = 0.999, epsilon = 1e-8; then g = 1e-6 with s = g**2).

QUESTIONS = [
    Question("predict_rmsprop_first_step", "the length of RMSprop's first step from s = 0, in units of alpha",
             misconceptions=[
                 Misconception({"first_step_in_alphas": 1.0},
                               "a step of one alpha needs a mean square that has averaged many gradients; on the "
                               "first update s holds only a (1 - beta2) share of dW**2, equation (1) from s = 0"),
                 Misconception({"first_step_in_alphas": 2.0},
                               "alpha times |dW| is the step of gradient descent; RMSprop divides the gradient by "
                               "the root of its mean square, equation (2)"),
                 Misconception({"first_step_in_alphas": 500.0},
                               "you divided by s itself: the step divides by the square root of s (plus epsilon)"),
                 Misconception({"first_step_in_alphas": 2e8},
                               "you divided by the old s = 0, leaving epsilon alone in the denominator: update s "
                               "first, so that it includes this gradient, then step"),
             ],
             hint="from s = 0, equation (1) gives s after one update; take its square root and divide |dW| by it "
                  "(epsilon is negligible here)"),
    Question("predict_epsilon_inside", "the step of a steady tiny gradient (1e-6) with epsilon = 1e-8 inside the "
             "root, in units of alpha",
             misconceptions=[
                 Misconception({"steady_step_in_alphas": 0.99},
                               "that is the step with epsilon outside the root (or with no epsilon at all), where "
                               "1e-6 counts as a large gradient; inside, the root acts on epsilon too"),
                 Misconception({"steady_step_in_alphas": 1.0},
                               "epsilon is not negligible here: under the root it is compared with s = g**2, not "
                               "with g"),
                 Misconception({"steady_step_in_alphas": 100.0},
                               "you divided by s + epsilon without the square root"),
             ],
             hint="compare the two terms under the root, s = g**2 and epsilon: which one dominates, and what is "
                  "the square root of the sum?"),
]
