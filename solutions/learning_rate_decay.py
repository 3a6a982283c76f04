# Generated from lessons/06_learning_rate_decay.py by `make solutions`: do not edit; edit the lesson.
"""Lesson 06 — Learning-rate decay: the reference answers."""

import numpy as np


def inverse_time_decay(learning_rate0, epoch_num, decay_rate, time_interval=1):
    """Inverse-time decay (lesson 06).

    lr = learning_rate0 / (1 + decay_rate * floor(epoch_num / time_interval))
    time_interval=1 decays every epoch; a larger interval gives the scheduled form.
    """
    return learning_rate0 / (1 + decay_rate * np.floor(epoch_num / time_interval))


def exponential_decay(learning_rate0, epoch_num, base=0.95):
    """Exponential decay (lesson 06): lr = learning_rate0 * base**epoch_num."""
    return learning_rate0 * base**epoch_num


def inverse_sqrt_decay(learning_rate0, t, k=1.0):
    """Inverse-square-root decay over mini-batch steps (lesson 06).

    lr = learning_rate0 * k / sqrt(t) for the 1-based step t; ValueError for t < 1.
    """
    if t < 1:
        raise ValueError(f"the step t must be at least 1 (t counts updates from 1), got {t}")
    return learning_rate0 * k / np.sqrt(t)


def step_decay(learning_rate0, epoch_num, drop=0.5, epochs_per_drop=10):
    """Staircase decay (lesson 06).

    lr = learning_rate0 * drop**floor(epoch_num / epochs_per_drop)
    """
    return learning_rate0 * drop ** np.floor(epoch_num / epochs_per_drop)
