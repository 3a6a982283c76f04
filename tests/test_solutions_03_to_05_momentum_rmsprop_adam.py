"""Tests of solutions.momentum, solutions.rmsprop, solutions.adam (lessons 03-05) and gd_update."""

import copy

import numpy as np
import pytest

from solutions.adam import adam_update, init_adam
from solutions.mini_batch_gradient_descent import gd_update
from solutions.momentum import init_momentum, momentum_update
from solutions.rmsprop import init_rmsprop, rmsprop_update


def two_layer(seed=0):
    rng = np.random.default_rng(seed)
    parameters = {"W1": rng.standard_normal((3, 2)), "b1": rng.standard_normal((3, 1)),
                  "W2": rng.standard_normal((1, 3)), "b2": rng.standard_normal((1, 1))}
    return parameters, rng


def random_like(parameters, rng, positive=False):
    out = {"d" + k: rng.standard_normal(v.shape) for k, v in parameters.items()}
    return {k: v**2 for k, v in out.items()} if positive else out


def assert_dicts_close(a, b, rtol=1e-12):
    assert set(a) == set(b)
    for key in a:
        np.testing.assert_allclose(a[key], b[key], rtol=rtol, atol=0)


def assert_not_aliased(new, old):
    assert new is not old
    for key in old:
        assert not np.shares_memory(new[key], old[key])


# init_*

@pytest.mark.parametrize("init", [init_momentum, init_rmsprop, lambda p: init_adam(p)[0],
                                  lambda p: init_adam(p)[1]])
def test_init_zeros_with_gradient_keys(init):
    parameters, _ = two_layer()
    state = init(parameters)
    assert list(state) == ["dW1", "db1", "dW2", "db2"]
    for key, value in parameters.items():
        assert state["d" + key].shape == value.shape
        assert not state["d" + key].any()
        assert not np.shares_memory(state["d" + key], value)


def test_init_adam_v_and_s_independent():
    parameters, _ = two_layer()
    v, s = init_adam(parameters)
    assert v is not s
    v["dW1"][0, 0] = 5.0
    v["db2"] = np.ones((1, 1))
    assert s["dW1"][0, 0] == 0.0 and s["db2"][0, 0] == 0.0


# momentum

def test_momentum_hand_computed():
    # v = 0.9*0.5 + 0.1*2 = 0.65; W = 1 - 0.1*0.65 = 0.935
    new, v = momentum_update({"W1": np.array([[1.0]])}, {"dW1": np.array([[2.0]])},
                             {"dW1": np.array([[0.5]])}, learning_rate=0.1, beta=0.9)
    np.testing.assert_allclose(v["dW1"], [[0.65]], rtol=1e-15)
    np.testing.assert_allclose(new["W1"], [[0.935]], rtol=1e-15)


def test_momentum_beta_zero_is_gradient_descent():
    parameters, rng = two_layer()
    grads, v = random_like(parameters, rng), random_like(parameters, rng)
    new, _ = momentum_update(parameters, grads, v, learning_rate=0.05, beta=0.0)
    assert_dicts_close(new, gd_update(parameters, grads, learning_rate=0.05), rtol=1e-15)


def test_momentum_several_steps_from_nonzero_state():
    parameters, rng = two_layer(1)
    v0 = random_like(parameters, rng)
    grads_seq = [random_like(parameters, rng) for _ in range(5)]
    W, v = dict(parameters), dict(v0)
    for grads in grads_seq:
        W, v = momentum_update(W, grads, v, learning_rate=0.1, beta=0.8)
    for key in parameters:  # independent loop, one array at a time
        w, vel = parameters[key].copy(), v0["d" + key].copy()
        for grads in grads_seq:
            vel = 0.8 * vel + 0.2 * grads["d" + key]
            w = w - 0.1 * vel
        np.testing.assert_allclose(W[key], w, rtol=1e-12)
        np.testing.assert_allclose(v["d" + key], vel, rtol=1e-12)


def test_momentum_pure_and_not_aliased():
    parameters, rng = two_layer()
    grads, v = random_like(parameters, rng), random_like(parameters, rng)
    copies = copy.deepcopy((parameters, grads, v))
    new, new_v = momentum_update(parameters, grads, v, learning_rate=0.1)
    for before, after in zip(copies, (parameters, grads, v), strict=True):
        assert all(np.array_equal(before[k], after[k]) for k in before)
    assert_not_aliased(new_v, v)
    assert_not_aliased(new, parameters)


# rmsprop

def test_rmsprop_hand_computed():
    # s = 0.5*7 + 0.5*1**2 = 4; W = 1 - 0.1 * 1 / sqrt(4) = 0.95
    new, s = rmsprop_update({"W1": np.array([[1.0]])}, {"dW1": np.array([[1.0]])},
                            {"dW1": np.array([[7.0]])}, learning_rate=0.1, beta2=0.5, epsilon=0.0)
    np.testing.assert_allclose(s["dW1"], [[4.0]], rtol=1e-15)
    np.testing.assert_allclose(new["W1"], [[0.95]], rtol=1e-15)


def test_rmsprop_several_steps_from_nonzero_state():
    parameters, rng = two_layer(2)
    s0 = random_like(parameters, rng, positive=True)
    grads_seq = [random_like(parameters, rng) for _ in range(5)]
    W, s = dict(parameters), dict(s0)
    for grads in grads_seq:
        W, s = rmsprop_update(W, grads, s, learning_rate=0.01, beta2=0.9, epsilon=1e-6)
    for key in parameters:
        w, sq = parameters[key].copy(), s0["d" + key].copy()
        for grads in grads_seq:
            g = grads["d" + key]
            sq = 0.9 * sq + 0.1 * g * g
            w = w - 0.01 * g / (np.sqrt(sq) + 1e-6)
        np.testing.assert_allclose(W[key], w, rtol=1e-12)
        np.testing.assert_allclose(s["d" + key], sq, rtol=1e-12)


def test_rmsprop_epsilon_outside_the_root():
    # s = 0.001 * 1e-20 = 1e-23: outside 1e-10/(3e-12 + 1e-4) ~ 1e-6, inside 1e-10/sqrt(1e-4) = 1e-8.
    g, lr, eps = 1e-10, 1.0, 1e-4
    new, _ = rmsprop_update({"W1": np.array([[0.0]])}, {"dW1": np.array([[g]])}, {"dW1": np.array([[0.0]])},
                            learning_rate=lr, beta2=0.999, epsilon=eps)
    s = 0.001 * g**2
    outside, inside = -lr * g / (np.sqrt(s) + eps), -lr * g / np.sqrt(s + eps)
    np.testing.assert_allclose(new["W1"][0, 0], outside, rtol=1e-12)
    assert not np.isclose(new["W1"][0, 0], inside, rtol=0.5, atol=0)  # ~100x apart


def test_rmsprop_pure_and_not_aliased():
    parameters, rng = two_layer()
    grads, s = random_like(parameters, rng), random_like(parameters, rng, positive=True)
    copies = copy.deepcopy((parameters, grads, s))
    new, new_s = rmsprop_update(parameters, grads, s, learning_rate=0.1)
    for before, after in zip(copies, (parameters, grads, s), strict=True):
        assert all(np.array_equal(before[k], after[k]) for k in before)
    assert_not_aliased(new_s, s)
    assert_not_aliased(new, parameters)


# adam

def test_adam_hand_computed_second_step():
    # t=2, beta1=0.5, beta2=0.75, v0=1, s0=1, g=3: v = 0.5 + 1.5 = 2, s = 0.75 + 2.25 = 3
    # v_hat = 2/0.75 = 8/3, s_hat = 3/(1-0.5625) = 48/7;  W = 1 - 0.1 * (8/3) / sqrt(48/7)
    new, v, s = adam_update({"W1": np.array([[1.0]])}, {"dW1": np.array([[3.0]])}, {"dW1": np.array([[1.0]])},
                            {"dW1": np.array([[1.0]])}, 2, learning_rate=0.1, beta1=0.5, beta2=0.75,
                            epsilon=0.0)
    np.testing.assert_allclose(v["dW1"], [[2.0]], rtol=1e-15)
    np.testing.assert_allclose(s["dW1"], [[3.0]], rtol=1e-15)
    np.testing.assert_allclose(new["W1"], [[1 - 0.1 * (8 / 3) / np.sqrt(48 / 7)]], rtol=1e-14)


def test_adam_first_step_moves_by_lr_times_sign_and_returns_uncorrected_state():
    g = np.array([[1e-3, -2.0, 5e2], [-7e-2, 3.0, -1e3]])
    parameters = {"W1": np.zeros((2, 3))}
    v, s = init_adam(parameters)
    new, v, s = adam_update(parameters, {"dW1": g}, v, s, 1, learning_rate=0.01)
    np.testing.assert_allclose(new["W1"], -0.01 * np.sign(g), rtol=1e-4)  # t=1 is the first update
    np.testing.assert_allclose(v["dW1"], 0.1 * g, rtol=1e-14)  # uncorrected: not g
    np.testing.assert_allclose(s["dW1"], 0.001 * g**2, rtol=1e-14)  # uncorrected: not g**2


def test_adam_several_steps_from_nonzero_state():
    parameters, rng = two_layer(3)
    v0, s0 = random_like(parameters, rng), random_like(parameters, rng, positive=True)
    grads_seq = [random_like(parameters, rng) for _ in range(5)]
    W, v, s = dict(parameters), dict(v0), dict(s0)
    for t, grads in enumerate(grads_seq, start=4):
        W, v, s = adam_update(W, grads, v, s, t, learning_rate=0.01, beta1=0.8, beta2=0.9, epsilon=1e-6)
    for key in parameters:
        w, m1, m2 = parameters[key].copy(), v0["d" + key].copy(), s0["d" + key].copy()
        for t, grads in enumerate(grads_seq, start=4):
            g = grads["d" + key]
            m1 = 0.8 * m1 + 0.2 * g
            m2 = 0.9 * m2 + 0.1 * g * g
            w = w - 0.01 * (m1 / (1 - 0.8**t)) / (np.sqrt(m2 / (1 - 0.9**t)) + 1e-6)
        np.testing.assert_allclose(W[key], w, rtol=1e-12)
        np.testing.assert_allclose(v["d" + key], m1, rtol=1e-12)
        np.testing.assert_allclose(s["d" + key], m2, rtol=1e-12)


def test_adam_epsilon_outside_the_root():
    # t=1: v_hat = 1e-10, s_hat = 1e-20: outside 1e-10/(1e-10 + 1e-4) ~ 1e-6, inside 1e-10/1e-2 = 1e-8.
    g, eps = 1e-10, 1e-4
    new, _, _ = adam_update({"W1": np.array([[0.0]])}, {"dW1": np.array([[g]])}, {"dW1": np.array([[0.0]])},
                            {"dW1": np.array([[0.0]])}, 1, learning_rate=1.0, epsilon=eps)
    outside, inside = -g / (np.sqrt(g**2) + eps), -g / np.sqrt(g**2 + eps)
    np.testing.assert_allclose(new["W1"][0, 0], outside, rtol=1e-10)
    assert not np.isclose(new["W1"][0, 0], inside, rtol=0.5, atol=0)  # ~100x apart


def test_adam_pure_and_not_aliased():
    parameters, rng = two_layer()
    grads, v = random_like(parameters, rng), random_like(parameters, rng)
    s = random_like(parameters, rng, positive=True)
    copies = copy.deepcopy((parameters, grads, v, s))
    new, new_v, new_s = adam_update(parameters, grads, v, s, 3, learning_rate=0.1)
    for before, after in zip(copies, (parameters, grads, v, s), strict=True):
        assert all(np.array_equal(before[k], after[k]) for k in before)
    assert_not_aliased(new_v, v)
    assert_not_aliased(new_s, s)
    assert_not_aliased(new, parameters)
    assert new_v is not new_s
