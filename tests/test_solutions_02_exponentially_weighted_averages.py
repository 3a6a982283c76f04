"""Tests of solutions.exponentially_weighted_averages (lesson 02)."""

import numpy as np

from solutions.exponentially_weighted_averages import ewa, ewa_bias_corrected


def test_ewa_hand_computed():
    # v1 = 0.5*1 = 0.5, v2 = 0.5*0.5 + 0.5*2 = 1.25, v3 = 0.5*1.25 + 0.5*3 = 2.125
    np.testing.assert_allclose(ewa(np.array([1.0, 2.0, 3.0]), 0.5), [0.5, 1.25, 2.125], rtol=1e-15)


def test_ewa_bias_corrected_hand_computed():
    # v_t / (1 - 0.5**t): 0.5/0.5, 1.25/0.75, 2.125/0.875
    expected = [1.0, 5.0 / 3.0, 17.0 / 7.0]
    np.testing.assert_allclose(ewa_bias_corrected(np.array([1.0, 2.0, 3.0]), 0.5), expected, rtol=1e-14)


def test_ewa_matches_independent_loop():
    theta = np.random.default_rng(0).standard_normal(50)
    v, expected = 0.0, []
    for x in theta:
        v = 0.9 * v + 0.1 * x
        expected.append(v)
    out = ewa(theta, 0.9)
    assert out.shape == theta.shape
    np.testing.assert_allclose(out, expected, rtol=1e-12)
    np.testing.assert_allclose(ewa_bias_corrected(theta, 0.9),
                               np.array(expected) / (1 - 0.9 ** np.arange(1, 51)), rtol=1e-12)


def test_ewa_starts_from_zero_so_is_biased():
    out = ewa(np.full(3, 10.0), 0.9)
    np.testing.assert_allclose(out, [1.0, 1.9, 2.71], rtol=1e-13)


def test_bias_corrected_constant_series_is_constant_at_every_t():
    for beta in (0.5, 0.9, 0.98, 0.999):
        np.testing.assert_allclose(ewa_bias_corrected(np.full(30, 7.0), beta), np.full(30, 7.0), rtol=1e-12)


def test_beta_zero_returns_the_series():
    theta = np.array([3.0, -1.0, 4.0])
    np.testing.assert_array_equal(ewa(theta, 0.0), theta)
    np.testing.assert_array_equal(ewa_bias_corrected(theta, 0.0), theta)


def test_input_not_mutated():
    theta = np.array([1.0, 5.0, 2.0])
    ewa(theta, 0.9)
    ewa_bias_corrected(theta, 0.9)
    np.testing.assert_array_equal(theta, [1.0, 5.0, 2.0])
