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
# # Lesson 07 — Hyperparameter tuning
#
# **What you'll do.** Write the two samplers of a hyperparameter search (a log scale for the
# learning rate, a log scale of $1-\beta$ for an averaging $\beta$), a random search and its
# coarse-to-fine refinement; then tune the learning rate of the moons network for real.
#
# **What you'll learn.**
# - which hyperparameters matter most, and in which order to tune them;
# - why random points beat a grid when only a few hyperparameters matter;
# - why the learning rate is searched on a log scale, and $\beta$ on a log scale of $1-\beta$,
#   while uniform integers suit the number of units and of layers;
# - how to zoom in from a coarse search to a fine one;
# - the two ways to spend compute on a search: babysit one model ("panda") or train many in parallel ("caviar");
# - why a search is re-tested when the data or the code change.
#
# **What you need.** Lessons 01–05 (mini-batches, the averaging window $1/(1-\beta)$ of lesson 02,
# Adam); numpy.
#
# **Convention.** A search minimises a *score*, for example the validation cost after a short
# training: **lower is better**, and "best first" means sorted by increasing score.

# %%
import matplotlib.pyplot as plt
import numpy as np

from coursekit import data, network, optimizers, training
from coursekit.checking import check
from coursekit.earlier import load

# %% [markdown]
# ## 1. Concept: what to tune first
#
# A network comes with a dozen knobs. They are not equally important. A useful order, from
# the most to the least worth your time:
#
# 1. the **learning rate** $\alpha$: wrong by a factor of 10 and nothing else matters;
# 2. the **momentum** $\beta$ (around 0.9), the **mini-batch size**, the number of **hidden units**;
# 3. the number of **layers**, the **learning-rate decay** (lesson 06);
# 4. almost never: Adam's $\beta_1 = 0.9$, $\beta_2 = 0.999$, $\varepsilon = 10^{-8}$.
#
# A search needs three things: a **space** (for each hyperparameter a range *and a scale*), a
# way to **draw** points from it, and a **score** for each point (train, then measure the cost on
# held-out data). This lesson builds the first two and uses them on cheap scores, then on a real
# network.

# %% [markdown]
# ## 2. Concept: grid search versus random search
#
# With two hyperparameters and a budget of 9 trainings, a **grid** tries $3 \times 3$
# combinations. Now suppose that only one of the two really matters, say the learning rate
# $\alpha$, while the other (Adam's $\varepsilon$, for instance) hardly changes the score. The
# grid then trains 9 models but tries only **3 distinct learning rates**: every column repeats the
# same $\alpha$ with an $\varepsilon$ that makes no difference. Nine **random** points try
# **9 distinct values** of each hyperparameter, so they probe the important one three times more
# finely, for the same cost.
#
# You rarely know in advance which hyperparameters matter, and in a higher-dimensional space the
# effect grows: a grid of $3^5 = 243$ points in 5 dimensions still tries only 3 values of each
# hyperparameter, while 243 random points try 243 values of each.
#
# Below, the score $f(a, b)$ depends on $a$ only (a narrow valley at $a = 0.62$). The top row
# shows the projections of the trials on the important axis $a$.

# %% tags=["experiment"]
def valley(a, b):
    """A score that depends on a only: the b axis is a hyperparameter that does not matter."""
    return 1 - np.exp(-(((a - 0.62) / 0.08) ** 2)) + 0 * b


levels = np.array([1 / 6, 1 / 2, 5 / 6])
grid_points = np.array([(a, b) for a in levels for b in levels])
random_points = np.random.default_rng(5).uniform(0, 1, size=(9, 2))

a_fine = np.linspace(0, 1, 400)
A_grid, B_grid = np.meshgrid(a_fine, a_fine)
figure, axes = plt.subplots(2, 2, figsize=(11, 6.5), sharex=True, gridspec_kw={"height_ratios": [1, 2.4]},
                            layout="constrained")
for column, (title, points) in enumerate([("grid", grid_points), ("random", random_points)]):
    top, bottom = axes[0, column], axes[1, column]
    scores = valley(points[:, 0], points[:, 1])
    top.plot(a_fine, valley(a_fine, 0), "k-", lw=1, label="score $f(a)$")
    top.plot(points[:, 0], scores, "o", color="C3", ms=6, label="trials (projected on $a$)")
    top.plot(points[scores.argmin(), 0], scores.min(), "*", color="gold", mec="k", ms=14, label="best trial")
    top.set_ylabel("score")
    top.set_title(f"{title}: 9 trials, {len(np.unique(points[:, 0].round(9)))} distinct values of $a$, "
                  f"best score {scores.min():.2f}")
    shading = bottom.contourf(A_grid, B_grid, valley(A_grid, B_grid), levels=20, cmap="viridis_r")
    bottom.plot(points[:, 0], points[:, 1], "o", color="C3", mec="w", ms=8)
    for a in points[:, 0]:
        bottom.axvline(a, color="C3", lw=0.6, ls=":")
    bottom.set_xlabel("$a$ (important hyperparameter)")
    bottom.set_ylabel("$b$ (unimportant hyperparameter)")
axes[0, 0].legend(fontsize=8, loc="lower left")
figure.colorbar(shading, ax=axes[:, 1], label="score (bright = low = good)", shrink=0.6, anchor=(0, 0))
plt.show()

# Repeat the experiment many times: how often do 9 random points beat the 3x3 grid?
many = np.random.default_rng(8).uniform(0, 1, size=(2000, 9))
best_random = valley(many, 0).min(axis=1)
best_grid = valley(grid_points[:, 0], 0).min()
print(f"best score of the grid: {best_grid:.3f}; 9 random points do better in "
      f"{np.mean(best_random < best_grid):.0%} of 2000 repetitions "
      f"(median best {np.median(best_random):.3f})")

# %% [markdown]
# ## 3. Concept: the learning rate lives on a log scale
#
# Say the learning rate should be somewhere between $10^{-4}$ and $1$. Drawing it **uniformly**
# on $[10^{-4}, 1]$ puts 90% of the trials in $[0.1, 1]$ and only 0.09% in $[10^{-4}, 10^{-3}]$:
# the search spends almost everything on the largest (and most dangerous) decade. What matters
# for a learning rate is its *order of magnitude*: $10^{-3}$ versus $10^{-2}$ is as big a change
# as $10^{-2}$ versus $10^{-1}$. So draw the **exponent** uniformly:
#
# $$r \sim \mathcal{U}\big(\log_{10} \text{low},\ \log_{10} \text{high}\big), \qquad \alpha = 10^{r}. \tag{1}$$
#
# Every decade between low and high then gets the same share of the trials (here a quarter each).
# The same holds for any hyperparameter that acts multiplicatively: weight decay, $\varepsilon$,
# the initial scale of the weights.
#
# ## 4. Implement `sample_log_uniform`
#
# `sample_log_uniform(low, high, size, rng)` draws learning rates by rule (1): the exponent $r$ is
# uniform between the base-10 logarithms of `low` and `high`, and the value is $10^r$. Draw the
# exponents with **one** call `rng.uniform(lower, upper, size)` of the generator `rng` (a
# `numpy.random.Generator`, never the global `np.random`), its lower bound first. `size` works as
# in numpy: `None` gives one float, an int or a shape gives an array. Drawing exactly this way
# makes your samples reproducible: the checks replay the same generator and compare the values.

# %% nbgrader={"grade_id": "sample_log_uniform"} checks={"visible": 1, "hidden": 2}
def sample_log_uniform(low, high, size, rng):
    """Sample values whose log10 is uniform on [log10(low), log10(high)]: rule (1) (lesson 07).

    low, high: floats, 0 < low < high. size: None for one float, an int or a shape for an array
    of that shape. rng: a numpy.random.Generator, used for exactly one rng.uniform call (with this
    size) that draws the exponents. Returns values in [low, high]; nothing else is drawn.
    """
    ### BEGIN SOLUTION
    return 10 ** rng.uniform(np.log10(low), np.log10(high), size)
    ### END SOLUTION


# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# Work on the exponent, not on the value: the exponent of `low` is $\log_{10}(\text{low})$, the
# exponent of `high` is $\log_{10}(\text{high})$. Draw exponents uniformly between the two, then
# turn each exponent back into a value.
#
# </details>
# <details><summary>Hint 2 (close to code)</summary>
#
# `np.log10` gives the two bounds of the exponent; one `rng.uniform(bound_low, bound_high, size)`
# draws the exponents $r$ (an array, or one number when `size` is `None`); `10 ** r` turns them back
# into values. Do not use `np.log` (natural logarithm) with `10 **`.
#
# </details>

# %% [markdown]
# ### Experiment: uniform versus log-uniform on $[10^{-4}, 1]$
#
# 2,000 learning rates each way, counted per decade (the horizontal axis is logarithmic).

# %% tags=["experiment"]
rng = np.random.default_rng(0)
uniform_rates = rng.uniform(1e-4, 1.0, 2000)
log_rates = sample_log_uniform(1e-4, 1.0, 2000, rng)
decades = np.logspace(-4, 0, 5)
bins = np.logspace(-4, 0, 41)

figure, axes = plt.subplots(1, 2, figsize=(11, 3.6))
for ax, (name, rates) in zip(axes, [("uniform on [1e-4, 1]", uniform_rates),
                                    ("log-uniform: sample_log_uniform(1e-4, 1)", log_rates)], strict=True):
    ax.hist(rates, bins=bins, color="C0", edgecolor="w")
    ax.set_xscale("log")
    ax.set_ylim(0, 1.15 * ax.get_ylim()[1])
    counts = np.histogram(rates, bins=decades)[0]
    for left, count in zip(decades[:-1], counts, strict=True):
        ax.text(left * 10**0.5, 0.92 * ax.get_ylim()[1], f"{count / rates.size:.1%}",
                ha="center", fontsize=9, color="C3")
    for edge in decades:
        ax.axvline(edge, color="gray", lw=0.6, ls=":")
    ax.set_title(name)
    ax.set_xlabel(r"learning rate $\alpha$ (log axis)")
axes[0].set_ylabel("number of samples")
figure.suptitle("share of the 2,000 samples in each decade (red)")
figure.tight_layout()
plt.show()

# %% [markdown]
# ## 5. Concept: $\beta$ lives on a log scale of $1-\beta$
#
# An averaging $\beta$ (momentum's $\beta$, Adam's $\beta_1$, $\beta_2$, RMSprop's $\beta_2$)
# averages over roughly the last
#
# $$\text{window} \approx \frac{1}{1-\beta}$$
#
# values (lesson 02). Going from $\beta = 0.9$ to $0.9005$ changes the window from 10 to 10.05
# steps: nothing. The same step of $0.0005$ from $0.999$ to $0.9995$ changes it from 1,000 to
# 2,000 steps: the average now remembers twice as far back. The closer $\beta$ is to 1, the more
# a small change matters ($d\,\text{window}/d\beta = 1/(1-\beta)^2$). So the range
# $[0.9, 0.999]$ should be searched on the scale of $1-\beta \in [10^{-3}, 10^{-1}]$, log-uniformly:
#
# $$r \sim \mathcal{U}\big(\log_{10}(1-\text{high}),\ \log_{10}(1-\text{low})\big), \qquad \beta = 1 - 10^{r}. \tag{2}$$
#
# Mind the order: the *largest* $\beta$ gives the *smallest* $1-\beta$, so the low end of $r$ comes
# from `high`.
#
# ## 6. Implement `sample_beta`
#
# `sample_beta(low, high, size, rng)` draws betas by rule (2): **one** call `rng.uniform(lower,
# upper, size)` draws the exponents $r$ (lower bound first, as in `sample_log_uniform`), and you
# return $\beta$ itself, not $1-\beta$.

# %% nbgrader={"grade_id": "sample_beta"} checks={"visible": 1, "hidden": 2}
def sample_beta(low, high, size, rng):
    """Sample averaging betas in [low, high] so that 1 - beta is log-uniform: rule (2) (lesson 07).

    low, high: floats, 0 <= low < high < 1. size, rng: as in sample_log_uniform (exactly one
    rng.uniform call with this size draws the exponents, lower bound first). Returns beta (not
    1 - beta), in [low, high].
    """
    ### BEGIN SOLUTION
    return 1 - 10 ** rng.uniform(np.log10(1 - high), np.log10(1 - low), size)
    ### END SOLUTION


# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# Rule (2) works on $1-\beta$, not on $\beta$: its exponent runs from $\log_{10}(1-\text{high})$,
# the smaller one, to $\log_{10}(1-\text{low})$. Draw the exponents, turn each into a value of
# $1-\beta$, then into $\beta$.
#
# </details>
# <details><summary>Hint 2 (close to code)</summary>
#
# The bounds are `np.log10(1 - high)` and `np.log10(1 - low)`, in that order, for one
# `rng.uniform(..., size)` that draws the exponents `r`; `10 ** r` is $1-\beta$, and `1 - 10 ** r`
# is what you return.
#
# </details>

# %% [markdown]
# ### Predict, then check
#
# You draw 10,000 momentum betas with `sample_beta(0.9, 0.999, 10_000, rng)`. **What share of them
# is above 0.99?** Work it out by hand from rule (2), before running anything: where does
# $1 - 0.99$ sit on the scale of the exponent $r$? Give the share as a fraction between 0 and 1
# (not a percentage).

# %% nbgrader={"grade_id": "predict_share_above_099"} answer={"points": 1}
### BEGIN SOLUTION
share_above_099 = 0.5
### END SOLUTION

# %% [markdown]
# ### Experiment: the averaging window of uniform and of `sample_beta` draws
#
# Left: the window $1/(1-\beta)$ against $1-\beta$ on a log axis (so $\beta$ grows to the right).
# The same step $\Delta\beta = 0.0005$ barely moves the window at $\beta = 0.9$ and doubles it at
# $0.999$. Right: the windows that 2,000 draws of $\beta \in [0.9, 0.999]$ give. The last line
# counts the draws above 0.99 (windows longer than 100 steps): check your prediction.

# %% tags=["experiment"]
rng = np.random.default_rng(1)
uniform_betas = rng.uniform(0.9, 0.999, 2000)
log_betas = sample_beta(0.9, 0.999, 2000, rng)

figure, axes = plt.subplots(1, 2, figsize=(11, 3.8))
one_minus = np.logspace(-0.7, -3.5, 200)
axes[0].plot(one_minus, 1 / one_minus, "k-", lw=1)
for b0, color in [(0.9, "C0"), (0.999, "C3")]:
    b1 = b0 + 0.0005
    axes[0].plot([1 - b0, 1 - b1], [1 / (1 - b0), 1 / (1 - b1)], "o-", color=color, ms=6, lw=3,
                 label=rf"$\beta$: {b0} $\to$ {b1:.4f}, window {1 / (1 - b0):.0f} $\to$ {1 / (1 - b1):.4g}")
axes[0].set_xscale("log")
axes[0].set_yscale("log")
axes[0].invert_xaxis()
axes[0].set_xticks([0.1, 0.01, 0.001], ["β=0.9", "β=0.99", "β=0.999"])
axes[0].set_xlabel(r"$1-\beta$ (log axis, reversed)")
axes[0].set_ylabel(r"window $1/(1-\beta)$ (log axis)")
axes[0].set_title(r"the same step $\Delta\beta=0.0005$, two different effects")
axes[0].legend(fontsize=8)

window_bins = np.logspace(1, 3, 31)
axes[1].hist(1 / (1 - uniform_betas), bins=window_bins, alpha=0.6, label=r"$\beta$ uniform on [0.9, 0.999]")
axes[1].hist(1 / (1 - log_betas), bins=window_bins, alpha=0.6, label="sample_beta(0.9, 0.999)")
axes[1].set_xscale("log")
axes[1].set_xlabel(r"window $1/(1-\beta)$ in steps (log axis)")
axes[1].set_ylabel("number of samples")
axes[1].set_title("windows tried by 2,000 draws")
axes[1].legend(fontsize=8)
figure.tight_layout()
plt.show()
print(f"windows longer than 100 steps (beta above 0.99): uniform {np.mean(uniform_betas > 0.99):.1%}, "
      f"sample_beta {np.mean(log_betas > 0.99):.1%}")

# %% [markdown]
# Half of the `sample_beta` draws are above 0.99: $1 - 0.99 = 10^{-2}$, and $r = -2$ is the middle
# of the exponent range $[-3, -1]$. So half the draws fall in $[0.9, 0.99]$ (windows 10 to 100)
# and half in $[0.99, 0.999]$ (windows 100 to 1,000), one decade of windows each. Uniform draws
# put only $(0.999 - 0.99)/(0.999 - 0.9) \approx 9.1\%$ of the trials above 0.99 (9.5% of these
# 2,000 draws), although that small part of the range holds every window from 100 to 1,000 steps.

# %% [markdown]
# ## 7. Implement `random_search`
#
# A **space** maps each hyperparameter name to `(kind, low, high)`:
#
# | kind | draw (one value) |
# |---|---|
# | `"log"` | `sample_log_uniform(low, high, None, rng)` |
# | `"beta"` | `sample_beta(low, high, None, rng)` |
# | `"uniform"` | `rng.uniform(low, high)` |
# | `"int"` | `int(rng.integers(low, high + 1))` — both ends included |
#
# `random_search(objective, space, n_trials, rng)` runs `n_trials` trials. For each trial it
# draws one value for every name, **in the order of `space`**, collects them in a dict `params`
# and calls `objective(params)`, which returns a score. It returns the list of all
# `(params, score)` pairs sorted by score, **best (lowest) first**; trials with equal scores keep
# the order in which they were run (Python's `sorted` with a `key` does exactly that: it is
# *stable*). The order of the draws matters for reproducibility: the same seed must give the same
# trials, and the checks replay your generator draw by draw.

# %% nbgrader={"grade_id": "random_search"} checks={"visible": 1, "hidden": 3}
def random_search(objective, space, n_trials, rng):
    """Random search (lesson 07): n_trials draws from `space`, best (lowest score) first.

    space: {name: (kind, low, high)}, kind in "log", "beta", "uniform", "int"; each trial
    draws every name in `space` order, then calls objective(params) -> float.
    Returns [(params, score), ...] sorted by score, ties kept in trial order.
    """
    ### BEGIN SOLUTION
    def draw(kind, low, high):
        if kind == "log":
            return sample_log_uniform(low, high, None, rng)
        if kind == "beta":
            return sample_beta(low, high, None, rng)
        if kind == "uniform":
            return rng.uniform(low, high)
        if kind == "int":
            return int(rng.integers(low, high + 1))
        raise ValueError(f"unknown kind {kind!r}: use 'log', 'beta', 'uniform' or 'int'")

    trials = []
    for _ in range(n_trials):
        params = {name: draw(kind, low, high) for name, (kind, low, high) in space.items()}
        trials.append((params, float(objective(params))))
    return sorted(trials, key=lambda trial: trial[1])
    ### END SOLUTION


# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# Two loops: one over the trials and, inside a trial, one over the names of `space` (a dict keeps
# the order in which it was written). Each name gets the draw of its kind from the table; only
# when the trial's dict `params` is complete do you score it. Sort once, at the end.
#
# </details>
# <details><summary>Hint 2 (close to code)</summary>
#
# `for name, (kind, low, high) in space.items()` gives the names in order; a small helper
# `draw(kind, low, high)` with one `if` per row of the table returns one value. Append
# `(params, float(objective(params)))` to a list, and return
# `sorted(trials, key=lambda trial: trial[1])`.
#
# </details>

# %% [markdown]
# ### Concept: scales for the number of units and of layers
#
# Not every hyperparameter needs a log scale. The number of hidden units and the number of
# layers are integers, and over a **narrow** range a uniform draw over the integers (kind
# `"int"`) is the right one. With units in $[50, 100]$ the largest value is only twice the
# smallest, so one more unit changes the layer by 1 to 2% wherever you are in the range; with
# layers in $\{2, 3, 4\}$ there are three values, each as worth trying as the others. A log scale
# is for ranges that span **orders of magnitude**, where the same step means much more at the low
# end than at the high end, as for $\alpha$ and $1-\beta$. Units anywhere from 8 to 1,024 are
# such a range: draw the exponent instead, an `"int"` $k \in [3, 10]$, and use $2^k$ units.
#
# Below, 3,000 trials of your `random_search` with a score that is always 0, so that only the
# draws matter.

# %% tags=["experiment"]
narrow = random_search(lambda params: 0.0, {"units": ("int", 50, 100), "layers": ("int", 2, 4)}, 3000,
                       np.random.default_rng(3))
units = np.array([params["units"] for params, _ in narrow])
layers = np.array([params["layers"] for params, _ in narrow])
wide = random_search(lambda params: 0.0, {"units": ("int", 8, 1024), "log2_units": ("int", 3, 10)}, 3000,
                     np.random.default_rng(4))
uniform_units = np.array([params["units"] for params, _ in wide])
power_units = 2 ** np.array([params["log2_units"] for params, _ in wide])

figure, axes = plt.subplots(1, 3, figsize=(12.5, 3.2))
axes[0].bar([2, 3, 4], [np.mean(layers == k) for k in (2, 3, 4)], color="C0")
axes[0].set_title('layers: ("int", 2, 4)')
axes[0].set_xticks([2, 3, 4])
unit_bins = [50, 60, 70, 80, 90, 101]
axes[1].bar(range(5), np.histogram(units, bins=unit_bins)[0] / units.size, color="C0")
axes[1].set_xticks(range(5), ["50-59", "60-69", "70-79", "80-89", "90-100"])
axes[1].set_title('units: ("int", 50, 100)')
doublings = 2 ** np.arange(3, 12)  # 8, 16, ..., 1024, and 2048 as the last edge
for offset, (name, values) in zip((-0.2, 0.2), [('("int", 8, 1024)', uniform_units),
                                                 ('2**k, k from ("int", 3, 10)', power_units)], strict=True):
    axes[2].bar(np.arange(8) + offset, np.histogram(values, bins=doublings)[0] / values.size, width=0.4, label=name)
axes[2].set_xticks(range(8), [str(edge) for edge in doublings[:-1]])
axes[2].set_xlabel("units, from this power of two to the next")
axes[2].set_title("units from 8 to 1,024")
axes[2].legend(fontsize=8)
for ax in axes:
    ax.set_ylabel("share of the trials")
figure.tight_layout()
plt.show()
print("layers 2, 3, 4:", ", ".join(f"{np.mean(layers == k):.0%}" for k in (2, 3, 4)),
      f"| units 50-74: {np.mean(units < 75):.0%}, 75-100: {np.mean(units >= 75):.0%}")
print(f"units below 64 when drawn from 8 to 1,024: uniform {np.mean(uniform_units < 64):.0%}, "
      f"powers of two {np.mean(power_units < 64):.0%}")

# %% [markdown]
# On the narrow ranges, every value and every stretch of the range gets its fair share: about a
# third of the trials for each number of layers, half of them on each half of $[50, 100]$. On the
# wide range, uniform integers try fewer than 64 units in only 6% of the trials, although 8, 16
# and 32 units are three of the eight sizes $2^k$ worth comparing; drawing the exponent gives each
# power of two its eighth of the trials, 37% below 64 units here.

# %% [markdown]
# ## 8. Concept: coarse to fine
#
# A first, **coarse** round spreads its trials over a wide space. The best trials usually
# cluster in one region; a second, **fine** round spends its budget there. `refine_space` builds
# that smaller space: for each hyperparameter, the new range runs from the smallest to the
# largest value it took among the `top_k` best trials, and the **kind is kept** (a learning rate
# is still drawn on a log scale, only over fewer decades).
#
# Two cautions. If the best trials sit on the edge of the space, the optimum may lie outside it:
# widen the space rather than refine. And a tiny `top_k` can zoom in on a lucky (noisy) score:
# keep a handful of trials, not one.
#
# ## 9. Implement `refine_space`
#
# `refine_space(trials, space, top_k=5)` takes `trials` as `random_search` returns them (best
# first) and returns a new space `{name: (kind, low, high)}` with the same names and kinds. If
# there are fewer than `top_k` trials, use them all.

# %% nbgrader={"grade_id": "refine_space"} checks={"visible": 1, "hidden": 2}
def refine_space(trials, space, top_k=5):
    """Coarse to fine (lesson 07): shrink each range to the top_k best trials.

    trials: [(params, score), ...] best first (as random_search returns them).
    Returns {name: (kind, min over the top_k, max over the top_k)}; kinds are kept.
    """
    ### BEGIN SOLUTION
    best = trials[:top_k]
    return {
        name: (kind, min(params[name] for params, _ in best), max(params[name] for params, _ in best))
        for name, (kind, _, _) in space.items()
    }
    ### END SOLUTION


# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# The trials come best first, so the `top_k` best are the first `top_k` of the list (a slice that
# runs past the end simply takes them all). For each name of `space`, look at the values it took
# in those trials: the smallest and the largest are the new range.
#
# </details>
# <details><summary>Hint 2 (close to code)</summary>
#
# `best = trials[:top_k]`; for each `name, (kind, _, _)` of `space.items()`, the new entry is
# `(kind, min(...), max(...))`, the min and max running over `params[name] for params, _ in best`.
# A dict comprehension over `space.items()` keeps the names in order.
#
# </details>


# %% [markdown]
# ### Experiment: two rounds on a cheap objective
#
# A made-up "validation cost" of a learning rate and a momentum $\beta$, with a curved valley
# (the best learning rate depends on $\beta$, as it does for momentum: lesson 03), drawn over
# $\log_{10}\alpha$ and $\log_{10}(1-\beta)$; its minimum is 0.05. A coarse round of 20 trials,
# `refine_space` on its 5 best, then a fine round of 20 trials; for comparison, 40 trials in the
# coarse space. The right panel shows how far the best trial so far is from the minimum.

# %% tags=["experiment"]
def cheap_cost(params):
    """A made-up validation cost: a curved valley around lr 3e-3, beta 0.98 (no training)."""
    x = np.log10(params["learning_rate"])
    y = np.log10(1 - params["beta"])
    return 0.05 + (x + 2.5 + 0.6 * (y + 1.7)) ** 2 + 0.3 * (y + 1.7) ** 2  # minimum 0.05


coarse_space = {"learning_rate": ("log", 1e-5, 1.0), "beta": ("beta", 0.8, 0.9999)}
coarse = random_search(cheap_cost, coarse_space, 20, np.random.default_rng(9))
fine_space = refine_space(coarse, coarse_space, top_k=5)
fine = random_search(cheap_cost, fine_space, 20, np.random.default_rng(109))
only_coarse = random_search(cheap_cost, coarse_space, 40, np.random.default_rng(9))
print("fine space:", {name: (kind, f"{low:.3g}", f"{high:.3g}") for name, (kind, low, high) in fine_space.items()})


def to_axes(trials):
    return (np.log10([p["learning_rate"] for p, _ in trials]), np.log10([1 - p["beta"] for p, _ in trials]))


figure, axes = plt.subplots(1, 2, figsize=(11.5, 4.3))
x_grid, y_grid = np.meshgrid(np.linspace(-5, 0, 200), np.linspace(-4, np.log10(0.2), 200))
surface = cheap_cost({"learning_rate": 10**x_grid, "beta": 1 - 10**y_grid})
contours = axes[0].contourf(x_grid, y_grid, np.log10(surface), levels=20, cmap="viridis")
figure.colorbar(contours, ax=axes[0], label="log10 cost")
axes[0].plot(*to_axes(coarse), "o", color="w", mec="k", ms=6, label="coarse round (20)")
axes[0].plot(*to_axes(fine), "o", color="C3", mec="k", ms=5, label="fine round (20)")
(_, lr_low, lr_high), (_, beta_low, beta_high) = fine_space["learning_rate"], fine_space["beta"]
box_x = np.log10([lr_low, lr_high, lr_high, lr_low, lr_low])
box_y = np.log10(1 - np.array([beta_low, beta_low, beta_high, beta_high, beta_low]))
axes[0].plot(box_x, box_y, "--", color="C3", lw=1.5, label="refine_space(top_k=5)")
axes[0].set_xlabel(r"$\log_{10}\alpha$")
axes[0].set_ylabel(r"$\log_{10}(1-\beta)$")
axes[0].set_title("coarse to fine")
axes[0].legend(fontsize=8, loc="lower left")


def gap_so_far(trials_in_run_order):
    """Best cost so far minus the minimum 0.05, trial after trial."""
    return np.minimum.accumulate([cheap_cost(p) for p in trials_in_run_order]) - 0.05


def run_order(space, n_trials, seed):
    """The params in the order they were drawn (random_search returns them sorted)."""
    calls = []
    random_search(lambda p: calls.append(p) or 0.0, space, n_trials, np.random.default_rng(seed))
    return calls


two_rounds = run_order(coarse_space, 20, 9) + run_order(fine_space, 20, 109)
axes[1].plot(np.arange(1, 41), gap_so_far(two_rounds), "C3-", label="coarse (20) then fine (20)")
axes[1].plot(np.arange(1, 41), gap_so_far(run_order(coarse_space, 40, 9)), "k--", label="40 coarse trials")
axes[1].axvline(20.5, color="gray", lw=0.8, ls=":")
axes[1].set_yscale("log")
axes[1].set_xlabel("trial")
axes[1].set_ylabel("best cost so far - minimum (log axis)")
axes[1].set_title("the fine round finds better points")
axes[1].legend(fontsize=8)
figure.tight_layout()
plt.show()
print(f"best cost: coarse {coarse[0][1]:.4f}, after the fine round {fine[0][1]:.4f}, "
      f"40 coarse trials {only_coarse[0][1]:.4f} (minimum 0.05)")

# %% [markdown]
# ## 10. A real search: the learning rate of the moons network
#
# Now the score comes from training. Each trial trains the small moons network of lesson 05
# ([2, 16, 16, 1], a sigmoid output) with Adam for 30 epochs on 225 points and returns the
# **validation cost** on 75 held-out points. To compare hyperparameters and nothing else, every
# trial starts from the same weights and sees the same mini-batches. We search the learning rate
# on $[10^{-4}, 10]$ (kind `"log"`: five decades, about three trials each) and Adam's $\beta_1$
# on $[0.8, 0.99]$ (kind `"beta"`).
#
# The cell below loads functions you wrote earlier (lessons 01 and 05) from your notebooks of
# those lessons, saved beside this one.

# %%
# Your functions of lessons 01 and 05, from your notebooks of those lessons.
random_mini_batches = load("01_mini_batch_gradient_descent", "random_mini_batches")
init_adam, adam_update = load("05_adam", "init_adam", "adam_update")


# %% tags=["experiment"]
rng = np.random.default_rng(0)
X, Y = data.make_moons(300, rng)
X_train, Y_train, X_val, Y_val = data.train_test_split(X, Y, rng, test_fraction=0.25)
head = network.SIGMOID_HEAD
start = network.init_parameters([2, 16, 16, 1], np.random.default_rng(1))
curves = []  # the epoch costs of every trial, in the order they ran (used in section 11)


def validation_cost(params, epochs=30):
    """Train from `start` with these hyperparameters; the score is the held-out cost."""
    adam = optimizers.adam(init_adam, adam_update, beta1=params["beta1"])
    parameters, _, history = training.train(
        start, X_train, Y_train, head=head, optimizer=adam, learning_rate=params["learning_rate"],
        epochs=epochs, batch_size=32, make_batches=random_mini_batches, rng=np.random.default_rng(2),
        progress=False,
    )
    curves.append((params, history["epoch_cost"]))
    return network.cost(X_val, Y_val, parameters, head)


search_space = {"learning_rate": ("log", 1e-4, 10.0), "beta1": ("beta", 0.8, 0.99)}
trials = random_search(validation_cost, search_space, 16, np.random.default_rng(5))
best_params, best_score = trials[0]

rates = np.array([p["learning_rate"] for p, _ in trials])
scores = np.array([score for _, score in trials])
windows = np.array([1 / (1 - p["beta1"]) for p, _ in trials])
figure, ax = plt.subplots(figsize=(7, 4))
points = ax.scatter(rates, scores, c=np.log10(windows), cmap="plasma", s=45, edgecolors="k", linewidths=0.5)
figure.colorbar(points, ax=ax, label=r"$\log_{10}$ of Adam's window $1/(1-\beta_1)$")
ax.plot(best_params["learning_rate"], best_score, "*", color="gold", mec="k", ms=18, label="best trial")
ax.set_xscale("log")
ax.set_xlabel(r"learning rate $\alpha$ (log axis)")
ax.set_ylabel("validation cost after 30 epochs")
ax.set_title("random search: 16 trainings of the moons network")
ax.legend()
figure.tight_layout()
plt.show()
print(f"best: learning_rate={best_params['learning_rate']:.3g}, beta1={best_params['beta1']:.3f}, "
      f"validation cost {best_score:.3f}")

# %% [markdown]
# Read the picture from left to right: with $\alpha \approx 10^{-4}$ the network has barely moved
# after 30 epochs; the cost falls as $\alpha$ grows, until the steps become too large and the cost
# rises again. The good region is about one decade wide. On a linear axis, everything left of
# $1$ would be squeezed into one corner. A second, finer round would now search around the best
# trials.
#
# Two honest caveats. The score is noisy (75 validation points, one seed per trial), so the
# ranking of close trials can change from run to run. And 30 epochs favour large learning rates:
# a search with short trainings answers "what trains fastest", which is close to, but not the
# same as, "what ends best".
#
# ## 11. Pandas and caviar
#
# How you run a search depends on how much compute you have.
#
# - **Panda** (one baby at a time, with a lot of care): you can afford to train **one** model.
#   You watch its learning curve day after day and adjust by hand: the cost falls steadily, so
#   you raise the learning rate; it starts to bounce, so you lower it. Large models on scarce
#   hardware are trained this way.
# - **Caviar** (many eggs, no care for any single one): you train **many** models in parallel,
#   each with its own hyperparameters, and keep the best. This is what `random_search` does when
#   its trials run on many machines at once.
#
# Left, a panda run on the moons network: one model whose learning rate was changed by hand
# every 8 epochs after looking at its curve (written down afterwards as a piecewise-constant
# `schedule` for `training.train`). Right, the caviar: the curves of the 16 trials above, run
# side by side.

# %% tags=["experiment"]
phases = [(1e-3, "slow:\nraise α"), (1e-2, "faster:\ntry more"), (1e-1, "bounces:\nlower α"),
          (3e-3, "settles")]


def by_hand(learning_rate, epoch, t):
    """The rate the panda chose for this epoch (8 epochs per phase)."""
    return phases[min(epoch // 8, len(phases) - 1)][0]


_, _, panda = training.train(
    start, X_train, Y_train, head=head, optimizer=optimizers.adam(init_adam, adam_update), learning_rate=None,
    epochs=8 * len(phases), batch_size=32, make_batches=random_mini_batches, rng=np.random.default_rng(4),
    schedule=by_hand, progress=False,
)
panda_costs = panda["epoch_cost"]

figure, axes = plt.subplots(1, 2, figsize=(11.5, 3.8))
axes[0].plot(np.arange(1, len(panda_costs) + 1), panda_costs, "k-")
for phase, (learning_rate, note) in enumerate(phases):
    axes[0].axvline(8 * phase + 0.5, color="gray", lw=0.6, ls=":")
    axes[0].text(8 * phase + 1, 0.97, f"α={learning_rate:g}\n{note}", fontsize=8, va="top",
                 transform=axes[0].get_xaxis_transform())
axes[0].set_ylim(0.15, 1.5)
axes[0].set_title("panda: one model, adjusted by hand")
axes[0].set_xlabel("epoch")
axes[0].set_ylabel("training cost (log axis)")
for params, costs in curves:
    is_best = params["learning_rate"] == best_params["learning_rate"]
    axes[1].plot(np.arange(1, len(costs) + 1), costs, color="C3" if is_best else "gray",
                 lw=2 if is_best else 0.8, alpha=1 if is_best else 0.6, zorder=3 if is_best else 1)
axes[1].plot([], [], "C3-", lw=2, label=f"best trial (α={best_params['learning_rate']:.2g})")
axes[1].plot([], [], "-", color="gray", lw=0.8, label="other trials")
axes[1].set_title("caviar: 16 models in parallel, keep the best")
axes[1].set_xlabel("epoch")
axes[1].set_ylim(0.03, 3)  # the diverging trials leave the plot
axes[1].legend(fontsize=8)
for ax in axes:
    ax.set_yscale("log")
figure.tight_layout()
plt.show()

# %% [markdown]
# ## 12. Re-test as the data and the code drift
#
# The winner of a search is the best choice for the data, the code and the hardware of the day it
# ran. All three drift. New data arrive: more of them, noisier, from another source, measured in
# other units. The code changes: a new preprocessing step, a larger mini-batch on new hardware, a
# wider network. Each change can move the good region of a hyperparameter, and nothing warns you:
# the old settings still train, only worse. So **re-test**: every few months, and whenever the
# data or the code change notably, run at least a small search around the old winner on the new
# data and code. It costs a few trainings; a model that quietly trains worse costs more.
#
# Below, the learning rate of section 10 again, on a grid of 7 rates from $10^{-3}$ to $1$ (Adam,
# 30 epochs, validation cost averaged over 3 seeds of the weights and mini-batches), in three
# situations: the data and code of section 10; a **data drift**, where the features arrive in other
# units, 10 times larger (a new source reports millimetres where the old one reported
# centimetres); and a **code drift**, where the mini-batches grow from 32 to 128 examples.

# %% tags=["experiment"]
def retest_cost(learning_rate, seed, scale=1.0, batch_size=32):
    """Validation cost after 30 epochs from seeded weights; `scale` multiplies the features."""
    initial = network.init_parameters([2, 16, 16, 1], np.random.default_rng(10 + seed))
    parameters, _, _ = training.train(
        initial, scale * X_train, Y_train, head=head, optimizer=optimizers.adam(init_adam, adam_update),
        learning_rate=learning_rate, epochs=30, batch_size=batch_size, make_batches=random_mini_batches,
        rng=np.random.default_rng(20 + seed), progress=False,
    )
    return network.cost(scale * X_val, Y_val, parameters, head)


grid = np.logspace(-3, 0, 7)
situations = {"as in section 10": {}, "data drift: features 10 times larger": {"scale": 10.0},
              "code drift: mini-batches of 128": {"batch_size": 128}}
mean_costs = {name: np.mean([[retest_cost(rate, seed, **options) for rate in grid] for seed in range(3)], axis=0)
              for name, options in situations.items()}
old_winner = int(np.argmin(mean_costs["as in section 10"]))

figure, ax = plt.subplots(figsize=(7.5, 4))
for (name, costs), style in zip(mean_costs.items(), ["ko-", "C0s-", "C3^-"], strict=True):
    ax.plot(grid, costs, style, label=name, ms=5)
    ax.plot(grid[old_winner], costs[old_winner], "o", ms=14, mfc="none", mec="gold", mew=2.5)
ax.plot([], [], "o", ms=10, mfc="none", mec="gold", mew=2.5, label=f"the old winner, α={grid[old_winner]:.2g}")
ax.set_xscale("log")
ax.set_xlabel(r"learning rate $\alpha$ (log axis)")
ax.set_ylabel("validation cost after 30 epochs\n(mean of 3 seeds)")
ax.set_title("the same grid, re-tested after the data and the code changed")
ax.legend(fontsize=8)
figure.tight_layout()
plt.show()
for name, costs in mean_costs.items():
    print(f"{name:37s} old winner α={grid[old_winner]:.2g}: {costs[old_winner]:.3f}   "
          f"best α={grid[np.argmin(costs)]:.2g}: {costs.min():.3f}")

# %% [markdown]
# On the data of section 10 the grid's winner is $\alpha = 0.01$, but it is one of several
# equally good rates: everything from 0.01 to 0.316 ends within 0.02 of it. After either change
# the picture moves. With features 10 times larger, $\alpha = 0.01$ ends at a cost of 0.19, more
# than twice the 0.08 of the new best, $\alpha = 0.1$, and 0.316 has become a bad choice. With
# mini-batches of 128 there are 4 times fewer steps in 30 epochs, small rates no longer get far
# enough, and the old winner ends at 0.21 against 0.07 for $\alpha = 0.1$. A re-test of a few rates
# around the old winner finds this in 21 trainings; keeping the old value would not.

# %% [markdown]
# ## Summary
#
# - Tune the learning rate first; then momentum, mini-batch size and hidden units; Adam's
#   $\beta_1, \beta_2, \varepsilon$ rarely.
# - Random points, not a grid: with the same budget they try many more values of the
#   hyperparameters that matter.
# - Choose the **scale**: the learning rate log-uniformly ($\alpha = 10^r$), an averaging $\beta$
#   through $1-\beta = 10^r$, because the window $1/(1-\beta)$ is what the network feels; the
#   number of units or layers uniformly over the integers when its range is narrow (its exponent
#   when the range spans orders of magnitude).
# - Search coarse to fine: shrink the space to the region of the best trials and search again.
# - Panda or caviar: babysit one model when compute is scarce, run many in parallel when it is not.
# - Re-test: the winner of a search is the winner for the data and the code of its day; when they
#   drift, a small search around it on the new data shows whether it still is.
#
# ## On your own
#
# 1. In the grid experiment, make **both** hyperparameters matter (for instance
#    $f = (a - 0.62)^2 + (b - 0.3)^2$). Does random search still win as often?
# 2. Run the coarse-to-fine experiment with `top_k=1` and `top_k=10`, and with other seeds. When
#    does refining too aggressively miss the minimum?
# 3. Add the mini-batch size to the real search as `("int", 16, 128)`. Why is a log scale (powers
#    of two: `("int", 4, 7)` and `2**k`) a good idea for it too?
# 4. Run a fine round of the real search around the best learning rates, and train the winner for
#    100 epochs. Does the ranking of the trials hold for longer trainings?
