"""Mini-batch training with a progress bar and a recorded history."""

import time

from tqdm.auto import tqdm

from coursekit import network


def train(
    parameters,
    X,
    Y,
    *,
    head,
    optimizer,
    learning_rate,
    epochs,
    batch_size,
    make_batches,
    rng,
    schedule=None,
    batchnorm=None,
    progress=True,
):
    """Train with `optimizer` over mini-batches from make_batches(X, Y, batch_size, rng).

    schedule(learning_rate, epoch, t) -> rate for the update t (1-based) of that epoch;
    None keeps the rate constant. Returns (parameters, running_stats, history) where the
    history holds the per-update "cost" and "learning_rate" and the per-epoch
    "epoch_cost" and "seconds" (wall clock since the start).
    """
    state = optimizer.init(parameters)
    running = network.init_running_stats(parameters)
    history = {"cost": [], "learning_rate": [], "epoch_cost": [], "seconds": []}
    start, t = time.perf_counter(), 0
    bar = tqdm(range(epochs), desc=optimizer.name, disable=not progress, leave=False)
    for epoch in bar:
        batches = make_batches(X, Y, batch_size, rng)
        total = 0.0
        for X_batch, Y_batch in batches:
            t += 1
            rate = learning_rate if schedule is None else schedule(learning_rate, epoch, t)
            _, cache = network.forward(X_batch, parameters, head, batchnorm=batchnorm)
            batch_cost = head.cost(cache["ZL"], Y_batch)
            grads = network.backward(Y_batch, parameters, cache, head, batchnorm=batchnorm)
            parameters, state = optimizer.step(parameters, grads, state, t, rate)
            if batchnorm is not None:
                running = network.update_running(running, cache["batch_stats"], batchnorm)
            history["cost"].append(batch_cost)
            history["learning_rate"].append(rate)
            total += batch_cost * X_batch.shape[1]
        history["epoch_cost"].append(total / X.shape[1])
        history["seconds"].append(time.perf_counter() - start)
        bar.set_postfix(cost=f"{history['epoch_cost'][-1]:.4f}")
    return parameters, running, history
