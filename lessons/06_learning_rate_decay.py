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
# inverse-square-root and step decay — plot them beside a fifth, warm-up + cosine decay, and train
# a network with and without decay to see what a schedule buys, and what a warm-up is for.
#
# **What you'll learn.**
# - why mini-batch training with a constant learning rate never settles, and why lowering the
#   rate over time fixes it;
# - the formulas of the common schedules, and what their hyperparameters mean;
# - how to compare a schedule fairly against a constant rate;
# - why many recipes start with a warm-up, and what cosine decay looks like.
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
# $$\alpha = \frac{\alpha_0}{1 + r \left\lfloor n / T \right\rfloor} \qquad\text{(1)}$$
#
# - $\alpha_0$ (`learning_rate0`): the starting rate; $n$ (`epoch_num`): the epoch, from 0;
#   $r$ (`decay_rate`): how strongly the rate falls; $T$ (`time_interval`, default 1): how many
#   epochs between two decreases;
# - $\lfloor x \rfloor$ is the floor of $x$ (the largest integer $\le x$). With $T = 1$ the rate
#   falls after every epoch: $\alpha_0/(1 + r n)$, half of $\alpha_0$ after $n = 1/r$ epochs, a third
#   after $2/r$, ... — fast at first, then more and more slowly. With $T = 10$ the rate stays
#   constant for 10 epochs, then falls, and so on: a staircase that follows the same kind of curve.
#
# `inverse_time_decay(learning_rate0, epoch_num, decay_rate, time_interval=1)` returns the rate of
# equation (1) for one epoch.

# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# First count how many **whole** intervals of `time_interval` epochs have passed by epoch
# `epoch_num`: the division rounded **down** (at epoch 9 of an interval of 10, none; at epoch 10,
# one). Then divide $\alpha_0$ by one plus `decay_rate` times that count. Epoch 0 must give $\alpha_0$.
#
# </details>
# <details><summary>Hint 2 (close to code)</summary>
#
# `np.floor(epoch_num / time_interval)` (or `math.floor`) is the count; the rate is
# `learning_rate0` divided by `(1 + decay_rate * count)`. Use `epoch_num` as it is (no `+ 1`).
#
# </details>

# %% nbgrader={"grade_id": "inverse_time_decay"} checks={"visible": 1, "hidden": 2}
def inverse_time_decay(learning_rate0, epoch_num, decay_rate, time_interval=1):
    """Inverse-time decay, equation (1) (lesson 06).

    learning_rate0: the starting rate (float); epoch_num: the epoch, counted from 0 (int or float);
    decay_rate: float; time_interval: epochs between two decreases (positive int, default 1).
    Returns the learning rate of epoch epoch_num (a float).
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
# $$\alpha = \alpha_0 \, b^{\,n} \qquad\text{(2)}$$
#
# - $n$ (`epoch_num`): the epoch, from 0; $b$ (`base`, default 0.95): the factor applied after
#   every epoch. With $b = 0.95$ the rate loses 5 % per epoch and halves every
#   $\ln 2 / \ln(1/0.95) \approx 13.5$ epochs. In the long run it falls much faster than
#   inverse-time decay: on a log scale it is a straight line.
#
# `exponential_decay(learning_rate0, epoch_num, base=0.95)` returns the rate of equation (2).

# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# Every epoch multiplies the rate by $b$ once; after $n$ epochs it has been multiplied $n$ times.
# Epoch 0 gives $\alpha_0$.
#
# </details>
# <details><summary>Hint 2 (close to code)</summary>
#
# Python's power operator: `base ** epoch_num`, times `learning_rate0` (not `base * epoch_num`).
#
# </details>

# %% nbgrader={"grade_id": "exponential_decay"} checks={"visible": 1, "hidden": 2}
def exponential_decay(learning_rate0, epoch_num, base=0.95):
    """Exponential decay, equation (2) (lesson 06).

    learning_rate0: the starting rate (float); epoch_num: the epoch, counted from 0 (int or float);
    base: the factor of every epoch (float, default 0.95). Returns the learning rate of that epoch (a float).
    """
    ### BEGIN SOLUTION
    return learning_rate0 * base**epoch_num
    ### END SOLUTION


# %% [markdown]
# ## 4. Inverse-square-root decay (per update)
#
# $$\alpha_t = \alpha_0 \cdot \frac{k}{\sqrt{t}}, \qquad t = 1, 2, 3, \dots \qquad\text{(3)}$$
#
# - $t$ is the number of the mini-batch update (from 1), not the epoch: the rate changes at every
#   update; $k$ (default 1) scales the whole curve. At $t = 1$ the rate is $\alpha_0 k$.
# - $1/\sqrt{t}$ falls more slowly than $1/t$. It is the classic rate of the theory of stochastic
#   gradient descent, and the tail of the schedule used to train the Transformer and T5 models.
#   T5, for instance, uses $\alpha_t = 1/\sqrt{\max(t, 10^4)}$: constant for the first $10^4$ updates,
#   then $1/\sqrt{t}$ — in our notation `min(lr0, inverse_sqrt_decay(lr0, t, k=sqrt(10_000)))` with $\alpha_0 = 0.01$.
# - $t = 0$ (or a negative $t$) has no meaning here and would divide by zero: raise a `ValueError`.
#
# `inverse_sqrt_decay(learning_rate0, t, k=1.0)` returns the rate of equation (3) for update `t`.

# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# Two parts: first refuse every `t` below 1 (it is not an update number), before any arithmetic;
# then equation (3), with `t` as it is — the first update is $t = 1$ and gets $\alpha_0 k$.
#
# </details>
# <details><summary>Hint 2 (close to code)</summary>
#
# `if t < 1: raise ValueError("...")` with a message that says why, then `learning_rate0 * k` divided
# by `np.sqrt(t)` (or `math.sqrt(t)`).
#
# </details>

# %% nbgrader={"grade_id": "inverse_sqrt_decay"} checks={"visible": 1, "hidden": 2}
def inverse_sqrt_decay(learning_rate0, t, k=1.0):
    """Inverse-square-root decay over mini-batch updates, equation (3) (lesson 06).

    learning_rate0: the starting rate (float); t: the update, counted from 1 (int or float);
    k: a scale (float, default 1). Returns the learning rate of update t (a float);
    raises ValueError when t < 1.
    """
    ### BEGIN SOLUTION
    if t < 1:
        raise ValueError(f"the step t must be at least 1 (t counts updates from 1), got {t}")
    return learning_rate0 * k / np.sqrt(t)
    ### END SOLUTION


# %% [markdown]
# ## 5. Step decay
#
# $$\alpha = \alpha_0 \, d^{\,\lfloor n / N \rfloor} \qquad\text{(4)}$$
#
# - $n$ (`epoch_num`): the epoch, from 0; $d$ (`drop`, default 0.5): the factor of each drop;
#   $N$ (`epochs_per_drop`, default 10): the number of epochs between two drops;
# - the rate is multiplied by $d$ once every $N$ epochs and stays constant in between: a
#   discrete staircase. With the defaults, epochs 0–9 use
#   $\alpha_0$, epochs 10–19 use $\alpha_0/2$, epochs 20–29 use $\alpha_0/4$, ...
# - This is the schedule of many classic image-classification papers (divide by 10 at fixed
#   epochs); it is also what you get by hand when you "lower the rate when the cost stops
#   improving".
#
# `step_decay(learning_rate0, epoch_num, drop=0.5, epochs_per_drop=10)` returns the rate of
# equation (4).

# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# Count the drops that have happened by epoch `epoch_num`: whole blocks of `epochs_per_drop`
# epochs, rounded **down** (epoch 19 with blocks of 10 has seen one drop, not 1.9). The rate is
# $\alpha_0$ multiplied by $d$ once per drop.
#
# </details>
# <details><summary>Hint 2 (close to code)</summary>
#
# `np.floor(epoch_num / epochs_per_drop)` (or `math.floor`) is the number of drops; raise `drop` to
# that power with `**` and multiply by `learning_rate0`.
#
# </details>

# %% nbgrader={"grade_id": "step_decay"} checks={"visible": 1, "hidden": 2}
def step_decay(learning_rate0, epoch_num, drop=0.5, epochs_per_drop=10):
    """Staircase decay, equation (4) (lesson 06).

    learning_rate0: the starting rate (float); epoch_num: the epoch, counted from 0 (int or float);
    drop: the factor of each drop (float, default 0.5); epochs_per_drop: epochs between two drops
    (positive int, default 10). Returns the learning rate of that epoch (a float).
    """
    ### BEGIN SOLUTION
    return learning_rate0 * drop ** np.floor(epoch_num / epochs_per_drop)
    ### END SOLUTION


# %% [markdown]
# ### Predict, then check
#
# A run of 30 epochs, numbered as in this lesson, starts at $\alpha_0 = 0.1$. Work out by hand, before
# running anything:
#
# - `first_quarter_epoch`: with `step_decay(0.1, epoch_num)` and its defaults (halve every 10 epochs),
#   the number of the first epoch that trains at $\alpha_0/4$;
# - `last_epoch_rate`: with `inverse_time_decay(0.1, epoch_num, decay_rate=0.5, time_interval=5)`, the
#   rate that the run's last epoch uses.

# %% nbgrader={"grade_id": "predict_schedule_epochs"} answer={"points": 1}
### BEGIN SOLUTION
first_quarter_epoch = 20
last_epoch_rate = 0.02857
### END SOLUTION

# %% [markdown]
# Check with your functions:

# %% tags=["experiment"]
for n in [18, 19, 20, 21]:
    print(f"epoch {n}: step_decay gives {step_decay(0.1, n):.4f}")
print(f"epoch 29, the last of 30: inverse_time_decay gives {inverse_time_decay(0.1, 29, 0.5, time_interval=5):.5f}")

# %% [markdown]
# Epochs count from 0, so epochs 0–9 use $\alpha_0$, epochs 10–19 use $\alpha_0/2$, and epoch 20 is the first
# at $\alpha_0/4$: exactly 20 epochs have been trained before it. A run of 30 epochs ends with epoch 29;
# by then $\lfloor 29/5 \rfloor = 5$ whole intervals have passed (not 5.8), so the rate is
# $0.1/(1 + 0.5 \cdot 5) = 0.1/3.5 \approx 0.0286$.

# %% [markdown]
# ## 6. Beyond the four: warm-up and cosine decay
#
# Many recent training recipes — large-batch training of image classifiers (Goyal et al., 2017),
# the Transformer (Vaswani et al., 2017) and most language models since — shape the rate in two
# phases:
#
# - **Warm-up.** At the first updates the weights are random, and the gradients can be large and
#   unrepresentative of what comes later. A large rate applied at once can throw the network into a
#   region it never leaves; in a ReLU network, for instance, a few huge steps can push units to where
#   they output 0 for every example, and then their gradient is 0 for good. A warm-up starts with a
#   small rate and raises it linearly to $\alpha_0$ over the first $W$ epochs, while the weights settle.
#   (With Adam there is a second reason: its second moment is estimated from only a few gradients at
#   first.)
# - **Cosine decay** (Loshchilov & Hutter, 2017). After the warm-up the rate follows half a period of
#   a cosine from $\alpha_0$ down to a floor $\alpha_{\min}$: it stays near $\alpha_0$ for a while, falls
#   fastest in the middle of the run, and flattens again as it reaches the floor at the last epoch.
#   Its settings are the floor and the length of the run, which must therefore be known in advance,
#   unlike for the four schedules above.
#
# For the epochs $n = 0, 1, \dots, N-1$ of a run of $N$ epochs:
#
# $$\alpha_n = \alpha_0\,\frac{n+1}{W} \quad (n < W), \qquad
# \alpha_n = \alpha_{\min} + \frac{\alpha_0 - \alpha_{\min}}{2}\left(1 + \cos\frac{\pi\,(n - W)}{N - 1 - W}\right)
# \quad (W \le n \le N - 1). \qquad\text{(5)}$$
#
# The warm-up starts at $\alpha_0/W$ rather than at 0, so that epoch 0 already trains; the cosine
# starts at $\alpha_0$ at epoch $W$ (the cosine of 0 is 1) and reaches $\alpha_{\min}$ at the last epoch
# (the cosine of $\pi$ is $-1$). This schedule is not graded: here it is, written out, for the
# experiments below.

# %%
def warmup_cosine(learning_rate0, epoch_num, warmup_epochs, total_epochs, floor=0.0):
    """Equation (5), not graded: the rate of epoch epoch_num (from 0) of a run of total_epochs epochs.

    A linear warm-up over the first warmup_epochs epochs, then half a cosine from learning_rate0
    down to floor at the last epoch, total_epochs - 1.
    """
    if epoch_num < warmup_epochs:
        return learning_rate0 * (epoch_num + 1) / warmup_epochs  # epoch 0 already trains
    cosine_epochs = max(1, total_epochs - 1 - warmup_epochs)  # epochs from the peak to the floor
    progress = min(1.0, (epoch_num - warmup_epochs) / cosine_epochs)  # 0 at the peak, 1 at the last epoch
    return floor + (learning_rate0 - floor) * (1 + np.cos(np.pi * progress)) / 2


# %% [markdown]
# ## 7. Experiment: the schedules side by side
#
# All schedules start at $\alpha_0 = 0.1$. Left and middle: the per-epoch schedules over 100
# epochs, on a linear and on a log scale (where exponential decay is a straight line and the
# staircases show their steps), with warm-up + cosine (5 warm-up epochs, floor $10^{-3}$) beside your
# four. Right: inverse-square-root decay over the updates of the same 100 epochs, with 10 updates
# per epoch, plain ($k=1$) and in the T5 form (constant, then $1/\sqrt{t}$).
#
# What to look for: the parameters decide almost everything. With these values step decay ends
# lowest ($1.95 \cdot 10^{-4}$ at epoch 99, against $6.2 \cdot 10^{-4}$ for exponential decay); the
# inverse-time curves fall fast at first and then flatten; the staircases follow their smooth
# relatives in steps. The smooth relative of "drop 0.5 every 10 epochs" is not base 0.95 but
# $0.5^{n/10} = 0.933^n$ (dotted): a halving every 10 epochs is a loss of 6.7 % per epoch. And plain
# $k/\sqrt{t}$ has already lost most of its rate after a few epochs, which is why it is usually
# combined with a constant start.
#
# Warm-up + cosine has the opposite shape to the graded four: it starts lowest ($0.02$ at epoch 0),
# reaches $\alpha_0$ at epoch 4, and then keeps the **highest** rate of all five from epoch 10 to epoch
# 78 ($0.054$ at epoch 50, when the others are at $0.017$ or below) before it falls steeply onto its
# floor, $10^{-3}$ at epoch 99. It spends most of the run at a large rate and saves the small rates
# for the end.

# %% tags=["experiment"]
lr0 = 0.1
epochs = range(100)
per_epoch = {  # each schedule called once per epoch
    "inverse time, decay_rate 0.1": [inverse_time_decay(lr0, n, 0.1) for n in epochs],
    "inverse time, decay_rate 1, time_interval 10": [inverse_time_decay(lr0, n, 1.0, time_interval=10) for n in epochs],
    "exponential, base 0.95": [exponential_decay(lr0, n) for n in epochs],
    "step, drop 0.5 every 10 epochs": [step_decay(lr0, n) for n in epochs],
}
graded_highest = np.max(list(per_epoch.values()), axis=0)  # the highest of the four graded rates, epoch by epoch
cosine_rates = [warmup_cosine(lr0, n, 5, len(epochs), floor=1e-3) for n in epochs]
per_epoch["warm-up 5 epochs + cosine to 0.001 (not graded)"] = cosine_rates
cosine_on_top = np.flatnonzero(np.array(cosine_rates) > graded_highest)
print(f"warm-up + cosine: {cosine_rates[0]:.3f} at epoch 0, the highest rate from epoch {cosine_on_top[0]} to "
      f"{cosine_on_top[-1]}; at epoch 50 {cosine_rates[50]:.3f} (the graded four: {graded_highest[50]:.3f} or below)")
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
# ## 8. Experiment: training with and without decay
#
# Does a schedule help a real network? The test must be fair. We train the moons network of
# lesson 05 (two hidden layers of 20 ReLU units) with mini-batch gradient descent, mini-batches of
# 16 examples, for 50 epochs, and change **only the schedule**:
#
# - the **baseline** is a constant rate equal to the starting rate of the schedules,
#   $\alpha_0 = 1$: same start, same initial weights, same shuffling seed, same number of epochs;
# - every schedule starts from $\alpha_0 = 1$, each with a setting that brings the rate down by a
#   factor between 3 and 12 over the 50 epochs;
# - warm-up + cosine (section 6) climbs to the same $\alpha_0 = 1$ over 5 epochs (0.2, 0.4, ..., 1), then
#   falls along the cosine to a floor of $0.1$ at the last epoch;
# - for reference, a constant **small** rate, $0.2$: the other way of getting small steps.
#
# `training.train` calls `schedule(learning_rate, epoch, t)` before every update, with the epoch
# counted from 0 and the update counted from 1, exactly the conventions of our functions. Single
# runs are noisy, so the table repeats every run with 3 shuffling seeds and reports the mean and
# the spread of the final training cost (computed on the whole training set) and of the accuracies,
# and the mean cost of the fifth epoch (over its mini-batches), to see how fast each run starts.
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
    "warm-up 5 + cosine to 0.1 (not graded)": (start_rate, lambda lr, epoch, t: warmup_cosine(
        lr, epoch, 5, num_epochs, floor=0.1 * lr)),
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
            history["epoch_cost"][4],
        ])
    results[name] = np.array(rows)

figure, (left, right) = plt.subplots(1, 2, figsize=(14, 4.5))
for name, history in histories.items():
    style = (dict(color="k", lw=1.5) if "baseline" in name else dict(color="0.6", ls="--") if "small" in name
             else dict(color="C6", lw=2) if "cosine" in name else {})
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
print(f"{'run':40s} {'final training cost':>22s} {'training accuracy':>20s} {'held-out accuracy':>20s}"
      f" {'cost in epoch 5':>16s}")
for name, rows in results.items():
    mean, spread = rows.mean(axis=0), rows.std(axis=0)
    print(f"{name:40s} {mean[0]:13.4f} ± {spread[0]:6.4f} {mean[1]:12.1%} ± {spread[1]:5.1%}"
          f" {mean[2]:12.1%} ± {spread[2]:5.1%} {mean[3]:16.3f}")

# %% [markdown]
# What to look for:
#
# - **The baseline** (black) makes fast progress, then its cost keeps jumping up and down: at
#   $\alpha = 1$ the noise of the mini-batches keeps it from settling (section 1's noise, in a
#   real network). Its final cost depends a lot on when we stop: look at its large spread over the seeds.
# - **Every graded schedule** starts exactly like the baseline — same rate, same batches — and then calms
#   down as its rate falls: a lower final cost, with a much smaller spread. Which schedule wins
#   matters less than decaying at all; their parameters (how far and how fast the rate falls) matter
#   more than their shape.
# - **The small constant rate** (dashed grey) is calm too, but it is slow all along and ends with a
#   higher cost than the schedules: decay gets the speed of a large rate and the precision of a
#   small one.
# - **Warm-up + cosine** (bold pink) starts the slowest of all the runs at $\alpha_0 = 1$: its cost in
#   epoch 5 is 0.290 against 0.224 for the baseline, because it spent four epochs below $\alpha_0$. It
#   then ends with the lowest mean cost of the table, 0.1000 ± 0.0015, against 0.1021 ± 0.0006 for
#   the best graded schedule here (step decay) — a difference about the size of the spread over the
#   seeds. On this problem its shape buys little over the graded four, and its warm-up is not needed:
#   $\alpha_0 = 1$ is safe from the very first update. What a warm-up is for shows at a starting rate
#   that is not safe (below).
# - **Accuracy** hardly changes. These moons overlap (noise 0.25): some points lie on the wrong
#   side of any sensible boundary, and that, not the optimizer, limits the held-out accuracy. A lower
#   training cost mostly means more confident predictions. On a problem like this, decay buys a
#   lower and more reproducible cost, not accuracy.
#
# In practice, learning-rate decay comes **after** choosing a good starting rate: a decay cannot
# rescue a badly chosen $\alpha_0$ (with a starting rate that is already small, decay only slows
# training down — try it below). It also combines with momentum and Adam: they still take steps
# proportional to $\alpha$, so the same schedules apply.
#
# ### What the warm-up is for: a starting rate that is too large
#
# Three times the baseline's rate, $\alpha_0 = 3$, on the same network, batches and seeds: a
# constant rate, the cosine alone (from 3 down to 0.3, no warm-up) and warm-up + cosine (5 epochs
# from 0.6 up to 3, then the same cosine). Besides the cost, the table counts the **silent units**
# of the second hidden layer: ReLU units that output 0 for every training example after training.
# Such a unit passes no gradient back, so it stays silent for good; if all 20 are silent, the
# network outputs the same probability for every point.

# %% tags=["experiment"]
hot_rate = 3.0
hot_runs = {  # name -> schedule(learning_rate, epoch, t) or None for a constant rate
    "constant α = 3": None,
    "cosine from 3 to 0.3, no warm-up": lambda lr, epoch, t: warmup_cosine(lr, epoch, 0, num_epochs, 0.1 * lr),
    "warm-up 5 + cosine from 3 to 0.3": lambda lr, epoch, t: warmup_cosine(lr, epoch, 5, num_epochs, 0.1 * lr),
}
hot_results, hot_histories = {}, {}
for name, schedule in hot_runs.items():
    rows = []
    for seed in seeds:
        parameters, history = train_moons(hot_rate, schedule, seed)
        if seed == seeds[0]:
            hot_histories[name] = history
        _, cache = network.forward(X_train, parameters, head)
        silent_units = np.sum(cache["A_last_hidden"].max(axis=1) == 0)  # ReLU output 0 for every example
        rows.append([network.cost(X_train, Y_train, parameters, head),
                     network.accuracy(network.predict(X_test, parameters, head), Y_test), silent_units])
    hot_results[name] = np.array(rows, dtype=float)

figure, ax = plt.subplots(figsize=(7, 4))
for (name, history), color in zip(hot_histories.items(), ["k", "C0", "C6"], strict=True):
    ax.plot(history["epoch_cost"], color=color, label=name)
ax.axhline(np.log(2), color="0.6", ls=":", lw=1, label="ln 2: the same probability 1/2 for every point")
ax.set_yscale("log")
ax.set_xlabel("epoch")
ax.set_ylabel("training cost (mean over the epoch's mini-batches)")
ax.set_title(rf"$\alpha_0 = {hot_rate:g}$, seed {seeds[0]}")
ax.legend(fontsize=8)
plt.show()

print(f"alpha0 = {hot_rate:g}, after {num_epochs} epochs, mean ± spread (std) over seeds {seeds}:")
print(f"{'run':34s} {'final training cost':>22s} {'held-out accuracy':>20s} {'silent units of 20 (each seed)':>32s}")
for name, rows in hot_results.items():
    mean, spread = rows.mean(axis=0), rows.std(axis=0)
    print(f"{name:34s} {mean[0]:13.4f} ± {spread[0]:6.4f} {mean[1]:12.1%} ± {spread[1]:5.1%}"
          f" {str(rows[:, 2].astype(int).tolist()):>32s}")

# %% [markdown]
# At $\alpha_0 = 3$ the first updates are too large. Without a warm-up the second hidden layer falls
# silent: all 20 units in every seed with the cosine, 16, 20 and 20 with the constant rate. The
# network is then stuck at (or near) the cost $\ln 2 \approx 0.693$ of a constant prediction, with a
# held-out accuracy near a coin toss, and the cosine's decay comes too late to help (the constant
# rate's large spread is its seed 0, which kept 4 units alive). With the warm-up, the same cosine
# trains: the weights settle during the small first steps, 6 to 9 of the 20 units stay alive, and
# the run ends at a cost of 0.1377 ± 0.0033 with 86.3 % held-out accuracy — not as low as the runs
# at $\alpha_0 = 1$, but a working network. A warm-up widens the range of starting rates that work;
# it does not make every rate work (try $\alpha_0 = 4$ below).

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
# - Warm-up + cosine raises the rate linearly over the first epochs, then lowers it along half a
#   cosine to a floor at the last epoch. The warm-up protects the first updates from a large
#   $\alpha_0$ (at $\alpha_0 = 3$ it was the difference between a silent network and a trained one); the
#   cosine keeps the rate high for most of the run and needs the run's length in advance.
# - Compare a schedule against a constant rate at the **same** starting rate, with the same
#   initial weights, data order and number of epochs, over several seeds.
#
# ## On your own
#
# 1. Start every run of section 8 at $\alpha_0 = 0.2$ instead of 1 (`start_rate = 0.2`). Do the
#    schedules still beat the constant rate? Why not?
# 2. Give the baseline 100 epochs instead of 50. Does its final cost get lower, or just as noisy?
# 3. Which `decay_rate` of the every-epoch inverse-time schedule brings the rate from 1 to 0.1 in
#    50 epochs? Which `base` of the exponential schedule does the same? Compare the two runs.
# 4. Replace gradient descent by your Adam of lesson 05 (starting rate about 0.03). Does decay
#    still lower the final cost?
# 5. At $\alpha_0 = 3$, is it the warm-up or the decay that saves the run? Train with a warm-up
#    followed by a constant rate (`warmup_cosine(lr, epoch, 5, num_epochs, floor=lr)`: with the floor
#    at $\alpha_0$ the cosine part is flat). Then try $\alpha_0 = 4$ with a warm-up of 5 and of 15 epochs.
# 6. Write a per-update warm-up: the rate grows linearly from $\alpha_0/100$ to $\alpha_0$ over the first 100
#    updates, then follows `inverse_sqrt_decay` (choose `k` so that the two parts meet). Plot it over
#    1000 updates.
