"""Check cases of lesson 06 (learning-rate decay schedules).

The spec's epoch_num and t are numbers, so every case passes one int or float: a schedule written
with math.floor and math.sqrt is as right as one written with numpy."""

from dataclasses import replace

import numpy as np

from grader.casebook import Case, Misconception, Mistake, Question

# ----------------------------------------------------------------------------- known mistakes


def _quiet(function):
    """A mistake that may divide by zero or take sqrt of a negative t: no warnings from the grader."""

    def wrapped(*args, **kwargs):
        with np.errstate(all="ignore"):
            return function(*args, **kwargs)

    return wrapped


def _inverse_time_no_floor(learning_rate0, epoch_num, decay_rate, time_interval=1):
    return learning_rate0 / (1 + decay_rate * (epoch_num / time_interval))


def _inverse_time_round(learning_rate0, epoch_num, decay_rate, time_interval=1):
    return learning_rate0 / (1 + decay_rate * np.round(np.asarray(epoch_num, dtype=float) / time_interval))


def _inverse_time_interval_ignored(learning_rate0, epoch_num, decay_rate, time_interval=1):
    return learning_rate0 / (1 + decay_rate * np.asarray(epoch_num, dtype=float))


def _inverse_time_one_based(learning_rate0, epoch_num, decay_rate, time_interval=1):
    return learning_rate0 / (1 + decay_rate * np.floor((np.asarray(epoch_num, dtype=float) + 1) / time_interval))


def _exponential_times_epoch(learning_rate0, epoch_num, base=0.95):
    return learning_rate0 * base * epoch_num


def _exponential_one_based(learning_rate0, epoch_num, base=0.95):
    return learning_rate0 * base ** (np.asarray(epoch_num, dtype=float) + 1)


@_quiet
def _inverse_sqrt_zero_based(learning_rate0, t, k=1.0):
    return learning_rate0 * k / np.sqrt(np.asarray(t, dtype=float) + 1)


@_quiet
def _inverse_sqrt_k_ignored(learning_rate0, t, k=1.0):
    return learning_rate0 / np.sqrt(t)


@_quiet
def _inverse_sqrt_inverse_time(learning_rate0, t, k=1.0):
    return learning_rate0 * k / np.asarray(t, dtype=float)


@_quiet
def _inverse_sqrt_no_error(learning_rate0, t, k=1.0):
    return learning_rate0 * k / np.sqrt(np.asarray(t, dtype=float))


def _step_no_floor(learning_rate0, epoch_num, drop=0.5, epochs_per_drop=10):
    return learning_rate0 * drop ** (np.asarray(epoch_num, dtype=float) / epochs_per_drop)


def _step_every_epoch(learning_rate0, epoch_num, drop=0.5, epochs_per_drop=10):
    return learning_rate0 * drop ** np.asarray(epoch_num, dtype=float)


def _step_one_based(learning_rate0, epoch_num, drop=0.5, epochs_per_drop=10):
    return learning_rate0 * drop ** np.floor((np.asarray(epoch_num, dtype=float) + 1) / epochs_per_drop)


RAISES_MESSAGE = "t < 1 must raise ValueError, steps count from 1"

MISTAKES = [
    Mistake("inverse_time_decay", "your rate decays every epoch instead of every time_interval epochs "
            "(the floor of epoch_num / time_interval is missing)", _inverse_time_no_floor),
    Mistake("inverse_time_decay", "you round epoch_num / time_interval to the nearest integer; take its floor",
            _inverse_time_round),
    Mistake("inverse_time_decay", "your rate ignores time_interval (it decays every epoch)",
            _inverse_time_interval_ignored),
    Mistake("inverse_time_decay", "your rate has already decayed in the first epoch: epoch_num counts from 0, "
            "use it as it is (no + 1)", _inverse_time_one_based),
    Mistake("exponential_decay", "your exponential decay uses base*epoch_num; the base is raised to the power "
            "epoch_num (base**epoch_num)", _exponential_times_epoch),
    Mistake("exponential_decay", "your rate has already decayed in the first epoch: the exponent is epoch_num, "
            "not epoch_num + 1", _exponential_one_based),
    Mistake("inverse_sqrt_decay", "your inverse_sqrt decay uses sqrt(t + 1) as if t were 0-based; t is already "
            "1-based (the first update has t=1)", _inverse_sqrt_zero_based),
    Mistake("inverse_sqrt_decay", "your rate ignores k (lr = learning_rate0 * k / sqrt(t))", _inverse_sqrt_k_ignored),
    Mistake("inverse_sqrt_decay", "your rate divides by t instead of sqrt(t)", _inverse_sqrt_inverse_time),
    # The judge names no mistake when the reference raises and the student returns: the cases t=0 and
    # t=-3 carry this message in their names instead (see RAISES_MESSAGE).
    Mistake("inverse_sqrt_decay", RAISES_MESSAGE, _inverse_sqrt_no_error),
    Mistake("step_decay", "your step decay has no floor: it decreases smoothly instead of in a staircase "
            "(use floor(epoch_num / epochs_per_drop))", _step_no_floor),
    Mistake("step_decay", "your rate drops every epoch instead of every epochs_per_drop epochs", _step_every_epoch),
    Mistake("step_decay", "your first drop comes one epoch early: epoch_num counts from 0, use it as it is "
            "(no + 1)", _step_one_based),
]

# ----------------------------------------------------------------------------- cases

CASES = [
    # inverse_time_decay(learning_rate0, epoch_num, decay_rate, time_interval=1)
    Case("inverse_time_decay", "epoch 3, decay_rate 1", (0.2, 3, 1.0), visible=True,
         hint="time_interval 1 decays every epoch: at epoch 3 with decay_rate 1 the rate is learning_rate0 divided "
              "by 4; epoch_num counts from 0 and is used as it is"),
    Case("inverse_time_decay", "epoch 5 with time_interval 3, decay_rate 0.5", (0.1, 5, 0.5), {"time_interval": 3},
         visible=True,
         hint="only whole intervals count: at epoch 5 one interval of 3 has passed (5/3 rounded down, not 1.67 nor "
              "2), so the rate is learning_rate0 divided by 1 + 0.5"),
    Case("inverse_time_decay", "epoch 0 gives learning_rate0", (0.3, 0, 2.0),
         hint="no decay before the first interval is over: epoch 0 gives learning_rate0 exactly"),
    Case("inverse_time_decay", "epoch 9 with time_interval 10: just below the interval, no decay yet",
         (0.2, 9, 1.0), {"time_interval": 10},
         hint="the rate changes only once a whole time_interval has passed: at epoch 9 of an interval of 10 it is "
              "still learning_rate0, so count whole intervals, rounded down"),
    Case("inverse_time_decay", "epoch 10 with time_interval 10: the first decay",
         (0.2, 10, 1.0), {"time_interval": 10},
         hint="the first decay comes exactly when one whole interval has passed, at epoch 10, not one epoch earlier"),
    Case("inverse_time_decay", "epoch 25, time_interval 10, decay_rate 0.5", (0.2, 25, 0.5), {"time_interval": 10},
         hint="two whole intervals have passed at epoch 25 (not 2.5, not 3), so the denominator is 1 + 0.5 * 2"),
    Case("inverse_time_decay", "epoch 2 with time_interval 3: still on the first step", (0.1, 2, 1.0),
         {"time_interval": 3},
         hint="epoch 2 of an interval of 3: no whole interval has passed yet, so the rate is still learning_rate0"),
    Case("inverse_time_decay", "epoch given as the float 7.0, time_interval 2", (0.5, 7.0, 0.25), {"time_interval": 2},
         hint="a float epoch behaves like the integer: 3 whole intervals of 2 have passed at epoch 7"),
    # exponential_decay(learning_rate0, epoch_num, base=0.95)
    Case("exponential_decay", "epoch 2, base 0.5", (0.1, 2), {"base": 0.5}, visible=True,
         hint="the rate is learning_rate0 times base to the power epoch_num: with base 0.5, a quarter of "
              "learning_rate0 at epoch 2"),
    Case("exponential_decay", "epoch 4, default base 0.95", (1.0, 4), visible=True,
         hint="base defaults to 0.95: at epoch 4 the rate is learning_rate0 times 0.95 to the power 4, a power and "
              "not a product"),
    Case("exponential_decay", "epoch 0 gives learning_rate0", (0.3, 0),
         hint="before any epoch has passed the rate is learning_rate0: the power of base is epoch_num itself, "
              "counted from 0"),
    Case("exponential_decay", "epoch 30, default base 0.95", (0.1, 30),
         hint="thirty epochs: the base is raised to the power 30 (about 0.21), a power and not a product"),
    Case("exponential_decay", "epoch 3, base 0.8", (0.02, 3), {"base": 0.8},
         hint="the base argument must be used: 0.8 to the power 3 times learning_rate0"),
    Case("exponential_decay", "epoch given as the float 10.0, base 0.9", (0.5, 10.0), {"base": 0.9},
         hint="a float epoch behaves like the integer: learning_rate0 times 0.9 to the power 10"),
    # inverse_sqrt_decay(learning_rate0, t, k=1.0)
    Case("inverse_sqrt_decay", "step t=4", (0.3, 4), visible=True,
         hint="t counts updates from 1: at t = 4 the rate is learning_rate0 * k over the square root of 4, half of "
              "it with the default k = 1"),
    Case("inverse_sqrt_decay", "step t=9 with k=2", (0.3, 9), {"k": 2.0}, visible=True,
         hint="k multiplies the rate: at t = 9 it is learning_rate0 * 2 over the square root of 9, two thirds of "
              "learning_rate0"),
    Case("inverse_sqrt_decay", "the first step t=1 gives learning_rate0 * k", (0.3, 1), {"k": 0.5},
         hint="the first update is t = 1 and the square root of 1 is 1: the rate is learning_rate0 * k, without "
              "shifting t"),
    Case("inverse_sqrt_decay", f"t=0: {RAISES_MESSAGE}", (0.1, 0),
         hint="steps count from 1, so t = 0 is not a step: check t before computing and raise ValueError"),
    Case("inverse_sqrt_decay", f"t=-3: {RAISES_MESSAGE}", (0.1, -3),
         hint="a negative step is an error too: the check must catch every t below 1, not only 0"),
    Case("inverse_sqrt_decay", "step t=100 with k=0.5", (0.2, 100), {"k": 0.5},
         hint="k scales the rate: at t = 100 it is learning_rate0 * 0.5 / 10"),
    Case("inverse_sqrt_decay", "step given as the float 6.25", (0.1, 6.25),
         hint="a float step works like an integer one: the square root of 6.25 is 2.5"),
    Case("inverse_sqrt_decay", "step t=2", (0.1, 2),
         hint="t = 2 is the second update: learning_rate0 over the square root of 2 (t is used as it is, already "
              "1-based)"),
    # step_decay(learning_rate0, epoch_num, drop=0.5, epochs_per_drop=10)
    Case("step_decay", "epoch 5, drop 0.1 every 5 epochs", (0.2, 5), {"drop": 0.1, "epochs_per_drop": 5},
         visible=True,
         hint="a staircase: the rate is multiplied by drop once per whole epochs_per_drop epochs, so at epoch 5 of "
              "5 the first drop has just happened"),
    Case("step_decay", "epoch 19, default drop 0.5 every 10 epochs: the last epoch before the second drop",
         (1.0, 19), visible=True,
         hint="with the defaults (drop 0.5 every 10 epochs) epoch 19 has seen one whole drop, not 1.9 nor 2: the "
              "rate is half of learning_rate0"),
    Case("step_decay", "epoch 0 gives learning_rate0", (0.3, 0),
         hint="no drop before the first epochs_per_drop epochs are over: epoch 0 gives learning_rate0"),
    Case("step_decay", "epoch 9, just before the first drop", (0.1, 9),
         hint="epoch 9 of 10 is still on the first step of the staircase: count whole drops, rounded down"),
    Case("step_decay", "epoch 10, the first drop", (0.1, 10),
         hint="the first drop comes at epoch 10 exactly: epoch_num counts from 0 and is used as it is"),
    Case("step_decay", "epoch 25, after two drops", (0.1, 25),
         hint="two whole drops have happened at epoch 25: drop squared, not drop to the power 2.5"),
    Case("step_decay", "epoch 7, drop 0.3 every 4 epochs", (0.05, 7), {"drop": 0.3, "epochs_per_drop": 4},
         hint="the drop and epochs_per_drop arguments must be used: one drop of 0.3 by epoch 7"),
    Case("step_decay", "epoch given as the float 20.0", (0.4, 20.0),
         hint="a float epoch behaves like the integer: two drops at epoch 20"),
]

# The twins of the visible cases (see casebook.twin): the names quote every argument but
# learning_rate0, and no generic rule changes a plain number, so the twins start from another
# learning_rate0 (every schedule is proportional to it).
TWINS = [replace(case, args=(1.5 * case.args[0], *case.args[1:]), visible=False) for case in CASES if case.visible]


# ----------------------------------------------------------------------------- questions
# Each misconception value is what its wrong reasoning computes for the question's numbers: a run of
# 30 epochs (0 to 29) from 0.1, step_decay with its defaults, inverse_time_decay(0.1, n, 0.5, 5).
# The texts name no right value (tests/test_questions.py).

QUESTIONS = [
    Question("predict_schedule_epochs", "the first epoch of step decay at a quarter of the starting rate, and the "
             "last epoch's rate of a 30-epoch run under inverse-time decay with time_interval 5",
             misconceptions=[
                 Misconception({"first_quarter_epoch": 21},
                               "that numbers the epochs from 1; in this lesson epoch_num counts from 0, and the "
                               "first drop happens at epoch_num = epochs_per_drop"),
                 Misconception({"first_quarter_epoch": 19},
                               "at that epoch only one whole block of 10 epochs has passed (the floor of 1.9 is "
                               "1): the rate is still half the starting rate"),
                 Misconception({"last_epoch_rate": 0.025},
                               "that is the rate of epoch 30 (or of rounding 29/5 up): a run of 30 epochs ends "
                               "with epoch 29, and only whole intervals count, rounded down"),
                 Misconception({"last_epoch_rate": 0.1 / (1 + 0.5 * 29 / 5)},
                               "that uses 29/5 without the floor: the rate changes only once a whole interval "
                               "of 5 epochs has passed"),
             ],
             hint="epochs count from 0; count the whole blocks of epochs that have passed (rounded down) and put "
                  "that count into equations (4) and (1)"),
]
