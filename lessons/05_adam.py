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
# # Lesson 05 — Adam
#
# **What you'll do.** Implement Adam, the optimizer that combines momentum (lesson 03) and
# RMSprop (lesson 04) with a bias correction (lesson 02), then race it against the others:
# on a 2-D loss surface, on a small neural network, and out of a saddle point and a plateau.
#
# **What you'll learn.**
# - why Adam keeps two moving averages, and what each one does;
# - why the bias correction matters for the first steps;
# - why Adam's step length is set by the learning rate, whatever the size of the gradient;
# - how saddle points and plateaus slow plain gradient descent, and why adaptive methods escape them.
#
# **What you need.** Lessons 02–04 (exponentially weighted averages, momentum, RMSprop); numpy.

# %%
import matplotlib.pyplot as plt
import numpy as np

from coursekit import data, network, optimizers, plots, surfaces, training
from coursekit.checking import check
from coursekit.earlier import load

# %% [markdown]
# ## 1. Concept: Adam = momentum + RMSprop + bias correction
#
# Momentum smooths the **direction** of the steps; RMSprop adapts their **size**, parameter by
# parameter. Adam ("adaptive moment estimation", Kingma & Ba, 2015) does both, with one
# moving average of each kind. For every parameter array $W$ (and every $b$) with gradient
# $dW$ at update $t = 1, 2, \dots$:
#
# | | part | formula | comes from | what it does |
# |---|---|---|---|---|
# | (1) | first moment | $v_{dW} = \beta_1 v_{dW} + (1-\beta_1)\, dW$ | momentum, lesson 03 | averages the recent gradients: zig-zags cancel, a steady direction builds up |
# | (2) | second moment | $s_{dW} = \beta_2 s_{dW} + (1-\beta_2)\, dW^2$ | RMSprop, lesson 04 | running mean of the squared gradient: the typical size of $dW$, entry by entry |
# | (3) | bias correction | $\hat v_{dW} = \dfrac{v_{dW}}{1-\beta_1^t}, \quad \hat s_{dW} = \dfrac{s_{dW}}{1-\beta_2^t}$ | lesson 02 | undoes the pull towards 0 of averages that start at 0 |
# | (4) | step | $W = W - \alpha \dfrac{\hat v_{dW}}{\sqrt{\hat s_{dW}} + \varepsilon}$ | | a momentum step divided by RMSprop's scale |
#
# The symbols:
# - $\alpha$: the learning rate (it needs tuning; $10^{-3}$ is a common first try);
# - $\beta_1$ (default 0.9): how long the first moment remembers, about $1/(1-\beta_1) = 10$ updates;
# - $\beta_2$ (default 0.999): the same for the second moment, about 1000 updates;
# - $\varepsilon$ (default $10^{-8}$): keeps the division safe when $\hat s$ is 0; it sits
#   **outside** the square root;
# - $t$: the number of the update being made, counted **from 1**; $v$ and $s$ start at 0;
# - squares, square roots and divisions act entry by entry: every single weight gets its own step.
#
# **Why the bias correction?** $v$ and $s$ start at 0, so at first they are much too small:
# after one update $v = (1-\beta_1)\,dW$ and $s = (1-\beta_2)\,dW^2$. Both underestimate, but not by
# the same factor, and the step divides one by the root of the other: what that does to the first
# step is the question of section 2. The weights of an average that started at 0 add up to
# $1-\beta^t$ (lesson 02), so dividing by $1-\beta^t$ turns $v$, $s$ into proper averages of the
# gradients seen so far. After a few thousand updates $\beta^t \approx 0$ and the correction fades away.
#
# **How long is a step?** If the gradient is scaled by a constant $c$, then $\hat v$ and
# $\sqrt{\hat s}$ are both scaled by $c$ and the step does not change. The ratio
# $\hat v / \sqrt{\hat s}$ is a signal-to-noise ratio of the gradient: close to $\pm 1$ when
# $dW$ keeps the same value, smaller when $dW$ is noisy. So $\alpha$ sets the typical distance each
# weight moves per update — in gradient descent the distance is $\alpha\,|dW|$ and depends on how
# steep the loss is. It is not a strict upper bound: after a long run of tiny gradients, a sudden
# large one raises $\hat v$ faster than $\sqrt{\hat s}$, and the step is longer than $\alpha$ — by a few
# $\alpha$ at most, as Kingma & Ba (2015, §2.1) show. Section 3 measures such a step and gives their bound.
#
# PyTorch's `torch.optim.Adam` uses exactly these formulas and defaults ($\alpha=10^{-3}$,
# $\beta_1 = 0.9$, $\beta_2 = 0.999$, $\varepsilon = 10^{-8}$ outside the root), so hyperparameters
# carry over unchanged.

# %% [markdown]
# ## 2. Implement
#
# `init_adam(parameters)` returns two **independent** dicts of zeros with keys `dW1, db1, ...`
# (the gradient keys: `"d" + key` for every key of `parameters`). Independent means two
# different dicts holding different arrays: if `v` and `s` shared anything, an update written
# in place (as fast implementations do) would change both at once.

# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# This is `init_rmsprop` of lesson 04, twice: one zero array per parameter, under its gradient's
# name, shaped like the parameter. "Twice" means two dicts built separately, each with its own
# arrays: `v = s = ...` would be one dict under two names.
#
# </details>
# <details><summary>Hint 2 (close to code)</summary>
#
# Two dict comprehensions over `parameters.items()`, each with `"d" + key` and
# `np.zeros_like(value)`; return them as a pair.
#
# </details>

# %% nbgrader={"grade_id": "init_adam"} checks={"visible": 1, "hidden": 2}
def init_adam(parameters):
    """Zero first and second moments for every parameter (lesson 05).

    parameters: dict "W1" (n1, n0), "b1" (n1, 1), ... for any number of layers.
    Returns (v, s): two independent new dicts "dW1", "db1", ... of zeros, each entry shaped like the
    matching parameter; v and s share no array.
    """
    ### BEGIN SOLUTION
    v = {"d" + key: np.zeros_like(value) for key, value in parameters.items()}
    s = {"d" + key: np.zeros_like(value) for key, value in parameters.items()}
    return v, s
    ### END SOLUTION


# %% [markdown]
# `adam_update(parameters, grads, v, s, t, *, learning_rate, beta1, beta2, epsilon)` makes one
# update, equations (1)–(4) of section 1 for every parameter, and returns `(parameters, v, s)` as
# new dicts, with the **uncorrected** `v` and `s`: they are the state the next update starts from;
# $\hat v$ and $\hat s$ are only used for the step. `t` is the number of this update, already counted
# from 1. Do not modify the dicts you receive.

# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# Three stages, in this order. The two moving averages, (1) and (2), for every gradient key: these
# are what you return. Then, for every parameter, the corrected copies (3) of its two moments, and
# the step (4) with them; the corrected copies are thrown away afterwards. Use `t` exactly as you
# receive it: at the first update ($t = 1$) the corrections divide by $1-\beta_1$ and $1-\beta_2$.
# Each $\beta$ belongs to its own moment.
#
# </details>
# <details><summary>Hint 2 (close to code)</summary>
#
# Two dict comprehensions give the new `v` (over the keys of `v`) and the new `s` (over the keys of
# `s`, with `grads[key] ** 2`). Then loop `for key, value in parameters.items():` — the moments of
# `parameters[key]` are `new_v["d" + key]` and `new_s["d" + key]`; divide them by `1 - beta1**t` and
# `1 - beta2**t`, and store `value` minus `learning_rate` times the corrected first moment over
# (`np.sqrt` of the corrected second moment `+ epsilon`) in a new dict.
#
# </details>

# %% nbgrader={"grade_id": "adam_update"} checks={"visible": 1, "hidden": 3}
def adam_update(parameters, grads, v, s, t, *, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """One step of Adam (lesson 05): equations (1)-(4) of section 1, for every parameter.

    parameters: dict "W1" (n1, n0), "b1" (n1, 1), ...; grads, v, s: dicts "dW1", "db1", ..., each entry
    shaped like the matching parameter. t: the 1-based number of this update (the first call gets t=1).
    learning_rate, beta1, beta2, epsilon: floats (epsilon outside the square root).
    Returns (parameters, v, s): new dicts, the parameters after the step and the uncorrected moments
    (the state the next update starts from); the arguments are not modified.
    """
    ### BEGIN SOLUTION
    new_v = {key: beta1 * v[key] + (1 - beta1) * grads[key] for key in v}
    new_s = {key: beta2 * s[key] + (1 - beta2) * grads[key] ** 2 for key in s}
    new_parameters = {}
    for key, value in parameters.items():
        v_hat = new_v["d" + key] / (1 - beta1**t)
        s_hat = new_s["d" + key] / (1 - beta2**t)
        new_parameters[key] = value - learning_rate * v_hat / (np.sqrt(s_hat) + epsilon)
    return new_parameters, new_v, new_s
    ### END SOLUTION


# %% [markdown]
# ### Predict, then check
#
# A weight starts Adam with $v = s = 0$, and its first gradient is $dW = 2$ (update $t = 1$, the
# defaults $\beta_1 = 0.9$, $\beta_2 = 0.999$, $\varepsilon = 10^{-8}$, learning rate $\alpha$). How far does
# the weight move on this first update, **in units of $\alpha$** (the distance divided by $\alpha$):
#
# - `first_step_uncorrected_in_alphas`: if Adam skipped the bias correction (3) and stepped with the
#   raw $v$ and $s$;
# - `first_step_in_alphas`: with the bias correction, as your `adam_update` does it?
#
# Work both out by hand from the table of section 1, before running anything (two or three
# significant figures are enough).

# %% nbgrader={"grade_id": "predict_adam_first_step"} answer={"points": 1, "tolerance": 0.02}
### BEGIN SOLUTION
first_step_uncorrected_in_alphas = 3.162
first_step_in_alphas = 1.0
### END SOLUTION

# %% [markdown]
# Check with your `adam_update`: one weight, the gradient 2 at $t = 1$, learning rate $0.01$. Your function
# returns the raw moments, so the uncorrected step can be computed from them.

# %% tags=["experiment"]
one_weight = {"W1": np.zeros((1, 1)), "b1": np.zeros((1, 1))}  # the bias gets a zero gradient
first_grads = {"dW1": np.full((1, 1), 2.0), "db1": np.zeros((1, 1))}
moved, raw_v, raw_s = adam_update(one_weight, first_grads, *init_adam(one_weight), 1, learning_rate=0.01)
uncorrected = raw_v["dW1"][0, 0] / (np.sqrt(raw_s["dW1"][0, 0]) + 1e-8)
print(f"first step without the bias correction: {uncorrected:.3f} alpha")
print(f"first step of your adam_update:         {abs(moved['W1'][0, 0]) / 0.01:.3f} alpha")

# %% [markdown]
# After one update $v = (1-\beta_1)\,dW$ is too small by the factor $1-\beta_1 = 0.1$, and $\sqrt{s}$ is too
# small by $\sqrt{1-\beta_2} \approx 0.032$. The second shortfall is the larger, so the uncorrected step
# is too **long**: $(1-\beta_1)/\sqrt{1-\beta_2} \approx 3.16\,\alpha$. The correction turns $v$ into $dW$ and $s$
# into $dW^2$, and the first step is exactly $\alpha$ (up to $\varepsilon$), whatever the size of $dW$.

# %% [markdown]
# ## 3. Experiment: how long are Adam's steps?
#
# Feed your `adam_update` a made-up gradient for one weight $w$, 2000 times, and measure the
# step $|\Delta w|$ in units of $\alpha$. Because your function returns the *uncorrected* $v$ and $s$,
# we can also compute the step that Adam **without** bias correction, $\alpha\, v/(\sqrt{s}+\varepsilon)$,
# and RMSprop (lesson 04, no correction either), $\alpha\, dW/(\sqrt{s}+\varepsilon)$, would have made from
# the same state.
#
# - Left: a constant gradient $dW = 0.5$. Adam's step is exactly $\alpha$ from the very first update.
#   Without the correction the steps are up to 6.6 times too long during the first hundred
#   updates, and RMSprop's first step is $1/\sqrt{1-\beta_2} \approx 32$ times too long.
# - Right: a noisy gradient $dW = \mu + \sigma\,\xi$ ($\xi$ standard normal, $\mu = 0.5$). Single
#   steps now go back and forth (faint), but on average (bold: mean over 100 updates) Adam moves
#   downhill by about $\alpha\,\mu/\sqrt{\mu^2 + \sigma^2}$ per update (dashed), because $\hat v$ averages to
#   $\mu$ and $\hat s$ to $\mu^2 + \sigma^2$. The noisier the gradient, the more carefully Adam moves.
#
# Multiplying the gradient by 1000 would change neither figure: try it.

# %% tags=["experiment"]
def adam_steps(gradients, learning_rate=0.01):
    """Feed a sequence of scalar gradients to adam_update. Returns the downhill steps -dw / learning_rate
    of Adam, of Adam without bias correction and of RMSprop (computed from the same uncorrected v, s)."""
    parameters = {"W1": np.zeros((1, 1)), "b1": np.zeros((1, 1))}  # one weight; the bias gets no gradient
    v, s = init_adam(parameters)
    steps = {"Adam (your adam_update)": [], "Adam without bias correction": [], "RMSprop (lesson 04)": []}
    for t, g in enumerate(gradients, start=1):
        grads = {"dW1": np.full((1, 1), g), "db1": np.zeros((1, 1))}
        new_parameters, v, s = adam_update(parameters, grads, v, s, t, learning_rate=learning_rate)
        root = np.sqrt(s["dW1"][0, 0]) + 1e-8
        steps["Adam (your adam_update)"].append(parameters["W1"][0, 0] - new_parameters["W1"][0, 0])
        steps["Adam without bias correction"].append(learning_rate * v["dW1"][0, 0] / root)
        steps["RMSprop (lesson 04)"].append(learning_rate * g / root)
        parameters = new_parameters
    return {name: np.array(values) / learning_rate for name, values in steps.items()}


T = 2000
figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
for name, ratio in adam_steps(np.full(T, 0.5)).items():
    left.plot(np.arange(1, T + 1), ratio, label=name)
left.set_xscale("log")
left.set_yscale("log")
left.set_title("constant gradient $dW = 0.5$")
left.set_xlabel("update $t$")
left.set_ylabel(r"step length $|\Delta w| \,/\, \alpha$ (log scale)")
left.legend()

noise_rng = np.random.default_rng(5)
mu = 0.5
window = 100
for sigma, color in [(0.0, "C0"), (0.5, "C1"), (2.0, "C2")]:
    gradients = mu + sigma * noise_rng.standard_normal(T)
    ratio = adam_steps(gradients)["Adam (your adam_update)"]
    right.plot(np.arange(1, T + 1), ratio, color=color, lw=0.5, alpha=0.25)
    mean = np.convolve(ratio, np.ones(window) / window, mode="valid")
    right.plot(np.arange(window, T + 1), mean, color=color, lw=2, label=rf"$\sigma = {sigma}$")
    right.axhline(mu / np.hypot(mu, sigma), color=color, ls="--", lw=1)
right.set_ylim(-1.5, 1.5)
right.set_title(r"noisy gradient $dW = 0.5 + \sigma\,\xi$: Adam's progress")
right.set_xlabel("update $t$")
right.set_ylabel(r"downhill step $-\Delta w \,/\, \alpha$")
right.legend()
figure.tight_layout()
plt.show()

# %% [markdown]
# Is $\alpha$ then an upper bound on the step? Not quite. Below, one weight gets a tiny gradient
# $dW = 10^{-3}$ for 1000 updates, then a single spike $dW = 1$. The spike enters $\hat v$ with weight
# $1-\beta_1 = 0.1$ but $\hat s$ only with weight $1-\beta_2 = 0.001$, so $\sqrt{\hat s}$ grows by about
# $\sqrt{0.001} \approx 0.03$ while $\hat v$ grows by 0.1: the step jumps to about $2.5\,\alpha$. Kingma & Ba
# (2015, §2.1) bound such a step by about $\alpha\,(1-\beta_1)/\sqrt{1-\beta_2} \approx 3.16\,\alpha$ (dashed) when
# $1-\beta_1 > \sqrt{1-\beta_2}$, as with the defaults, and by about $\alpha$ otherwise. The
# bound is reached after many more quiet updates, once $\beta_2^t \approx 0$ (3.16 after 10 000 zero
# gradients), and it is approximate: earlier gradients that are not quite zero push the step a
# little past it (3.29 after 10 000 gradients of $10^{-2}$). So the step stays a few $\alpha$ long
# at most, while the step of gradient descent would grow 1000-fold at the spike.

# %% tags=["experiment"]
quiet, spike = 1000, 1.0
spike_gradients = np.append(np.full(quiet, 1e-3), spike)
spike_ratio = adam_steps(spike_gradients)["Adam (your adam_update)"]
bound = (1 - 0.9) / np.sqrt(1 - 0.999)
print(f"step at the spike: {spike_ratio[-1]:.2f} alpha (bound {bound:.2f} alpha)")

figure, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(np.arange(1, quiet + 2), spike_ratio, "o-", ms=2, label="Adam (your adam_update)")
ax.axhline(1, color="gray", ls=":", lw=1, label=r"$\alpha$")
ax.axhline(bound, color="C3", ls="--", lw=1, label=r"bound $\alpha(1-\beta_1)/\sqrt{1-\beta_2}$")
ax.set_xlim(quiet - 20, quiet + 2)
ax.set_ylim(0, 3.5)
ax.set_xlabel("update $t$")
ax.set_ylabel(r"step length $|\Delta w| \,/\, \alpha$")
ax.set_title(rf"{quiet} gradients $10^{{-3}}$, then one gradient {spike:g}")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# ## 4. Experiment: four optimizers on one loss surface
#
# Time to race. The next cell loads your functions of lessons 01, 03 and 04 (gradient descent,
# momentum in the exponentially-weighted-average form, RMSprop, and the shuffle-and-cut of
# mini-batches) from your notebooks of those lessons, saved beside this one.
# `coursekit.optimizers` wraps each update rule into one interface, so the same loop can run
# any of them.

# %%
# Your functions of lessons 01, 03 and 04, from your notebooks of those lessons.
gd_update, random_mini_batches = load("01_mini_batch_gradient_descent", "gd_update", "random_mini_batches")
init_momentum, momentum_update = load("03_momentum", "init_momentum", "momentum_update")
init_rmsprop, rmsprop_update = load("04_rmsprop", "init_rmsprop", "rmsprop_update")

OPTIMIZERS = {
    "gradient descent": optimizers.gradient_descent(gd_update),
    "momentum": optimizers.momentum(init_momentum, momentum_update),
    "RMSprop": optimizers.rmsprop(init_rmsprop, rmsprop_update),
    "Adam": optimizers.adam(init_adam, adam_update),
}

# %% [markdown]
# The surface is the elongated bowl of lessons 03 and 04, $\frac12 (0.2\, w_1^2 + 20\, w_2^2)$
# (condition number 100): steep across ($w_2$), shallow along ($w_1$). Same start, same 80 updates,
# and the learning rates of those lessons: gradient descent just under its limit $2/20 = 0.1$;
# momentum three times higher, which it tolerates; RMSprop and Adam a rate that is a step
# length (section 3).
#
# What to look for: gradient descent zig-zags across the valley and crawls along it; momentum
# still swings across, but its larger rate carries it much faster along the valley; RMSprop and
# Adam rescale the two directions so that both shrink at the same pace and head almost straight
# for the minimum. RMSprop's first steps are too long (section 3); Adam's first step is exactly
# $\alpha$ in each coordinate — a 45° diagonal. Adam then overshoots a little and circles in: like
# momentum, it needs time to turn around. RMSprop wins this race because the valley is aligned
# with the axes, the best case for a method that rescales each coordinate on its own (rotate the
# bowl, as in lesson 04, and its advantage shrinks).

# %% tags=["experiment"]
bowl = surfaces.elongated_quadratic(a=0.2, b=20.0)  # condition number 100
bowl_rates = {"gradient descent": 0.09, "momentum": 0.3, "RMSprop": 0.01, "Adam": 0.1}
bowl_paths = {
    name: surfaces.run_on_surface(OPTIMIZERS[name], bowl, (-1.8, 0.6), learning_rate=rate, steps=80)
    for name, rate in bowl_rates.items()
}

figure, (left, right) = plt.subplots(1, 2, figsize=(13, 4.5))
plots.plot_trajectories(bowl, {f"{name} (lr={bowl_rates[name]})": path for name, path in bowl_paths.items()},
                        ax=left, xlim=(-2, 1), ylim=(-1, 1), levels=np.geomspace(1e-3, 40, 20))
left.set_title("elongated bowl (condition number 100): 80 steps from (-1.8, 0.6)")
for name, path in bowl_paths.items():
    right.plot(bowl.loss(path[:, 0], path[:, 1]), label=name)
right.set_yscale("log")
right.set_xlabel("step")
right.set_ylabel("loss")
right.set_title("loss along each path")
right.legend()
figure.tight_layout()
plt.show()

# %% [markdown]
# ## 5. Experiment: training a network on the moons
#
# Now the real thing: a network with two hidden layers of 20 ReLU units classifies the two
# interleaving "moons", trained on mini-batches of 32 examples for 30 epochs. Every optimizer
# starts from the **same** initial weights and sees the **same** mini-batches.
#
# Which learning rate? Comparing optimizers at one shared rate would be unfair: their rates do
# not mean the same thing. So we try each of them on the same grid of rates,
# $10^{-3}, 10^{-2.5}, \dots, 10^{0.5}$, and compare (left) the final cost against the rate, then
# (middle) the cost curves of each optimizer at its best rate of the grid. Below, the decision
# boundaries at those best rates, with held-out points that were not used for training.
#
# What to look for:
#
# - **Left.** Each optimizer has its own range of good rates: around 0.3–1 for gradient descent,
#   0.3–3 for momentum, around 0.003–0.1 for RMSprop and Adam. A learning rate means something different
#   for each of them (a multiple of the gradient, or a step length), so never compare optimizers
#   at one shared rate. Below their best rates, gradient descent and momentum slow down in
#   proportion to the rate, while the adaptive methods degrade more gently: their steps are still
#   about $\alpha$. Momentum, in our averaged form, follows gradient descent at small rates and
#   pays off at large ones, where gradient descent becomes unstable.
# - **Middle.** At their best rates, the adaptive methods make most of their progress in the
#   first few epochs. After 30 epochs all four costs are of the same order.
# - **Below.** All four draw similar boundaries: on an easy problem, a better optimizer saves
#   time and tuning, not accuracy. On large networks, where each epoch is expensive and tuning
#   is costly, that saving is why Adam is the usual first choice.

# %% tags=["experiment"]
moons_rng = np.random.default_rng(1)
X, Y = data.make_moons(400, moons_rng)
X_train, Y_train, X_test, Y_test = data.train_test_split(X, Y, moons_rng, test_fraction=0.25)
initial = network.init_parameters([2, 20, 20, 1], moons_rng)
head = network.SIGMOID_HEAD
rates = 10.0 ** np.arange(-3, 0.51, 0.5)


def train_moons(optimizer, learning_rate, epochs=30):
    parameters, _, history = training.train(
        initial, X_train, Y_train, head=head, optimizer=optimizer, learning_rate=learning_rate,
        epochs=epochs, batch_size=32, make_batches=random_mini_batches, rng=np.random.default_rng(2),
        progress=False,
    )
    return parameters, history


final_costs, best = {}, {}
for name, optimizer in OPTIMIZERS.items():
    runs = [train_moons(optimizer, rate) for rate in rates]
    final_costs[name] = [history["epoch_cost"][-1] for _, history in runs]
    i = int(np.nanargmin(final_costs[name]))
    best[name] = (rates[i], *runs[i])

figure, (left, middle) = plt.subplots(1, 2, figsize=(12, 4))
for name, costs in final_costs.items():
    left.plot(rates, costs, "o-", ms=4, label=name)
left.set_xscale("log")
left.set_yscale("log")
left.set_ylim(0.03, 2)
left.set_xlabel(r"learning rate $\alpha$")
left.set_ylabel("training cost after 30 epochs")
left.set_title("sensitivity to the learning rate (lower is better)")
left.legend()
plots.plot_costs({f"{name} (lr={rate:.2g})": history for name, (rate, _, history) in best.items()},
                 key="epoch_cost", ax=middle)
middle.set_title("training cost at each optimizer's best rate")
figure.tight_layout()
plt.show()

figure, axes = plt.subplots(1, 4, figsize=(16, 3.8))
for ax, (name, (rate, parameters, _)) in zip(axes, best.items(), strict=True):
    test_accuracy = network.accuracy(network.predict(X_test, parameters, head), Y_test)
    plots.plot_decision_boundary(lambda points, p=parameters: network.predict(points, p, head), X_test, Y_test,
                                 ax=ax, title=f"{name}, lr={rate:.2g}: held-out accuracy {test_accuracy:.0%}")
figure.tight_layout()
plt.show()

# %% [markdown]
# ## 6. Concept: local optima, saddle points and plateaus
#
# Pictures of loss surfaces in two dimensions suggest that the danger is getting stuck in a
# **local minimum**, a valley that is not the lowest one. In a network with millions of weights
# the picture changes. A point where the gradient is zero is a local minimum only if the loss
# curves **upwards in every one of the millions of directions**; in a high-dimensional space that
# is rare. Most such points are **saddle points**: the loss curves up in some directions and down
# in others, and there is a way out. (Studies of large networks also suggest that their local
# minima tend to have costs close to the best ones, so they matter less than the picture says.)
#
# What slows training down is the region *around* such points:
#
# - near a **saddle point**, the gradient is close to zero. Gradient descent leaves along the
#   downward direction, but its distance $d$ from the saddle in that direction only grows like
#   $d_t \approx d_0\,(1 + \alpha\lambda)^t$, where $\lambda$ is how strongly the loss curves down. The
#   closer the start ($d_0$ small), the longer it waits: about $\log(1/d_0) / \log(1+\alpha\lambda)$ steps;
# - a **plateau** is a large, almost flat region (for example, when many ReLU or sigmoid units are
#   saturated): the gradient is tiny everywhere on it, so the steps $\alpha\,|dW|$ of gradient descent are tiny too.
#
# Adaptive methods divide by $\sqrt{\hat s}$, the typical size of the recent gradients. Where the
# gradients are tiny, the division makes the steps **normal-sized again** (about $\alpha$), as long as the
# gradient is well above $\varepsilon$. Momentum helps a little too, by not forgetting
# the direction in which it was moving; in our exponentially-weighted-average form, though, its
# steps on a steady slope are no longer than those of gradient descent.
#
# Below, two surfaces of `coursekit.surfaces`:
# - the **saddle** $w_1^2 + w_2^4/4 - w_2^2/2$: a saddle point at the origin, minima (loss $-1/4$) at
#   $(0, \pm 1)$. We start at $(0.5,\ 10^{-3})$, almost on the ridge that leads into the saddle;
# - the **plateau** $1 - e^{-(w_1^2 + w_2^2)}$: one minimum at the origin, and a loss that is almost
#   exactly 1 far from it. We start at $(2.5, 1.5)$, where the loss is 0.9998 and the gradient about $10^{-3}$.

# %% tags=["experiment"]
saddle, plateau = surfaces.saddle(), surfaces.plateau()
escape_rates = {"gradient descent": 0.1, "momentum": 0.1, "RMSprop": 0.005, "Adam": 0.05}
plateau_rates = {"gradient descent": 0.5, "momentum": 0.5, "RMSprop": 0.005, "Adam": 0.05}
experiments = [
    (saddle, (0.5, 1e-3), escape_rates, 150, dict(xlim=(-0.4, 0.7), ylim=(-0.2, 1.3))),
    (plateau, (2.5, 1.5), plateau_rates, 150, dict(xlim=(-1, 3), ylim=(-1, 2))),
]
figure, axes = plt.subplots(2, 2, figsize=(13, 9))
for (surface, start, surface_rates, steps, limits), (left, right) in zip(experiments, axes, strict=True):
    paths = {
        f"{name} (lr={rate})": surfaces.run_on_surface(OPTIMIZERS[name], surface, start, learning_rate=rate,
                                                        steps=steps)
        for name, rate in surface_rates.items()
    }
    plots.plot_trajectories(surface, paths, ax=left, **limits)
    left.set_title(f"{surface.name}: {steps} steps from {start}")
    for name, path in paths.items():
        right.plot(surface.loss(path[:, 0], path[:, 1]), label=name)
    right.set_xlabel("step")
    right.set_ylabel("loss")
    right.set_title(f"{surface.name}: loss along each path")
    right.legend()
figure.tight_layout()
plt.show()

# %% [markdown]
# On the saddle, gradient descent spends most of its budget sliding towards the saddle point and
# waiting for $w_2$ to grow; the loss curve shows the typical long flat stretch followed by a
# sudden drop. Adam and RMSprop turn the tiny $w_2$-gradient into steps of about $\alpha$ and leave
# at once. Momentum is even slower than gradient descent here: its velocity keeps pointing the old
# way for a while. On the plateau, gradient descent and momentum barely move in 150 steps, while the
# adaptive methods walk across the flat region at a steady pace.
#
# How much does the starting distance matter? Below, the number of steps until the loss drops
# below $-0.2$ on the saddle, starting from $(0.5,\ d_0)$ for smaller and smaller $d_0$. Gradient
# descent pays a fixed number of extra steps for every factor of 10 (a straight line on this
# log scale); the adaptive methods hardly notice.

# %% tags=["experiment"]
distances = 10.0 ** -np.arange(1, 10)
figure, ax = plt.subplots(figsize=(6, 4))
for name, rate in escape_rates.items():
    escape_steps = []
    for d0 in distances:
        path = surfaces.run_on_surface(OPTIMIZERS[name], saddle, (0.5, d0), learning_rate=rate, steps=400)
        below = saddle.loss(path[:, 0], path[:, 1]) < -0.2
        escape_steps.append(np.argmax(below) if below.any() else np.nan)
    ax.plot(distances, escape_steps, "o-", ms=4, label=f"{name} (lr={rate})")
ax.set_xscale("log")
ax.set_xlabel(r"starting distance $d_0$ from the ridge ($w_2$ at the start)")
ax.set_ylabel("steps until loss < -0.2")
ax.set_title("escaping the saddle")
ax.legend()
plt.show()

# %% [markdown]
# ## Summary
#
# - Adam = momentum (first moment $v$: the direction) + RMSprop (second moment $s$: the scale,
#   entry by entry) + bias correction ($1-\beta^t$: proper averages from the first update on).
# - $\varepsilon$ sits outside the square root, $t$ counts updates from 1, and the state carried from
#   one update to the next is the **uncorrected** $v$, $s$.
# - Adam's step is about $\alpha$ whatever the scale of the gradient, and shorter when the gradient
#   is noisy; without the bias correction the first steps would be several times too long. A sudden
#   large gradient after tiny ones can make a step longer than $\alpha$, but at most about
#   $\alpha\,(1-\beta_1)/\sqrt{1-\beta_2} \approx 3.16\,\alpha$.
# - In high dimensions, saddle points and plateaus, not bad local minima, are what slows training
#   down; by rescaling small gradients, adaptive methods cross them much faster than gradient descent.
# - Adam works over a wide range of learning rates, which makes it a good default; the defaults
#   $\beta_1 = 0.9$, $\beta_2 = 0.999$, $\varepsilon = 10^{-8}$ rarely need changing.
#
# ## On your own
#
# 1. Set $\beta_1 = 0$ (`optimizers.adam(init_adam, adam_update, beta1=0)`). Which optimizer of the
#    course do you get? Compare it with RMSprop on the elongated bowl: what is different in the first steps?
# 2. Make the bowl 1000 times steeper, with the same condition number 100:
#    `surfaces.elongated_quadratic(a=200, b=20000)`. Which
#    optimizers still work with the same learning rates, and why?
# 3. On the plateau, give Adam `epsilon=1e-3`. Why does it slow down? Up to which $\varepsilon$
#    does it still cross the plateau quickly?
# 4. Train the moons network with Adam at PyTorch's default rate $10^{-3}$. How many epochs does it
#    need to match the curve at the best rate of the grid?
# 5. Start the saddle run at $(0.5, 0)$, exactly on the ridge. What happens to each optimizer, and why?
