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
# **What you'll do.** Write the update step of gradient descent for a whole network, then the
# function that shuffles a training set and cuts it into mini-batches. With those two pieces you
# will train the same small network three ways — on the whole training set at once, on one
# example at a time, and on mini-batches of 64 — and race the variants against the clock.
#
# **What you'll learn.**
# - the course's conventions: examples are columns, parameters and gradients are dicts, graded
#   functions return new arrays and take their randomness from an explicit `rng`;
# - what batch, stochastic and mini-batch gradient descent have in common and where they differ:
#   the cost of one update, the noise in it, and how many updates one pass over the data buys;
# - why the examples are reshuffled every epoch, and what happens to the leftover examples;
# - how to choose a mini-batch size: powers of two, and a batch that fits in memory.
#
# **What you need.** numpy (slicing, fancy indexing); the idea of a neural network trained by
# gradient descent (forward pass, cost, backward pass). The network itself is provided by
# `coursekit`.

# %%
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from coursekit import data, network, optimizers, training
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
# \qquad l = 1, \dots, L$$
#
# where $\alpha > 0$ is the **learning rate**. The minus sign matters: the gradient points
# uphill, towards a larger cost. Every graded function of the course is **pure**: it returns a
# new dict of new arrays and leaves its arguments untouched (write `value - ...`, not `value -= ...`,
# which would change the caller's arrays in place).

# %% [markdown]
# ## 2. Implement: `gd_update`
#
# Loop over the keys of `parameters` (there may be any number of layers); the gradient of
# `parameters[key]` is `grads["d" + key]`.

# %% nbgrader={"grade_id": "gd_update"} checks={"visible": 1, "hidden": 2}
def gd_update(parameters, grads, *, learning_rate):
    """One step of gradient descent on every layer (lesson 01).

    W_l = W_l - learning_rate * dW_l
    b_l = b_l - learning_rate * db_l

    parameters: dict "W1" (n1, n0), "b1" (n1, 1), ..., "WL", "bL".
    grads: dict "dW1", "db1", ... shaped like the parameters.
    Returns a new dict; the arguments are not modified.
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
# $$J^{\{t\}} = \frac{1}{b_t} \sum_{j \in \text{batch } t} \mathcal{L}(\hat y^{(j)}, y^{(j)}),$$
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
# 1. *Shuffle.* Draw a random permutation `perm` of $0, \dots, m-1$ and reorder the columns of
#    **both** $X$ and $Y$ with it: `X[:, perm]`, `Y[:, perm]`. Using the same `perm` for both keeps
#    every example beside its own label. Shuffling matters because data sets are often stored in
#    some order (by class, by date, by source): the moons data of this lesson has all the
#    class-0 examples first. Cut in that order, each batch would pull the network towards one
#    class, then the other. A fresh permutation every epoch also means the network never sees
#    the same batches twice.
# 2. *Partition.* Cut the shuffled columns into consecutive pieces of `mini_batch_size` columns.
#    When $m$ is not a multiple of the size, the last batch is smaller: it holds the
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
# Return a list of `(X_batch, Y_batch)` tuples. Hints: `X.shape[1]` is $m$;
# `range(0, m, mini_batch_size)` gives the first column of every batch; slicing past the end of an
# array is allowed in numpy (`X[:, 8:12]` of a 10-column `X` has 2 columns).

# %% nbgrader={"grade_id": "random_mini_batches"} checks={"visible": 1, "hidden": 3}
def random_mini_batches(X, Y, mini_batch_size, rng):
    """Shuffle the examples and cut them into mini-batches (lesson 01).

    perm = rng.permutation(m); X[:, perm], Y[:, perm] cut into consecutive batches of
    mini_batch_size columns; the last batch holds the m % mini_batch_size leftover columns.

    X: (n_x, m); Y: (k, m); rng: numpy.random.Generator.
    Returns a list of (X_batch (n_x, b), Y_batch (k, b)) tuples, b <= mini_batch_size.
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
# ## 6. Experiment: batch, stochastic and mini-batch gradient descent
#
# Now train a small network (2 inputs, two hidden layers of 16 ReLU units, a sigmoid output) on
# 256 points of the two-moons data set, from the same starting parameters, with your `gd_update`
# (wrapped by `optimizers.gradient_descent`) and your `random_mini_batches` (passed as
# `make_batches`). `training.train` records the cost of the mini-batch used at each update
# (`history["cost"]`) and the mean of those over each epoch (`history["epoch_cost"]`).
#
# | run | batch size | epochs | updates | learning rate |
# |---|---|---|---|---|
# | batch | $m = 256$ | 300 | 300 | 0.5 |
# | stochastic | 1 | 4 | 1,024 | 0.05 |
# | mini-batch | 64 | 75 | 300 | 0.5 |

# %% tags=["experiment"]
rng = np.random.default_rng(1)
X_moons, Y_moons = data.make_moons(256, rng)
start = network.init_parameters([2, 16, 16, 1], rng)
gd = optimizers.gradient_descent(gd_update)
runs = {  # name: (batch size, epochs, learning rate)
    "batch, b = m = 256": (256, 300, 0.5),
    "stochastic, b = 1": (1, 4, 0.05),
    "mini-batch, b = 64": (64, 75, 0.5),
}
histories = {}
for name, (batch_size, epochs, learning_rate) in runs.items():
    _, _, histories[name] = training.train(
        start, X_moons, Y_moons, head=network.SIGMOID_HEAD, optimizer=gd, learning_rate=learning_rate,
        epochs=epochs, batch_size=batch_size, make_batches=random_mini_batches,
        rng=np.random.default_rng(2), progress=False,
    )

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
#   path wanders; a constant learning rate never lets it settle (lesson 06 decays it), and the
#   learning rate itself must be small to survive the noise.
# - *Mini-batch*: 64 examples average out most of that noise. The curve trends down with some
#   jitter — different batches have different costs even for fixed parameters.
# - *Right*: per pass over the data, smaller batches make more progress, because one epoch buys
#   them more updates. Per *update*, larger batches are better. What we actually pay for is time,
#   which is the next experiment.

# %% [markdown]
# ## 7. Experiment: cost against wall-clock time
#
# A larger batch gives a better gradient but costs more per update; a smaller batch gives many
# cheap updates, but below some size the computer cannot use vectorisation any more: the fixed
# cost of one update (Python, function calls, small matrix products) dominates. Below, the same
# network on 1,024 moons points is trained with five batch sizes; each run gets roughly the same
# time budget and `history["seconds"]` records the time at the end of every epoch. (Times depend
# on your computer and on what else it is doing — run the cell twice.)

# %% tags=["experiment"]
X_large, Y_large = data.make_moons(1024, np.random.default_rng(3))
start_large = network.init_parameters([2, 16, 16, 1], np.random.default_rng(4))
timed_runs = {1: (3, 0.05), 16: (30, 0.2), 64: (100, 0.5), 256: (230, 0.5), 1024: (330, 0.5)}  # b: (epochs, lr)
timed = {}
for batch_size, (epochs, learning_rate) in timed_runs.items():
    _, _, timed[batch_size] = training.train(
        start_large, X_large, Y_large, head=network.SIGMOID_HEAD, optimizer=gd, learning_rate=learning_rate,
        epochs=epochs, batch_size=batch_size, make_batches=random_mini_batches,
        rng=np.random.default_rng(5), progress=False,
    )

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
# ## 8. Choosing the mini-batch size: powers of two, and memory
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
# - Choose $b$ among powers of two (32 to 512 is typical), as large as useful but small enough that
#   one batch's activations fit in memory.
#
# ## On your own
#
# 1. Train the moons network with a `make_batches` that cuts the data **without shuffling**
#    (`X_moons` is sorted by class). How do the per-update costs and the final decision boundary
#    (`network.predict`) change?
# 2. In section 6, raise the stochastic learning rate to 0.5 (the rate of the other two runs).
#    What happens, and why can a larger batch afford a larger learning rate?
# 3. Time `network.forward` and `network.backward` on batches of 60, 64, 65 and 128 examples of a
#    wider network (say 256 hidden units). Do you see a power-of-two effect with numpy on your
#    computer?
# 4. How many mini-batches does one epoch have for $m = 50{,}000$ and $b = 64$, and how large is the
#    last one?
