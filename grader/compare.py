"""The optimizer comparison: one network on the moons data trained with gradient descent,
momentum, RMSprop and Adam (the reference solutions), a table and a figure."""

import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from coursekit import data, network, optimizers, plots, training
from solutions import adam, momentum, rmsprop
from solutions.mini_batch_gradient_descent import gd_update, random_mini_batches

RUNS = [
    (optimizers.gradient_descent(gd_update), 0.3),
    (optimizers.momentum(momentum.init_momentum, momentum.momentum_update), 0.3),
    (optimizers.rmsprop(rmsprop.init_rmsprop, rmsprop.rmsprop_update), 0.003),
    (optimizers.adam(adam.init_adam, adam.adam_update), 0.01),
]


def compare(figure_path, *, epochs=150, seed=0):
    """Train each optimizer from the same start; returns the table rows and saves the figure."""
    rng = np.random.default_rng(seed)
    X, Y = data.make_moons(600, rng)
    X_train, Y_train, X_test, Y_test = data.train_test_split(X, Y, rng, test_fraction=0.25)
    start = network.init_parameters([2, 16, 16, 1], rng)
    head = network.SIGMOID_HEAD
    rows, histories, models = [], {}, {}
    for optimizer, learning_rate in RUNS:
        clock = time.perf_counter()
        parameters, _, history = training.train(
            start,
            X_train,
            Y_train,
            head=head,
            optimizer=optimizer,
            learning_rate=learning_rate,
            epochs=epochs,
            batch_size=64,
            make_batches=random_mini_batches,
            rng=np.random.default_rng(seed + 1),
            progress=False,
        )
        seconds = time.perf_counter() - clock
        histories[optimizer.name], models[optimizer.name] = history, parameters
        rows.append(
            {
                "optimizer": optimizer.name,
                "learning_rate": learning_rate,
                "final_cost": history["epoch_cost"][-1],
                "train_accuracy": network.accuracy(network.predict(X_train, parameters, head), Y_train),
                "test_accuracy": network.accuracy(network.predict(X_test, parameters, head), Y_test),
                "seconds": seconds,
            }
        )
    figure, axes = plt.subplots(1, 5, figsize=(22, 4.2))
    plots.plot_costs(histories, key="epoch_cost", ax=axes[0])
    axes[0].set_title(f"training cost, {epochs} epochs of mini-batches of 64")
    for ax, (name, parameters) in zip(axes[1:], models.items(), strict=True):
        plots.plot_decision_boundary(
            lambda P, p=parameters: network.predict(P, p, head),
            X_test,
            Y_test,
            ax=ax,
            title=f"{name} (held-out points)",
        )
    figure.tight_layout()
    Path(figure_path).parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(figure_path, dpi=90)
    plt.close(figure)
    return rows


def format_table(rows):
    lines = [
        f"{'optimizer':18s} {'lr':>7s} {'final cost':>11s} {'train acc':>10s} {'held-out acc':>13s} {'seconds':>8s}"
    ]
    for r in rows:
        lines.append(
            f"{r['optimizer']:18s} {r['learning_rate']:7.3g} {r['final_cost']:11.4f} "
            f"{r['train_accuracy']:10.3f} {r['test_accuracy']:13.3f} {r['seconds']:8.2f}"
        )
    return "\n".join(lines)
