"""Lesson 02: ewa, ewa_bias_corrected."""

LOOPS = '''
import numpy as np


def ewa(theta, beta):
    v = 0.0
    averages = np.zeros(len(theta))
    for t in range(len(theta)):
        v = beta * v + (1 - beta) * theta[t]
        averages[t] = v
    return averages


def ewa_bias_corrected(theta, beta):
    v = 0.0
    corrected = np.zeros(len(theta))
    for t in range(1, len(theta) + 1):
        v = beta * v + (1 - beta) * theta[t - 1]
        corrected[t - 1] = v / (1 - beta**t)
    return corrected
'''

# A list of Python floats, turned into an array at the end; the corrected average reuses ewa.
APPEND_AND_REUSE = '''
import math

import numpy as np


def ewa(theta, beta):
    values, v = [], 0
    for x in theta:
        v = beta * v + (1 - beta) * float(x)
        values.append(v)
    return np.array(values)


def ewa_bias_corrected(theta, beta):
    v = ewa(theta, beta)
    return np.array([v_t / (1 - math.pow(beta, t)) for t, v_t in enumerate(v, start=1)])
'''

# The closed form v_t = (1 - beta) * sum_{i <= t} beta**(t - i) * theta_i, as one matrix product.
CLOSED_FORM = '''
import numpy as np


def ewa(theta, beta):
    steps = np.arange(len(theta))
    lag = steps[:, None] - steps[None, :]
    weights = np.where(lag >= 0, beta ** np.maximum(lag, 0), 0.0)
    return (1 - beta) * weights @ np.asarray(theta, dtype=float)


def ewa_bias_corrected(theta, beta):
    t = np.arange(1, len(theta) + 1)
    return ewa(theta, beta) / (1 - np.power(beta, t))
'''

STYLES = {"loops": LOOPS, "append_reuse": APPEND_AND_REUSE, "closed_form": CLOSED_FORM}
