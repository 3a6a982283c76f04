"""Check cases of lesson 01 (mini-batch gradient descent)."""

import numpy as np

from coursekit.plain import Rng
from grader.case_inputs import gradients, parameters
from grader.casebook import Case, Misconception, Mistake, Question

# ----------------------------------------------------------------------------- gd_update

P = parameters(10)
G = gradients(11, P)
P_DEEP = parameters(12, dims=(4, 5, 3, 1))
G_DEEP = gradients(13, P_DEEP, scale=2.0)
ONE_LAYER = {"W1": np.array([[2.0, -1.0]]), "b1": np.array([[0.5]])}
ONE_LAYER_GRADS = {"dW1": np.array([[0.5, -3.0]]), "db1": np.array([[-4.0]])}


def _weights_only(parameters, grads, *, learning_rate):
    return {key: value - learning_rate * grads["d" + key] if key.startswith("W") else value.copy()
            for key, value in parameters.items()}


def _adds_gradient(parameters, grads, *, learning_rate):
    return {key: value + learning_rate * grads["d" + key] for key, value in parameters.items()}


# ----------------------------------------------------------------------------- random_mini_batches


def indexed(m, n_x=3, n_y=1):
    """X (n_x, m) and Y (n_y, m) whose entries name their column: X[i, j] = j + 1000*i,
    Y[k, j] = j + 0.5 + 100*k (Y is not a copy of any row of X), so a batch shows which
    examples it holds and whether each X column still sits beside its own Y column."""
    columns = np.arange(m, dtype=float)
    X = columns + 1000.0 * np.arange(n_x)[:, None]
    Y = columns + 0.5 + 100.0 * np.arange(n_y)[:, None]
    return X, Y


def _cut(X, Y, size, stop=None):
    m = X.shape[1] if stop is None else stop
    return [(X[:, s : s + size], Y[:, s : s + size]) for s in range(0, m, size)]


def _drops_last(X, Y, mini_batch_size, rng):
    m = X.shape[1]
    perm = rng.permutation(m)
    full = m - m % mini_batch_size
    return _cut(X[:, perm], Y[:, perm], mini_batch_size, stop=full)


def _two_permutations(X, Y, mini_batch_size, rng):
    m = X.shape[1]
    return _cut(X[:, rng.permutation(m)], Y[:, rng.permutation(m)], mini_batch_size)


def _not_shuffled(X, Y, mini_batch_size, rng):
    return _cut(X, Y, mini_batch_size)


def _global_rng(X, Y, mini_batch_size, rng):
    perm = np.random.permutation(X.shape[1])
    return _cut(X[:, perm], Y[:, perm], mini_batch_size)


def _choice(X, Y, mini_batch_size, rng):
    perm = rng.choice(X.shape[1], size=X.shape[1], replace=False)
    return _cut(X[:, perm], Y[:, perm], mini_batch_size)


def _array_split(X, Y, mini_batch_size, rng):
    m = X.shape[1]
    perm = rng.permutation(m)
    pieces = -(-m // mini_batch_size)
    return list(zip(np.array_split(X[:, perm], pieces, axis=1), np.array_split(Y[:, perm], pieces, axis=1),
                    strict=True))


def _empty_last(X, Y, mini_batch_size, rng):
    m = X.shape[1]
    perm = rng.permutation(m)
    Xs, Ys = X[:, perm], Y[:, perm]
    return [(Xs[:, k * mini_batch_size : (k + 1) * mini_batch_size],
             Ys[:, k * mini_batch_size : (k + 1) * mini_batch_size])
            for k in range(m // mini_batch_size + 1)]


MISTAKES = [
    Mistake("gd_update", "your update changes only the weights W, not the biases b", _weights_only),
    Mistake("gd_update", "your update adds the gradient instead of subtracting it (that climbs the cost)",
            _adds_gradient),
    Mistake("random_mini_batches", "the last partial mini-batch (the m % mini_batch_size leftover examples) "
            "is dropped; keep it as a smaller last batch", _drops_last),
    Mistake("random_mini_batches", "X and Y are shuffled with different permutations (two rng.permutation "
            "calls), so examples lose their labels; draw one perm and use it for both", _two_permutations),
    Mistake("random_mini_batches", "the examples are not shuffled; draw perm = rng.permutation(m) first",
            _not_shuffled),
    Mistake("random_mini_batches", "the permutation comes from numpy's global RNG (np.random); "
            "use the rng argument", _global_rng),
    Mistake("random_mini_batches", "the order comes from rng.choice; draw it with exactly one call "
            "perm = rng.permutation(m), as specified, so that the batches are reproducible", _choice),
    Mistake("random_mini_batches", "the batches have balanced sizes (np.array_split); cut full batches of "
            "mini_batch_size columns and leave the m % mini_batch_size leftover to the last one", _array_split),
    Mistake("random_mini_batches", "there is an empty mini-batch at the end when m is a multiple of "
            "mini_batch_size", _empty_last),
]

CASES = [
    Case("gd_update", "two layers, learning_rate=0.1", (P, G), {"learning_rate": 0.1}, visible=True,
         hint="one plain step on every W and b of two layers: each parameter moves against its own gradient, scaled "
              "by learning_rate"),
    Case("gd_update", "one layer, hand-sized numbers", (ONE_LAYER, ONE_LAYER_GRADS), {"learning_rate": 0.5},
         visible=True,
         hint="numbers to check by hand: W1 moves by learning_rate times dW1 and b1 by learning_rate times db1, "
              "both downhill (against the gradient)"),
    Case("gd_update", "three layers, learning_rate=0.03", (P_DEEP, G_DEEP), {"learning_rate": 0.03},
         hint="three layers: every W_l and b_l is updated whatever the depth; check that your loop covers every key "
              "of parameters, not a fixed number of layers"),
    Case("gd_update", "learning_rate=2.0", (P, gradients(14, P, scale=0.1)), {"learning_rate": 2.0},
         hint="a large learning_rate: the step is learning_rate times the gradient whatever its size; check that "
              "the learning_rate argument is used, not a fixed value, and that nothing caps the step"),
    Case("gd_update", "zero gradients leave the parameters unchanged",
         (P_DEEP, gradients(15, P_DEEP, scale=0.0)), {"learning_rate": 0.1},
         hint="every gradient is zero, so every parameter must come back with the values it went in with (in new "
              "arrays)"),
    Case("random_mini_batches", "m=10, mini_batch_size=4: batches of 4, 4 and 2", (*indexed(10), 4, Rng(0)),
         visible=True,
         hint="shuffle once with rng, then cut consecutive batches of mini_batch_size columns; the 2 leftover "
              "examples make a smaller last batch, and each X column stays beside its own Y column"),
    Case("random_mini_batches", "m=12, mini_batch_size=4: three full batches", (*indexed(12), 4, Rng(1)),
         visible=True,
         hint="m is a multiple of mini_batch_size: exactly three full batches, no empty or partial one after them, "
              "X and Y shuffled in the same order"),
    Case("random_mini_batches", "m=23, mini_batch_size=5: last batch of 3", (*indexed(23), 5, Rng(7)),
         hint="four full batches of 5, then the 3 leftover examples; check the number of batches and that they are "
              "all cut from one shuffled order"),
    Case("random_mini_batches", "m=64, mini_batch_size=16: four full batches, no empty one",
         (*indexed(64, n_x=2), 16, Rng(8)),
         hint="a multiple again, with larger sizes: the batch starts must stop before m, so that no empty batch "
              "follows the fourth"),
    Case("random_mini_batches", "m=5 < mini_batch_size=64: a single batch of 5", (*indexed(5), 64, Rng(9)),
         hint="fewer examples than mini_batch_size: a list of one batch holding all 5 shuffled examples"),
    Case("random_mini_batches", "Y with 3 rows (one-hot-like), m=13, mini_batch_size=4",
         (*indexed(13, n_x=4, n_y=3), 4, Rng(10)),
         hint="Y has several rows: its columns (the examples, axis 1) are shuffled and cut with X's permutation, "
              "and every batch keeps all of Y's rows"),
    Case("random_mini_batches", "mini_batch_size=1 (stochastic gradient descent), m=6",
         (*indexed(6, n_x=2), 1, Rng(11)),
         hint="batches of one example: six batches, each still 2-D (X of shape (2, 1), Y of shape (1, 1)), in the "
              "shuffled order"),
]

# ----------------------------------------------------------------------------- predict, then check

QUESTIONS = [
    Question(
        "predict_batches_per_epoch",
        "the number of mini-batches of one epoch and the size of the last one, for m = 1000 and mini_batch_size = 64",
        misconceptions=[
            Misconception({"batches_per_epoch": 15}, "1000 // 64 counts only the full mini-batches: the examples "
                          "left over after them are not dropped, they make a smaller last batch (equation (3))"),
            Misconception({"last_batch_size": 64}, "1000 is not a multiple of 64, so the batches cannot all be "
                          "full: the last one holds only the examples left after the full ones"),
            Misconception({"last_batch_size": 62}, "the batches are not balanced as np.array_split would make them: "
                          "all but the last hold exactly 64 examples, and the last gets the rest"),
            Misconception({"last_batch_size": 24}, "that is how many examples the last batch lacks to be full; the "
                          "question asks how many it holds"),
        ],
        hint="count how many full batches of 64 fit into 1000 examples, then what is left over (equation (3))",
    ),
]
