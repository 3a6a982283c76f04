"""Check cases of lesson 02 (exponentially weighted averages)."""

import numpy as np

from grader.casebook import Case, Misconception, Mistake, Question


def _series(seed, length, scale=1.0, offset=0.0):
    return offset + scale * np.random.default_rng(seed).standard_normal(length)


def _recursion(theta, beta, *, start_at_first=False, swapped=False, feed_back_corrected=False):
    theta = np.asarray(theta, dtype=float)
    v = np.empty_like(theta)
    running = theta[0] if start_at_first else 0.0
    for t, value in enumerate(theta, start=1):
        running = (1 - beta) * running + beta * value if swapped else beta * running + (1 - beta) * value
        if feed_back_corrected:
            running = running / (1 - beta**t)
        v[t - 1] = running
    return v


def _starts_at_first(theta, beta):
    return _recursion(theta, beta, start_at_first=True)


def _swapped(theta, beta):
    return _recursion(theta, beta, swapped=True)


def _corrected(theta, beta, t_offset=0, **options):
    v = _recursion(theta, beta, **options)
    t = np.arange(1, v.shape[0] + 1) + t_offset
    with np.errstate(divide="ignore", invalid="ignore"):
        return v / (1 - beta**t)


def _zero_based(theta, beta):
    return _corrected(theta, beta, t_offset=-1)


def _one_too_many(theta, beta):
    return _corrected(theta, beta, t_offset=1)


def _uncorrected(theta, beta):
    return _recursion(theta, beta)


def _fed_back(theta, beta):
    return _recursion(theta, beta, feed_back_corrected=True)


def _corrected_from_first(theta, beta):
    return _corrected(theta, beta, start_at_first=True)


MISTAKES = [
    Mistake("ewa", "your average starts from v_0 = theta_1 instead of v_0 = 0", _starts_at_first),
    Mistake("ewa", "the weights are swapped: you compute (1-beta)*v + beta*theta instead of "
            "beta*v + (1-beta)*theta", _swapped),
    Mistake("ewa_bias_corrected", "your bias correction uses beta**(t-1), i.e. a 0-based t; the first "
            "value is t = 1, corrected by 1 - beta**1", _zero_based),
    Mistake("ewa_bias_corrected", "your bias correction uses beta**(t+1); the first value is t = 1",
            _one_too_many),
    Mistake("ewa_bias_corrected", "there is no bias correction: divide v_t by 1 - beta**t", _uncorrected),
    Mistake("ewa_bias_corrected", "the corrected value is fed back into the recursion; keep the recursion "
            "on the uncorrected v_t and only divide what you return", _fed_back),
    Mistake("ewa_bias_corrected", "your average starts from v_0 = theta_1 instead of v_0 = 0 (the bias "
            "correction assumes v_0 = 0)", _corrected_from_first),
]

HAND = np.array([1.0, 2.0, 3.0, 4.0])
CONSTANT = np.full(6, 10.0)

# Hints shared by a visible case and its declared twin (see TWINS).
CONSTANT_SERIES_HINT = (
    "an average that starts at 0 lags behind a constant series: the first value is (1 - beta) times 10, then "
    "it climbs toward 10 (no bias correction in ewa)"
)
CONSTANT_SERIES_CORRECTED_HINT = (
    "on a constant series the correction exactly undoes the start at 0, so every value is 10; values below 10 "
    "mean a missing correction or a power of beta that does not count t from 1"
)

CASES = [
    Case("ewa", "theta = [1, 2, 3, 4], beta = 0.5", (HAND, 0.5), visible=True,
         hint="numbers to check by hand: the average starts at 0 and each value keeps beta of the previous average "
              "and adds (1 - beta) of the new theta, so the first value is half the first theta"),
    Case("ewa", "constant series of 10s, beta = 0.9: starts low", (CONSTANT, 0.9), visible=True,
         hint=CONSTANT_SERIES_HINT),
    Case("ewa", "beta = 0 returns the series itself", (np.array([3.0, -1.0, 4.0, 1.5]), 0.0),
         hint="with beta = 0 nothing of the past is kept, so each value equals theta at the same step; check which "
              "weight multiplies the previous average and which the new value"),
    Case("ewa", "50 noisy values around 5, beta = 0.98", (_series(20, 50, offset=5.0), 0.98),
         hint="a long series: the average is carried from each step to the next over all 50 values, one output per "
              "input, with the beta argument at every step"),
    Case("ewa", "a single value, beta = 0.9", (np.array([7.0]), 0.9),
         hint="one value: an array of length 1 holding (1 - beta) times that value, since the average starts at 0"),
    Case("ewa", "120 values with negative entries, beta = 0.8", (_series(21, 120, scale=3.0), 0.8),
         hint="negative values are averaged like any other (no absolute value, no clipping); the result is a float "
              "array as long as the series"),
    Case("ewa_bias_corrected", "theta = [1, 2, 3, 4], beta = 0.5", (HAND, 0.5), visible=True,
         hint="numbers to check by hand: the plain average divided by 1 - beta**t, with t counting from 1, so the "
              "first corrected value equals the first theta"),
    Case("ewa_bias_corrected", "constant series of 10s, beta = 0.9: corrected to 10 at every t",
         (CONSTANT, 0.9), visible=True, hint=CONSTANT_SERIES_CORRECTED_HINT),
    Case("ewa_bias_corrected", "first values with beta = 0.999 (strong correction)",
         (_series(22, 8, offset=20.0), 0.999),
         hint="with beta close to 1 the correction is large in the first steps: check the power of beta (t = 1 for "
              "the first value) and that the recursion runs on the uncorrected average"),
    Case("ewa_bias_corrected", "200 noisy values, beta = 0.98",
         (_series(23, 200, scale=2.0, offset=-3.0), 0.98),
         hint="by the end of 200 values the correction is almost 1, so a difference late in the series points to "
              "the recursion itself: it must run on the uncorrected average, from 0"),
    Case("ewa_bias_corrected", "beta = 0 returns the series itself", (np.array([3.0, -1.0, 4.0, 1.5]), 0.0),
         hint="with beta = 0 the average is the series and the correction divides by 1: the result equals theta"),
    Case("ewa_bias_corrected", "a single value, beta = 0.9", (np.array([7.0]), 0.9),
         hint="one value: once corrected, the first average equals that value itself"),
]

# The twins of the visible cases (see casebook.twin): scaling each value would break
# "constant series of 10s", so those twins are a longer series of 10s.
TWINS = [
    Case("ewa", "constant series of 10s, beta = 0.9: starts low", (np.full(9, 10.0), 0.9), hint=CONSTANT_SERIES_HINT),
    Case("ewa_bias_corrected", "constant series of 10s, beta = 0.9: corrected to 10 at every t",
         (np.full(9, 10.0), 0.9), hint=CONSTANT_SERIES_CORRECTED_HINT),
]

# ----------------------------------------------------------------------------- predict, then check

QUESTIONS = [
    Question(
        "predict_ewa_start",
        "v_2 and its bias-corrected value for beta = 0.5 and theta_1 = theta_2 = 10",
        misconceptions=[
            Misconception({"v2": 5.0}, "5 is v_1, the average after one value: equation (1) runs once more, "
                          "for theta_2"),
            Misconception({"v2": 10.0}, "the uncorrected v_2 is not the plain mean of the two values, and the "
                          "corrected v_1 is not fed back: the recursion runs on uncorrected values from v_0 = 0, "
                          "whose weight beta**2 has not faded yet"),
            Misconception({"v2_corrected": 15.0}, "dividing by 1 - beta corrects the first step only: after t "
                          "values the weights add up to 1 - beta**t"),
            Misconception({"v2_corrected": 7.5}, "the corrected value is v_2 divided by the total weight of the "
                          "values seen so far, not v_2 itself"),
        ],
        hint="work equation (1) by hand from v_0 = 0, one value at a time, then divide v_2 by the total weight "
             "1 - beta**t of equation (3) at t = 2",
    ),
]
