"""Check cases of lesson 08 (batch normalization).

The backward cases take a cache made by the reference batchnorm_forward (keys "mu", "var",
"Z_norm", "gamma", "epsilon"), so a student's backward is judged on its own."""

from functools import partial

import numpy as np

from grader.casebook import Case, Mistake
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


def _cache(Z, gamma, beta, epsilon=1e-5):
    return batchnorm_forward(Z, gamma, beta, epsilon)[1]


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
    Mistake("batchnorm_backward", "epsilon is hard-coded; use cache[\"epsilon\"]", _backward_variant(epsilon=1e-5)),
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
_forward_case = partial(Case, "batchnorm_forward", compared_keys=(1, ("mu", "var")))

CASES = [
    # batchnorm_forward
    _forward_case("3 units, 5 examples", (Z_35, GAMMA_3, BETA_3), visible=True),
    _forward_case("by hand: mu = 2, var = 1 and 4 (m = 2)", (Z_HAND, GAMMA_HAND, BETA_HAND),
         visible=True),
    _forward_case("m = 3: biased variance", (Z_23, _column([0.5, 2.0]), _column([0.0, 1.0]))),
    _forward_case("epsilon probe: variance about 0.01, epsilon = 0.1",
         (Z_SMALL, _column([1.0, -2.0]), _column([0.5, 0.0])), {"epsilon": 0.1}),
    _forward_case("a constant row (variance 0) gives beta", (Z_CONSTANT_ROW, _column([2.0, 3.0]),
                                                                         _column([-1.0, 0.5]))),
    _forward_case("4 units, 8 examples", (Z_48, GAMMA_4, BETA_4)),
    # batchnorm_backward (caches from the reference forward)
    Case("batchnorm_backward", "3 units, 5 examples", (_normal(87, (3, 5)), _cache(Z_35, GAMMA_3, BETA_3)),
         visible=True),
    Case("batchnorm_backward", "2 units, 4 examples, gamma (2, -0.5)",
         (_normal(88, (2, 4)), _cache(_normal(89, (2, 4), scale=3.0), _column([2.0, -0.5]), _column([1.0, 1.0]))),
         visible=True),
    Case("batchnorm_backward", "m = 3", (_normal(90, (2, 3)), _cache(Z_23, _column([0.5, 2.0]), _column([0.0, 1.0])))),
    Case("batchnorm_backward", "epsilon = 0.1 in the cache",
         (_normal(91, (2, 6)), _cache(Z_SMALL, _column([1.0, -2.0]), _column([0.5, 0.0]), 0.1))),
    Case("batchnorm_backward", "dZ_tilde constant along the batch: dZ is zero",
         (np.array([[1.0] * 5, [-2.0] * 5, [0.5] * 5]), _cache(Z_35, GAMMA_3, BETA_3))),
    Case("batchnorm_backward", "4 units, 8 examples", (_normal(92, (4, 8)), _cache(Z_48, GAMMA_4, BETA_4))),
    # update_running_stats
    Case("update_running_stats", "update 1 of 3 from the initial (0, 1)", (*RUNNING_STARTS[0], MU_STEPS[0],
                                                                           VAR_STEPS[0]), visible=True),
    Case("update_running_stats", "from non-zero statistics, momentum 0.8",
         (_column([0.5, -1.0]), _column([2.0, 0.5]), _column([1.5, 1.0]), _column([1.0, 3.0])),
         {"momentum": 0.8}, visible=True),
    *[
        Case("update_running_stats", f"update {step + 1} of 3 from the initial (0, 1)",
             (*RUNNING_STARTS[step], MU_STEPS[step], VAR_STEPS[step]))
        for step in (1, 2)
    ],
    Case("update_running_stats", "from non-zero statistics, momentum 0.99",
         (_column([2.0, -3.0, 0.0, 1.0]), _column([0.5, 4.0, 1.0, 2.0]), _column([1.0, 1.0, -1.0, 0.0]),
          _column([3.0, 0.5, 0.25, 8.0])), {"momentum": 0.99}),
    # batchnorm_inference
    Case("batchnorm_inference", "3 units, 4 examples, running statistics",
         (_normal(93, (3, 4), scale=2.0), GAMMA_3, BETA_3, _column([0.5, -1.0, 2.0]), _column([2.0, 0.5, 4.0])),
         visible=True),
    Case("batchnorm_inference", "a single example", (_normal(94, (3, 1)), GAMMA_3, BETA_3,
                                                     _column([0.5, -1.0, 2.0]), _column([2.0, 0.5, 4.0])),
         visible=True),
    Case("batchnorm_inference", "epsilon probe: running variance 0.01, epsilon = 0.1",
         (_normal(95, (2, 5), scale=0.1), _column([1.0, 2.0]), _column([0.0, -1.0]), _column([0.05, -0.02]),
          _column([0.01, 0.02])), {"epsilon": 0.1}),
    Case("batchnorm_inference", "the initial running statistics (0, 1)",
         (_normal(96, (2, 3)), _column([1.5, 0.5]), _column([0.2, 0.0]), np.zeros((2, 1)), np.ones((2, 1)))),
    Case("batchnorm_inference", "4 units, 8 examples", (Z_48, GAMMA_4, BETA_4, _column([-1.5, -2.0, -3.0, 0.0]),
                                                        _column([3.0, 0.5, 2.0, 9.0]))),
]

# The twins of the visible cases (see casebook.twin) that scaling cannot make: "by hand" must
# keep the statistics its name quotes, and a backward case needs a cache that the reference
# forward made (scaled Z_norm and var would no longer agree, and a correct backward written
# with the full chain rule through var and mu would then be judged wrong).
TWINS = [
    _forward_case("by hand: mu = 2, var = 1 and 4 (m = 2)",
                  (np.array([[3.0, 1.0], [4.0, 0.0]]), _column([-1.5, 2.5]), _column([0.5, 2.0]))),  # Z_HAND reversed
    Case("batchnorm_backward", "3 units, 5 examples",
         (_normal(187, (3, 5)), _cache(_normal(180, (3, 5), scale=2.0, shift=1.0), _normal(181, (3, 1), shift=1.0),
                                       _normal(182, (3, 1))))),
    Case("batchnorm_backward", "2 units, 4 examples, gamma (2, -0.5)",
         (_normal(188, (2, 4)), _cache(_normal(189, (2, 4), scale=3.0), _column([2.0, -0.5]), _column([1.0, 1.0])))),
]
