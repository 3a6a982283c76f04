# Generated from lessons/06_learning_rate_decay.py by `make solutions`: do not edit; edit the lesson.
"""Lesson 06 — Learning-rate decay: the reference answers."""

import numpy as np


def inverse_time_decay(learning_rate0, epoch_num, decay_rate, time_interval=1):
    """Inverse-time decay, equation (1) (lesson 06).

    learning_rate0: the starting rate (float); epoch_num: the epoch, counted from 0 (int or float);
    decay_rate: float; time_interval: epochs between two decreases (positive int, default 1).
    Returns the learning rate of epoch epoch_num (a float).
    """
    return learning_rate0 / (1 + decay_rate * np.floor(epoch_num / time_interval))


def exponential_decay(learning_rate0, epoch_num, base=0.95):
    """Exponential decay, equation (2) (lesson 06).

    learning_rate0: the starting rate (float); epoch_num: the epoch, counted from 0 (int or float);
    base: the factor of every epoch (float, default 0.95). Returns the learning rate of that epoch (a float).
    """
    return learning_rate0 * base**epoch_num


def inverse_sqrt_decay(learning_rate0, t, k=1.0):
    """Inverse-square-root decay over mini-batch updates, equation (3) (lesson 06).

    learning_rate0: the starting rate (float); t: the update, counted from 1 (int or float);
    k: a scale (float, default 1). Returns the learning rate of update t (a float);
    raises ValueError when t < 1.
    """
    if t < 1:
        raise ValueError(f"the step t must be at least 1 (t counts updates from 1), got {t}")
    return learning_rate0 * k / np.sqrt(t)


def step_decay(learning_rate0, epoch_num, drop=0.5, epochs_per_drop=10):
    """Staircase decay, equation (4) (lesson 06).

    learning_rate0: the starting rate (float); epoch_num: the epoch, counted from 0 (int or float);
    drop: the factor of each drop (float, default 0.5); epochs_per_drop: epochs between two drops
    (positive int, default 10). Returns the learning rate of that epoch (a float).
    """
    return learning_rate0 * drop ** np.floor(epoch_num / epochs_per_drop)
