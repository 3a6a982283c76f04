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
# # Lesson 04 — RMSprop
#
# **What you'll do.** Implement RMSprop, race it against gradient descent and momentum on the
# elongated bowl of lesson 03, look at the step size it gives each coordinate, and find out what
# changes when the small constant $\varepsilon$ sits outside or inside the square root.
#
# **What you'll learn.**
# - how dividing by the root mean square of recent gradients gives every parameter its own step size;
# - why that removes the zigzag in the steep direction and speeds up the shallow one;
# - what $\varepsilon$ is for, where it goes, and how much its placement matters for small gradients.
#
# **What you need.** Lessons 02–03 (exponentially weighted averages, momentum); numpy.

# %%
import matplotlib.pyplot as plt
import numpy as np

from coursekit import optimizers, plots, surfaces
from coursekit.checking import check
from coursekit.earlier import load

# %% [markdown]
# ## 1. Concept: one step size per coordinate
#
# On the elongated bowl $J = \tfrac12(a w_1^2 + b w_2^2)$ of lesson 03 ($a = 0.2$, $b = 20$), gradient
# descent uses one learning rate for both coordinates, and the steep one ($w_2$) forces it below
# $2/b$. Momentum lives with that and averages the zigzag away. RMSprop (Hinton, 2012) attacks the
# cause instead: it scales each coordinate's step by the typical size of **that coordinate's**
# gradients. For every parameter, element by element:
#
# $$s_{dW} = \beta_2\, s_{dW} + (1-\beta_2)\, dW^2 \qquad\text{(1: the mean square)}$$
#
# $$W = W - \alpha\, \frac{dW}{\sqrt{s_{dW}} + \varepsilon} \qquad\text{(2: the step)}$$
#
# (the same for $b$ with $db$, $s_{db}$), where
# - $dW^2$ is the **element-wise** square of the gradient (`grads[key] ** 2`, not a matrix product);
# - $s_{dW}$ (shaped like $W$, starting at zero) is the exponentially weighted average of the squared
#   gradients (lesson 02): the *mean square*, so $\sqrt{s_{dW}}$ is the **root mean square** (RMS) of
#   recent gradients — the name of the method;
# - $\beta_2 \in [0, 1)$ (default $0.999$) sets how many steps the mean square remembers, about
#   $1/(1-\beta_2)$. It is called $\beta_2$ because in Adam (lesson 05) it is the second of two
#   averages;
# - $\varepsilon$ (default $10^{-8}$) only keeps the division finite; this course puts it **outside** the
#   square root (a convention: section 4 shows what the choice changes);
# - $\alpha$ is the learning rate.
#
# **Why it helps.** The ratio $dW/\sqrt{s_{dW}}$ has no units: if a coordinate's gradients have a
# steady size, the ratio is about $\pm 1$ and the coordinate moves by about $\alpha$ per step,
# whether its gradients are huge or tiny. A coordinate with large gradients (steep, prone to zigzag)
# gets the small **effective step size** $\alpha/(\sqrt{s}+\varepsilon)$; a coordinate with small
# gradients (shallow, slow) gets a large one. On the bowl the gradient along $w_2$ is 100 times
# larger per unit of distance, so $w_2$ is slowed down and $w_1$ sped up — exactly what gradient
# descent could not do with a single $\alpha$.
#
# Two limits to keep in mind: the rescaling is per coordinate, so it cures a valley aligned with the
# axes but not a diagonal one; and $s$ starts at zero, so during the first updates it is far below
# the mean square of the gradients, and the steps are too large — the bias of lesson 02, which Adam
# corrects. (How large is the very first step? You will predict it in section 2.)

# %% [markdown]
# ## 2. Implement
#
# `init_rmsprop(parameters)` returns the starting mean squares: a dict of zeros with the gradient
# keys `"dW1", "db1", ...`, each shaped like the matching parameter.

# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# One entry per parameter, whatever the number of layers: follow the keys of `parameters` rather
# than a fixed list. The entry of `"W1"` is stored under the name of its gradient, `"dW1"`, and has
# the shape of `W1`.
#
# </details>
# <details><summary>Hint 2 (close to code)</summary>
#
# A dict comprehension over `parameters.items()`: the new key is `"d" + key`, the value is
# `np.zeros_like(value)`.
#
# </details>

# %% nbgrader={"grade_id": "init_rmsprop"} checks={"visible": 1, "hidden": 2}
def init_rmsprop(parameters):
    """Zero mean square for every parameter (lesson 04).

    parameters: dict "W1" (n1, n0), "b1" (n1, 1), ... for any number of layers.
    Returns s: a new dict "dW1", "db1", ... of zeros, each shaped like the matching parameter.
    """
    ### BEGIN SOLUTION
    return {"d" + key: np.zeros_like(value) for key, value in parameters.items()}
    ### END SOLUTION


# %% [markdown]
# `rmsprop_update(parameters, grads, s, *, learning_rate, beta2, epsilon)` makes one update of every
# parameter, equations (1) and (2) of section 1, and returns `(parameters, s)`, both **new** dicts,
# without modifying its arguments. Update $s$ first, then divide by the root of the **new** $s$: the
# current gradient must be part of the mean square (with the old $s = 0$, the very first step would
# divide by $\varepsilon$ alone and be enormous).

# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# Two passes. First equation (1) for every gradient key (`"dW1"`, `"db1"`, ...): a new dict of mean
# squares. Then equation (2) for every parameter key, using the gradient and the **new** mean square
# that belong to it. Squares, roots and divisions act entry by entry: there is no matrix product and
# no sum anywhere. $\varepsilon$ is added after the root (section 1).
#
# </details>
# <details><summary>Hint 2 (close to code)</summary>
#
# Build the new `s` with a dict comprehension over the keys of `s`, squaring with `grads[key] ** 2`.
# Then build the new parameters with a second comprehension over `parameters.items()`: for the
# parameter `key`, its gradient is `grads["d" + key]` and its mean square is `new_s["d" + key]`; the
# denominator is `np.sqrt(...)` of that mean square, plus `epsilon`. Building new dicts (instead of
# assigning into the ones you received) is what leaves the arguments untouched.
#
# </details>

# %% nbgrader={"grade_id": "rmsprop_update"} checks={"visible": 1, "hidden": 3}
def rmsprop_update(parameters, grads, s, *, learning_rate, beta2=0.999, epsilon=1e-8):
    """One step of RMSprop (lesson 04): equations (1) and (2) of section 1, for every parameter.

    parameters: dict "W1" (n1, n0), "b1" (n1, 1), ...; grads and s: dicts "dW1", "db1", ..., each entry
    shaped like the matching parameter. learning_rate, beta2, epsilon: floats (epsilon outside the root).
    Returns (parameters, s): new dicts, the parameters after the step and the mean squares that include
    this gradient (the step uses them); the arguments are not modified.
    """
    ### BEGIN SOLUTION
    new_s = {key: beta2 * s[key] + (1 - beta2) * grads[key] ** 2 for key in s}
    new_parameters = {
        key: value - learning_rate * grads["d" + key] / (np.sqrt(new_s["d" + key]) + epsilon)
        for key, value in parameters.items()
    }
    return new_parameters, new_s
    ### END SOLUTION


# %% [markdown]
# ### Predict, then check
#
# A weight starts RMSprop with $s = 0$, and its first gradient is $dW = 2$; $\beta_2 = 0.999$,
# $\varepsilon = 10^{-8}$, learning rate $\alpha$. How far does the weight move on this first update,
# **in units of $\alpha$** (the distance divided by $\alpha$)? Work it out by hand from equations (1)
# and (2), before running anything, and type the number (two or three significant figures are
# enough).

# %% nbgrader={"grade_id": "predict_rmsprop_first_step"} answer={"points": 1, "tolerance": 0.02}
### BEGIN SOLUTION
first_step_in_alphas = 31.6
### END SOLUTION

# %% [markdown]
# Now check it with your `rmsprop_update`: one weight, $s = 0$, learning rate $0.01$, and three first
# gradients of very different sizes.

# %% tags=["experiment"]
one_weight = {"W1": np.zeros((1, 1)), "b1": np.zeros((1, 1))}  # the bias gets a zero gradient
for first_gradient in [2.0, 1e-3, 1e3]:
    first_grads = {"dW1": np.full((1, 1), first_gradient), "db1": np.zeros((1, 1))}
    moved, _ = rmsprop_update(one_weight, first_grads, init_rmsprop(one_weight), learning_rate=0.01)
    print(f"first gradient {first_gradient:g}: the weight moves {abs(moved['W1'][0, 0]) / 0.01:.2f} learning rates")

# %% [markdown]
# From $s = 0$, equation (1) leaves $s = (1-\beta_2)\,dW^2$, only a thousandth of the squared gradient,
# so $\sqrt s = \sqrt{1-\beta_2}\,|dW|$ and the step is $\alpha/\sqrt{1-\beta_2} = \alpha/\sqrt{0.001} \approx 31.6\,\alpha$,
# whatever the size of $dW$. The step of about $\alpha$ promised in section 1 needs an $s$ that has
# averaged many gradients; the first steps of RMSprop are far longer. Adam (lesson 05) removes
# this start-up bias.

# %% [markdown]
# ## 3. Experiment: gradient descent, momentum and RMSprop on the elongated bowl
#
# The bowl and the start of lesson 03, 80 updates each:
# - gradient descent, $\alpha = 0.09$ (just below its limit $2/b = 0.1$);
# - momentum, $\beta = 0.9$, $\alpha = 0.3$ (the best run of lesson 03);
# - RMSprop with your functions, default $\beta_2 = 0.999$, $\alpha = 0.01$.
#
# The third panel shows what RMSprop does inside: the effective step size $\alpha/(\sqrt{s}+\varepsilon)$
# of each coordinate at every update, next to the single step size of gradient descent.

# %% [markdown]
# The next cell loads your gradient descent (lesson 01) and momentum (lesson 03) from your notebooks
# of those lessons, saved beside this one: the race runs your own code only.

# %%
# Your functions of lessons 01 and 03, from your notebooks of those lessons.
gd_update = load("01_mini_batch_gradient_descent", "gd_update")
init_momentum, momentum_update = load("03_momentum", "init_momentum", "momentum_update")

# %% tags=["experiment"]
bowl = surfaces.elongated_quadratic(a=0.2, b=20.0)  # condition number 100
start, steps = (-1.8, 0.6), 80
rms_lr, rms_beta2 = 0.01, 0.999
runs = {
    "gradient descent, α=0.09": (optimizers.gradient_descent(gd_update), 0.09),
    "momentum β=0.9, α=0.3": (optimizers.momentum(init_momentum, momentum_update, beta=0.9), 0.3),
    f"RMSprop β₂={rms_beta2}, α={rms_lr}": (
        optimizers.rmsprop(init_rmsprop, rmsprop_update, beta2=rms_beta2), rms_lr),
}
paths = {name: surfaces.run_on_surface(opt, bowl, start, learning_rate=lr, steps=steps)
         for name, (opt, lr) in runs.items()}

# The same RMSprop run, written out to record s at every update. As in run_on_surface, the point
# (w1, w2) is W1 of shape (2, 1); the bias b1 gets no gradient.
parameters = {"W1": np.array(start, dtype=float).reshape(2, 1), "b1": np.zeros((2, 1))}
s = init_rmsprop(parameters)
effective_steps = []
for _ in range(steps):
    dw1, dw2 = bowl.grad(*parameters["W1"][:, 0])
    grads = {"dW1": np.array([[dw1], [dw2]]), "db1": np.zeros((2, 1))}
    parameters, s = rmsprop_update(parameters, grads, s, learning_rate=rms_lr, beta2=rms_beta2)
    effective_steps.append(rms_lr / (np.sqrt(s["dW1"][:, 0]) + 1e-8))
effective_steps = np.array(effective_steps)
assert np.allclose(parameters["W1"][:, 0], paths[f"RMSprop β₂={rms_beta2}, α={rms_lr}"][-1])

fig, (ax_path, ax_cost, ax_step) = plt.subplots(1, 3, figsize=(18, 4.8))
plots.plot_trajectories(bowl, paths, ax=ax_path, ylim=(-1, 1), levels=np.geomspace(1e-3, 40, 20))
ax_path.set_title(f"{steps} updates on the elongated bowl (condition number 100)")
for name, path in paths.items():
    ax_cost.plot(bowl.loss(path[:, 0], path[:, 1]), label=name)
ax_cost.set_yscale("log")
ax_cost.set_xlabel("update")
ax_cost.set_ylabel("loss $J(w_1, w_2)$")
ax_cost.set_title("loss along each run")
ax_cost.legend(fontsize=8)
ax_step.plot(range(1, steps + 1), effective_steps[:, 0], color="C2", label="RMSprop, coordinate $w_1$ (shallow)")
ax_step.plot(range(1, steps + 1), effective_steps[:, 1], color="C2", ls="--",
             label="RMSprop, coordinate $w_2$ (steep)")
ax_step.axhline(0.09, color="C0", label="gradient descent, both coordinates")
ax_step.axhline(2 / 20.0, color="k", ls=":", lw=1, label="stability limit of $w_2$: $2/b$")
ax_step.set_yscale("log")
ax_step.set_xlabel("update")
ax_step.set_ylabel(r"effective step size $\alpha / (\sqrt{s} + \varepsilon)$")
ax_step.set_title("one step size per coordinate")
ax_step.legend(fontsize=8)
fig.tight_layout()
plt.show()
print("RMSprop effective step sizes after 80 updates:  w1 {:.3f}   w2 {:.4f}   ratio {:.0f}".format(
    *effective_steps[-1], effective_steps[-1, 0] / effective_steps[-1, 1]))
for name, path in paths.items():
    print(f"{name:28s} loss after {steps} updates: {bowl.loss(*path[-1]):.1e}")

# %% [markdown]
# What to read in the figure:
# - **RMSprop** heads almost straight for the valley floor: no zigzag across, and fast progress
#   along. Its first step goes the same distance, about $\alpha/\sqrt{1-\beta_2} \approx 0.32$, in both
#   coordinates: with $s$ starting at zero, $dW/\sqrt{s}$ is $\pm 1/\sqrt{1-\beta_2}$ whatever the size of $dW$.
# - **The effective step sizes** differ by a factor of about 18 between the coordinates. The steep
#   coordinate $w_2$ gets a step well below its stability limit $2/b$, so it cannot zigzag; the
#   shallow coordinate $w_1$ gets a step more than four times larger than anything gradient descent
#   could use (it must stay below $0.1$ for the sake of $w_2$).
#   Both curves fall during the first updates: that is $s$ filling up from zero.
# - With $\beta_2 = 0.999$, $s$ remembers about 1000 updates, so it stays close to the mean square of the
#   early, large gradients and the effective steps hardly change afterwards: on this bowl RMSprop
#   behaves like gradient descent with a well-chosen learning rate per coordinate, and converges by
#   orders of magnitude faster than the other two.
#
# The bowl is the best case for RMSprop: its valley is aligned with the axes, and a fixed step per
# coordinate is all it needs. On a real network the curvature directions are not the coordinates and
# the gradients are noisy, so the gain is smaller — but the per-parameter scaling is the same idea,
# and Adam (lesson 05) combines it with momentum.

# %% [markdown]
# ## 4. Concept: where $\varepsilon$ goes, and why
#
# $\varepsilon$ exists for one reason: $s$ can be zero. A parameter whose gradient has always been
# zero so far (a weight into a unit that never activates, or any parameter on a first step with a
# zero gradient) has $s = 0$ and $dW = 0$, and $0/\sqrt{0}$ is `nan` — which then spreads into every
# later computation. With $\varepsilon$ in the denominator that step is $0/\varepsilon = 0$.
#
# There are two places to put it:
#
# $$\text{outside (this course, PyTorch):}\;\; \frac{dW}{\sqrt{s} + \varepsilon}
# \qquad\qquad \text{inside:}\;\; \frac{dW}{\sqrt{s + \varepsilon}} .$$
#
# Both avoid the division by zero; they differ in **which gradients count as small**. Outside,
# $\varepsilon$ matters only when $\sqrt{s}$ is comparable to $\varepsilon$ itself, i.e. for gradients of
# size about $10^{-8}$: every larger gradient gets the full, unit-free RMSprop step. Inside, the
# root acts on $\varepsilon$ too, so the floor becomes $\sqrt{\varepsilon} = 10^{-4}$: every gradient below
# about $10^{-4}$ has its step damped — $\varepsilon = 10^{-8}$ inside behaves like $\varepsilon = 10^{-4}$
# outside. The placement changes the algorithm for small gradients, and an $\varepsilon$ tuned for one
# placement does not carry over to the other. Libraries differ: PyTorch's `torch.optim.RMSprop` adds
# $\varepsilon$ after the root like us; TensorFlow 1's `RMSPropOptimizer` put it inside (and `timm`'s
# `RMSpropTF` reproduces that for models trained that way). Lecture notes differ too: the lecture
# this course follows writes RMSprop with $\varepsilon$ inside the root. Neither is wrong; this course
# chooses outside, in RMSprop and in Adam, as PyTorch does. Batch normalization (lesson 08) puts its
# $\varepsilon$ **inside**, $\sqrt{\sigma^2 + \varepsilon}$, also by convention: there it only guards units whose
# variance is near zero, and $\sqrt{\varepsilon} \approx 0.003$ is far below a typical standard deviation.

# %% [markdown]
# ### Predict, then check
#
# A weight has received the same tiny gradient $g = 10^{-6}$ for thousands of updates, so that its mean
# square has settled at $s = g^2$. RMSprop is written with $\varepsilon = 10^{-8}$ **inside** the root,
# $dW/\sqrt{s + \varepsilon}$. How long is this weight's step, in units of $\alpha$? Work it out by hand
# before running anything, and type the number.

# %% nbgrader={"grade_id": "predict_epsilon_inside"} answer={"points": 1}
### BEGIN SOLUTION
steady_step_in_alphas = 0.01
### END SOLUTION

# %% [markdown]
# Let us see both effects with your `rmsprop_update`: one weight row `W1` with three entries, $s = 0$,
# gradients $0$, $10^{-6}$ and $1$ (and a bias `b1` whose gradient is 0).

# %% tags=["experiment"]
w0 = {"W1": np.ones((1, 3)), "b1": np.zeros((1, 1))}
g = {"dW1": np.array([[0.0, 1e-6, 1.0]]), "db1": np.zeros((1, 1))}
s0 = {"dW1": np.zeros((1, 3)), "db1": np.zeros((1, 1))}
lr, beta2, eps = 0.01, 0.999, 1e-8

new_w, new_s = rmsprop_update(w0, g, s0, learning_rate=lr, beta2=beta2, epsilon=eps)
step_outside = w0["W1"] - new_w["W1"]
with np.errstate(divide="ignore", invalid="ignore"):  # silence numpy: we want to see the nan
    step_no_eps = lr * g["dW1"] / np.sqrt(new_s["dW1"])
step_inside = lr * g["dW1"] / np.sqrt(new_s["dW1"] + eps)

print("gradient                 ", g["dW1"][0])
print("step, sqrt(s) + eps (you)", step_outside[0])
print("step, no epsilon         ", step_no_eps[0])
print("step, sqrt(s + eps)      ", step_inside[0])
print(f"\nfor the gradient 1e-6, eps outside takes a {step_outside[0, 1] / step_inside[0, 1]:.0f} times larger step")

# %% [markdown]
# The zero gradient gets a step of exactly 0 with $\varepsilon$ (either place) and `nan` without it.
# The gradient $1$ gets the same step, $\alpha/\sqrt{1-\beta_2} \approx 0.32$, in all three versions. The
# tiny gradient $10^{-6}$ separates the placements: outside, it still takes a step of nearly the
# usual size (RMSprop does not care about the scale of a gradient); inside, its step is more than
# 2000 times smaller.
#
# The figure makes it general. Suppose a coordinate has had gradients of the same size $|g|$ for a
# long time, so that $s = g^2$; the step, in units of $\alpha$, is then $|g|/(|g| + \varepsilon)$ outside
# and $|g|/\sqrt{g^2 + \varepsilon}$ inside. Your `rmsprop_update` computes the first curve (called with
# $s = g^2$, it keeps $s = g^2$).

# %% tags=["experiment"]
g_sizes = np.geomspace(1e-12, 1, 200).reshape(1, -1)
fig, ax = plt.subplots(figsize=(7, 4.2))
for epsilon, color in [(1e-8, "C0"), (1e-4, "C1")]:
    no_bias = np.zeros((1, 1))  # b1, with a zero gradient
    steady_w, _ = rmsprop_update({"W1": np.zeros_like(g_sizes), "b1": no_bias}, {"dW1": g_sizes, "db1": no_bias},
                                 {"dW1": g_sizes**2, "db1": no_bias}, learning_rate=1.0, beta2=0.999, epsilon=epsilon)
    ax.plot(g_sizes[0], -steady_w["W1"][0], color=color,
            label=f"ε = {epsilon:g} outside: |g| / (|g| + ε)  (yours)")
    ax.plot(g_sizes[0], g_sizes[0] / np.sqrt(g_sizes[0] ** 2 + epsilon), color=color, ls="--",
            label=f"ε = {epsilon:g} inside: |g| / sqrt(g² + ε)")
ax.set_xscale("log")
ax.set_xlabel("size of the gradient |g| (steady, so s = g²)")
ax.set_ylabel("step size / learning rate")
ax.set_title("ε inside the root damps gradients below √ε")
ax.legend(fontsize=8)
plt.show()
tiny = 1e-6  # the gradient of the question above, with s = tiny**2
print(f"steady gradient {tiny:g}, eps = 1e-8: step {tiny / (tiny + 1e-8):.4f} alpha outside the root, "
      f"{tiny / np.sqrt(tiny**2 + 1e-8):.4f} alpha inside")

# %% [markdown]
# Outside the root (solid), a gradient is "small" below about $\varepsilon$; inside (dashed), below
# about $\sqrt\varepsilon$: the dashed $\varepsilon = 10^{-8}$ curve lies almost on the solid $\varepsilon = 10^{-4}$ one.
# For the question's gradient $10^{-6}$, inside the root $\sqrt{s + \varepsilon} \approx \sqrt{\varepsilon} = 10^{-4}$
# dominates, and the step is $10^{-6}/10^{-4} = 0.01\,\alpha$ (printed above), a hundredth of the
# step the same gradient gets with $\varepsilon$ outside.
# With $\varepsilon$ outside, its default $10^{-8}$ does what it is meant to do — protect the division —
# and nothing else.

# %% [markdown]
# ## Summary
#
# - RMSprop keeps an exponentially weighted average of the squared gradients,
#   $s = \beta_2 s + (1-\beta_2)\, dW^2$, and steps by $\alpha\, dW/(\sqrt{s} + \varepsilon)$.
# - Each parameter gets its own effective step size $\alpha/(\sqrt{s}+\varepsilon)$: small where gradients
#   are large (steep, zigzag-prone directions), large where they are small (shallow directions).
# - The step is unit-free: about $\alpha$ per coordinate for a steady gradient, whatever its scale.
#   The scaling is per coordinate, so it helps most when the valley is aligned with the axes.
# - $s$ starts at zero, so the first steps are too large by $1/\sqrt{1-\beta_2^t}$; Adam corrects that.
# - Where $\varepsilon$ goes is a convention; this course puts it outside the root: $\sqrt{s} + \varepsilon$. It turns
#   $0/0$ into $0$ and leaves every gradient larger than about $\varepsilon$ alone; inside the root (as in some
#   lectures, and in batch norm, lesson 08) it damps every gradient below $\sqrt\varepsilon$.
#
# ## On your own
#
# 1. Rerun section 3 with $\beta_2 = 0.9$ and $\alpha = 0.05$ (Hinton's lecture suggested $0.9$). Plot
#    the effective step sizes: why do they keep growing, and what happens to the loss after about 70
#    updates? What would a decaying learning rate (lesson 06) change?
# 2. Rotate the bowl by 45°: write a surface with loss $\tfrac12(a u^2 + b v^2)$ where
#    $u = (w_1 + w_2)/\sqrt2$, $v = (w_1 - w_2)/\sqrt2$ (gradient by the chain rule), build it with
#    `surfaces.Surface`, and compare gradient descent and RMSprop again. What is left of RMSprop's advantage?
# 3. Multiply the bowl's loss by 1000 (`surfaces.elongated_quadratic(a=200, b=20000)`). Which learning
#    rate does gradient descent need now, and which does RMSprop need? Explain with the units of
#    $dW/\sqrt{s}$.
# 4. In section 4, which $\varepsilon$ outside the root makes the step of the gradient $10^{-6}$ equal to the
#    one that $\varepsilon = 10^{-8}$ inside gives?
