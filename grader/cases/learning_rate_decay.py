"""Check cases of lesson 06 (learning-rate decay schedules)."""

from dataclasses import replace

import numpy as np

from grader.casebook import Case, Mistake

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
    Case("inverse_time_decay", "epoch 3, decay_rate 1", (0.2, 3, 1.0), visible=True),
    Case("inverse_time_decay", "an array of epochs 0..4, decay_rate 0.5", (0.1, np.arange(5), 0.5), visible=True),
    Case("inverse_time_decay", "epoch 0 gives learning_rate0", (0.3, 0, 2.0)),
    Case("inverse_time_decay", "epoch 9 with time_interval 10: just below the interval, no decay yet",
         (0.2, 9, 1.0), {"time_interval": 10}),
    Case("inverse_time_decay", "epoch 10 with time_interval 10: the first decay",
         (0.2, 10, 1.0), {"time_interval": 10}),
    Case("inverse_time_decay", "epoch 25, time_interval 10, decay_rate 0.5", (0.2, 25, 0.5), {"time_interval": 10}),
    Case("inverse_time_decay", "an array of epochs 0..7 with time_interval 3: a staircase",
         (0.1, np.arange(8.0), 1.0), {"time_interval": 3}),
    Case("inverse_time_decay", "epoch given as the float 7.0, time_interval 2", (0.5, 7.0, 0.25), {"time_interval": 2}),
    # exponential_decay(learning_rate0, epoch_num, base=0.95)
    Case("exponential_decay", "epoch 2, base 0.5", (0.1, 2), {"base": 0.5}, visible=True),
    Case("exponential_decay", "an array of epochs 0..4, default base 0.95", (1.0, np.arange(5)), visible=True),
    Case("exponential_decay", "epoch 0 gives learning_rate0", (0.3, 0)),
    Case("exponential_decay", "epoch 30, default base 0.95", (0.1, 30)),
    Case("exponential_decay", "epoch 3, base 0.8", (0.02, 3), {"base": 0.8}),
    Case("exponential_decay", "an array of float epochs, base 0.9", (0.5, np.array([0.0, 1.0, 2.5, 10.0])),
         {"base": 0.9}),
    # inverse_sqrt_decay(learning_rate0, t, k=1.0)
    Case("inverse_sqrt_decay", "step t=4", (0.3, 4), visible=True),
    Case("inverse_sqrt_decay", "an array of steps 1, 4, 9, 16 with k=2", (0.3, np.array([1, 4, 9, 16])),
         {"k": 2.0}, visible=True),
    Case("inverse_sqrt_decay", "the first step t=1 gives learning_rate0 * k", (0.3, 1), {"k": 0.5}),
    Case("inverse_sqrt_decay", f"t=0: {RAISES_MESSAGE}", (0.1, 0)),
    Case("inverse_sqrt_decay", f"t=-3: {RAISES_MESSAGE}", (0.1, -3)),
    Case("inverse_sqrt_decay", "step t=100 with k=0.5", (0.2, 100), {"k": 0.5}),
    Case("inverse_sqrt_decay", "step given as the float 6.25", (0.1, 6.25)),
    Case("inverse_sqrt_decay", "an array of steps 1..10", (0.1, np.arange(1, 11))),
    # step_decay(learning_rate0, epoch_num, drop=0.5, epochs_per_drop=10)
    Case("step_decay", "epoch 5, drop 0.1 every 5 epochs", (0.2, 5), {"drop": 0.1, "epochs_per_drop": 5},
         visible=True),
    Case("step_decay", "an array of epochs 0, 5, ..., 35, default drop", (1.0, np.arange(0, 40, 5)), visible=True),
    Case("step_decay", "epoch 0 gives learning_rate0", (0.3, 0)),
    Case("step_decay", "epoch 9, just before the first drop", (0.1, 9)),
    Case("step_decay", "epoch 10, the first drop", (0.1, 10)),
    Case("step_decay", "epoch 25, after two drops", (0.1, 25)),
    Case("step_decay", "epoch 7, drop 0.3 every 4 epochs", (0.05, 7), {"drop": 0.3, "epochs_per_drop": 4}),
    Case("step_decay", "epoch given as the float 20.0", (0.4, 20.0)),
]

# The twins of the visible cases (see casebook.twin): the names quote every argument but
# learning_rate0, and no generic rule changes a plain number, so the twins start from another
# learning_rate0 (every schedule is proportional to it).
TWINS = [replace(case, args=(1.5 * case.args[0], *case.args[1:]), visible=False) for case in CASES if case.visible]
