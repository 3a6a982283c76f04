# Generated from lessons/01_mini_batch_gradient_descent.py by `make solutions`: do not edit; edit the lesson.
"""Lesson 01 — Mini-batch gradient descent: the reference answers."""


def gd_update(parameters, grads, *, learning_rate):
    """One step of gradient descent on every layer: equation (1) of section 1 (lesson 01).

    parameters: dict "W1" (n1, n0), "b1" (n1, 1), ..., "WL" (nL, nL-1), "bL" (nL, 1), any L.
    grads: dict "dW1", "db1", ..., "dWL", "dbL", each shaped like its parameter.
    learning_rate: float alpha > 0 (keyword-only).
    Returns a new dict with the same keys and shapes: every parameter after one step of (1).
    Neither parameters nor grads is modified.
    """
    return {key: value - learning_rate * grads["d" + key] for key, value in parameters.items()}


def random_mini_batches(X, Y, mini_batch_size, rng):
    """Shuffle the examples and cut them into mini-batches: steps 1 and 2 of section 3 (lesson 01).

    X: (n_x, m), one example per column; Y: (k, m), the labels of the same examples.
    mini_batch_size: int b >= 1.
    rng: numpy.random.Generator, the only source of randomness: exactly one draw,
        rng.permutation(m), whose order is used for the columns of both X and Y.
    Returns a list of T = ceil(m / b) tuples (X_batch (n_x, b_t), Y_batch (k, b_t)) with the
    sizes b_t of equation (3): consecutive blocks of the shuffled columns, the last one holding
    the leftover columns, none of them empty. X and Y are not modified.
    """
    m = X.shape[1]
    perm = rng.permutation(m)
    X_shuffled, Y_shuffled = X[:, perm], Y[:, perm]
    return [
        (X_shuffled[:, start : start + mini_batch_size], Y_shuffled[:, start : start + mini_batch_size])
        for start in range(0, m, mini_batch_size)
    ]


def train_one_epoch(parameters, X, Y, cost_and_gradients, *, mini_batch_size, learning_rate, rng):
    """One epoch of mini-batch gradient descent: steps 1-3 and equation (4) of section 6 (lesson 01).

    parameters: dict "W1", "b1", ... of the model, as gd_update takes them.
    X: (n_x, m); Y: (k, m).
    cost_and_gradients(parameters, X_batch, Y_batch) -> (cost, grads): the cost of one mini-batch
        (a float) and its gradients (a dict "dW1", "db1", ...); called once per mini-batch.
    mini_batch_size: int b; learning_rate: float alpha; rng: numpy.random.Generator, used only
        by your random_mini_batches, once per epoch (all keyword-only).
    Returns (parameters, batch_costs): the parameters after the last update (a new dict) and a
    list of the T = ceil(m / b) mini-batch costs in the order of the updates, each measured
    before its own update. No argument is modified (the rng aside).
    """
    batch_costs = []
    for X_batch, Y_batch in random_mini_batches(X, Y, mini_batch_size, rng):
        cost, grads = cost_and_gradients(parameters, X_batch, Y_batch)
        parameters = gd_update(parameters, grads, learning_rate=learning_rate)
        batch_costs.append(cost)
    return parameters, batch_costs
