"""Tests of solutions.mini_batch_gradient_descent (lesson 01)."""

import copy

import numpy as np
from support.oracles import global_rng_unchanged

from solutions.mini_batch_gradient_descent import gd_update, random_mini_batches


def make_data(m, n_x=3):
    # Every row of X and the single row of Y hold the column index: pairs stay checkable after shuffling.
    X = np.tile(np.arange(m, dtype=float), (n_x, 1)) + np.arange(n_x)[:, None] * 1000
    Y = np.arange(m, dtype=float)[None, :]
    return X, Y


# gd_update

def test_gd_update_hand_computed():
    parameters = {"W1": np.array([[2.0]]), "b1": np.array([[-1.0]])}
    grads = {"dW1": np.array([[0.5]]), "db1": np.array([[-4.0]])}
    new = gd_update(parameters, grads, learning_rate=0.1)
    assert set(new) == {"W1", "b1"}
    np.testing.assert_allclose(new["W1"], [[1.95]], rtol=1e-15)
    np.testing.assert_allclose(new["b1"], [[-0.6]], rtol=1e-15)


def test_gd_update_every_layer_and_pure():
    rng = np.random.default_rng(0)
    parameters = {"W1": rng.standard_normal((3, 2)), "b1": rng.standard_normal((3, 1)),
                  "W2": rng.standard_normal((1, 3)), "b2": rng.standard_normal((1, 1))}
    grads = {"d" + k: rng.standard_normal(v.shape) for k, v in parameters.items()}
    p_copy, g_copy = copy.deepcopy(parameters), copy.deepcopy(grads)
    new = gd_update(parameters, grads, learning_rate=0.3)
    for key in parameters:
        np.testing.assert_allclose(new[key], p_copy[key] - 0.3 * g_copy["d" + key], rtol=1e-14)
        assert np.array_equal(parameters[key], p_copy[key])
        assert np.array_equal(grads["d" + key], g_copy["d" + key])
    assert new is not parameters


# random_mini_batches

def test_batch_sizes_with_leftover():
    X, Y = make_data(10)
    batches = random_mini_batches(X, Y, 4, np.random.default_rng(0))
    assert [xb.shape[1] for xb, _ in batches] == [4, 4, 2]  # last batch: 10 % 4 = 2
    assert all(xb.shape[0] == 3 and yb.shape[0] == 1 for xb, yb in batches)


def test_no_empty_last_batch_when_divisible():
    X, Y = make_data(12)
    batches = random_mini_batches(X, Y, 4, np.random.default_rng(0))
    assert [xb.shape[1] for xb, _ in batches] == [4, 4, 4]


def test_fewer_examples_than_batch_size_gives_one_batch():
    X, Y = make_data(5)
    batches = random_mini_batches(X, Y, 64, np.random.default_rng(0))
    assert len(batches) == 1
    assert batches[0][0].shape == (3, 5) and batches[0][1].shape == (1, 5)


def test_pairs_kept_and_every_example_once():
    X, Y = make_data(23)
    batches = random_mini_batches(X, Y, 5, np.random.default_rng(3))
    for xb, yb in batches:
        np.testing.assert_array_equal(xb[0], yb[0])
        np.testing.assert_array_equal(xb[2], yb[0] + 2000)
    all_y = np.concatenate([yb for _, yb in batches], axis=1)[0]
    assert sorted(all_y) == list(range(23))
    assert not np.array_equal(all_y, np.arange(23))  # actually shuffled


def test_exactly_one_permutation_call():
    X, Y = make_data(11)
    rng, twin = np.random.default_rng(42), np.random.default_rng(42)
    batches = random_mini_batches(X, Y, 4, rng)
    perm = twin.permutation(11)
    np.testing.assert_array_equal(np.concatenate([xb for xb, _ in batches], axis=1), X[:, perm])
    np.testing.assert_array_equal(np.concatenate([yb for _, yb in batches], axis=1), Y[:, perm])
    assert rng.random() == twin.random()  # the generator advanced by exactly that one call


def test_inputs_not_mutated_and_no_global_rng():
    X, Y = make_data(9)
    X_copy, Y_copy = X.copy(), Y.copy()
    assert global_rng_unchanged(lambda: random_mini_batches(X, Y, 2, np.random.default_rng(0)))
    assert np.array_equal(X, X_copy) and np.array_equal(Y, Y_copy)
