# Generated from lessons/01_mini_batch_gradient_descent.py by `make solutions`: do not edit; edit the lesson.
"""Lesson 01 — Mini-batch gradient descent: the reference answers."""


def gd_update(parameters, grads, *, learning_rate):
    """One step of gradient descent on every layer (lesson 01).

    W_l = W_l - learning_rate * dW_l
    b_l = b_l - learning_rate * db_l

    parameters: dict "W1" (n1, n0), "b1" (n1, 1), ..., "WL", "bL".
    grads: dict "dW1", "db1", ... shaped like the parameters.
    Returns a new dict; the arguments are not modified.
    """
    return {key: value - learning_rate * grads["d" + key] for key, value in parameters.items()}


def random_mini_batches(X, Y, mini_batch_size, rng):
    """Shuffle the examples and cut them into mini-batches (lesson 01).

    perm = rng.permutation(m); X[:, perm], Y[:, perm] cut into consecutive batches of
    mini_batch_size columns; the last batch holds the m % mini_batch_size leftover columns.

    X: (n_x, m); Y: (k, m); rng: numpy.random.Generator.
    Returns a list of (X_batch (n_x, b), Y_batch (k, b)) tuples, b <= mini_batch_size.
    """
    m = X.shape[1]
    perm = rng.permutation(m)
    X_shuffled, Y_shuffled = X[:, perm], Y[:, perm]
    return [
        (X_shuffled[:, start : start + mini_batch_size], Y_shuffled[:, start : start + mini_batch_size])
        for start in range(0, m, mini_batch_size)
    ]
