"""Lesson 06: inverse_time_decay, exponential_decay, inverse_sqrt_decay, step_decay (one number in, one out)."""

MATH = '''
import math


def inverse_time_decay(learning_rate0, epoch_num, decay_rate, time_interval=1):
    return learning_rate0 / (1 + decay_rate * math.floor(epoch_num / time_interval))


def exponential_decay(learning_rate0, epoch_num, base=0.95):
    return learning_rate0 * math.pow(base, epoch_num)


def inverse_sqrt_decay(learning_rate0, t, k=1.0):
    if t < 1:
        raise ValueError("t counts updates from 1")
    return learning_rate0 * k / math.sqrt(t)


def step_decay(learning_rate0, epoch_num, drop=0.5, epochs_per_drop=10):
    return learning_rate0 * math.pow(drop, math.floor(epoch_num / epochs_per_drop))
'''

NUMPY = '''
import numpy as np


def inverse_time_decay(learning_rate0, epoch_num, decay_rate, time_interval=1):
    return learning_rate0 / (1.0 + decay_rate * np.floor(epoch_num / time_interval))


def exponential_decay(learning_rate0, epoch_num, base=0.95):
    return learning_rate0 * np.power(base, epoch_num)


def inverse_sqrt_decay(learning_rate0, t, k=1.0):
    if t < 1:
        raise ValueError(f"t must be >= 1, got {t}")
    return np.float64(learning_rate0 * k / np.sqrt(t))


def step_decay(learning_rate0, epoch_num, drop=0.5, epochs_per_drop=10):
    drops = np.floor(epoch_num / epochs_per_drop)
    return learning_rate0 * np.power(drop, drops)
'''

# Floor division and ** on plain numbers; the rates come back as Python floats.
OPERATORS = '''
def inverse_time_decay(learning_rate0, epoch_num, decay_rate, time_interval=1):
    decays = epoch_num // time_interval
    return float(learning_rate0 / (1 + decay_rate * decays))


def exponential_decay(learning_rate0, epoch_num, base=0.95):
    return float(learning_rate0 * base**epoch_num)


def inverse_sqrt_decay(learning_rate0, t, k=1.0):
    if not t >= 1:
        raise ValueError("the first update is t = 1")
    return float(learning_rate0 * k / t**0.5)


def step_decay(learning_rate0, epoch_num, drop=0.5, epochs_per_drop=10):
    return float(learning_rate0 * drop ** int(epoch_num // epochs_per_drop))
'''

STYLES = {"math": MATH, "numpy": NUMPY, "operators": OPERATORS}
