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
# # Lesson 02 — Exponentially weighted averages
#
# **What you'll do.** Implement the exponentially weighted average of a series and its
# bias-corrected version, then use them to smooth a year of noisy daily temperatures.
#
# **What you'll learn.**
# - how one number updated by $v_t = \beta v_{t-1} + (1-\beta)\theta_t$ keeps a running average
#   of a whole series, and why that is so cheap;
# - what $\beta$ controls: the average covers roughly the last $1/(1-\beta)$ values — less noise
#   for a larger $\beta$, but more lag;
# - where the $1/(1-\beta)$ rule comes from: $(1-\varepsilon)^{1/\varepsilon} \approx 1/e$;
# - why the average starts too low, and how dividing by $1-\beta^t$ corrects it.
#
# These averages are the engine of the next lessons: momentum (03) averages gradients, RMSprop
# (04) averages squared gradients, Adam (05) does both with the bias correction, and batch norm
# (08) keeps running statistics the same way.
#
# **What you need.** numpy; a `for` loop over an array.

# %%
import matplotlib.pyplot as plt
import numpy as np

from coursekit import data
from coursekit.checking import check

# %% [markdown]
# ## 1. Concept: the exponentially weighted average
#
# Let $\theta_1, \theta_2, \dots, \theta_T$ be a series — a temperature each day, or later in the
# course a gradient at each update. Its **exponentially weighted average** (also called an
# exponential moving average) is the sequence
#
# $$v_0 = 0, \qquad v_t = \beta\, v_{t-1} + (1-\beta)\, \theta_t \quad (t = 1, \dots, T), \tag{1}$$
#
# where $\beta \in [0, 1)$ is the weight kept from the past. Each new value pulls $v$ a fraction
# $1-\beta$ of the way towards itself: with $\beta = 0$ the "average" is the series itself, with
# $\beta = 0.98$ each new day moves it by only 2 %.
#
# Unrolling the recursion shows what $v_t$ averages:
#
# $$v_t = (1-\beta)\,\theta_t + (1-\beta)\beta\,\theta_{t-1} + (1-\beta)\beta^2\,\theta_{t-2} + \dots
#       = \sum_{k=0}^{t-1} (1-\beta)\beta^{k}\, \theta_{t-k}. \tag{2}$$
#
# The value from $k$ steps ago gets the weight $(1-\beta)\beta^k$: the weights decay
# exponentially into the past (hence the name), and they add up to
# $(1-\beta)(1 + \beta + \dots + \beta^{t-1}) = 1-\beta^t$, which tends to 1.
#
# Computing it takes **one number of memory** and one multiply-add per step, whatever the length
# of the window it effectively covers — a plain moving average over the last 50 values would have
# to store those 50 values. This is why optimizers use it for every parameter of a network.

# %% [markdown]
# ## 2. Implement: `ewa`
#
# Compute the whole sequence $v_1, \dots, v_T$ of equation (1) for a series `theta`, as the
# docstring specifies: a new array, with $v_t$ at position `t-1`, and `theta` left unchanged.

# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# Equation (1) needs only the previous average to make the next one: keep one running number,
# start it at $v_0 = 0$, and update it once per value of the series, in order. After each update,
# write the running number down: those are the $T$ values to return. (The unrolled sum (2) gives
# the same numbers, but costs $t$ operations for each $v_t$.)
#
# </details>
# <details><summary>Hint 2 (close to code)</summary>
#
# `np.empty_like(theta)` (or `np.zeros_like`) makes the output array, a float array of shape
# `(T,)`. Loop `for t, value in enumerate(theta):`, set the running number to `beta` times itself
# plus `(1 - beta)` times `value`, and store it at index `t` (0-based, so index `t` holds
# $v_{t+1}$). Assign the running number to a new name; do not write into `theta`.
#
# </details>

# %% nbgrader={"grade_id": "ewa"} checks={"visible": 1, "hidden": 2}
def ewa(theta, beta):
    """Exponentially weighted average of a 1-D series: equation (1) of section 1 (lesson 02).

    theta: (T,) float array, the series theta_1 ... theta_T (T >= 1); not modified.
    beta: float in [0, 1), the weight kept from the past.
    Returns v: a new (T,) float array with v[t-1] = v_t, the average after t values, from v_0 = 0.
    """
    ### BEGIN SOLUTION
    theta = np.asarray(theta, dtype=float)
    v = np.empty_like(theta)
    running = 0.0
    for t, value in enumerate(theta):
        running = beta * running + (1 - beta) * value
        v[t] = running
    return v
    ### END SOLUTION


# %% [markdown]
# ## 3. Experiment: smoothing a noisy year
#
# `data.seasonal_series` makes 365 daily "temperatures": a seasonal curve plus noise. Here is
# your `ewa` for three values of $\beta$; the dashed line is the curve without noise, which the
# average is trying to recover.

# %% tags=["experiment"]
theta = data.seasonal_series(np.random.default_rng(0))
season = data.seasonal_series(np.random.default_rng(0), noise=0.0)  # the same curve, no noise
days = np.arange(1, theta.size + 1)
betas = [0.5, 0.9, 0.98]
colors = {0.5: "C1", 0.9: "C2", 0.98: "C3"}

fig, axes = plt.subplots(1, 3, figsize=(16, 4.2), sharey=True)
for ax, beta in zip(axes, betas, strict=True):
    ax.plot(days, theta, ".", ms=3, color="0.6", label=r"daily values $\theta_t$")
    ax.plot(days, season, "k--", lw=1, label="seasonal curve without noise")
    ax.plot(days, ewa(theta, beta), color=colors[beta], lw=2, label=rf"$v_t$ with $\beta = {beta}$")
    ax.set_title(rf"$\beta = {beta}$: about the last $1/(1-\beta) = {1 / (1 - beta):.0f}$ days")
    ax.set_xlabel("day $t$")
    ax.legend(fontsize=8, loc="upper left")
axes[0].set_ylabel("temperature")
fig.tight_layout()
plt.show()

# %% [markdown]
# - $\beta = 0.5$ averages about 2 days: it follows the data closely, noise included.
# - $\beta = 0.9$ averages about 10 days: much smoother, and still on the curve.
# - $\beta = 0.98$ averages about 50 days: very smooth, but it **lags** — it peaks weeks after the
#   real summer peak, because it still remembers the cooler days of the past weeks. It also starts
#   from 0 and takes weeks to reach the data: that is the start-up bias of section 5.
#
# Choosing $\beta$ trades noise against lag. In momentum (lesson 03), $\beta = 0.9$ — an average
# over about the last 10 gradients — is the usual choice.

# %% [markdown]
# ### Try any $\beta$
#
# The figure below draws the average for one $\beta$ at a time, with the window
# $1/(1-\beta)$ in its title. The cell after it attaches a slider to the same figure: drag it
# from 0.5 to 0.99 and watch the curve go from noisy to smooth and late. (Without a running
# kernel, for example on a static page, only the figure for $\beta = 0.9$ shows.)

# %% tags=["experiment"]
import ipywidgets as widgets


def draw_average(beta=0.9):
    fig, ax = plt.subplots(figsize=(9, 3.6))
    ax.plot(days, theta, ".", ms=3, color="0.6", label=r"daily values $\theta_t$")
    ax.plot(days, season, "k--", lw=1, label="seasonal curve without noise")
    ax.plot(days, ewa(theta, beta), color="C2", lw=2, label=rf"$v_t$, $\beta = {beta:.2f}$")
    ax.set_title(rf"$\beta = {beta:.2f}$: a window of about $1/(1-\beta) = {1 / (1 - beta):.0f}$ days")
    ax.set_xlabel("day $t$")
    ax.set_ylabel("temperature")
    ax.set_ylim(-15, 35)
    ax.legend(fontsize=8, loc="upper left")
    plt.show()


draw_average(0.9)

# %% tags=["experiment"]
beta_slider = widgets.FloatSlider(value=0.9, min=0.5, max=0.99, step=0.01, description="beta")
widgets.interact(draw_average, beta=beta_slider)
None  # the figure is the output, not the function that interact returns

# %% [markdown]
# ## 4. Concept: why "about $1/(1-\beta)$ values"?
#
# The weights $(1-\beta)\beta^k$ never reach zero, so the window has no sharp edge; we need a
# convention for where it "ends". Write $\varepsilon = 1-\beta$. The weight $k$ steps back is
# $\beta^k = (1-\varepsilon)^k$ times the weight of today's value, and after $k = 1/\varepsilon$ steps
#
# $$\beta^{1/(1-\beta)} = (1-\varepsilon)^{1/\varepsilon} \approx \frac{1}{e} \approx 0.37,$$
#
# because $\ln(1-\varepsilon) \approx -\varepsilon$ for small $\varepsilon$, so
# $(1-\varepsilon)^{1/\varepsilon} = e^{\ln(1-\varepsilon)/\varepsilon} \approx e^{-1}$. So a value
# $1/(1-\beta)$ steps old counts about a third as much as today's, and older values fade further:
# that is the sense in which $v_t$ averages the last $1/(1-\beta)$ values. Those values carry
# $1 - \beta^{1/(1-\beta)} \approx 1 - 1/e \approx 63\%$ of the total weight. For $\beta = 0.98$:
# $\varepsilon = 0.02$, $1/\varepsilon = 50$ days, and $0.98^{50} = 0.364$.
#
# The figure draws the weights of each $\beta$ (left) and the same weights divided by today's
# weight, against the age measured in windows $k(1-\beta)$ (right): all three collapse onto
# the curve $e^{-k(1-\beta)}$, which crosses $1/e$ at one window.

# %% tags=["experiment"]
print(f"{'beta':>6} {'1/(1-beta)':>11} {'beta**(1/(1-beta))':>19}   1/e = {np.exp(-1):.4f}")
for beta in [0.5, 0.9, 0.98, 0.999]:
    print(f"{beta:>6} {1 / (1 - beta):>11.0f} {beta ** (1 / (1 - beta)):>19.4f}")

ages = np.arange(0, 151)
fig, (ax_weights, ax_scaled) = plt.subplots(1, 2, figsize=(13, 4.2))
for beta in betas:
    weights = (1 - beta) * beta**ages
    window = 1 / (1 - beta)
    ax_weights.plot(ages, weights, color=colors[beta], lw=1.5, label=rf"$\beta = {beta}$")
    ax_weights.plot(window, (1 - beta) * beta**window, "o", color=colors[beta], ms=7)
    ax_weights.annotate(f"k = {window:.0f}: weight / today's = {beta**window:.2f}",
                        (window, (1 - beta) * beta**window), textcoords="offset points", xytext=(8, 8), fontsize=8)
    ax_scaled.plot(ages * (1 - beta), beta**ages, color=colors[beta], lw=1.5, label=rf"$\beta = {beta}$")
ax_weights.set_yscale("log")
ax_weights.set_ylim(1e-4, 1)
ax_weights.set_xlabel("age $k$ of the value (steps into the past)")
ax_weights.set_ylabel(r"weight $(1-\beta)\,\beta^k$ of $\theta_{t-k}$ in $v_t$")
ax_weights.set_title(r"the weights; dots at $k = 1/(1-\beta)$")
ax_weights.legend()
x = np.linspace(0, 4, 200)
ax_scaled.plot(x, np.exp(-x), "k--", lw=1, label=r"$e^{-k(1-\beta)}$")
ax_scaled.axhline(np.exp(-1), color="0.5", lw=0.8, ls=":")
ax_scaled.axvline(1, color="0.5", lw=0.8, ls=":")
ax_scaled.plot(1, np.exp(-1), "ko", ms=6)
ax_scaled.annotate(r"$1/e \approx 0.37$ after one window", (1, np.exp(-1)), textcoords="offset points",
                   xytext=(10, 10), fontsize=9)
ax_scaled.set_xlim(0, 4)
ax_scaled.set_xlabel(r"age in windows, $k\,(1-\beta)$")
ax_scaled.set_ylabel(r"weight relative to today's, $\beta^k$")
ax_scaled.set_title(r"$(1-\varepsilon)^{1/\varepsilon} \approx 1/e$: one curve for every $\beta$")
ax_scaled.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# You can check the unrolled formula with your own function: the last value of `ewa(theta, 0.9)`
# is exactly the weighted sum of the past values with the weights above.

# %% tags=["experiment"]
beta = 0.9
T = theta.size
weights = (1 - beta) * beta ** np.arange(T)  # weight of theta_T, theta_{T-1}, ..., theta_1
print(f"ewa(theta, 0.9)[-1]                  = {ewa(theta, beta)[-1]:.10f}")
print(f"sum_k (1-beta) beta^k theta_(T-k)    = {np.sum(weights * theta[::-1]):.10f}")
print(f"weight of the last 10 values          = {weights[:10].sum():.3f}  (1 - 0.9**10; about 1 - 1/e)")

# %% [markdown]
# ## 5. Concept: the start-up bias and its correction
#
# Because $v_0 = 0$, the first averages are too small. With $\beta = 0.98$ and a first
# temperature of 10°, $v_1 = 0.02 \times 10 = 0.2°$. The reason is visible in the unrolled sum:
# at step $t$ the weights add up to only $1-\beta^t$, not 1 — the missing weight $\beta^t$ is
# the weight of $v_0 = 0$. For a constant series $\theta_t = c$, indeed $v_t = (1-\beta^t)\,c$.
#
# The **bias correction** divides by that total weight, turning the weighted sum into a
# weighted mean:
#
# $$\hat v_t = \frac{v_t}{1-\beta^t}, \qquad t = 1, 2, \dots \tag{3}$$
#
# with $t$ counted from 1: $\hat v_1 = (1-\beta)\theta_1 / (1-\beta) = \theta_1$ exactly. For large
# $t$, $\beta^t \to 0$ and the correction fades away by itself (for $\beta = 0.98$, $1-\beta^t$
# exceeds 0.99 after about 230 steps). Note that only the returned values are divided: the
# recursion itself keeps running on the uncorrected $v_t$.
#
# In practice the bias matters whenever the first steps matter: it is why Adam (lesson 05)
# corrects both of its averages — without it, Adam's first updates would use a badly scaled
# step. For a long series, where only the later values count, people often skip it.

# %% [markdown]
# ## 6. Implement: `ewa_bias_corrected`
#
# Return the corrected averages $\hat v_1, \dots, \hat v_T$ of equation (3). Build on your `ewa`
# rather than writing the recursion again.

# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# The recursion runs on the *uncorrected* values: compute all of $v_1, \dots, v_T$ first, with
# `ewa`. Then each $v_t$ is divided by its own total weight $1-\beta^t$, which depends on $t$
# only. Mind the count: $t$ starts at 1, while array positions start at 0.
#
# </details>
# <details><summary>Hint 2 (close to code)</summary>
#
# `v = ewa(theta, beta)`; the step numbers are `np.arange(1, T + 1)` (with `T = len(v)`), and
# `beta ** steps` raises `beta` to each of them at once. One elementwise division of `v` by
# `1 - beta ** steps` gives the result, a new array.
#
# </details>

# %% nbgrader={"grade_id": "ewa_bias_corrected"} checks={"visible": 1, "hidden": 2}
def ewa_bias_corrected(theta, beta):
    """Bias-corrected exponentially weighted average: equation (3) of section 5 (lesson 02).

    theta: (T,) float array, the series (T >= 1); not modified. beta: float in [0, 1).
    Returns v_hat: a new (T,) float array, v_hat[t-1] = the corrected average after t values,
    made from the uncorrected v_t of `ewa` (corrected values are never fed back).
    """
    ### BEGIN SOLUTION
    v = ewa(theta, beta)
    t = np.arange(1, v.shape[0] + 1)
    return v / (1 - beta**t)
    ### END SOLUTION


# %% [markdown]
# ### Predict, then check
#
# Take $\beta = 0.5$ and a series that starts $\theta_1 = 10$, $\theta_2 = 10$. What are $v_2$,
# the uncorrected average after two values, and $\hat v_2$, its bias-corrected value? Work them
# out by hand from equations (1) and (3), before running anything.

# %% nbgrader={"grade_id": "predict_ewa_start"} answer={"points": 1}
### BEGIN SOLUTION
v2 = 7.5
v2_corrected = 10.0
### END SOLUTION

# %% [markdown]
# Check your two numbers against your functions:

# %% tags=["experiment"]
two_tens = np.array([10.0, 10.0])
print(f"ewa(theta, 0.5)                = {ewa(two_tens, 0.5)}   (v_1, v_2)")
print(f"ewa_bias_corrected(theta, 0.5) = {ewa_bias_corrected(two_tens, 0.5)}   (v_hat_1, v_hat_2)")

# %% [markdown]
# ## 7. Experiment: the bias, corrected
#
# To make the bias plain, start averaging in summer: the series below is the same year from
# day 151 on, so $\theta_1$ is about 20°. With $\beta = 0.98$ the plain average creeps up from 0
# and needs weeks to reach the data; the corrected one starts on the data at once and merges
# with the plain one as $\beta^t$ dies out. On the right, the correction factor $1/(1-\beta^t)$ for each $\beta$:
# it starts at $1/(1-\beta)$ and is close to 1 after a few windows of $1/(1-\beta)$ steps.

# %% tags=["experiment"]
summer, summer_season = theta[150:250], season[150:250]  # 100 days from day 151 on
t_summer = np.arange(1, summer.size + 1)
fig, (ax_days, ax_factor) = plt.subplots(1, 2, figsize=(13, 4.2))
ax_days.plot(t_summer, summer, ".", ms=4, color="0.6", label=r"daily values $\theta_t$")
ax_days.plot(t_summer, summer_season, "k--", lw=1, label="seasonal curve without noise")
ax_days.plot(t_summer, ewa(summer, 0.98), color="C3", lw=2, label=r"$v_t$ (no correction)")
ax_days.plot(t_summer, ewa_bias_corrected(summer, 0.98), color="C0", lw=2,
             label=r"$\hat v_t = v_t / (1-\beta^t)$")
ax_days.set_xlabel("step $t$ (day 150 + t of the year)")
ax_days.set_ylabel("temperature")
ax_days.set_title(r"start-up with $\beta = 0.98$, averaging from day 151")
ax_days.legend(fontsize=8)
steps = np.arange(1, 301)
for beta in betas:
    ax_factor.plot(steps, 1 / (1 - beta**steps), color=colors[beta], lw=1.5, label=rf"$\beta = {beta}$")
ax_factor.set_xscale("log")
ax_factor.set_yscale("log")
ax_factor.axhline(1, color="0.5", lw=0.8, ls=":")
ax_factor.set_xlabel("step $t$")
ax_factor.set_ylabel(r"correction factor $1/(1-\beta^t)$")
ax_factor.set_title("the correction fades after a few windows")
ax_factor.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# The corrected average is noisier during the first days — it averages only the few values seen
# so far, which is the honest thing to do — but it is centred on the data from its first step.
# The plain average closes the gap only slowly: at $t = 100$, two windows of 50 steps, it still
# carries $1 - 0.98^{100} = 0.87$ of the weight, and the correction still adds 15 %. After about
# five windows ($t \approx 230$ here) the two differ by less than 1 %.

# %% [markdown]
# ## Summary
#
# - $v_t = \beta v_{t-1} + (1-\beta)\theta_t$ with $v_0 = 0$ is a weighted average of all past values
#   with weights $(1-\beta)\beta^k$ that decay exponentially with the age $k$; it needs one number
#   of memory.
# - It covers about the last $1/(1-\beta)$ values, since $\beta^{1/(1-\beta)} \approx 1/e$. Larger
#   $\beta$: smoother, but more lag.
# - Starting from 0 biases the first values towards 0, since the weights sum to $1-\beta^t$;
#   $\hat v_t = v_t / (1-\beta^t)$, with $t$ counted from 1, removes the bias.
#
# ## On your own
#
# 1. For the seasonal series, find the $\beta$ whose average (bias-corrected) is closest to the
#    noiseless curve in mean squared error. Is it the smoothest one? Explain with noise and lag.
# 2. The lag of $v_t$ behind a straight line $\theta_t = a t$ tends to a constant. Compute it
#    numerically for several $\beta$ and compare with $\beta/(1-\beta)$.
# 3. Compare `ewa(theta, 0.9)` with a plain moving average over the last 10 days
#    (`np.convolve(theta, np.ones(10) / 10, mode="valid")`). Which one reacts faster to a jump?
# 4. Some libraries write the update as $v_t = \beta v_{t-1} + \theta_t$ (no $1-\beta$). What does that
#    $v_t$ tend to for a constant series, and by what factor would you have to rescale it?
