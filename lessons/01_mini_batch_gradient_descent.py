# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lesson 01 — Mini-batch gradient descent
#
# **What you'll do.** Write the update step of gradient descent for a whole network, the
# function that shuffles a training set and cuts it into mini-batches, and the loop of one epoch
# that puts them together. With those three pieces you will watch mini-batch descent wander on a
# two-parameter problem, train the same small network three ways — on the whole training set at
# once, on one example at a time, and on mini-batches of 64 — and race the variants against the
# clock.
#
# **What you'll learn.**
# - the course's conventions: examples are columns, parameters and gradients are dicts, graded
#   functions return new arrays and take their randomness from an explicit `rng`;
# - what batch, stochastic and mini-batch gradient descent have in common and where they differ:
#   the cost of one update, the noise in it, and how many updates one pass over the data buys;
# - why the examples are reshuffled every epoch, and what happens to the leftover examples;
# - what one epoch of training does, step by step: shuffle, cut, and for each mini-batch a cost,
#   a gradient and an update;
# - why a mini-batch path keeps wandering near the minimum, and what calms it;
# - how to choose a mini-batch size: powers of two, and a batch that fits in memory.
#
# **What you need.** numpy (slicing, fancy indexing); the idea of a neural network trained by
# gradient descent (forward pass, cost, backward pass). The network itself is provided by
# `coursekit`.

# %%
import time

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from coursekit import data, network
from coursekit.checking import check

# %% [markdown]
# ## 1. Concept: one gradient-descent step for every layer
#
# Throughout the course a training set of $m$ examples is stored **by columns**: $X$ has shape
# $(n_x, m)$ — column $j$ is the input $x^{(j)}$ with $n_x$ features — and the labels $Y$ have
# shape $(1, m)$ (binary labels) or $(C, m)$ (one-hot labels over $C$ classes).
#
# A network with $L$ layers has weights $W^{[l]}$ of shape $(n_l, n_{l-1})$ and biases $b^{[l]}$ of
# shape $(n_l, 1)$, for $l = 1, \dots, L$. They live in a dict `parameters` with keys `"W1", "b1",
# ..., "WL", "bL"`. The backward pass returns the gradients of the cost $J$ in a dict `grads` with
# the same keys and a `d` in front: `grads["dW1"]` $= \partial J / \partial W^{[1]}$, and so on.
#
# Gradient descent moves every parameter a small step against its gradient:
#
# $$W^{[l]} := W^{[l]} - \alpha\, dW^{[l]} \qquad b^{[l]} := b^{[l]} - \alpha\, db^{[l]}
# \qquad l = 1, \dots, L \tag{1}$$
#
# where $\alpha > 0$ is the **learning rate**. The minus sign matters: the gradient points
# uphill, towards a larger cost. Every graded function of the course is **pure**: it returns a
# new dict of new arrays and leaves its arguments untouched (write `value - ...`, not `value -= ...`,
# which would change the caller's arrays in place).

# %% [markdown]
# ## 2. Implement: `gd_update`
#
# Write the step (1) for a whole network. The docstring is the contract: what comes in, what
# goes out, and what must not change. A network may have any number of layers, so do not name
# `"W1"`, `"b1"`, ... yourself: work with the keys you are given.

# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# Equation (1) treats every parameter alike: $W^{[1]}$, $b^{[1]}$, $W^{[2]}$, ... each moves
# against its own gradient, scaled by $\alpha$. So one rule applied to each entry of `parameters`
# is enough; the entry's gradient is found from its key by the naming convention of section 1.
# Build a new dict of new arrays rather than changing the arrays you were given.
#
# </details>
# <details><summary>Hint 2 (close to code)</summary>
#
# Go through `parameters.items()`; the gradient of the entry `key` is `grads["d" + key]`. The
# expression `value - learning_rate * gradient` makes a new array (unlike `-=`, which would write
# into the caller's array). A dict comprehension, or an empty dict filled in a `for` loop, gives
# the new dict.
#
# </details>

# %% nbgrader={"grade_id": "gd_update"} checks={"visible": 1, "hidden": 2}
def gd_update(parameters, grads, *, learning_rate):
    """One step of gradient descent on every layer: equation (1) of section 1 (lesson 01).

    parameters: dict "W1" (n1, n0), "b1" (n1, 1), ..., "WL" (nL, nL-1), "bL" (nL, 1), any L.
    grads: dict "dW1", "db1", ..., "dWL", "dbL", each shaped like its parameter.
    learning_rate: float alpha > 0 (keyword-only).
    Returns a new dict with the same keys and shapes: every parameter after one step of (1).
    Neither parameters nor grads is modified.
    """
    ### BEGIN SOLUTION
    return {key: value - learning_rate * grads["d" + key] for key, value in parameters.items()}
    ### END SOLUTION


# %% [markdown]
# ## 3. Concept: mini-batches
#
# The cost is a mean over the training set, $J = \frac{1}{m}\sum_{j=1}^{m} \mathcal{L}(\hat y^{(j)}, y^{(j)})$,
# so its exact gradient needs a forward and a backward pass over **all** $m$ examples — for one
# single step. With $m$ in the millions that is slow, and the step is no better for it: the mean
# over 1,000 well-chosen examples already points almost the same way.
#
# **Mini-batch gradient descent** therefore splits the training set into mini-batches
# $X^{\{1\}}, X^{\{2\}}, \dots$ of $b$ columns each (with their labels $Y^{\{1\}}, Y^{\{2\}}, \dots$) and
# makes one update per mini-batch, using the gradient of the mini-batch cost
#
# $$J^{\{t\}} = \frac{1}{b_t} \sum_{j \in \text{batch } t} \mathcal{L}(\hat y^{(j)}, y^{(j)}), \tag{2}$$
#
# where $b_t$ is the number of examples in batch $t$. One pass through all the mini-batches is an
# **epoch**: it makes $\lceil m / b \rceil$ updates instead of one. Two special cases have names:
#
# | mini-batch size | name | one update costs | updates per epoch |
# |---|---|---|---|
# | $b = m$ | batch gradient descent | a pass over all $m$ examples | 1 |
# | $b = 1$ | stochastic gradient descent (SGD) | one example | $m$ |
# | $1 < b < m$ | mini-batch gradient descent | $b$ examples, vectorised | $\lceil m/b \rceil$ |
#
# (Deep-learning libraries call any of these "SGD"; in practice it almost always means mini-batches.)
#
# **How to build the batches of one epoch.**
# 1. *Shuffle.* Draw a random permutation $\pi$ of $0, \dots, m-1$ and reorder the columns of
#    **both** $X$ and $Y$ with it: column $i$ of the shuffled $X$ is column $\pi(i)$ of $X$, and
#    the same for $Y$. Using the same $\pi$ for both keeps every example beside its own label.
#    Shuffling matters because data sets are often stored in
#    some order (by class, by date, by source): the moons data of this lesson has all the
#    class-0 examples first. Cut in that order, each batch would pull the network towards one
#    class, then the other. A fresh permutation every epoch also means the network never sees
#    the same batches twice.
# 2. *Partition.* Cut the shuffled columns into consecutive pieces of $b$ = `mini_batch_size`
#    columns: batch $t$ holds the shuffled columns $(t-1)\,b$ to $\min(t\,b,\ m) - 1$ (counting
#    columns from 0). That makes
#
#    $$T = \left\lceil \frac{m}{b} \right\rceil \text{ batches}, \qquad b_t = b \text{ for } t < T,
#    \qquad b_T = m - (T-1)\,b . \tag{3}$$
#
#    When $m$ is not a multiple of $b$, the last batch is smaller: it holds the
#    $m \bmod b$ leftover examples. Keep it — dropping it would silently skip those examples
#    in every epoch. When $m$ is a multiple of $b$ there is no leftover, and no empty batch.
#
# **Randomness.** The permutation comes from the `rng` argument, a `numpy.random.Generator`
# (made by `np.random.default_rng(seed)`), never from `np.random.*` functions, which share one
# global state with all other code. With an explicit generator, a run is reproducible from its
# seed and nothing else can disturb it. Call `rng.permutation(m)` **exactly once**.

# %% [markdown]
# ## 4. Implement: `random_mini_batches`
#
# Write steps 1 and 2 above: one shuffle, then the cut of (3), returned as a list of
# `(X_batch, Y_batch)` tuples. The docstring says exactly which random draw to make: the checks
# compare your batches with those of a seeded generator, and the generator's state afterwards.

# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# Only one random draw happens: the permutation $\pi$. Everything after it is bookkeeping. Apply
# the same $\pi$ to the columns of $X$ and of $Y$ (axis 1: the examples), then walk along the
# shuffled columns in steps of $b$, taking $b$ columns at a time; the last piece is whatever is
# left. Check your plan on $m = 10$, $b = 4$: the pieces must start at columns 0, 4 and 8.
#
# </details>
# <details><summary>Hint 2 (close to code)</summary>
#
# `m = X.shape[1]`; `perm = rng.permutation(m)` is $\pi$, and `X[:, perm]` reorders the columns
# of `X` by it (a new array; the same for `Y`). `range(0, m, mini_batch_size)` gives the first
# column of every batch, and the slice `[:, start : start + mini_batch_size]` cuts one batch:
# numpy allows slicing past the end (`X[:, 8:12]` of a 10-column `X` has 2 columns), so the last
# batch needs no special case.
#
# </details>

# %% nbgrader={"grade_id": "random_mini_batches"} checks={"visible": 1, "hidden": 3}
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
    ### BEGIN SOLUTION
    m = X.shape[1]
    perm = rng.permutation(m)
    X_shuffled, Y_shuffled = X[:, perm], Y[:, perm]
    return [
        (X_shuffled[:, start : start + mini_batch_size], Y_shuffled[:, start : start + mini_batch_size])
        for start in range(0, m, mini_batch_size)
    ]
    ### END SOLUTION


# %% [markdown]
# ### Predict, then check
#
# A training set has $m = 1000$ examples and you train with `mini_batch_size = 64`. How many
# mini-batches (updates) does one epoch make, and how many examples are in the last one? Work it
# out by hand, before running anything, and type both numbers below.

# %% nbgrader={"grade_id": "predict_batches_per_epoch"} answer={"points": 1}
### BEGIN SOLUTION
batches_per_epoch = 16
last_batch_size = 40
### END SOLUTION

# %% [markdown]
# Now check your prediction with your own `random_mini_batches` on 1,000 columns.

# %% tags=["experiment"]
batches_1000 = random_mini_batches(np.zeros((2, 1000)), np.zeros((1, 1000)), 64, np.random.default_rng(0))
print(f"m = 1000, mini_batch_size = 64: {len(batches_1000)} mini-batches")
print(f"sizes: {[X_batch.shape[1] for X_batch, _ in batches_1000]}")

# %% [markdown]
# ## 5. Experiment: watch the shuffle and the cut
#
# Ten examples, each a column whose entry is its own index $j$, with labels sorted by class as in
# the moons data. Your `random_mini_batches` with `mini_batch_size=4` should move whole columns
# (the label travels with its example) and give batches of 4, 4 and $10 \bmod 4 = 2$ examples.

# %% tags=["experiment"]
m_demo, size_demo = 10, 4
X_demo = np.arange(m_demo, dtype=float)[None, :]  # column j holds the number j
Y_demo = (np.arange(m_demo) >= m_demo // 2).astype(float)[None, :]  # sorted labels: 0 0 0 0 0 1 1 1 1 1
demo_batches = random_mini_batches(X_demo, Y_demo, size_demo, np.random.default_rng(4))
colors = {0.0: "#9ecae1", 1.0: "#fdae6b"}


def draw_example(ax, x, j, label, *, y_level):
    """One column: the example's index j in a tall box, its label in a small box below."""
    ax.add_patch(Rectangle((x, y_level), 0.9, 0.9, facecolor=colors[label], edgecolor="k"))
    ax.text(x + 0.45, y_level + 0.45, f"$x^{{({int(j)})}}$", ha="center", va="center", fontsize=11)
    ax.add_patch(Rectangle((x, y_level - 0.5), 0.9, 0.45, facecolor="white", edgecolor="k"))
    ax.text(x + 0.45, y_level - 0.27, f"y={int(label)}", ha="center", va="center", fontsize=8)


fig, ax = plt.subplots(figsize=(11, 4.6))
for j in range(m_demo):  # row 1: the data as stored
    draw_example(ax, j, X_demo[0, j], Y_demo[0, j], y_level=4.2)
shuffled_x = np.concatenate([xb for xb, _ in demo_batches], axis=1)[0]
shuffled_y = np.concatenate([yb for _, yb in demo_batches], axis=1)[0]
for position, (j, label) in enumerate(zip(shuffled_x, shuffled_y, strict=True)):  # row 2: X[:, perm]
    draw_example(ax, position, j, label, y_level=2.4)
x_left = 0.0
for t, (xb, yb) in enumerate(demo_batches, start=1):  # row 3: the batches, with gaps between them
    size = xb.shape[1]
    for k in range(size):
        draw_example(ax, x_left + k, xb[0, k], yb[0, k], y_level=0.6)
    partial = size < size_demo
    ax.add_patch(Rectangle((x_left - 0.1, -0.05), size + 0.0, 1.7, fill=False, lw=2.5 if partial else 1.2,
                           edgecolor="crimson" if partial else "0.3", linestyle="--" if partial else "-"))
    ax.text(x_left + size / 2 - 0.05, -0.3, f"mini-batch {t}: {size} examples"
            + (f"\n(the {m_demo} % {size_demo} = {size} leftover)" if partial else ""),
            ha="center", va="top", fontsize=9, color="crimson" if partial else "k")
    x_left += size + 0.6
for y_text, text in [(4.65, "as stored"), (2.85, "X[:, perm], Y[:, perm]"), (1.05, "cut into batches")]:
    ax.text(-0.3, y_text, text, ha="right", va="center", fontsize=10, fontweight="bold")
ax.set_xlim(-3.2, x_left + 0.2)
ax.set_ylim(-1.2, 5.4)
ax.axis("off")
ax.set_title(f"random_mini_batches(X, Y, mini_batch_size={size_demo}, rng): m = {m_demo} columns shuffled, then cut")
plt.show()

# %% [markdown]
# ## 6. Concept: one epoch of mini-batch gradient descent
#
# An **epoch** puts the two pieces together. The model enters through one function,
# `cost_and_gradients(parameters, X_batch, Y_batch) -> (cost, grads)`: the forward pass, the
# mini-batch cost (2) and the backward pass of whatever model is being trained (this lesson
# provides it; writing backward passes is not its subject). Write $\theta$ for all the parameters
# together. One epoch, starting from $\theta_0$ = the parameters at hand:
#
# 1. *shuffle and cut* the training set into $T$ mini-batches $(X^{\{t\}}, Y^{\{t\}})$, as in
#    section 3, with the `rng` passed in (the same generator every epoch: it has moved on since
#    the last epoch, so the order is new);
# 2. *for each mini-batch in turn*, $t = 1, \dots, T$: its cost and gradient at the current
#    parameters, then one step of (1). With $F$ standing for `cost_and_gradients`:
#
#    $$\big(J^{\{t\}},\ g_t\big) = F\big(\theta_{t-1}, X^{\{t\}}, Y^{\{t\}}\big),
#    \qquad \theta_t = \theta_{t-1} - \alpha\, g_t ; \tag{4}$$
#
# 3. *record* the costs $J^{\{1\}}, \dots, J^{\{T\}}$; the epoch ends at $\theta_T$, where the next
#    one starts.
#
# Each gradient is taken where the previous update ended, so one epoch moves the parameters $T$
# times, where batch gradient descent moves them once. The costs come for free, since the forward pass computes them anyway;
# each is measured *before* its own update. Their mean weighted by the batch sizes,
#
# $$\bar J_{\text{epoch}} = \frac{1}{m} \sum_{t=1}^{T} b_t\, J^{\{t\}}, \tag{5}$$
#
# is the mean loss of the $m$ examples at the moment each was used: a cheap progress report,
# though not the cost of any single $\theta$, because $\theta$ changed during the epoch. (When
# every batch is full, it is the plain mean of the $J^{\{t\}}$.)

# %% [markdown]
# ## 7. Implement: `train_one_epoch`
#
# Write the epoch (4) with **your** `random_mini_batches` and **your** `gd_update`: call them,
# do not write them again. The model is whatever `cost_and_gradients` computes. Below is the one
# of the next section, a straight line $\hat y = w\,x + b$ fitted to points $(x, y)$ by least
# squares: its parameters are `"W1"` (1, 1) holding $w$ and `"b1"` (1, 1) holding $b$, and its
# cost is half the mean squared error. The check after your function uses it too.

# %%
def line_cost_and_gradients(parameters, X_batch, Y_batch):
    """Cost and gradients of the line y_hat = w x + b on one mini-batch (given).

    parameters: "W1" (1, 1) holds w, "b1" (1, 1) holds b. X_batch, Y_batch: (1, b_t).
    Returns (cost, grads): half the mean squared error over the batch (a float), and its
    gradients "dW1", "db1" (shaped like W1 and b1).
    """
    error = parameters["W1"] @ X_batch + parameters["b1"] - Y_batch  # (1, b_t)
    batch_size = X_batch.shape[1]
    cost = float(np.sum(error**2) / (2 * batch_size))
    grads = {"dW1": error @ X_batch.T / batch_size, "db1": np.sum(error, axis=1, keepdims=True) / batch_size}
    return cost, grads


# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# Follow the three steps of section 6. The shuffle and the cut are one call, made once at the
# start of the epoch. Then a single pass over the batches: in each, the gradient at the
# *current* parameters, then a step. The name `parameters` must follow the updates, so that
# batch $t + 1$ starts where batch $t$ ended; keep the costs in a list as you go.
#
# </details>
# <details><summary>Hint 2 (close to code)</summary>
#
# Start an empty list of costs, then loop
# `for X_batch, Y_batch in random_mini_batches(X, Y, mini_batch_size, rng):`. Inside, three
# statements: unpack `cost, grads` from `cost_and_gradients(parameters, X_batch, Y_batch)`;
# rebind `parameters` to what `gd_update(parameters, grads, learning_rate=learning_rate)`
# returns (a new dict: the caller's dict is never changed); append `cost`. After the loop, return
# the pair `(parameters, costs)`.
#
# </details>

# %% nbgrader={"grade_id": "train_one_epoch"}
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
    ### BEGIN SOLUTION
    batch_costs = []
    for X_batch, Y_batch in random_mini_batches(X, Y, mini_batch_size, rng):
        cost, grads = cost_and_gradients(parameters, X_batch, Y_batch)
        parameters = gd_update(parameters, grads, learning_rate=learning_rate)
        batch_costs.append(cost)
    return parameters, batch_costs
    ### END SOLUTION


# %% nbgrader={"grade_id": "test_train_one_epoch", "points": 1}
# Checks of train_one_epoch on points of a line: every update is compared with what your own
# random_mini_batches and gd_update give, so that a mistake in the loop is named here.
def recording(calls):
    """line_cost_and_gradients that appends a copy of (parameters, X_batch, Y_batch) to calls."""

    def cost_and_gradients(parameters, X_batch, Y_batch):
        calls.append(({key: np.array(value, copy=True) for key, value in parameters.items()},
                      np.array(X_batch, copy=True), np.array(Y_batch, copy=True)))
        return line_cost_and_gradients(parameters, X_batch, Y_batch)

    return cost_and_gradients


def same_parameters(found, expected):
    return (isinstance(found, dict) and set(found) == set(expected)
            and all(np.allclose(found[key], expected[key], rtol=1e-12, atol=1e-12) for key in expected))


def describe(parameters):
    if not isinstance(parameters, dict):
        return f"a {type(parameters).__name__}, not a dict"
    return ", ".join(f"{key} = {np.ravel(value)[0]:.6g}" for key, value in sorted(parameters.items()))


def check_one_epoch_loop(m, mini_batch_size, learning_rate, seed, epochs=1):
    """train_one_epoch, `epochs` times with one rng, on m points of a line, compared step by step
    with your random_mini_batches and gd_update; an AssertionError says what differs."""
    X_line_check = np.linspace(-1.0, 1.0, m)[None, :]
    Y_line_check = 2 * X_line_check - 1 + 0.3 * np.sin(7 * X_line_check)
    parameters = {"W1": np.array([[0.5]]), "b1": np.array([[0.2]])}
    rng, rng_expected = np.random.default_rng(seed), np.random.default_rng(seed)
    for epoch in range(1, epochs + 1):
        where = f"m = {m}, mini_batch_size = {mini_batch_size}, learning_rate = {learning_rate}, epoch {epoch}"
        before = {key: value.copy() for key, value in parameters.items()}
        calls = []
        result = train_one_epoch(parameters, X_line_check, Y_line_check, recording(calls),
                                 mini_batch_size=mini_batch_size, learning_rate=learning_rate, rng=rng)
        assert isinstance(result, tuple | list) and len(result) == 2, (
            f"{where}: train_one_epoch must return a pair (parameters, batch_costs), not {result!r:.80}")
        trained, batch_costs = result
        assert same_parameters(parameters, before), (
            f"{where}: train_one_epoch changed the arrays of the parameters passed in; gd_update returns a new "
            "dict: rebind the name parameters to it instead of changing arrays in place")
        batches = random_mini_batches(X_line_check, Y_line_check, mini_batch_size, rng_expected)
        assert len(calls) == len(batches), (
            f"{where}: cost_and_gradients was called {len(calls)} times, but your random_mini_batches makes "
            f"{len(batches)} mini-batches here: call it once per mini-batch, and make one update per mini-batch")
        expected = before
        for t, ((at, X_t, Y_t), (X_batch, Y_batch)) in enumerate(zip(calls, batches, strict=True), start=1):
            assert X_t.shape == X_batch.shape and np.array_equal(X_t, X_batch) and np.array_equal(Y_t, Y_batch), (
                f"{where}, update {t}: cost_and_gradients got other examples than mini-batch {t} of your "
                "random_mini_batches(X, Y, mini_batch_size, rng): shuffle and cut once, at the start of the "
                "epoch, with the rng passed in, and use the batches in their order")
            assert same_parameters(at, expected), (
                f"{where}, update {t}: the gradient was taken at {describe(at)}, but after {t - 1} update(s) the "
                f"parameters are {describe(expected)}: take each gradient where the previous update ended (the "
                "first at the parameters passed in), and update with your gd_update and the learning_rate given")
            expected = gd_update(expected, line_cost_and_gradients(expected, X_batch, Y_batch)[1],
                                 learning_rate=learning_rate)
        assert same_parameters(trained, expected), (
            f"{where}: the parameters returned are {describe(trained)}, but after the last update they are "
            f"{describe(expected)}: return the parameters of the last update")
        expected_costs = [line_cost_and_gradients(at, X_t, Y_t)[0] for at, X_t, Y_t in calls]
        assert len(batch_costs) == len(expected_costs) and np.allclose(batch_costs, expected_costs, rtol=1e-12), (
            f"{where}: batch_costs should hold the cost that cost_and_gradients returned for each mini-batch, in "
            f"the order of the updates: {np.round(expected_costs, 6).tolist()}; yours holds {batch_costs!r:.200}")
        assert rng.bit_generator.state == rng_expected.bit_generator.state, (
            f"{where}: after the epoch the rng is not where one call of your random_mini_batches leaves it: "
            "shuffle once per epoch with the rng passed in, draw nothing else from it, and make no generator of "
            "your own")
        parameters = trained


check_one_epoch_loop(m=10, mini_batch_size=4, learning_rate=0.3, seed=7)  # batches of 4, 4 and 2
print("✓ train_one_epoch: the visible check passed (m = 10 in mini-batches of 4: three updates, each as specified).")

# %% nbgrader={"grade_id": "test_train_one_epoch_hidden", "points": 2}
# The grader runs more checks on train_one_epoch here.
check_one_epoch_loop(m=10, mini_batch_size=4, learning_rate=0.3, seed=7)
### BEGIN HIDDEN TESTS
check_one_epoch_loop(m=12, mini_batch_size=4, learning_rate=0.3, seed=8)  # a multiple: three full batches
check_one_epoch_loop(m=5, mini_batch_size=8, learning_rate=0.5, seed=9)  # one batch of all 5
check_one_epoch_loop(m=6, mini_batch_size=1, learning_rate=0.05, seed=10)  # stochastic: 6 updates
check_one_epoch_loop(m=23, mini_batch_size=5, learning_rate=0.2, seed=11, epochs=3)  # new order every epoch
### END HIDDEN TESTS

# %% [markdown]
# ## 8. Experiment: the noisy path of mini-batch descent
#
# **Why a mini-batch path wanders.** At the minimum $\theta^*$ of the cost $J$ the gradient of
# $J$ is zero, but the gradient of a mini-batch cost $J^{\{t\}}$ is not: each mini-batch is a
# random sample of the examples, and its own cost has its minimum somewhere else. The mini-batch
# gradient is the full gradient plus noise that averages to zero over the possible batches; the
# noise is larger the fewer examples a batch averages (its variance shrinks about like $1/b$).
# Far from $\theta^*$ the true gradient dominates and the path heads downhill; near $\theta^*$
# only the noise is left, and every update kicks the parameters by $\alpha$ times it. So the path
# never settles: it keeps wandering in a cloud around $\theta^*$, whose size grows with $\alpha$
# and shrinks with $b$. Full-batch descent has no noise and converges to $\theta^*$ itself.
#
# A problem with two parameters lets us draw this: the line of section 7 fitted to $m = 256$
# noisy points, with $w$ and $b$ the two coordinates of the plane. Below, your `train_one_epoch`
# runs full-batch descent ($b = m = 256$), mini-batches of 32 and single examples ($b = 1$), each
# for 256 updates from the same start with $\alpha = 0.1$, and stochastic descent once more with
# a quarter of that learning rate. A wrapper around `line_cost_and_gradients` notes the
# parameters at each call: they are the points the path visits.

# %%
rng_line = np.random.default_rng(10)
m_line = 256
x_line = rng_line.normal(0.5, 0.7, m_line)
X_line = x_line[None, :]  # (1, 256): inputs x
Y_line = 2.0 * X_line - 1.0 + 0.5 * rng_line.standard_normal((1, m_line))  # y = 2x - 1 + noise
line_start = {"W1": np.array([[-1.0]]), "b1": np.array([[1.5]])}
# The minimum of the full cost: the least-squares line through the 256 points.
w_best, b_best = np.linalg.lstsq(np.vstack([x_line, np.ones(m_line)]).T, Y_line[0], rcond=None)[0]


def visited_points(batch_size, learning_rate, epochs, seed):
    """(w, b) at the start and after every update of `epochs` epochs of your train_one_epoch: (updates + 1, 2)."""
    points = []

    def noting_cost_and_gradients(parameters, X_batch, Y_batch):  # each call is made at the current point
        points.append([parameters["W1"][0, 0], parameters["b1"][0, 0]])
        return line_cost_and_gradients(parameters, X_batch, Y_batch)

    parameters, rng = line_start, np.random.default_rng(seed)
    for _ in range(epochs):
        parameters, _ = train_one_epoch(parameters, X_line, Y_line, noting_cost_and_gradients,
                                        mini_batch_size=batch_size, learning_rate=learning_rate, rng=rng)
    points.append([parameters["W1"][0, 0], parameters["b1"][0, 0]])
    return np.array(points)


# %% tags=["experiment"]
path_runs = {  # title: (batch size, learning rate, epochs); 256 updates each, 1,024 for the last
    "full batch, b = 256, α = 0.1": (256, 0.1, 256),
    "mini-batch, b = 32, α = 0.1": (32, 0.1, 32),
    "stochastic, b = 1, α = 0.1": (1, 0.1, 1),
    "stochastic, b = 1, α = 0.025": (1, 0.025, 4),
}
w_grid, b_grid = np.meshgrid(np.linspace(-1.5, 3.0, 181), np.linspace(-2.0, 2.0, 161))
residuals = w_grid[..., None] * x_line + b_grid[..., None] - Y_line[0]  # (161, 181, 256)
cost_grid = np.mean(residuals**2, axis=-1) / 2

fig, axes = plt.subplots(2, 4, figsize=(18, 8.6))
for column, (title, (batch_size, learning_rate, epochs)) in enumerate(path_runs.items()):
    path = visited_points(batch_size, learning_rate, epochs, seed=11)
    for ax, half_width in [(axes[0, column], None), (axes[1, column], 0.4)]:  # the whole path, then a zoom
        ax.contour(w_grid, b_grid, cost_grid, levels=np.geomspace(0.13, 6, 14), colors="0.75", linewidths=0.8)
        ax.plot(path[:, 0], path[:, 1], "-", color=f"C{column}", lw=0.8)
        ax.plot(*path[0], "ko", ms=5)
        ax.plot(w_best, b_best, "k*", ms=12, label=r"minimum $\theta^*$ of $J$")
        if half_width:
            ax.set_xlim(w_best - half_width, w_best + half_width)
            ax.set_ylim(b_best - half_width, b_best + half_width)
        ax.set_xlabel("$w$")
    axes[0, column].set_title(f"{title}\n{len(path) - 1} updates ({epochs} epoch{'s' if epochs > 1 else ''})",
                              fontsize=10)
    axes[1, column].set_title("zoom on the minimum", fontsize=9)
for ax in axes[:, 0]:
    ax.set_ylabel("$b$")
axes[0, 0].legend(fontsize=8, loc="lower left")
fig.tight_layout()
plt.show()

# %% [markdown]
# Full-batch descent slides smoothly into the minimum. With $b = 32$ the path is jittery near
# $\theta^*$ (bottom row); with $b = 1$ it is a random walk that wanders around the minimum
# without ever settling. A quarter of the learning rate calms it, at a price: every step towards
# the minimum is four times shorter too, so that run was given four times as many updates, and
# its cloud around $\theta^*$ is smaller but still there.
#
# How large is the cloud? The cell below runs 2,048 updates for several batch sizes and
# learning rates and measures the root-mean-square distance to $\theta^*$ over the last 1,024 of
# them, when the path has long stopped approaching the minimum.

# %% tags=["experiment"]
def wander(batch_size, learning_rate, seed=12, updates=2048):
    """Root-mean-square distance to the minimum over the second half of a run of `updates` updates."""
    path = visited_points(batch_size, learning_rate, updates * batch_size // m_line, seed)
    late = path[-(updates // 2):]
    return np.sqrt(np.mean(np.sum((late - [w_best, b_best]) ** 2, axis=1)))


print(f"{'batch size':>10} {'α = 0.1':>10} {'α = 0.025':>10}   (RMS distance to the minimum, late in the run)")
for batch_size in [1, 8, 32, 256]:
    print(f"{batch_size:>10} {wander(batch_size, 0.1):>10.2g} {wander(batch_size, 0.025):>10.2g}")

# %% [markdown]
# With $\alpha = 0.1$ the stochastic path stays about 0.16 from $\theta^*$, mini-batches of 8
# about 0.04 and of 32 about 0.013, while full-batch descent sits on $\theta^*$ (2.5e-15 is
# rounding error). Both remedies work. A batch 32 times larger shrinks the cloud about 12 times;
# a learning rate 4 times smaller shrinks it 2 to 4 times (0.16 to 0.074 for $b = 1$, 0.013 to
# 0.0033 for $b = 32$). The smaller rate also shortens every step *towards* $\theta^*$: full-batch
# descent with $\alpha = 0.025$ is still 6.5e-05 away after 2,048 updates. A learning rate that
# decays during training (lesson 06) gets both: long steps early, a small cloud late.
#
# The factor 12 for a 32 times larger batch is more than the $\sqrt{32} \approx 5.7$ that a noise
# variance falling like $1/b$ would give on its own. Part of the reason is the shuffle: within an
# epoch every example is used exactly once, so the kicks of one epoch partly cancel (see "On your
# own", question 4).

# %% [markdown]
# ## 9. Experiment: batch, stochastic and mini-batch gradient descent
#
# Now train a small network (2 inputs, two hidden layers of 16 ReLU units, a sigmoid output) on
# 256 points of the two-moons data set, from the same starting parameters, with your
# `train_one_epoch`. Its `cost_and_gradients` is the network's forward and backward pass
# (`coursekit.network`). The helper `train` below repeats your epoch and keeps the cost of the
# mini-batch used at each update (`history["cost"]`), the mean (5) of those over each epoch
# (`history["epoch_cost"]`) and the time at the end of each epoch (`history["seconds"]`).
#
# | run | batch size | epochs | updates | learning rate |
# |---|---|---|---|---|
# | batch | $m = 256$ | 300 | 300 | 0.5 |
# | stochastic | 1 | 4 | 1,024 | 0.05 |
# | mini-batch | 64 | 75 | 300 | 0.5 |

# %%
def moons_cost_and_gradients(parameters, X_batch, Y_batch):
    """Cost (mean cross-entropy) and gradients of the moons network on one mini-batch (given)."""
    _, cache = network.forward(X_batch, parameters, network.SIGMOID_HEAD)
    cost = network.SIGMOID_HEAD.cost(cache["ZL"], Y_batch)
    return cost, network.backward(Y_batch, parameters, cache, network.SIGMOID_HEAD)


def train(parameters, X, Y, *, epochs, batch_size, learning_rate, seed):
    """`epochs` epochs of your train_one_epoch with one generator: (parameters, history)."""
    rng = np.random.default_rng(seed)
    history = {"cost": [], "epoch_cost": [], "seconds": []}
    start_time = time.perf_counter()
    for _ in range(epochs):
        parameters, batch_costs = train_one_epoch(parameters, X, Y, moons_cost_and_gradients,
                                                  mini_batch_size=batch_size, learning_rate=learning_rate, rng=rng)
        history["cost"] += batch_costs
        history["epoch_cost"].append(np.mean(batch_costs))  # (5): every batch is full in this lesson's runs
        history["seconds"].append(time.perf_counter() - start_time)
    return parameters, history


# %% tags=["experiment"]
rng = np.random.default_rng(1)
X_moons, Y_moons = data.make_moons(256, rng)
start = network.init_parameters([2, 16, 16, 1], rng)
runs = {  # name: (batch size, epochs, learning rate)
    "batch, b = m = 256": (256, 300, 0.5),
    "stochastic, b = 1": (1, 4, 0.05),
    "mini-batch, b = 64": (64, 75, 0.5),
}
histories = {}
for name, (batch_size, epochs, learning_rate) in runs.items():
    _, histories[name] = train(start, X_moons, Y_moons, epochs=epochs, batch_size=batch_size,
                               learning_rate=learning_rate, seed=2)

fig, axes = plt.subplots(1, 4, figsize=(17, 4))
for ax, (name, history), color in zip(axes, histories.items(), ["C0", "C1", "C2"], strict=False):
    ax.plot(np.arange(1, len(history["cost"]) + 1), history["cost"], lw=0.7, color=color)
    ax.set_yscale("log")
    ax.set_ylim(1e-4, 10)
    ax.set_title(f"{name}: cost at each update")
    ax.set_xlabel("update $t$")
    ax.set_ylabel("cost of the mini-batch used at update $t$")
for (name, history), color in zip(histories.items(), ["C0", "C1", "C2"], strict=True):
    epochs_done = np.arange(1, len(history["epoch_cost"]) + 1)
    axes[3].plot(epochs_done, history["epoch_cost"], "o-", ms=3, lw=1, color=color, label=name)
axes[3].set_xscale("log")
axes[3].set_yscale("log")
axes[3].set_title("progress per pass over the data")
axes[3].set_xlabel("epoch (passes over the 256 examples)")
axes[3].set_ylabel("mean cost over the epoch")
axes[3].legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# **Reading the figure.**
# - *Batch* (left): each update uses the exact gradient of $J$, so the cost goes down smoothly
#   at every step (with a small enough $\alpha$). But each step needs all $m$ examples.
# - *Stochastic*: each point is the loss of **one** example, which jumps by orders of magnitude
#   from one example to the next (an easy point has a loss near 0, a misclassified one a loss
#   above 1). The gradient of one example is a very noisy estimate of the true gradient, so the
#   path wanders, as in section 8; a constant learning rate never lets it settle (lesson 06
#   decays it), and the learning rate itself must be small to survive the noise.
# - *Mini-batch*: 64 examples average out most of that noise. The curve trends down with some
#   jitter — different batches have different costs even for fixed parameters.
# - *Right*: per pass over the data, smaller batches make more progress, because one epoch buys
#   them more updates. Per *update*, larger batches are better. What we actually pay for is time,
#   which is the next experiment.

# %% [markdown]
# ## 10. Experiment: cost against wall-clock time
#
# A larger batch gives a better gradient but costs more per update; a smaller batch gives many
# cheap updates, but below some size the computer cannot use vectorisation any more: the fixed
# cost of one update (Python, function calls, small matrix products) dominates. Below, the same
# network on 1,024 moons points is trained with five batch sizes, by your `train_one_epoch`
# through the helper `train`; each run gets roughly the same time budget and `history["seconds"]`
# records the time at the end of every epoch. (Times depend on your computer and on what else it
# is doing — run the cell twice.)

# %% tags=["experiment"]
X_large, Y_large = data.make_moons(1024, np.random.default_rng(3))
start_large = network.init_parameters([2, 16, 16, 1], np.random.default_rng(4))
timed_runs = {1: (3, 0.05), 16: (30, 0.2), 64: (100, 0.5), 256: (230, 0.5), 1024: (330, 0.5)}  # b: (epochs, lr)
timed = {}
for batch_size, (epochs, learning_rate) in timed_runs.items():
    _, timed[batch_size] = train(start_large, X_large, Y_large, epochs=epochs, batch_size=batch_size,
                                 learning_rate=learning_rate, seed=5)

fig, (ax_time, ax_rate) = plt.subplots(1, 2, figsize=(13, 4.2))
for batch_size, history in timed.items():
    label = f"b = {batch_size}" + (" (batch GD)" if batch_size == X_large.shape[1] else "")
    ax_time.plot(history["seconds"], history["epoch_cost"], ".-", ms=4, lw=1, label=label)
ax_time.set_yscale("log")
ax_time.set_xlim(0, min(history["seconds"][-1] for history in timed.values()))
ax_time.set_xlabel("wall-clock seconds since the start")
ax_time.set_ylabel("mean cost over the epoch")
ax_time.set_title("cost against time, m = 1,024")
ax_time.legend()
sizes = np.array(list(timed))
seconds_per_epoch = np.array([np.median(np.diff([0.0, *h["seconds"]])) for h in timed.values()])
updates_per_epoch = np.ceil(X_large.shape[1] / sizes)
ax_rate.loglog(sizes, 1e6 * seconds_per_epoch / updates_per_epoch, "o-", label="microseconds per update")
ax_rate.loglog(sizes, 1e6 * seconds_per_epoch / X_large.shape[1], "s-", label="microseconds per example")
ax_rate.set_xlabel("mini-batch size $b$")
ax_rate.set_title("the price of an update and of an example")
ax_rate.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# On the right, the time of one update hardly grows from $b = 1$ to $b = 64$: the work is
# vectorised and the fixed overhead dominates, so an example costs many times less inside a batch
# than alone. That is why $b = 1$ is slow in seconds on the left, although it was fast per epoch
# in the previous figure. Full-batch descent is behind the middle sizes for the opposite reason:
# it waits for all $m$ examples before every single step. With only 1,024 examples a full step
# is still cheap, so the gap is modest here; but the time of a full step grows in proportion to
# $m$ while the time of a mini-batch step does not — with a million examples, every batch step
# would take a thousand times longer. On a GPU the picture is the same, with a much wider range
# of batch sizes before the time per update starts to grow.

# %% [markdown]
# ## 11. Choosing the mini-batch size: powers of two, and memory
#
# - **Small training sets** (a few thousand examples): just use batch gradient descent.
# - **Otherwise** typical sizes are 32, 64, 128, 256, 512 — powers of two. The hardware works
#   on numbers in fixed-size groups: vector registers hold 4 or 8 numbers, a GPU runs threads in
#   groups of 32, and matrix-multiplication kernels process tiles of, say, 64 × 64 or 128 × 128
#   (tensor cores want dimensions that are multiples of 8). A batch of 130 may then cost as much
#   as a batch of 192 or 256, because the partial tile takes a full tile's time. On a modern
#   library the penalty for other sizes is often small — measure it — but sizes divisible by a
#   large power of two are never worse, and stepping by factors of 2 is the natural grid for a
#   hyperparameter whose effect is multiplicative (lesson 07).
# - **The batch must fit in memory** — in the GPU's memory if you train on one. The parameters
#   take the same memory whatever $b$ is, but the forward pass keeps the pre-activations
#   $Z^{[l]}$ and activations $A^{[l]}$ of every layer, each of shape $(n_l, b)$, for the backward
#   pass; with the input itself that is about
#
#   $$\text{memory} \approx b \Big(n_0 + 2 \sum_{l=1}^{L} n_l\Big) \times \text{bytes per number},$$
#
#   8 bytes in `float64`, 4 in `float32` — plus temporary arrays of the same size in the backward
#   pass. It grows linearly with $b$. If the batch does not fit, training fails with an
#   out-of-memory error, or (on a CPU) crawls while the system swaps to disk. Mini-batches make
#   the memory independent of $m$: only one batch at a time has to be loaded, so the full
#   training set can even stay on disk.
#
# The table is computed for a network on 64 × 64 colour images ($n_0 = 12{,}288$), two hidden
# layers of 1,024 units and 10 outputs, and a training set of 60,000 images.

# %% tags=["experiment"]
def batch_memory_bytes(layer_dims, batch_size, bytes_per_number):
    """Input plus the Z and A of every layer kept for the backward pass, for one batch."""
    n0, *layer_sizes = layer_dims
    return batch_size * (n0 + 2 * sum(layer_sizes)) * bytes_per_number


image_net = [64 * 64 * 3, 1024, 1024, 10]
weights = sum(image_net[l] * image_net[l - 1] + image_net[l] for l in range(1, len(image_net)))
print(f"layers {image_net}: {weights:,} parameters = {weights * 8 / 2**20:,.0f} MiB in float64 "
      "(the same for every batch size)\n")
print(f"{'batch size':>12} {'float64':>12} {'float32':>12}")
for batch_size in [1, 32, 64, 128, 256, 512, 1024, 60_000]:
    row = [batch_memory_bytes(image_net, batch_size, nbytes) / 2**20 for nbytes in (8, 4)]
    note = "   <- the whole training set: batch gradient descent" if batch_size == 60_000 else ""
    print(f"{batch_size:>12,} {row[0]:>9,.1f} MiB {row[1]:>9,.1f} MiB{note}")

# %% [markdown]
# A batch of 256 needs about 32 MiB (float64) — nothing for any computer. The full batch of
# 60,000 needs about 7.3 GiB for the activations alone, before the temporaries of the backward
# pass: more than many GPUs have. That is the practical reason batch gradient descent stops
# working on large data sets, and why the batch size is capped by memory from above.

# %% [markdown]
# ## Summary
#
# - Gradient descent updates every parameter against its gradient: $W^{[l]} := W^{[l]} - \alpha\, dW^{[l]}$,
#   $b^{[l]} := b^{[l]} - \alpha\, db^{[l]}$.
# - Mini-batch gradient descent makes one update per mini-batch: $\lceil m/b \rceil$ updates per epoch.
#   $b = m$ is batch gradient descent (exact but slow steps), $b = 1$ is stochastic gradient
#   descent (cheap, very noisy steps that give up vectorisation).
# - Each epoch: shuffle the columns of $X$ and $Y$ with **one** permutation from the `rng`, cut into
#   batches of $b$, and keep the smaller last batch of $m \bmod b$ examples.
# - Then, batch after batch: the cost and gradient at the current parameters, one update. The
#   recorded costs, averaged over the epoch, are a free progress report.
# - Near the minimum a mini-batch gradient is mostly noise, so the path wanders in a cloud around
#   it instead of settling; a larger batch or a smaller learning rate shrinks the cloud.
# - Choose $b$ among powers of two (32 to 512 is typical), as large as useful but small enough that
#   one batch's activations fit in memory.
#
# ## On your own
#
# 1. Train the moons network with a copy of your `train_one_epoch` that cuts the data **without
#    shuffling** (`X_moons` is sorted by class). How do the per-update costs and the final
#    decision boundary (`network.predict`) change?
# 2. In section 9, raise the stochastic learning rate to 0.5 (the rate of the other two runs).
#    What happens, and why can a larger batch afford a larger learning rate?
# 3. Time `network.forward` and `network.backward` on batches of 60, 64, 65 and 128 examples of a
#    wider network (say 256 hidden units). Do you see a power-of-two effect with numpy on your
#    computer?
# 4. In section 8, replace the shuffle by mini-batches drawn independently, with replacement
#    (`rng.integers(0, m, b)` column indices for each of the $m/b$ batches of an epoch), and measure
#    the cloud again for $b = 1$ and $b = 32$. Is the ratio now closer to $\sqrt{32}$?
