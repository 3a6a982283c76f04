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
# # Lesson 03 — Gradient descent with momentum
#
# **What you'll do.** Implement gradient descent with momentum, watch it on an elongated loss
# surface next to plain gradient descent, and check numerically that the three ways momentum is
# written in textbooks and libraries are the same algorithm once the learning rate is rescaled.
#
# **What you'll learn.**
# - why plain gradient descent zigzags in a narrow valley, and why a small learning rate is not a cure;
# - how averaging the gradients (lesson 02) cancels the zigzag and allows a larger learning rate;
# - the "heavy ball" reading of momentum: velocity, friction, overshoot;
# - how to translate momentum hyperparameters between this course, PyTorch/d2l and CS231n.
#
# **What you need.** Lessons 01–02 (the gradient descent update, exponentially weighted averages); numpy.

# %%
import matplotlib.pyplot as plt
import numpy as np

from coursekit import optimizers, plots, surfaces
from coursekit.checking import check
from coursekit.earlier import load

# %% [markdown]
# ## 1. Concept: why gradient descent zigzags
#
# Take the simplest ill-conditioned loss, a quadratic bowl stretched along one axis:
#
# $$J(w_1, w_2) = \tfrac12\left(a\, w_1^2 + b\, w_2^2\right), \qquad 0 < a < b .$$
#
# $a$ and $b$ are the curvatures along $w_1$ and $w_2$; their ratio $b/a$ is the **condition
# number**. The contours are ellipses, $\sqrt{b/a}$ times longer than wide. The gradient is
# $(a w_1,\; b w_2)$, so one gradient descent step $w \leftarrow w - \alpha \nabla J$ multiplies each
# coordinate by its own factor:
#
# $$w_1 \leftarrow (1 - \alpha a)\, w_1 \qquad w_2 \leftarrow (1 - \alpha b)\, w_2 .$$
#
# - The steep coordinate $w_2$ decides the learning rate: when $\alpha b > 1$ the factor is negative
#   and $w_2$ jumps across the valley at every step (the zigzag); when $\alpha b > 2$ the jumps grow
#   and gradient descent diverges. So $\alpha < 2/b$.
# - With such an $\alpha$, the shallow coordinate shrinks by the factor $1 - \alpha a > 1 - 2a/b$ per step:
#   almost 1 when the condition number is large. Progress along the valley floor is slow, and no
#   single learning rate fixes both directions.
#
# In this lesson the bowl has $a = 0.2$, $b = 20$: condition number 100, $\alpha$ must stay below
# $0.1$, and then $w_1$ shrinks by less than 2 % per step. Loss surfaces of neural networks have
# directions of very different curvature too — this is the picture to keep in mind.
#
# ## 2. Concept: momentum
#
# Momentum steps along a running average of the recent gradients instead of the latest gradient alone.
# For every layer $l$, at every update (the same formulas for $W^{[l]}$ and $b^{[l]}$):
#
# $$v_{dW} = \beta\, v_{dW} + (1-\beta)\, dW \qquad\qquad W = W - \alpha\, v_{dW} \tag{1}$$
#
# $$v_{db} = \beta\, v_{db} + (1-\beta)\, db \qquad\qquad\;\; b = b - \alpha\, v_{db} \tag{2}$$
#
# - $dW$, $db$: the gradients of the cost for the current (mini-)batch;
# - $v_{dW}$, $v_{db}$: the **velocities**, arrays shaped like $W$ and $b$, starting at zero;
# - $\beta \in [0, 1)$ (default $0.9$): the averaging weight of lesson 02 — $v$ averages roughly the
#   last $1/(1-\beta)$ gradients (10 for $\beta = 0.9$);
# - $\alpha$: the learning rate.
#
# **Why it helps.** Across the valley the gradient flips sign from one step to the next, and the
# average of alternating values is small: the zigzag cancels. Along the valley the gradient keeps
# its sign, and the average keeps its full size. In numbers: the exponentially weighted average of a
# constant $g$ tends to $g$, the average of $+g, -g, +g, \dots$ tends to $\pm\frac{1-\beta}{1+\beta}\,g$
# — 19 times smaller for $\beta = 0.9$. So momentum damps the oscillation, and that lets us raise the
# learning rate (on a quadratic bowl, by up to the same factor $\frac{1+\beta}{1-\beta}$); the larger
# learning rate is what speeds up the progress along the valley.
#
# Two remarks:
# - with $\beta = 0$, $v_{dW} = dW$ and momentum **is** gradient descent;
# - $v$ starts at zero, so the first few velocities are too small (the bias of lesson 02). Momentum is
#   usually not bias-corrected: after about $1/(1-\beta)$ updates the effect is gone. Adam (lesson 05)
#   corrects it.

# %% [markdown]
# ## 3. Implement
#
# `init_momentum(parameters)` returns the starting velocities: a dict of zeros with the **gradient**
# keys `"dW1", "db1", ...`, each shaped like the matching parameter (`"dW1"` like `"W1"`).

# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# One velocity per parameter, as many layers as `parameters` has: go through its keys rather
# than naming layers. The velocity is stored under the name of the *gradient* it averages, so
# each key gets a `d` in front; its array has the parameter's shape and starts at zero.
#
# </details>
# <details><summary>Hint 2 (close to code)</summary>
#
# A dict comprehension over `parameters.items()`: the key `"d" + key`, the value
# `np.zeros_like(value)` (a new float array of the same shape, never the parameter itself).
#
# </details>

# %% nbgrader={"grade_id": "init_momentum"} checks={"visible": 1, "hidden": 2}
def init_momentum(parameters):
    """Zero velocity for every parameter: the start of equations (1) and (2) (lesson 03).

    parameters: dict "W1" (n1, n0), "b1" (n1, 1), ..., any number of layers; not modified.
    Returns v: a new dict "dW1", "db1", ... (the gradient keys), each a new float array of zeros
    shaped like the matching parameter.
    """
    ### BEGIN SOLUTION
    return {"d" + key: np.zeros_like(value) for key, value in parameters.items()}
    ### END SOLUTION


# %% [markdown]
# `momentum_update(parameters, grads, v, *, learning_rate, beta)` makes one update (1)-(2) of every
# parameter and returns `(parameters, v)`: the updated parameters and the updated velocities, both
# **new** dicts. Do not modify the arguments (no `+=` on their arrays): the caller may still need
# them, and the checks verify it. The velocity of parameter `key` is `v["d" + key]`.

# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# Two things change at every update: each velocity, by the left half of (1) and (2), and each
# parameter, by the right half. The order matters: the step uses the velocity that **already
# includes** this update's gradient. So compute all the new velocities first, then move each
# parameter with its new velocity, and return both new dicts.
#
# </details>
# <details><summary>Hint 2 (close to code)</summary>
#
# Build `new_v` with a dict comprehension over the keys of `v` (the gradient keys): `beta` times
# the old velocity plus `(1 - beta)` times `grads[key]`. Then build the new parameters over
# `parameters.items()`: `value - learning_rate * new_v["d" + key]`. Return
# `(new_parameters, new_v)`.
#
# </details>

# %% nbgrader={"grade_id": "momentum_update"} checks={"visible": 1, "hidden": 3}
def momentum_update(parameters, grads, v, *, learning_rate, beta=0.9):
    """One step of momentum in exponentially-weighted-average form: equations (1)-(2) (lesson 03).

    parameters: dict "W1" (n1, n0), "b1" (n1, 1), ..., any number of layers.
    grads, v: dicts "dW1", "db1", ..., each shaped like its parameter (v: the velocities so far).
    learning_rate: float alpha; beta: float in [0, 1) (both keyword-only).
    The velocity is updated first, and the step uses the new velocity.
    Returns (parameters, v): the parameters after the step and the new velocities, two new dicts.
    No argument is modified.
    """
    ### BEGIN SOLUTION
    new_v = {key: beta * v[key] + (1 - beta) * grads[key] for key in v}
    new_parameters = {
        key: value - learning_rate * new_v["d" + key] for key, value in parameters.items()
    }
    return new_parameters, new_v
    ### END SOLUTION


# %% [markdown]
# ## 4. Experiment: momentum on the elongated bowl
#
# `coursekit.surfaces.run_on_surface` runs any optimizer from a starting point on a 2-D surface and
# returns the visited points; `optimizers.momentum(init_momentum, momentum_update, beta=...)` wraps
# **your** two functions into such an optimizer. The point $(w_1, w_2)$ travels as a parameter dict
# with the course's keys: `W1` of shape (2, 1) holds it, and a bias `b1` that the loss ignores
# (its gradient is 0) completes the layer.
#
# ### 4.1 With $\beta = 0$, momentum is gradient descent
#
# The next cell loads your `gd_update` of lesson 01 from your notebook of that lesson (saved
# beside this one) and checks that momentum with $\beta = 0$ visits exactly the same points.

# %% tags=["experiment"]
gd_update = load("01_mini_batch_gradient_descent", "gd_update")  # your function of lesson 01

bowl = surfaces.elongated_quadratic(a=0.2, b=20.0)  # condition number 100
start = (-1.8, 0.6)

gd = optimizers.gradient_descent(gd_update)
path_gd = surfaces.run_on_surface(gd, bowl, start, learning_rate=0.09, steps=60)
momentum_beta0 = optimizers.momentum(init_momentum, momentum_update, beta=0.0)
path_beta0 = surfaces.run_on_surface(momentum_beta0, bowl, start, learning_rate=0.09, steps=60)

print("momentum with beta=0 visits the same points as gradient descent:", np.allclose(path_gd, path_beta0))
print(f"largest difference over 60 steps: {np.abs(path_gd - path_beta0).max():.1e}")

# %% [markdown]
# ### 4.2 Gradient descent vs momentum
#
# Three runs from the same start, 80 updates each:
# - gradient descent with $\alpha = 0.09$, just below its limit $2/b = 0.1$;
# - momentum ($\beta = 0.9$) with the **same** $\alpha = 0.09$;
# - momentum ($\beta = 0.9$) with a learning rate **three times larger**, $\alpha = 0.3$, where
#   gradient descent diverges (the dashed curve on the right: gradient descent with $\alpha = 0.105$,
#   barely above its limit).

# %% tags=["experiment"]
steps = 80
runs = {
    "gradient descent, α=0.09": (gd, 0.09),
    "momentum β=0.9, α=0.09": (optimizers.momentum(init_momentum, momentum_update, beta=0.9), 0.09),
    "momentum β=0.9, α=0.3": (optimizers.momentum(init_momentum, momentum_update, beta=0.9), 0.3),
}
paths = {name: surfaces.run_on_surface(opt, bowl, start, learning_rate=lr, steps=steps)
         for name, (opt, lr) in runs.items()}
path_diverging = surfaces.run_on_surface(gd, bowl, start, learning_rate=0.105, steps=steps)

fig, (ax_path, ax_cost) = plt.subplots(1, 2, figsize=(13, 4.5))
contour_levels = np.geomspace(1e-3, 40, 20)
plots.plot_trajectories(bowl, paths, ax=ax_path, ylim=(-1, 1), levels=contour_levels)
ax_path.set_title(f"{steps} updates on the elongated bowl (condition number 100)")
for name, path in paths.items():
    ax_cost.plot(bowl.loss(path[:, 0], path[:, 1]), label=name)
ax_cost.plot(bowl.loss(path_diverging[:, 0], path_diverging[:, 1]), "k--", lw=1,
             label="gradient descent, α=0.105 (diverges)")
ax_cost.set_yscale("log")
ax_cost.set_ylim(1e-6, 1e2)
ax_cost.set_xlabel("update")
ax_cost.set_ylabel("loss $J(w_1, w_2)$")
ax_cost.set_title("loss along each run")
ax_cost.legend(fontsize=8)
fig.tight_layout()
plt.show()
for name, path in paths.items():
    print(f"{name:26s} after {steps} updates: w = ({path[-1, 0]:+.3f}, {path[-1, 1]:+.3f}), "
          f"loss {bowl.loss(*path[-1]):.1e}")

# %% [markdown]
# What to read in the figure:
# - **Gradient descent** zigzags across the valley for a dozen updates, then crawls along the floor:
#   after 80 updates it is still at $w_1 \approx -0.42$.
# - **Momentum at the same $\alpha$** replaces the fast zigzag by a slow, smooth swing: the velocity
#   averages the alternating $w_2$ gradients away. Along $w_1$ it is no faster than gradient descent:
#   there the gradient is nearly constant, its average equals it, and the step is the same
#   $\alpha\, dW$ (after a slower start, since the velocity starts at zero).
# - **Momentum with $\alpha = 0.3$** is stable where gradient descent explodes, and the larger step
#   carries it along the valley: it reaches the minimum region in about 40 updates and ends about
#   20 times lower in loss. It still swings from side to side and its loss goes up and down: the
#   average damps oscillations but does not remove them (section 5 explains why).
#
# ### 4.3 How large a learning rate can each $\beta$ take?
#
# Sweep the learning rate and record the loss at the end of the run (its mean over the last 10 of
# the 80 updates, which smooths out the swings of the heavy ball), for $\beta = 0$ (gradient descent),
# $0.5$ and $0.9$. The dotted lines are the stability limits
# $\alpha < \frac{2}{b}\cdot\frac{1+\beta}{1-\beta}$ of momentum on this bowl: $0.1$, $0.3$ and $1.9$.

# %% tags=["experiment"]
learning_rates = np.geomspace(0.01, 3.0, 50)
fig, ax = plt.subplots(figsize=(7, 4.2))
for beta, color in [(0.0, "C0"), (0.5, "C2"), (0.9, "C1")]:
    optimizer = optimizers.momentum(init_momentum, momentum_update, beta=beta)
    final = []
    for lr in learning_rates:
        path = surfaces.run_on_surface(optimizer, bowl, start, learning_rate=lr, steps=steps)
        final.append(bowl.loss(path[-10:, 0], path[-10:, 1]).mean())  # the last 10 updates
    ax.plot(learning_rates, final, "o-", ms=3, color=color,
            label=f"β = {beta}" + (" (gradient descent)" if beta == 0 else ""))
    ax.axvline(2 / 20.0 * (1 + beta) / (1 - beta), color=color, ls=":", lw=1)
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_ylim(1e-7, 1e3)
ax.set_xlabel("learning rate α")
ax.set_ylabel(f"mean loss over updates {steps - 9}–{steps}")
ax.set_title("the usable learning rates grow with β")
ax.legend()
plt.show()

# %% [markdown]
# Each curve falls as $\alpha$ grows, then shoots up at its stability limit. Momentum moves the
# limit to the right by the factor $\frac{1+\beta}{1-\beta}$, and the best loss it reaches is far
# below the best of gradient descent: on a badly conditioned problem that is the whole point.
#
# The $\beta = 0.9$ curve has a flat floor: beyond $\alpha \approx 0.2$, a larger step no longer helps,
# because the run is limited by how slowly its swings die out (with $\beta = 0.9$ they shrink by only
# $\sqrt{\beta} \approx 0.95$ per update, whatever $\alpha$). On this bowl $\beta = 0.5$ does better:
# $\beta$ is a hyperparameter (lesson 07), and $0.9$ is a good default, not an optimum.
#
# ## 5. Reading: a heavy ball rolling downhill
#
# Read the update as the motion of a ball on the loss surface. The gradient $dW$ is the slope under
# the ball, the force that accelerates it (the ball moves along $-v$, downhill). The velocity $v$ is
# its momentum: at every step the ball keeps a fraction $\beta$ of it and the slope adds
# $(1-\beta)\, dW$. So $1-\beta$ plays the role of friction.
#
# - Little friction ($\beta$ close to 1): the ball is heavy. It builds up speed along a long gentle
#   slope, and a force that keeps changing sign hardly deflects it. But it also **overshoots**: it
#   rolls past the bottom, climbs the other side, comes back, and each swing loses only a little
#   energy — this is the green path of 4.2, swinging across the valley and past the minimum.
# - Much friction ($\beta$ close to 0): the ball stops as soon as the slope flattens; at $\beta = 0$ it
#   has no inertia at all, and the update is gradient descent.
#
# The same picture says what momentum cannot do: a ball that rolls too fast leaves a narrow valley
# (too large $\alpha$ diverges, momentum only moves the limit), and on a flat plateau it coasts only as
# long as its speed lasts.

# %% [markdown]
# ## 6. Three ways to write momentum
#
# Papers, courses and libraries write momentum in three forms. With the same $\beta$ (called $\mu$
# in CS231n) they are the same algorithm; only the learning rate means something different.
#
# | form | velocity | step |
# |---|---|---|
# | this course (deeplearning.ai) | $v = \beta v + (1-\beta)\, g$ | $W = W - \alpha\, v$ |
# | PyTorch `torch.optim.SGD(momentum=β)`, d2l | $v' = \beta v' + g$ | $W = W - \alpha'\, v'$ |
# | CS231n notes | $u = \mu u - \alpha' g$ | $W = W + u$ |
#
# ### Predict, then check
#
# A paper trains with PyTorch's `torch.optim.SGD(params, lr=0.05, momentum=0.99)`: the PyTorch
# row of the table with $\alpha' = 0.05$ and $\beta = 0.99$. Which `learning_rate` must you give
# your `momentum_update`, with `beta=0.99`, to take exactly the same steps from the same start?
# Work it out by hand before reading on. (A way in: if the gradient stays the same, $g$, for
# many updates, what does each velocity become?)

# %% nbgrader={"grade_id": "predict_pytorch_learning_rate"} answer={"points": 1}
### BEGIN SOLUTION
course_learning_rate = 5.0
### END SOLUTION

# %% [markdown]
# **Why they agree.** Start all velocities at zero. Divide our recurrence by $(1-\beta)$: $v/(1-\beta)$
# obeys $x = \beta x + g$, the PyTorch recurrence, so $v' = v/(1-\beta)$ at every step. Multiply the
# PyTorch recurrence by $-\alpha'$: $-\alpha' v'$ obeys the CS231n one, so $u = -\alpha' v'$. The three
# steps are then $\alpha v$, $\alpha' v' = \frac{\alpha'}{1-\beta}\, v$ and $-u = \alpha' v'$: equal exactly when
#
# $$\alpha' = (1-\beta)\,\alpha \qquad\Longleftrightarrow\qquad \alpha_{\text{ours}} = \frac{\alpha_{\text{theirs}}}{1-\beta}.$$
#
# In our form the velocity is an *average* of gradients (it has the size of one gradient); in the
# other two it is a *sum* that grows to $1/(1-\beta)$ gradients, and their learning rate is smaller to
# compensate. A learning rate copied from a PyTorch paper with $\beta = 0.9$ must be multiplied by 10
# here (by 100 for $\beta = 0.99$). Let us check it on the bowl with the last run of 4.2: our $\alpha = 0.3$, $\beta = 0.9$, so $\alpha' = 0.03$.

# %% tags=["experiment"]
def pytorch_momentum_update(parameters, grads, v, *, learning_rate, beta=0.9):
    """PyTorch/d2l form: v = beta*v + dW, W = W - learning_rate*v."""
    new_v = {key: beta * v[key] + grads[key] for key in v}
    return {key: value - learning_rate * new_v["d" + key] for key, value in parameters.items()}, new_v


def cs231n_momentum_update(parameters, grads, v, *, learning_rate, beta=0.9):
    """CS231n form (beta is their mu): v = mu*v - learning_rate*dW, W = W + v."""
    new_v = {key: beta * v[key] - learning_rate * grads[key] for key in v}
    return {key: value + new_v["d" + key] for key, value in parameters.items()}, new_v


beta, lr_ours = 0.9, 0.3
lr_theirs = (1 - beta) * lr_ours
forms = {
    "ours (your momentum_update)": (momentum_update, lr_ours),
    "PyTorch / d2l": (pytorch_momentum_update, lr_theirs),
    "CS231n": (cs231n_momentum_update, lr_theirs),
}
form_paths = {
    name: surfaces.run_on_surface(optimizers.momentum(init_momentum, update, beta=beta), bowl, start,
                                  learning_rate=lr, steps=steps)
    for name, (update, lr) in forms.items()
}
reference_path = form_paths["ours (your momentum_update)"]
for name, path in form_paths.items():
    print(f"{name:28s} learning rate {forms[name][1]:.3f}   same path as ours: {np.allclose(path, reference_path)}")

# The same number in the wrong form: the PyTorch form with OUR learning rate, and ours with THEIRS.
pytorch_unscaled = surfaces.run_on_surface(optimizers.momentum(init_momentum, pytorch_momentum_update, beta=beta),
                                           bowl, start, learning_rate=lr_ours, steps=steps)
ours_copied = surfaces.run_on_surface(optimizers.momentum(init_momentum, momentum_update, beta=beta),
                                      bowl, start, learning_rate=lr_theirs, steps=steps)
print(f"\nPyTorch form given our α={lr_ours}: final loss {bowl.loss(*pytorch_unscaled[-1]):.3g} (diverges)")
print(f"our form given their α'={lr_theirs:.2f}: final loss {bowl.loss(*ours_copied[-1]):.3g} "
      f"(vs {bowl.loss(*reference_path[-1]):.3g} with the rescaled α={lr_ours})")

fig, ax = plt.subplots(figsize=(6.5, 4.2))
styles = {"ours (your momentum_update)": dict(lw=4, alpha=0.4), "PyTorch / d2l": dict(marker="x", ms=5, lw=0),
          "CS231n": dict(marker="o", ms=6, lw=0, mfc="none")}
for name, path in form_paths.items():
    ax.plot(bowl.loss(path[:, 0], path[:, 1]), label=name, **styles[name])
ax.plot(bowl.loss(ours_copied[:, 0], ours_copied[:, 1]), "k--", lw=1,
        label=f"ours with α={lr_theirs:.2f} copied unscaled")
ax.set_yscale("log")
ax.set_xlabel("update")
ax.set_ylabel("loss")
ax.set_title(f"three forms of momentum, β={beta}, α' = (1-β)α")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# The three forms trace the same path to rounding error. Two fine points:
# - the equivalence assumes a **constant** learning rate. With a schedule (lesson 06) the forms
#   differ slightly: CS231n multiplies each gradient by the rate in force when it arrives, while ours
#   and PyTorch apply the current rate to the whole velocity;
# - `torch.optim.SGD` has no zero velocity: its first step sets $v' = g$, which is what $\beta\cdot 0 + g$
#   gives anyway. Its `dampening` option multiplies $g$ by $(1 - \text{dampening})$; `dampening=β`
#   gives our form, except on that first step, where PyTorch still takes $v' = g$.

# %% [markdown]
# Back to your prediction at the start of this section: the paper's run in PyTorch's form, and
# your `momentum_update` with your `course_learning_rate`, on the bowl.

# %% tags=["experiment"]
paper_path = surfaces.run_on_surface(optimizers.momentum(init_momentum, pytorch_momentum_update, beta=0.99),
                                     bowl, start, learning_rate=0.05, steps=steps)
your_path = surfaces.run_on_surface(optimizers.momentum(init_momentum, momentum_update, beta=0.99),
                                    bowl, start, learning_rate=course_learning_rate, steps=steps)
print(f"PyTorch form, lr=0.05, momentum=0.99: w after {steps} updates = ({paper_path[-1, 0]:+.4f}, "
      f"{paper_path[-1, 1]:+.4f})")
print(f"your momentum_update, learning_rate={course_learning_rate}, beta=0.99: w = ({your_path[-1, 0]:+.4f}, "
      f"{your_path[-1, 1]:+.4f}); the same path: {np.allclose(paper_path, your_path)}")

# %% [markdown]
# ## Summary
#
# - Plain gradient descent on an ill-conditioned surface must use a learning rate small enough for
#   the steepest direction; it zigzags across the valley and crawls along it.
# - Momentum steps along an exponentially weighted average of the gradients:
#   $v = \beta v + (1-\beta)\, dW$, $W = W - \alpha v$. Oscillating components cancel, consistent ones
#   survive; this allows a learning rate up to $\frac{1+\beta}{1-\beta}$ times larger on a quadratic.
# - $\beta = 0$ is gradient descent; $\beta = 0.9$ is the usual default (an average over about 10 steps).
# - A heavy ball with friction $\beta$: it gains speed on consistent slopes, and it can overshoot.
# - The PyTorch/d2l and CS231n forms are the same algorithm with $\alpha' = (1-\beta)\,\alpha$.
#
# ## On your own
#
# 1. In 4.2, try $\beta = 0.5$ and $\beta = 0.99$ with $\alpha = 0.25$ (below the limit of both).
#    Which one overshoots, which one is sluggish? Explain with the heavy ball.
# 2. Rerun 4.3 on the default bowl `surfaces.elongated_quadratic()` (condition number 20). Is
#    $\beta = 0.9$ still better than gradient descent at its best learning rate? What does that tell
#    you about when momentum pays off?
# 3. A CS231n-style run uses their learning rate $\alpha' = 10^{-3}$ and $\mu = 0.95$. Which
#    `learning_rate` and `beta` reproduce it with your `momentum_update`? Check on the bowl as in
#    section 6, with `cs231n_momentum_update`.
# 4. Along the momentum run of 4.2 ($\beta = 0.9$, $\alpha = 0.09$), record the gradient $dw_2$ and the
#    velocity $v_{dw_2}$ at every update (write the loop yourself with `momentum_update` and
#    `bowl.grad`) and plot both. How much smaller is the velocity while $w_2$ oscillates? Compare with
#    the factor $\frac{1-\beta}{1+\beta}$ of section 2.
