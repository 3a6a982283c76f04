"""Tests of solutions.batch_normalization (lesson 08)."""

import copy

import numpy as np

from coursekit.gradcheck import relative_error as rel_error
from solutions.batch_normalization import (
    batchnorm_backward,
    batchnorm_forward,
    batchnorm_inference,
    update_running_stats,
)


def numerical_gradient(f, x, h=1e-5):
    """Centred differences of the scalar f() with respect to every entry of x (changed, then restored)."""
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        plus = f()
        x[idx] = old - h
        minus = f()
        x[idx] = old
        grad[idx] = (plus - minus) / (2 * h)
    return grad


def random_case(n=3, m=5, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((n, m)) * 2 + 1, rng.standard_normal((n, 1)), rng.standard_normal((n, 1)),
            rng.standard_normal((n, m)))


def test_forward_hand_computed():
    # row 0: mu=2, var=1; row 1: mu=2, var=4  ->  Z_norm = [[-1, 1], [-1, 1]] with epsilon=0
    Z = np.array([[1.0, 3.0], [0.0, 4.0]])
    Z_tilde, cache = batchnorm_forward(Z, np.array([[2.0], [3.0]]), np.array([[1.0], [-1.0]]), epsilon=0.0)
    np.testing.assert_allclose(Z_tilde, [[-1.0, 3.0], [-4.0, 2.0]], rtol=1e-15)
    np.testing.assert_allclose(cache["mu"], [[2.0], [2.0]], rtol=1e-15)
    np.testing.assert_allclose(cache["var"], [[1.0], [4.0]], rtol=1e-15)


def test_biased_variance_and_cache_shapes():
    Z, gamma, beta, _ = random_case(n=4, m=6)
    _, cache = batchnorm_forward(Z, gamma, beta)
    assert cache["mu"].shape == (4, 1) and cache["var"].shape == (4, 1)
    np.testing.assert_allclose(cache["var"], Z.var(axis=1, keepdims=True), rtol=1e-13)  # divide by m
    assert not np.allclose(cache["var"], Z.var(axis=1, ddof=1, keepdims=True))


def test_forward_default_epsilon_inside_root():
    Z = np.array([[0.0, 2.0]])  # mu=1, var=1
    Z_tilde, _ = batchnorm_forward(Z, np.ones((1, 1)), np.zeros((1, 1)))
    np.testing.assert_allclose(Z_tilde, [[-1.0, 1.0]] / np.sqrt(1 + 1e-5), rtol=1e-15)


def test_backward_gradient_check():
    Z, gamma, beta, W = random_case()

    def loss():
        return np.sum(W * batchnorm_forward(Z, gamma, beta)[0])

    dZ, dgamma, dbeta = batchnorm_backward(W, batchnorm_forward(Z, gamma, beta)[1])
    assert dZ.shape == Z.shape and dgamma.shape == gamma.shape and dbeta.shape == beta.shape
    assert rel_error(dZ, numerical_gradient(loss, Z)) < 1e-7
    assert rel_error(dgamma, numerical_gradient(loss, gamma)) < 1e-7
    assert rel_error(dbeta, numerical_gradient(loss, beta)) < 1e-7


def test_backward_dZ_rows_sum_to_zero():
    # Z_tilde does not change when a constant is added to a row of Z.
    Z, gamma, beta, W = random_case(seed=1)
    dZ, _, _ = batchnorm_backward(W, batchnorm_forward(Z, gamma, beta)[1])
    np.testing.assert_allclose(dZ.sum(axis=1), 0.0, atol=1e-12)


def test_running_stats_exact_numbers():
    running_mean, running_var = np.array([[0.0], [1.0]]), np.array([[1.0], [2.0]])
    mu, var = np.array([[2.0], [-1.0]]), np.array([[4.0], [0.5]])
    running_mean, running_var = update_running_stats(running_mean, running_var, mu, var)
    np.testing.assert_allclose(running_mean, [[0.2], [0.8]], rtol=1e-15)  # 0.9*0 + 0.1*2, 0.9*1 - 0.1*1
    np.testing.assert_allclose(running_var, [[1.3], [1.85]], rtol=1e-15)  # 0.9*1 + 0.1*4, 0.9*2 + 0.1*0.5


def test_inference_with_initial_running_stats():
    Z, gamma, beta, _ = random_case()
    out = batchnorm_inference(Z, gamma, beta, np.zeros((3, 1)), np.ones((3, 1)))
    np.testing.assert_allclose(out, gamma * Z / np.sqrt(1 + 1e-5) + beta, rtol=1e-14)


def test_inference_with_batch_stats_equals_forward():
    Z, gamma, beta, _ = random_case(seed=2)
    Z_tilde, cache = batchnorm_forward(Z, gamma, beta)
    np.testing.assert_allclose(batchnorm_inference(Z, gamma, beta, cache["mu"], cache["var"]), Z_tilde,
                               rtol=1e-12, atol=1e-14)


def test_inputs_not_mutated():
    Z, gamma, beta, W = random_case()
    copies = copy.deepcopy((Z, gamma, beta, W))
    _, cache = batchnorm_forward(Z, gamma, beta)
    cache_copy = copy.deepcopy(cache)
    batchnorm_backward(W, cache)
    rm, rv, mu, var = np.zeros((3, 1)), np.ones((3, 1)), cache["mu"], cache["var"]
    update_running_stats(rm, rv, mu, var)
    batchnorm_inference(Z, gamma, beta, rm, rv)
    assert all(np.array_equal(a, b) for a, b in zip(copies, (Z, gamma, beta, W), strict=True))
    assert all(np.array_equal(cache_copy[k], cache[k]) for k in cache)
    assert np.array_equal(rm, np.zeros((3, 1))) and np.array_equal(rv, np.ones((3, 1)))
