"""Check cases of lesson 08 (batch normalization).

A backward case names the arguments of a forward pass. Its cache argument is the one the reference
batchnorm_forward makes on them, and the grader also calls the student's own forward on them: a
student whose forward is right has their backward judged on the cache their forward made (whatever
keys it holds), any other on the reference cache (see casebook.OwnCache)."""

from functools import partial

import numpy as np

from grader.casebook import Case, Misconception, Mistake, OwnCache, Question
from solutions.batch_normalization import batchnorm_forward, update_running_stats


def _normal(seed, shape, scale=1.0, shift=0.0):
    return shift + scale * np.random.default_rng(seed).standard_normal(shape)


def _column(values):
    return np.array(values, dtype=float).reshape(-1, 1)


# ----------------------------------------------------------------------------- inputs

Z_35 = _normal(80, (3, 5), scale=2.0, shift=1.0)
GAMMA_3, BETA_3 = _normal(81, (3, 1), shift=1.0), _normal(82, (3, 1))
Z_HAND = np.array([[1.0, 3.0], [0.0, 4.0]])  # row 0: mu 2, var 1; row 1: mu 2, var 4
GAMMA_HAND, BETA_HAND = _column([2.0, 3.0]), _column([1.0, -1.0])
Z_23 = np.array([[0.5, -1.0, 2.5], [3.0, 3.5, 1.0]])
Z_SMALL = _normal(83, (2, 6), scale=0.1)  # var about 0.01: epsilon=0.1 inside or outside the root differs
Z_CONSTANT_ROW = np.array([[1.0, 2.0, 4.0, 7.0], [5.0, 5.0, 5.0, 5.0]])
Z_48 = _normal(84, (4, 8), scale=3.0, shift=-2.0)
GAMMA_4, BETA_4 = _normal(85, (4, 1), scale=0.5, shift=1.5), _normal(86, (4, 1))


# The spec's promise about a forward pass: Z_tilde and the cache's "mu" and "var" (more keys are allowed).
FORWARD_KEYS = (1, ("mu", "var"))


def _backward_case(name, args, **options):
    """A batchnorm_backward case from args = (dZ_tilde, arguments of batchnorm_forward)."""
    dZ_tilde, forward_args = args
    own = OwnCache("batchnorm_forward", forward_args, FORWARD_KEYS)
    return Case("batchnorm_backward", name, (dZ_tilde, batchnorm_forward(*forward_args)[1]), own_cache=own, **options)


# Three consecutive running-stat updates from the initial (0, 1): each case starts from the
# reference result of the one before.
MU_STEPS = [_column([1.0, -2.0, 0.5]), _column([3.0, 0.0, 1.5]), _column([-1.0, 4.0, 2.0])]
VAR_STEPS = [_column([4.0, 0.25, 2.0]), _column([1.0, 9.0, 0.5]), _column([0.0, 2.0, 16.0])]
RUNNING_STARTS = [(np.zeros((3, 1)), np.ones((3, 1)))]
for _mu, _var in zip(MU_STEPS, VAR_STEPS, strict=True):
    RUNNING_STARTS.append(update_running_stats(*RUNNING_STARTS[-1], _mu, _var))

# ----------------------------------------------------------------------------- wrong versions


def _forward(Z, gamma, beta, epsilon=1e-5, *, ddof=0, eps_outside=False, eps=True, axis=1, affine=True):
    mu = Z.mean(axis=axis, keepdims=True)
    var = ((Z - mu) ** 2).sum(axis=axis, keepdims=True) / (Z.shape[axis] - ddof)
    if not eps:
        scale = np.sqrt(var)
    else:
        scale = np.sqrt(var) + epsilon if eps_outside else np.sqrt(var + epsilon)
    with np.errstate(divide="ignore", invalid="ignore"):  # no warning in the student's test cell
        Z_norm = (Z - mu) / scale
    cache = {"mu": mu, "var": var, "Z_norm": Z_norm, "gamma": gamma, "epsilon": epsilon}
    return (gamma * Z_norm + beta if affine else Z_norm), cache


def _forward_variant(**options):
    def forward(Z, gamma, beta, epsilon=1e-5):
        return _forward(Z, gamma, beta, epsilon, **options)

    return forward


def _backward(dZ_tilde, cache, *, through_mu=True, through_var=True, sums=True, use_gamma=True,
              epsilon=None, extra_m=False):
    Z_norm, gamma = cache["Z_norm"], cache["gamma"]
    m = dZ_tilde.shape[1]
    reduce = np.sum if sums else np.mean
    dbeta = reduce(dZ_tilde, axis=1, keepdims=True)
    dgamma = reduce(dZ_tilde * Z_norm, axis=1, keepdims=True)
    dZ_norm = gamma * dZ_tilde if use_gamma else dZ_tilde
    inner = dZ_norm.copy()
    if through_mu:
        inner -= dZ_norm.mean(axis=1, keepdims=True)
    if through_var:
        inner -= Z_norm * (dZ_norm * Z_norm).mean(axis=1, keepdims=True)
    dZ = inner / np.sqrt(cache["var"] + (cache["epsilon"] if epsilon is None else epsilon))
    return (dZ / m if extra_m else dZ), dgamma, dbeta


def _backward_variant(**options):
    def backward(dZ_tilde, cache):
        return _backward(dZ_tilde, cache, **options)

    return backward


def _running(running_mean, running_var, mu, var, momentum=0.9, *, mean_side=True, var_side=True,
             var_from_mu=False, swap_outputs=False):
    new_mean = momentum * running_mean + (1 - momentum) * mu if mean_side else momentum * mu + (
        1 - momentum) * running_mean
    batch_var = mu if var_from_mu else var
    new_var = momentum * running_var + (1 - momentum) * batch_var if var_side else momentum * batch_var + (
        1 - momentum) * running_var
    return (new_var, new_mean) if swap_outputs else (new_mean, new_var)


def _running_variant(**options):
    def update(running_mean, running_var, mu, var, momentum=0.9):
        return _running(running_mean, running_var, mu, var, momentum, **options)

    return update


def _inference(Z, gamma, beta, running_mean, running_var, epsilon=1e-5, *, batch_stats=False,
               eps_outside=False, eps=True, no_sqrt=False):
    if batch_stats:
        mean, var = Z.mean(axis=1, keepdims=True), Z.var(axis=1, keepdims=True)
    else:
        mean, var = running_mean, running_var
    if no_sqrt:
        scale = var + epsilon
    elif not eps:
        scale = np.sqrt(var)
    else:
        scale = np.sqrt(var) + epsilon if eps_outside else np.sqrt(var + epsilon)
    with np.errstate(divide="ignore", invalid="ignore"):
        return gamma * (Z - mean) / scale + beta


def _inference_variant(**options):
    def inference(Z, gamma, beta, running_mean, running_var, epsilon=1e-5):
        return _inference(Z, gamma, beta, running_mean, running_var, epsilon, **options)

    return inference


MISTAKES = [
    Mistake("batchnorm_forward", "your variance is the unbiased one (divides by m - 1); batch norm divides by m",
            _forward_variant(ddof=1)),
    Mistake("batchnorm_forward", "epsilon is outside the square root; batch norm uses sqrt(var + epsilon)",
            _forward_variant(eps_outside=True)),
    Mistake("batchnorm_forward", "epsilon is missing: divide by sqrt(var + epsilon)", _forward_variant(eps=False)),
    Mistake("batchnorm_forward", "you normalize over the wrong axis (the units, axis 0); the statistics are "
            "over the examples of the batch, axis 1", _forward_variant(axis=0)),
    Mistake("batchnorm_forward", "you return Z_norm: scale it by gamma and shift it by beta",
            _forward_variant(affine=False)),
    Mistake("batchnorm_backward", "you forgot the terms through mu and var (you treat them as constants): "
            "Z_norm depends on every example of the batch", _backward_variant(through_mu=False, through_var=False)),
    Mistake("batchnorm_backward", "you forgot the term through var: subtract Z_norm * mean(dZ_norm * Z_norm) too",
            _backward_variant(through_var=False)),
    Mistake("batchnorm_backward", "you forgot the term through mu: subtract mean(dZ_norm) too",
            _backward_variant(through_mu=False)),
    Mistake("batchnorm_backward", "dgamma and dbeta are means over the batch; they are sums (dZ_tilde already "
            "carries the 1/m of the mean cost)", _backward_variant(sums=False)),
    Mistake("batchnorm_backward", "dZ is missing the factor gamma: dZ_norm = gamma * dZ_tilde",
            _backward_variant(use_gamma=False)),
    Mistake("batchnorm_backward", "epsilon is hard-coded; use the epsilon the forward pass was given (keep it "
            "in the cache)", _backward_variant(epsilon=1e-5)),
    Mistake("batchnorm_backward", "dZ has an extra factor 1/m: with means (not sums) inside the bracket the 1/m "
            "is already there", _backward_variant(extra_m=True)),
    Mistake("update_running_stats", "the running averages use the wrong momentum side: "
            "running = momentum * running + (1 - momentum) * batch statistic",
            _running_variant(mean_side=False, var_side=False)),
    Mistake("update_running_stats", "the running variance uses the wrong momentum side: "
            "running_var = momentum * running_var + (1 - momentum) * var", _running_variant(var_side=False)),
    Mistake("update_running_stats", "the running mean uses the wrong momentum side: "
            "running_mean = momentum * running_mean + (1 - momentum) * mu", _running_variant(mean_side=False)),
    Mistake("update_running_stats", "the running variance averages the batch mean mu instead of the batch variance",
            _running_variant(var_from_mu=True)),
    Mistake("update_running_stats", "you return (running_var, running_mean); return (running_mean, running_var)",
            _running_variant(swap_outputs=True)),
    Mistake("batchnorm_inference", "you use the statistics of the test batch; at test time use the running "
            "mean and variance", _inference_variant(batch_stats=True)),
    Mistake("batchnorm_inference", "epsilon is outside the square root; use sqrt(running_var + epsilon)",
            _inference_variant(eps_outside=True)),
    Mistake("batchnorm_inference", "epsilon is missing: divide by sqrt(running_var + epsilon)",
            _inference_variant(eps=False)),
    Mistake("batchnorm_inference", "you divide by the running variance; divide by its square root, "
            "sqrt(running_var + epsilon)", _inference_variant(no_sqrt=True)),
]

# The cache may hold more than the spec asks; its forward checks look at Z_tilde, "mu" and "var".
_forward_case = partial(Case, "batchnorm_forward", compared_keys=FORWARD_KEYS)

# Hints shared by a visible case and its declared twin (see TWINS).
BY_HAND_HINT = (
    "numbers to check by hand: row 0 has mean 2 and variance 1, row 1 mean 2 and variance 4, the variance "
    "dividing by m = 2 (not m - 1); each row is then scaled by its gamma and shifted by its beta"
)
BACKWARD_HINT = (
    "dbeta and dgamma are sums over the examples; dZ takes gamma and the terms through the batch mean and "
    "variance, all divided by the square root of var plus epsilon"
)
NEGATIVE_GAMMA_HINT = "a negative gamma: dZ scales with gamma, sign included, while dgamma and dbeta do not use it"

CASES = [
    # batchnorm_forward
    _forward_case("3 units, 5 examples", (Z_35, GAMMA_3, BETA_3), visible=True,
                  hint="each unit (a row) is normalized over the examples of the batch (axis 1) with its own mean "
                       "and variance, then scaled by gamma and shifted by beta; the cache holds those mu and var"),
    _forward_case("by hand: mu = 2, var = 1 and 4 (m = 2)", (Z_HAND, GAMMA_HAND, BETA_HAND),
         visible=True, hint=BY_HAND_HINT),
    _forward_case("m = 3: biased variance", (Z_23, _column([0.5, 2.0]), _column([0.0, 1.0])),
                  hint="the variance divides by m, not m - 1: with m = 3 the two differ by a factor 3/2"),
    _forward_case("epsilon probe: variance about 0.01, epsilon = 0.1",
         (Z_SMALL, _column([1.0, -2.0]), _column([0.5, 0.0])), {"epsilon": 0.1},
                  hint="epsilon is larger than the variance here: it is added to var inside the square root, and "
                       "the epsilon argument is used"),
    _forward_case("a constant row (variance 0) gives beta", (Z_CONSTANT_ROW, _column([2.0, 3.0]),
                                                                         _column([-1.0, 0.5])),
                  hint="a row with zero variance: Z - mu is zero there, epsilon keeps the division finite, and that "
                       "row of the output equals beta"),
    _forward_case("4 units, 8 examples", (Z_48, GAMMA_4, BETA_4),
                  hint="four units, eight examples: statistics per row over axis 1, kept as (n, 1) columns, with "
                       "gamma and beta broadcast along the examples"),
    # batchnorm_backward: (dZ_tilde, the arguments of the forward pass that makes the cache)
    _backward_case("3 units, 5 examples", (_normal(87, (3, 5)), (Z_35, GAMMA_3, BETA_3)), visible=True,
                   hint=BACKWARD_HINT),
    _backward_case("2 units, 4 examples, gamma (2, -0.5)",
                   (_normal(88, (2, 4)), (_normal(89, (2, 4), scale=3.0), _column([2.0, -0.5]), _column([1.0, 1.0]))),
                   visible=True, hint=NEGATIVE_GAMMA_HINT),
    _backward_case("m = 3", (_normal(90, (2, 3)), (Z_23, _column([0.5, 2.0]), _column([0.0, 1.0]))),
                   hint="with m = 3 the means inside the bracket of dZ divide by 3, while dgamma and dbeta stay "
                        "sums over the examples"),
    _backward_case("epsilon = 0.1 in the cache",
                   (_normal(91, (2, 6)), (Z_SMALL, _column([1.0, -2.0]), _column([0.5, 0.0]), 0.1)),
                   hint="the forward pass was given epsilon = 0.1: dZ divides by the square root of var plus that "
                        "epsilon, not a default one"),
    _backward_case("dZ_tilde constant along the batch: dZ is zero",
                   (np.array([[1.0] * 5, [-2.0] * 5, [0.5] * 5]), (Z_35, GAMMA_3, BETA_3)),
                   hint="a gradient equal for every example shifts them all alike, which the normalization cancels: "
                        "dZ is zero, while dbeta is m times that gradient"),
    _backward_case("4 units, 8 examples", (_normal(92, (4, 8)), (Z_48, GAMMA_4, BETA_4)),
                   hint="four units, eight examples: every term of dZ is computed per row, with means over the "
                        "examples (axis 1)"),
    # update_running_stats
    Case("update_running_stats", "update 1 of 3 from the initial (0, 1)", (*RUNNING_STARTS[0], MU_STEPS[0],
                                                                           VAR_STEPS[0]), visible=True,
         hint="each running value keeps momentum of itself and adds (1 - momentum) of the batch statistic, the mean "
              "from mu and the variance from var; return (running_mean, running_var) in that order"),
    Case("update_running_stats", "from non-zero statistics, momentum 0.8",
         (_column([0.5, -1.0]), _column([2.0, 0.5]), _column([1.5, 1.0]), _column([1.0, 3.0])),
         {"momentum": 0.8}, visible=True,
         hint="the momentum argument must be used, and it multiplies the running value, not the batch statistic"),
    *[
        Case("update_running_stats", f"update {step + 1} of 3 from the initial (0, 1)",
             (*RUNNING_STARTS[step], MU_STEPS[step], VAR_STEPS[step]),
             hint="a later update of a run, starting where the one before left off: each output follows its own "
                  "input (the mean from mu, the variance from var), with momentum on the running side")
        for step in (1, 2)
    ],
    Case("update_running_stats", "from non-zero statistics, momentum 0.99",
         (_column([2.0, -3.0, 0.0, 1.0]), _column([0.5, 4.0, 1.0, 2.0]), _column([1.0, 1.0, -1.0, 0.0]),
          _column([3.0, 0.5, 0.25, 8.0])), {"momentum": 0.99},
         hint="momentum 0.99: the running statistics barely move, 1% of the way toward the batch's, the variance "
              "toward var (not mu)"),
    # batchnorm_inference
    Case("batchnorm_inference", "3 units, 4 examples, running statistics",
         (_normal(93, (3, 4), scale=2.0), GAMMA_3, BETA_3, _column([0.5, -1.0, 2.0]), _column([2.0, 0.5, 4.0])),
         visible=True,
         hint="at test time normalize with the running mean and variance passed in, not the statistics of this "
              "batch, then scale by gamma and shift by beta"),
    Case("batchnorm_inference", "a single example", (_normal(94, (3, 1)), GAMMA_3, BETA_3,
                                                     _column([0.5, -1.0, 2.0]), _column([2.0, 0.5, 4.0])),
         visible=True,
         hint="a single example has no useful batch statistics (its variance is 0): only the running mean and "
              "variance give the right result"),
    Case("batchnorm_inference", "epsilon probe: running variance 0.01, epsilon = 0.1",
         (_normal(95, (2, 5), scale=0.1), _column([1.0, 2.0]), _column([0.0, -1.0]), _column([0.05, -0.02]),
          _column([0.01, 0.02])), {"epsilon": 0.1},
         hint="epsilon is larger than the running variance here: it is added to running_var inside the square root, "
              "and the epsilon argument is used"),
    Case("batchnorm_inference", "the initial running statistics (0, 1)",
         (_normal(96, (2, 3)), _column([1.5, 0.5]), _column([0.2, 0.0]), np.zeros((2, 1)), np.ones((2, 1))),
         hint="with running mean 0 and variance 1 the normalization is almost the identity: the output is close to "
              "gamma * Z + beta"),
    Case("batchnorm_inference", "4 units, 8 examples", (Z_48, GAMMA_4, BETA_4, _column([-1.5, -2.0, -3.0, 0.0]),
                                                        _column([3.0, 0.5, 2.0, 9.0])),
         hint="four units: each row uses its own running mean and the square root of its own running variance plus "
              "epsilon"),
]

# The twins of the visible cases (see casebook.twin) that scaling cannot make: "by hand" must
# keep the statistics its name quotes, and a backward case needs a cache that a forward pass
# made (scaled Z_norm and var would no longer agree, and a correct backward written with the
# full chain rule through var and mu would then be judged wrong).
TWINS = [
    _forward_case("by hand: mu = 2, var = 1 and 4 (m = 2)",
                  (np.array([[3.0, 1.0], [4.0, 0.0]]), _column([-1.5, 2.5]), _column([0.5, 2.0])),
                  hint=BY_HAND_HINT),  # Z_HAND reversed
    _backward_case("3 units, 5 examples",
                   (_normal(187, (3, 5)), (_normal(180, (3, 5), scale=2.0, shift=1.0), _normal(181, (3, 1), shift=1.0),
                                           _normal(182, (3, 1)))), hint=BACKWARD_HINT),
    _backward_case("2 units, 4 examples, gamma (2, -0.5)",
                   (_normal(188, (2, 4)),
                    (_normal(189, (2, 4), scale=3.0), _column([2.0, -0.5]), _column([1.0, 1.0]))),
                   hint=NEGATIVE_GAMMA_HINT),
]


# ----------------------------------------------------------------------------- questions
# Each misconception value is what its wrong reasoning computes for the question's numbers.
# Batch of one (z = 3, gamma = 2, beta = 0.5): unchanged z gives 3; gamma * z + beta (no
# normalization, or the initial running statistics 0 and 1) gives 6.5; dividing z by its own size
# (z_norm = 1) gives 2.5; stopping at z_norm gives 0. Uniform upstream gradient (z = 1, 3, 5, 7,
# gamma = 2, dZ_tilde = 1 everywhere, so var = 5): dbeta as a mean gives 1; mu and var taken as
# constants give dZ = gamma / sqrt(5 + 1e-5) = 0.894; dZ_norm = gamma * dZ_tilde gives 2. The texts
# name no right value, nor any digit of it.

QUESTIONS = [
    Question("predict_batch_of_one", "batch norm's output for a mini-batch of one example, with batch statistics",
             misconceptions=[
                 Misconception({"z_tilde_one_example": 3.0},
                               "a single example is not passed through unchanged: the batch mean is subtracted "
                               "first, and in a batch of one it is the example itself"),
                 Misconception({"z_tilde_one_example": 6.5},
                               "that scales and shifts z itself, skipping the normalization; equation (2) first "
                               "subtracts the batch mean and divides by the batch spread"),
                 Misconception({"z_tilde_one_example": 2.5},
                               "that takes the normalized value as one, as if z were divided by its own size; the "
                               "batch mean is subtracted before the division"),
                 Misconception({"z_tilde_one_example": 0.0},
                               "the normalized value is indeed zero here, but equation (2) does not end with the "
                               "normalization"),
             ],
             hint="with one example in the batch, compute mu and sigma squared from (1) first, then z - mu, then "
                  "follow (2) to its end; epsilon keeps the division defined"),
    Question("predict_uniform_upstream_gradient", "dbeta and the first entry of dZ when the upstream gradient is the "
             "same for every example",
             misconceptions=[
                 Misconception({"dbeta_value": 1.0},
                               "that is the mean of the upstream gradient over the batch; beta is shared by every "
                               "example, and its gradient collects each example's contribution"),
                 Misconception({"dz_first": 0.894},
                               "that treats mu and sigma squared as constants, keeping only the first term of the "
                               "bracket in the formula for dZ; an equal gradient for every example asks for a shift "
                               "of the whole batch, and the normalization undoes shifts"),
                 Misconception({"dz_first": 2.0},
                               "that is dz_norm, the gradient at the normalized values; the formula for dZ still "
                               "subtracts its mean over the batch and the term through sigma squared, and divides "
                               "by the spread"),
             ],
             hint="compute the two means inside the bracket of the formula for dZ for this gradient, or ask how the "
                  "sum of the outputs can change when Z changes"),
]
