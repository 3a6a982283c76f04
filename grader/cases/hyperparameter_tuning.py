"""Check cases of lesson 07 (hyperparameter tuning)."""

import numpy as np

from coursekit.plain import Objective, Rng, quadratic_bowl_objective
from grader.casebook import Case, Misconception, Mistake, Question
from solutions.hyperparameter_tuning import random_search

BOWL = Objective("quadratic_bowl")  # lower near learning_rate=1e-2, beta=0.9, anything else=64
# Names in an order that is not alphabetical, so that drawing them sorted changes the values.
SPACE_2 = {"learning_rate": ("log", 1e-4, 1.0), "units": ("uniform", 16.0, 128.0)}
SPACE_4 = {
    "learning_rate": ("log", 1e-4, 1e-1),
    "beta": ("beta", 0.8, 0.999),
    "units": ("int", 32, 96),
    "hidden": ("uniform", 16.0, 128.0),
}
TIES = {"units": ("int", 60, 68)}  # units 63 and 65 score the same: ((v - 64) / 64)**2


def _trials(space, n_trials, seed):
    return random_search(quadratic_bowl_objective, space, n_trials, np.random.default_rng(seed))


# ----------------------------------------------------------------------------- samplers


def _log_uniform_linear(low, high, size, rng):
    return rng.uniform(low, high, size)


def _log_uniform_mixed_logs(low, high, size, rng):
    return 10 ** rng.uniform(np.log(low), np.log(high), size)


def _beta_log_uniform(low, high, size, rng):
    return 10 ** rng.uniform(np.log10(low), np.log10(high), size)


def _beta_linear(low, high, size, rng):
    return rng.uniform(low, high, size)


def _beta_returns_one_minus(low, high, size, rng):
    return 10 ** rng.uniform(np.log10(1 - high), np.log10(1 - low), size)


# ----------------------------------------------------------------------------- random search


def _search(objective, space, n_trials, rng, *, order=None, int_high=1, log="log", beta="beta",
            sort="stable", by_name=False):
    def draw(kind, low, high, size=None):
        if kind == "log":
            if log == "linear":
                return rng.uniform(low, high, size)
            return 10 ** rng.uniform(np.log10(low), np.log10(high), size)
        if kind == "beta":
            if beta == "log":
                return 10 ** rng.uniform(np.log10(low), np.log10(high), size)
            return 1 - 10 ** rng.uniform(np.log10(1 - high), np.log10(1 - low), size)
        if kind == "uniform":
            return rng.uniform(low, high, size)
        return rng.integers(low, high + int_high, size)

    names = list(space) if order is None else order(space)
    if by_name:  # every trial of one name at once, then the next name
        columns = {name: draw(*space[name], size=n_trials) for name in names}
        rows = [{name: columns[name][i].item() for name in space} for i in range(n_trials)]
    else:
        rows = []
        for _ in range(n_trials):
            drawn = {name: draw(*space[name]) for name in names}
            rows.append({name: int(drawn[name]) if space[name][0] == "int" else drawn[name] for name in space})
    trials = [(params, float(objective(params))) for params in rows]
    if sort == "none":
        return trials
    if sort == "worst_first":
        return sorted(trials, key=lambda trial: trial[1], reverse=True)
    if sort == "argsort":
        return [trials[i] for i in np.argsort([score for _, score in trials])]
    return sorted(trials, key=lambda trial: trial[1])


def _search_variant(**options):
    def search(objective, space, n_trials, rng):
        return _search(objective, space, n_trials, rng, **options)

    return search


# ----------------------------------------------------------------------------- refine


def _refine(trials, space, top_k=5, *, pick=lambda trials, k: trials[:k], kind=None):
    best = pick(trials, top_k)
    return {
        name: (kind or space_kind, min(p[name] for p, _ in best), max(p[name] for p, _ in best))
        for name, (space_kind, _, _) in space.items()
    }


def _refine_variant(**options):
    def refine(trials, space, top_k=5):
        return _refine(trials, space, top_k, **options)

    return refine


def _refine_without_kind(trials, space, top_k=5):
    return {name: (low, high) for name, (_, low, high) in _refine(trials, space, top_k).items()}


MISTAKES = [
    Mistake("sample_log_uniform", "you sample the value uniformly on [low, high] instead of on a log scale",
            _log_uniform_linear),
    Mistake("sample_log_uniform", "you mix natural log (np.log) and base 10 (10**); use np.log10 with 10**",
            _log_uniform_mixed_logs),
    Mistake("sample_beta", "you sample beta log-uniformly; it is 1 - beta that should be log-uniform",
            _beta_log_uniform),
    Mistake("sample_beta", "you sample beta uniformly on [low, high]; 1 - beta should be log-uniform",
            _beta_linear),
    Mistake("sample_beta", "you return 1 - beta instead of beta", _beta_returns_one_minus),
    Mistake("random_search", "your trials are sorted worst first; lower scores are better, best first",
            _search_variant(sort="worst_first")),
    Mistake("random_search", "your trials are in the order they were run; sort them by score, best first",
            _search_variant(sort="none")),
    Mistake("random_search", "ties come out of order: np.argsort is not stable by default; use "
            "sorted(..., key=...) (or kind='stable')", _search_variant(sort="argsort")),
    Mistake("random_search", "you draw the names in sorted order instead of the order of `space`",
            _search_variant(order=sorted)),
    Mistake("random_search", "your \"int\" draws exclude the upper bound: use rng.integers(low, high + 1)",
            _search_variant(int_high=0)),
    Mistake("random_search", "you draw all trials of one hyperparameter at once; draw trial by trial, "
            "every name in space order within a trial", _search_variant(by_name=True)),
    Mistake("random_search", "\"log\" hyperparameters are sampled uniformly instead of with sample_log_uniform",
            _search_variant(log="linear")),
    Mistake("random_search", "\"beta\" hyperparameters are sampled log-uniformly instead of with sample_beta",
            _search_variant(beta="log")),
    Mistake("refine_space", "refine_space uses all trials instead of the top_k best",
            _refine_variant(pick=lambda trials, k: trials)),
    Mistake("refine_space", "refine_space uses the last top_k trials, the worst ones; trials come best first",
            _refine_variant(pick=lambda trials, k: trials[-k:])),
    Mistake("refine_space", "the kinds are not kept: the new range of a name keeps the kind it had in `space`",
            _refine_variant(kind="uniform")),
    Mistake("refine_space", "each new range must be a (kind, low, high) tuple; yours drops the kind",
            _refine_without_kind),
]

# Hints shared by a visible case and its declared twin (see TWINS).
TOP_3_OF_10_HINT = (
    "each name's new range spans the smallest and largest of its values over the top_k best trials (the first "
    "ones: trials come best first), as a (kind, low, high) tuple keeping the kind it had in space"
)
DEFAULT_TOP_5_OF_12_HINT = (
    "top_k defaults to 5: only the first five trials count, and each new range is a (kind, low, high) tuple"
)

CASES = [
    Case("sample_log_uniform", "five values on [1e-4, 1]", (1e-4, 1.0, 5, Rng(0)), visible=True,
         hint="the exponent is uniform between the base-10 logs of low and high, and the value is 10 to that power, "
              "drawn from rng in one go with the given size"),
    Case("sample_log_uniform", "size None: one value on [1e-3, 1e-1]", (1e-3, 1e-1, None, Rng(1)),
         visible=True,
         hint="size None means one plain number, not an array: let size reach the draw unchanged"),
    Case("sample_log_uniform", "a (2, 3) array on [1e-6, 1e-2]", (1e-6, 1e-2, (2, 3), Rng(2)),
         hint="size may be a shape: the result is a (2, 3) array, every value between low and high and each decade "
              "as likely as another"),
    Case("sample_log_uniform", "size 1: an array of one value on [1e-5, 10]", (1e-5, 10.0, 1, Rng(3)),
         hint="size 1 gives an array of shape (1,), unlike size None"),
    Case("sample_log_uniform", "a wide range [1e-8, 100], eight values", (1e-8, 100.0, 8, Rng(4)),
         hint="ten decades: each must be as likely as any other, so take base-10 logs of both bounds and raise 10 "
              "to the draw (no natural log, no linear draw)"),
    Case("sample_beta", "five values on [0.9, 0.999]", (0.9, 0.999, 5, Rng(0)), visible=True,
         hint="it is 1 - beta that is log-uniform, so the values crowd toward high; return beta itself, within "
              "[low, high], drawn from rng in one go"),
    Case("sample_beta", "size None: one value on [0.9, 0.99]", (0.9, 0.99, None, Rng(1)), visible=True,
         hint="size None means one plain number, not an array; and it is beta (between 0.9 and 0.99), not 1 - beta"),
    Case("sample_beta", "a (3, 2) array on [0.5, 0.9999]", (0.5, 0.9999, (3, 2), Rng(2)),
         hint="size may be a shape; on this wide range 1 - beta spans more than three decades, each as likely as "
              "another"),
    Case("sample_beta", "size 1: an array of one value on [0.8, 0.95]", (0.8, 0.95, 1, Rng(3)),
         hint="size 1 gives an array of shape (1,), unlike size None"),
    Case("sample_beta", "six values on [0.99, 0.9999]", (0.99, 0.9999, 6, Rng(4)),
         hint="betas very close to 1: going to 1 - beta swaps the ends of the range (1 - high is the smaller one), "
              "and the result must still lie in [low, high]"),
    Case("random_search", "a log and a uniform hyperparameter, 4 trials", (BOWL, SPACE_2, 4, Rng(0)),
         visible=True,
         hint="each trial draws every name in space order, a \"log\" one with sample_log_uniform, then scores the "
              "trial; the list comes back best (lowest score) first"),
    Case("random_search", "all four kinds, 5 trials", (BOWL, SPACE_4, 5, Rng(1)), visible=True,
         hint="all four kinds: \"log\" and \"beta\" use their samplers, \"uniform\" a plain uniform draw and "
              "\"int\" an integer that can reach high; one trial at a time, best first"),
    Case("random_search", "all four kinds, 12 trials", (BOWL, SPACE_4, 12, Rng(2)),
         hint="more trials from one rng: draw trial by trial, each name in space order, one draw per value, so that "
              "every value comes from the place in the random stream the lesson specifies"),
    Case("random_search", "ties (units 63 and 65 score the same) stay in trial order",
         (BOWL, TIES, 40, Rng(3)),
         hint="equal scores keep the order in which the trials were run: the sort by score must be stable"),
    Case("random_search", "the upper bound of an \"int\" range can be drawn", (BOWL, {"units": ("int", 63, 64)}, 6,
                                                                              Rng(4)),
         hint="an \"int\" range includes high: with bounds 63 and 64 both values must be possible"),
    Case("random_search", "names drawn in space order (\"units\" before \"learning_rate\")",
         (BOWL, {"units": ("int", 32, 96), "learning_rate": ("log", 1e-5, 1.0), "beta": ("beta", 0.9, 0.9999)},
          6, Rng(5)),
         hint="draw the names in the order space lists them, not sorted: the order decides which random number each "
              "one gets"),
    Case("random_search", "zero trials: an empty list", (BOWL, SPACE_4, 0, Rng(6)),
         hint="no trials: an empty list, with nothing drawn or scored"),
    Case("refine_space", "top_k=3 of 10 trials, four kinds", (_trials(SPACE_4, 10, 7), SPACE_4),
         {"top_k": 3}, visible=True, hint=TOP_3_OF_10_HINT),
    Case("refine_space", "default top_k=5 of 12 trials", (_trials(SPACE_2, 12, 8), SPACE_2), visible=True,
         hint=DEFAULT_TOP_5_OF_12_HINT),
    Case("refine_space", "top_k larger than the number of trials", (_trials(SPACE_4, 4, 9), SPACE_4),
         {"top_k": 10},
         hint="top_k larger than the list: use all the trials there are, without an error"),
    Case("refine_space", "top_k=1: the best trial only", (_trials(SPACE_4, 6, 10), SPACE_4), {"top_k": 1},
         hint="one trial: every range shrinks to the best trial's value (low equals high), each with its kind "
              "unchanged"),
    Case("refine_space", "default top_k=5 of 20 trials, four kinds", (_trials(SPACE_4, 20, 11), SPACE_4),
         hint="twenty trials, best first: the ranges come from the first five only, not from all trials nor the "
              "last ones"),
]

# The twins of the visible cases (see casebook.twin): trials are plain Python numbers, which
# no generic rule changes, so refine_space's twins refine the trials of other runs.
TWINS = [
    Case("refine_space", "top_k=3 of 10 trials, four kinds", (_trials(SPACE_4, 10, 17), SPACE_4), {"top_k": 3},
         hint=TOP_3_OF_10_HINT),
    Case("refine_space", "default top_k=5 of 12 trials", (_trials(SPACE_2, 12, 19), SPACE_2),
         hint=DEFAULT_TOP_5_OF_12_HINT),
]


# ----------------------------------------------------------------------------- questions
# Each misconception value is what its wrong reasoning computes (checked by sampling one million
# draws each way): beta uniform on [0.9, 0.999] gives (0.999 - 0.99) / (0.999 - 0.9) = 0.0909;
# beta itself log-uniform (the sampler's classic mistake) gives
# (log10 0.999 - log10 0.99) / (log10 0.999 - log10 0.9) = 0.0867; the window 1 / (1 - beta)
# uniform on [10, 1000] gives 900 / 990 = 0.909. The texts name no right value.

QUESTIONS = [
    Question("predict_share_above_099", "the share of sample_beta(0.9, 0.999) draws above 0.99",
             misconceptions=[
                 Misconception({"share_above_099": 0.0909},
                               "that is the share for beta drawn uniformly on [0.9, 0.999], where the part above "
                               "0.99 is a small piece of the interval; sample_beta draws the exponent of 1 - beta "
                               "uniformly, not beta"),
                 Misconception({"share_above_099": 0.0867},
                               "that is the share when beta itself is log-uniform; it is 1 - beta whose logarithm "
                               "sample_beta draws uniformly"),
                 Misconception({"share_above_099": 0.909},
                               "that is the share if the window 1 / (1 - beta) were uniform between 10 and 1,000 "
                               "steps; sample_beta spreads the exponent of 1 - beta evenly, decade by decade"),
             ],
             hint="find the exponent r of 1 - 0.99 in rule (2), and the part of the range of r that gives betas "
                  "above 0.99"),
]
