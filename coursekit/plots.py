"""Figures shared by the lessons. Every function draws on `ax` (a new one if None) and returns it."""

import matplotlib.pyplot as plt
import numpy as np


def _axes(ax, figsize=(6, 4)):
    return plt.subplots(figsize=figsize)[1] if ax is None else ax


def plot_costs(histories, *, key="cost", ax=None, log=True, xlabel=None):
    """One curve per named history (name -> history dict from coursekit.training.train)."""
    ax = _axes(ax)
    for name, history in histories.items():
        ax.plot(history[key], label=name, lw=1)
    ax.set_xlabel(xlabel or ("mini-batch update" if key == "cost" else "epoch"))
    ax.set_ylabel("cost")
    if log:
        ax.set_yscale("log")
    ax.legend()
    return ax


def plot_decision_boundary(predict, X, labels, *, ax=None, title=None, resolution=200):
    """Regions predicted by predict(points (2, k)) -> (k,) classes, with the examples on top."""
    ax = _axes(ax, figsize=(4.5, 4))
    labels = np.asarray(labels).reshape(-1)
    pad = 0.5
    x1 = np.linspace(X[0].min() - pad, X[0].max() + pad, resolution)
    x2 = np.linspace(X[1].min() - pad, X[1].max() + pad, resolution)
    grid1, grid2 = np.meshgrid(x1, x2)
    regions = predict(np.vstack([grid1.ravel(), grid2.ravel()])).reshape(grid1.shape)
    levels = np.arange(labels.max() + 2) - 0.5
    ax.contourf(grid1, grid2, regions, levels=levels, cmap="coolwarm", alpha=0.3)
    ax.scatter(X[0], X[1], c=labels, cmap="coolwarm", s=8, edgecolors="k", linewidths=0.2)
    ax.set_title(title or "")
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def plot_trajectories(surface, paths, *, ax=None, xlim=(-2, 2), ylim=(-2, 2), levels=30):
    """Contours of surface.loss with one path (steps + 1, 2) per named optimizer."""
    ax = _axes(ax, figsize=(6, 4.5))
    w1, w2 = np.meshgrid(np.linspace(*xlim, 300), np.linspace(*ylim, 300))
    ax.contour(w1, w2, surface.loss(w1, w2), levels=levels, cmap="viridis", linewidths=0.6)
    for name, path in paths.items():
        ax.plot(path[:, 0], path[:, 1], "o-", ms=2.5, lw=1, label=name)
    ax.plot(*paths[next(iter(paths))][0], "k*", ms=10, label="start")
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    ax.set_title(surface.name)
    ax.legend(fontsize=8)
    return ax


def plot_schedules(schedules, *, ax=None, xlabel="epoch"):
    """One learning-rate curve per named sequence of rates."""
    ax = _axes(ax)
    for name, rates in schedules.items():
        ax.plot(rates, label=name)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("learning rate")
    ax.legend()
    return ax
