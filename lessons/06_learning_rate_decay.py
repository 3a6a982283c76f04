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
# # Lesson 06 — Learning-rate decay
#
# **What you'll do.** Implement four learning-rate schedules — inverse-time, exponential,
# inverse-square-root and step decay — plot them, and train a network with and without decay
# to see what a schedule buys.
#
# **What you'll learn.**
# - why mini-batch training with a constant learning rate never settles, and why lowering the
#   rate over time fixes it;
# - the formulas of the common schedules, and what their hyperparameters mean;
# - how to compare a schedule fairly against a constant rate.
#
# **What you need.** Lesson 01 (mini-batch gradient descent); numpy.

# %%
import matplotlib.pyplot as plt
import numpy as np

from coursekit import data, network, optimizers, plots, training
from coursekit.checking import check
from coursekit.earlier import load

# %% [markdown]
# ## 1. Concept: why decay the learning rate?
#
# With mini-batches, every update follows the gradient of a small random sample of the data: the
# true gradient plus noise. Far from a minimum the true gradient dominates and a large learning
# rate $\alpha$ makes fast progress. Close to the minimum the true gradient vanishes but the noise
# does not: each update then kicks the parameters by about $\alpha$ times the noise, and they keep
# wandering in a region around the minimum whose size grows with $\alpha$. A constant rate has to
# choose: large (fast at first, noisy at the end) or small (precise at the end, slow at first).
#
# **Learning-rate decay** takes both: start with a large rate $\alpha_0$ and lower it as
# training goes on, so that the steps shrink when fine adjustments are needed. A
# **schedule** is the rule that gives the rate for each epoch (or each update).
#
# Conventions in this lesson: `epoch_num` counts epochs **from 0**, so the first epoch always
# uses $\alpha_0$; the update counter $t$ counts mini-batch updates **from 1**, as in Adam
# (lesson 05). A schedule takes one number (an epoch or an update, an `int` or a `float` such as
# `20.0`) and returns one rate; to plot a schedule we call it once per epoch. Python's `math`
# (`math.floor`, `math.sqrt`) and numpy (`np.floor`, `np.sqrt`) both do.

# %% [markdown]
# ## 2. Inverse-time decay
#
# $$\alpha = \frac{\alpha_0}{1 + r \left\lfloor n / T \right\rfloor}$$
#
# - $\alpha_0$ (`learning_rate0`): the starting rate; $n$ (`epoch_num`): the epoch, from 0;
#   $r$ (`decay_rate`): how strongly the rate falls; $T$ (`time_interval`, default 1): how many
#   epochs between two decreases;
# - $\lfloor x \rfloor$ is the floor of $x$ (the largest integer $\le x$). With $T = 1$ the rate
#   falls after every epoch: $\alpha_0/(1 + r n)$, half of $\alpha_0$ after $n = 1/r$ epochs, a third
#   after $2/r$, ... — fast at first, then more and more slowly. With $T = 10$ the rate stays
#   constant for 10 epochs, then falls, and so on: a staircase that follows the same kind of curve.

# %% nbgrader={"grade_id": "inverse_time_decay"} checks={"visible": 1, "hidden": 2}
def inverse_time_decay(learning_rate0, epoch_num, decay_rate, time_interval=1):
    """Inverse-time decay (lesson 06).

    lr = learning_rate0 / (1 + decay_rate * floor(epoch_num / time_interval))
    time_interval=1 decays every epoch; a larger interval gives the scheduled form.
    """
    ### BEGIN SOLUTION
    return learning_rate0 / (1 + decay_rate * np.floor(epoch_num / time_interval))
    ### END SOLUTION


# %% [markdown]
# ### Experiment: the noise around the minimum
#
# The smallest possible example of section 1: one weight $w$, loss $\frac12 w^2$ (minimum at 0),
# and a noisy gradient $w + \xi$ with $\xi$ standard normal, as if computed on a mini-batch. We
# start at $w = 10$, make 2000 updates, and call every 20 updates an "epoch". The figure shows
# the loss $\frac12 w^2$ (averaged over 50 runs so that the curves are readable):
#
# - a large constant rate, $\alpha = 0.5$, gets close fast, then stays stuck at a noise level;
# - a small constant rate, $\alpha = 0.005$, reaches a 100 times lower noise level, but needs about
#   1000 updates to get there;
# - your inverse-time decay from $\alpha_0 = 0.5$ (decay_rate 1, so the rate is $0.5/(1 + 99) = 0.005$ in
#   the last epoch, epoch 99) is as fast as the large rate at first, far below the small rate for the first 1000
#   updates, and ends at the same level.
#
# For this loss the noise level of a constant rate is known exactly: the average of $w^2$
# settles at $\alpha/(2-\alpha)$ — proportional to $\alpha$ for small rates (dashed lines).

# %% tags=["experiment"]
def noisy_descent(rates, runs=50, w0=10.0, seed=0):
    """Gradient descent on 0.5 * w**2 with gradient w + noise, one rate per update; returns the mean loss."""
    rng = np.random.default_rng(seed)
    w = np.full(runs, w0)
    losses = [np.mean(0.5 * w**2)]
    for rate in rates:
        w = w - rate * (w + rng.standard_normal(runs))
        losses.append(np.mean(0.5 * w**2))
    return np.array(losses)


steps_per_epoch, toy_epochs = 20, 100
toy_epoch = np.arange(steps_per_epoch * toy_epochs) // steps_per_epoch  # the epoch of every update
toy_runs = {
    "constant, α = 0.5": np.full(toy_epoch.size, 0.5),
    "constant, α = 0.005": np.full(toy_epoch.size, 0.005),
    "inverse-time decay from α0 = 0.5 (decay_rate 1)": np.array([inverse_time_decay(0.5, n, 1.0) for n in toy_epoch]),
}
figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
for (name, rates), color in zip(toy_runs.items(), ["C0", "C1", "C2"], strict=True):
    left.plot(np.arange(toy_epoch.size + 1), noisy_descent(rates), color=color, lw=1, label=name)
    right.plot(np.arange(toy_epoch.size) / steps_per_epoch, rates, color=color, label=name)
for rate, color in [(0.5, "C0"), (0.005, "C1")]:
    left.axhline(0.5 * rate / (2 - rate), color=color, ls="--", lw=1)
left.set_yscale("log")
left.set_xlabel("update")
left.set_ylabel(r"loss $\frac{1}{2}w^2$ (mean of 50 runs)")
left.set_title("noisy gradient descent on a 1-D bowl")
left.legend(fontsize=8)
right.set_yscale("log")
right.set_xlabel("epoch (20 updates)")
right.set_ylabel("learning rate")
right.set_title("the rates used")
right.legend(fontsize=8)
figure.tight_layout()
plt.show()

# %% [markdown]
# ## 3. Exponential decay
#
# $$\alpha = \alpha_0 \, b^{\,n}$$
#
# - $n$ (`epoch_num`): the epoch, from 0; $b$ (`base`, default 0.95): the factor applied after
#   every epoch. With $b = 0.95$ the rate loses 5 % per epoch and halves every
#   $\ln 2 / \ln(1/0.95) \approx 13.5$ epochs. In the long run it falls much faster than
#   inverse-time decay: on a log scale it is a straight line.

# %% nbgrader={"grade_id": "exponential_decay"} checks={"visible": 1, "hidden": 2}
def exponential_decay(learning_rate0, epoch_num, base=0.95):
    """Exponential decay (lesson 06): lr = learning_rate0 * base**epoch_num."""
    ### BEGIN SOLUTION
    return learning_rate0 * base**epoch_num
    ### END SOLUTION


# %% [markdown]
# ## 4. Inverse-square-root decay (per update)
#
# $$\alpha_t = \alpha_0 \cdot \frac{k}{\sqrt{t}}, \qquad t = 1, 2, 3, \dots$$
#
# - $t$ is the number of the mini-batch update (from 1), not the epoch: the rate changes at every
#   update; $k$ (default 1) scales the whole curve. At $t = 1$ the rate is $\alpha_0 k$.
# - $1/\sqrt{t}$ falls more slowly than $1/t$. It is the classic rate of the theory of stochastic
#   gradient descent, and the tail of the schedule used to train the Transformer and T5 models.
#   T5, for instance, uses $\alpha_t = 1/\sqrt{\max(t, 10^4)}$: constant for the first $10^4$ updates,
#   then $1/\sqrt{t}$ — in our notation `min(lr0, inverse_sqrt_decay(lr0, t, k=sqrt(10_000)))` with $\alpha_0 = 0.01$.
# - $t = 0$ (or a negative $t$) has no meaning here and would divide by zero: raise a `ValueError`.

# %% nbgrader={"grade_id": "inverse_sqrt_decay"} checks={"visible": 1, "hidden": 2}
def inverse_sqrt_decay(learning_rate0, t, k=1.0):
    """Inverse-square-root decay over mini-batch steps (lesson 06).

    lr = learning_rate0 * k / sqrt(t) for the 1-based step t; ValueError for t < 1.
    """
    ### BEGIN SOLUTION
    if t < 1:
        raise ValueError(f"the step t must be at least 1 (t counts updates from 1), got {t}")
    return learning_rate0 * k / np.sqrt(t)
    ### END SOLUTION


# %% [markdown]
# ## 5. Step decay
#
# $$\alpha = \alpha_0 \, d^{\,\lfloor n / N \rfloor}$$
#
# - $n$ (`epoch_num`): the epoch, from 0; $d$ (`drop`, default 0.5): the factor of each drop;
#   $N$ (`epochs_per_drop`, default 10): the number of epochs between two drops;
# - the rate is multiplied by $d$ once every $N$ epochs and stays constant in between: a
#   discrete staircase. With the defaults, epochs 0–9 use
#   $\alpha_0$, epochs 10–19 use $\alpha_0/2$, epochs 20–29 use $\alpha_0/4$, ...
# - This is the schedule of many classic image-classification papers (divide by 10 at fixed
#   epochs); it is also what you get by hand when you "lower the rate when the cost stops
#   improving".

# %% nbgrader={"grade_id": "step_decay"} checks={"visible": 1, "hidden": 2}
def step_decay(learning_rate0, epoch_num, drop=0.5, epochs_per_drop=10):
    """Staircase decay (lesson 06).

    lr = learning_rate0 * drop**floor(epoch_num / epochs_per_drop)
    """
    ### BEGIN SOLUTION
    return learning_rate0 * drop ** np.floor(epoch_num / epochs_per_drop)
    ### END SOLUTION


# %% [markdown]
# ## 6. Experiment: the schedules side by side
#
# All schedules start at $\alpha_0 = 0.1$. Left and middle: the per-epoch schedules over 100
# epochs, on a linear and on a log scale (where exponential decay is a straight line and the
# staircases show their steps). Right: inverse-square-root decay over the updates of the same 100
# epochs, with 10 updates per epoch, plain ($k=1$) and in the T5 form (constant, then $1/\sqrt{t}$).
#
# What to look for: the parameters decide almost everything. With these values step decay ends
# lowest ($1.95 \cdot 10^{-4}$ at epoch 99, against $6.2 \cdot 10^{-4}$ for exponential decay); the
# inverse-time curves fall fast at first and then flatten; the staircases follow their smooth
# relatives in steps. The smooth relative of "drop 0.5 every 10 epochs" is not base 0.95 but
# $0.5^{n/10} = 0.933^n$ (dotted): a halving every 10 epochs is a loss of 6.7 % per epoch. And plain
# $k/\sqrt{t}$ has already lost most of its rate after a few epochs, which is why it is usually
# combined with a constant start.

# %% tags=["experiment"]
lr0 = 0.1
epochs = range(100)
per_epoch = {  # each schedule called once per epoch
    "inverse time, decay_rate 0.1": [inverse_time_decay(lr0, n, 0.1) for n in epochs],
    "inverse time, decay_rate 1, time_interval 10": [inverse_time_decay(lr0, n, 1.0, time_interval=10) for n in epochs],
    "exponential, base 0.95": [exponential_decay(lr0, n) for n in epochs],
    "step, drop 0.5 every 10 epochs": [step_decay(lr0, n) for n in epochs],
}
steps = range(1, 100 * 10 + 1)
warm = 200  # updates at a constant rate before the 1/sqrt(t) decay of the T5 form
per_update = {
    "inverse sqrt, k=1": [inverse_sqrt_decay(lr0, t) for t in steps],
    f"T5 form: constant for {warm} updates, then 1/sqrt(t)": [min(lr0, inverse_sqrt_decay(lr0, t, k=warm**0.5))
                                                             for t in steps],
}
figure, axes = plt.subplots(1, 3, figsize=(17, 4.2))
plots.plot_schedules(per_epoch, ax=axes[0])
axes[0].set_title(r"per-epoch schedules, $\alpha_0 = 0.1$")
plots.plot_schedules(per_epoch, ax=axes[1])
axes[1].set_yscale("log")
for ax in axes[:2]:  # the smooth relative of the step decay: 0.5 every 10 epochs = 0.5**(1/10) per epoch
    ax.plot([exponential_decay(lr0, n, base=0.5 ** (1 / 10)) for n in epochs], color="C3", ls=":",
            label=r"exponential, base $0.5^{1/10} \approx 0.933$")
axes[1].set_title("the same on a log scale")
plots.plot_schedules(per_update, ax=axes[2], xlabel="update t (10 per epoch)")
axes[2].set_yscale("log")
axes[2].set_title("per-update schedules")
for ax in axes:
    ax.legend(fontsize=8)
figure.tight_layout()
plt.show()

# %% [markdown]
# ## 7. Experiment: training with and without decay
#
# Does a schedule help a real network? The test must be fair. We train the moons network of
# lesson 05 (two hidden layers of 20 ReLU units) with mini-batch gradient descent, mini-batches of
# 16 examples, for 50 epochs, and change **only the schedule**:
#
# - the **baseline** is a constant rate equal to the starting rate of the schedules,
#   $\alpha_0 = 1$: same start, same initial weights, same shuffling seed, same number of epochs;
# - every schedule starts from $\alpha_0 = 1$, each with a setting that brings the rate down by a
#   factor between 3 and 12 over the 50 epochs;
# - for reference, a constant **small** rate, $0.2$: the other way of getting small steps.
#
# `training.train` calls `schedule(learning_rate, epoch, t)` before every update, with the epoch
# counted from 0 and the update counted from 1, exactly the conventions of our functions. Single
# runs are noisy, so the table repeats every run with 3 shuffling seeds and reports the mean and
# the spread of the final training cost (computed on the whole training set) and of the accuracies.
#
# The next cell loads your mini-batch code of lesson 01 (gradient descent and the shuffle-and-cut)
# from your notebook of that lesson, saved beside this one.

# %%
# Your functions of lesson 01, from your notebook of that lesson.
gd_update, random_mini_batches = load("01_mini_batch_gradient_descent", "gd_update", "random_mini_batches")


# %% tags=["experiment"]
moons_rng = np.random.default_rng(1)
X, Y = data.make_moons(400, moons_rng, noise=0.25)
X_train, Y_train, X_test, Y_test = data.train_test_split(X, Y, moons_rng, test_fraction=0.25)
initial = network.init_parameters([2, 20, 20, 1], moons_rng)
head = network.SIGMOID_HEAD
batch_size, num_epochs, start_rate = 16, 50, 1.0
updates_per_epoch = -(-X_train.shape[1] // batch_size)  # ceil: the last mini-batch is partial

runs = {  # name -> (starting rate, schedule(learning_rate, epoch, t) or None for a constant rate)
    "constant α = 1 (baseline)": (start_rate, None),
    "inverse time, decay_rate 0.1": (start_rate, lambda lr, epoch, t: inverse_time_decay(lr, epoch, 0.1)),
    "inverse time, decay_rate 1 every 10": (start_rate, lambda lr, epoch, t: inverse_time_decay(lr, epoch, 1.0, 10)),
    "exponential, base 0.95": (start_rate, lambda lr, epoch, t: exponential_decay(lr, epoch, 0.95)),
    "step, drop 0.5 every 15": (start_rate, lambda lr, epoch, t: step_decay(lr, epoch, 0.5, 15)),
    "inverse sqrt after 5 epochs": (start_rate, lambda lr, epoch, t: min(lr, inverse_sqrt_decay(
        lr, t, k=np.sqrt(5 * updates_per_epoch)))),
    "constant α = 0.2 (small)": (0.2, None),
}


def train_moons(rate, schedule, seed):
    parameters, _, history = training.train(
        initial, X_train, Y_train, head=head, optimizer=optimizers.gradient_descent(gd_update),
        learning_rate=rate, epochs=num_epochs, batch_size=batch_size, make_batches=random_mini_batches,
        rng=np.random.default_rng(seed), schedule=schedule, progress=False,
    )
    return parameters, history


seeds = [0, 1, 2]
results, histories = {}, {}
for name, (rate, schedule) in runs.items():
    rows = []
    for seed in seeds:
        parameters, history = train_moons(rate, schedule, seed)
        if seed == seeds[0]:
            histories[name] = history
        rows.append([
            network.cost(X_train, Y_train, parameters, head),
            network.accuracy(network.predict(X_train, parameters, head), Y_train),
            network.accuracy(network.predict(X_test, parameters, head), Y_test),
        ])
    results[name] = np.array(rows)

figure, (left, right) = plt.subplots(1, 2, figsize=(14, 4.5))
for name, history in histories.items():
    style = dict(color="k", lw=1.5) if "baseline" in name else dict(color="0.6", ls="--") if "small" in name else {}
    left.plot(history["epoch_cost"], label=name, **style)
    right.plot(np.arange(1, len(history["learning_rate"]) + 1) / updates_per_epoch, history["learning_rate"],
               label=name, **style)
left.set_yscale("log")
left.set_xlabel("epoch")
left.set_ylabel("training cost (mean over the epoch's mini-batches)")
left.set_title(f"moons network, gradient descent, seed {seeds[0]}")
left.legend(fontsize=8)
right.set_yscale("log")
right.set_xlabel("epoch")
right.set_ylabel("learning rate")
right.set_title("the rate of every update")
figure.tight_layout()
plt.show()

print(f"after {num_epochs} epochs, mean ± spread (std) over seeds {seeds}:")
print(f"{'run':38s} {'final training cost':>22s} {'training accuracy':>20s} {'held-out accuracy':>20s}")
for name, rows in results.items():
    mean, spread = rows.mean(axis=0), rows.std(axis=0)
    print(f"{name:38s} {mean[0]:13.4f} ± {spread[0]:6.4f} {mean[1]:12.1%} ± {spread[1]:5.1%}"
          f" {mean[2]:12.1%} ± {spread[2]:5.1%}")

# %% [markdown]
# What to look for:
#
# - **The baseline** (black) makes fast progress, then its cost keeps jumping up and down: at
#   $\alpha = 1$ the noise of the mini-batches keeps it from settling (section 1's noise, in a
#   real network). Its final cost depends a lot on when we stop: look at its large spread over the seeds.
# - **Every schedule** starts exactly like the baseline — same rate, same batches — and then calms
#   down as its rate falls: a lower final cost, with a much smaller spread. Which schedule wins
#   matters less than decaying at all; their parameters (how far and how fast the rate falls) matter
#   more than their shape.
# - **The small constant rate** (dashed grey) is calm too, but it is slow all along and ends with a
#   higher cost than the schedules: decay gets the speed of a large rate and the precision of a
#   small one.
# - **Accuracy** hardly changes. These moons overlap (noise 0.25): some points lie on the wrong
#   side of any sensible boundary, and that, not the optimizer, limits the held-out accuracy. A lower
#   training cost mostly means more confident predictions. On a problem like this, decay buys a
#   lower and more reproducible cost, not accuracy.
#
# In practice, learning-rate decay comes **after** choosing a good starting rate: a schedule
# cannot rescue a badly chosen $\alpha_0$ (with a starting rate that is already small, decay only
# slows training down — try it below). It also combines with momentum and Adam: they still take
# steps proportional to $\alpha$, so the same schedules apply.

# %% [markdown]
# ## Summary
#
# - With mini-batches, a constant rate leaves the parameters wandering around the minimum in a
#   region that grows with the rate; decaying the rate keeps the fast start and removes the wander.
# - Inverse-time: $\alpha_0 / (1 + r\lfloor n/T\rfloor)$; exponential: $\alpha_0\, b^{n}$;
#   inverse-square-root over updates: $\alpha_0 k/\sqrt{t}$ for $t \ge 1$; step decay:
#   $\alpha_0\, d^{\lfloor n/N\rfloor}$ ($n$: epoch; $r, T, b, d, N$: `decay_rate`, `time_interval`,
#   `base`, `drop`, `epochs_per_drop`).
# - Epochs count from 0 (the first epoch uses $\alpha_0$), updates from 1; the floors make the staircases.
# - Compare a schedule against a constant rate at the **same** starting rate, with the same
#   initial weights, data order and number of epochs, over several seeds.
#
# ## On your own
#
# 1. Start every run of section 7 at $\alpha_0 = 0.2$ instead of 1 (`start_rate = 0.2`). Do the
#    schedules still beat the constant rate? Why not?
# 2. Give the baseline 100 epochs instead of 50. Does its final cost get lower, or just as noisy?
# 3. Which `decay_rate` of the every-epoch inverse-time schedule brings the rate from 1 to 0.1 in
#    50 epochs? Which `base` of the exponential schedule does the same? Compare the two runs.
# 4. Replace gradient descent by your Adam of lesson 05 (starting rate about 0.03). Does decay
#    still lower the final cost?
# 5. Write a schedule with a **warm-up**: the rate grows linearly from 0 to $\alpha_0$ over the first
#    100 updates, then follows `inverse_sqrt_decay`. Plot it over 1000 updates.
