"""Tests of solutions.learning_rate_decay (lesson 06)."""

import numpy as np
import pytest

from solutions.learning_rate_decay import (
    exponential_decay,
    inverse_sqrt_decay,
    inverse_time_decay,
    step_decay,
)


def test_inverse_time_decay_hand_values():
    assert inverse_time_decay(0.2, 0, 1.0) == pytest.approx(0.2, rel=1e-15)
    assert inverse_time_decay(0.2, 3, 1.0) == pytest.approx(0.05, rel=1e-15)  # 0.2 / (1 + 3)
    assert inverse_time_decay(1.0, 4, 0.5) == pytest.approx(1 / 3, rel=1e-15)  # 1 / (1 + 2)


def test_inverse_time_decay_time_interval_staircase():
    # floor(epoch / 2): epochs 0,1 -> 0.2; 2,3 -> 0.1; 4,5 -> 0.2/3
    lrs = [inverse_time_decay(0.2, epoch, 1.0, time_interval=2) for epoch in range(6)]
    np.testing.assert_allclose(lrs, [0.2, 0.2, 0.1, 0.1, 0.2 / 3, 0.2 / 3], rtol=1e-15)


def test_exponential_decay_hand_values():
    assert exponential_decay(0.1, 2, base=0.5) == pytest.approx(0.025, rel=1e-15)
    assert exponential_decay(1.0, 2) == pytest.approx(0.9025, rel=1e-15)  # default base 0.95
    assert exponential_decay(0.3, 0) == pytest.approx(0.3, rel=1e-15)


def test_inverse_sqrt_decay_hand_values():
    assert inverse_sqrt_decay(0.3, 1) == pytest.approx(0.3, rel=1e-15)
    assert inverse_sqrt_decay(0.3, 4) == pytest.approx(0.15, rel=1e-15)
    assert inverse_sqrt_decay(0.3, 9, k=2.0) == pytest.approx(0.2, rel=1e-15)


@pytest.mark.parametrize("t", [0, -1])
def test_inverse_sqrt_decay_rejects_t_below_one(t):
    with pytest.raises(ValueError):
        inverse_sqrt_decay(0.1, t)


def test_step_decay_staircase():
    lrs = [step_decay(1.0, epoch) for epoch in (0, 9, 10, 19, 20, 35)]  # drop=0.5 every 10 epochs
    np.testing.assert_allclose(lrs, [1.0, 1.0, 0.5, 0.5, 0.25, 0.125], rtol=1e-15)
    lrs = [step_decay(0.2, epoch, drop=0.1, epochs_per_drop=5) for epoch in (4, 5, 10)]
    np.testing.assert_allclose(lrs, [0.2, 0.02, 0.002], rtol=1e-14)
