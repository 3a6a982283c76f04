"""Tests of solutions.softmax_regression (lesson 09)."""

import copy

import numpy as np
import pytest

from coursekit.gradcheck import relative_error as rel_error
from solutions.softmax_regression import (
    one_hot,
    softmax,
    softmax_cross_entropy,
    softmax_cross_entropy_backward,
)


def test_softmax_hand_computed():
    np.testing.assert_allclose(softmax(np.array([[0.0], [np.log(3.0)]])), [[0.25], [0.75]], rtol=1e-15)
    np.testing.assert_allclose(softmax(np.zeros((4, 2))), np.full((4, 2), 0.25), rtol=1e-15)


def test_softmax_columns_sum_to_one_and_shift_invariant():
    Z = np.random.default_rng(0).standard_normal((5, 7)) * 3
    A = softmax(Z)
    assert A.shape == (5, 7)
    np.testing.assert_allclose(A.sum(axis=0), 1.0, rtol=1e-14)
    shift = np.arange(7.0)[None, :] * 10 - 30  # a different constant per column
    np.testing.assert_allclose(softmax(Z + shift), A, rtol=1e-12)


def test_softmax_finite_for_huge_logits():
    A = softmax(np.array([[1000.0, -1000.0], [-1000.0, 1000.0], [0.0, 0.0]]))
    assert np.all(np.isfinite(A))
    np.testing.assert_allclose(A, [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]], atol=1e-300)


def test_softmax_two_classes_is_sigmoid_of_difference():
    Z = np.random.default_rng(1).standard_normal((2, 6)) * 4
    sigmoid = 1 / (1 + np.exp(-(Z[0] - Z[1])))
    np.testing.assert_allclose(softmax(Z)[0], sigmoid, rtol=1e-13)


@pytest.mark.parametrize("labels", [np.array([2, 0, 1, 2]), np.array([[2, 0, 1, 2]])])
def test_one_hot_shapes(labels):
    Y = one_hot(labels, 3)
    assert Y.shape == (3, 4) and Y.dtype == np.float64
    np.testing.assert_array_equal(Y, [[0, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 1]])


def test_cross_entropy_hand_computed():
    uniform = softmax_cross_entropy(np.zeros((2, 3)), one_hot([0, 1, 1], 2))
    assert uniform == pytest.approx(np.log(2), rel=1e-15)
    # column 1: -log(0.75); column 2: -log(0.25); mean over m=2
    Z = np.array([[0.0, 0.0], [np.log(3.0), np.log(3.0)]])
    expected = -(np.log(0.75) + np.log(0.25)) / 2
    assert softmax_cross_entropy(Z, one_hot([1, 0], 2)) == pytest.approx(expected, rel=1e-14)


def test_cross_entropy_huge_logits():
    assert softmax_cross_entropy(np.array([[0.0], [800.0]]), np.array([[1.0], [0.0]])) == pytest.approx(800.0)
    assert softmax_cross_entropy(np.array([[800.0], [0.0]]), np.array([[1.0], [0.0]])) == pytest.approx(0.0)
    dZ = softmax_cross_entropy_backward(np.array([[0.0], [800.0]]), np.array([[1.0], [0.0]]))
    np.testing.assert_allclose(dZ, [[-1.0], [1.0]], rtol=1e-15)


def test_cross_entropy_is_mean_over_examples():
    Z = np.random.default_rng(2).standard_normal((4, 1))
    Y = one_hot([3], 4)
    assert softmax_cross_entropy(np.tile(Z, 5), np.tile(Y, 5)) == pytest.approx(softmax_cross_entropy(Z, Y))


def test_backward_hand_computed():
    Z = np.array([[0.0, 0.0], [np.log(3.0), 0.0]])
    Y = one_hot([1, 0], 2)
    np.testing.assert_allclose(softmax_cross_entropy_backward(Z, Y), [[0.125, -0.25], [-0.125, 0.25]],
                               rtol=1e-14)


def test_backward_gradient_check():
    rng = np.random.default_rng(3)
    Z, Y = rng.standard_normal((4, 6)) * 2, one_hot(rng.integers(0, 4, 6), 4)
    h, numeric = 1e-5, np.zeros_like(Z)
    for idx in np.ndindex(Z.shape):
        step = np.zeros_like(Z)
        step[idx] = h
        numeric[idx] = (softmax_cross_entropy(Z + step, Y) - softmax_cross_entropy(Z - step, Y)) / (2 * h)
    assert rel_error(softmax_cross_entropy_backward(Z, Y), numeric) < 1e-7


def test_two_classes_backward_is_logistic_regression():
    rng = np.random.default_rng(4)
    Z, y = rng.standard_normal((2, 5)), rng.integers(0, 2, 5)
    a = 1 / (1 + np.exp(-(Z[0] - Z[1])))  # probability of class 0
    y0 = (y == 0).astype(float)
    np.testing.assert_allclose(softmax_cross_entropy_backward(Z, one_hot(y, 2))[0], (a - y0) / 5, rtol=1e-12)
    expected = -np.mean(y0 * np.log(a) + (1 - y0) * np.log(1 - a))
    assert softmax_cross_entropy(Z, one_hot(y, 2)) == pytest.approx(expected, rel=1e-12)


def test_inputs_not_mutated():
    rng = np.random.default_rng(5)
    Z, labels = rng.standard_normal((3, 4)), np.array([[0, 2, 1, 1]])
    Y = one_hot(labels, 3)
    copies = copy.deepcopy((Z, labels, Y))
    softmax(Z)
    one_hot(labels, 3)
    softmax_cross_entropy(Z, Y)
    softmax_cross_entropy_backward(Z, Y)
    assert all(np.array_equal(a, b) for a, b in zip(copies, (Z, labels, Y), strict=True))
    assert labels.shape == (1, 4)
