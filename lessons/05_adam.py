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
# RMSprop (lesson 04) with a bias correction (lesson 02), then race it against the others.
#
# **What you'll learn.**
# - why Adam keeps two moving averages, and what each one does;
# - why the bias correction matters for the first steps;
# - how saddle points and plateaus slow plain gradient descent, and why adaptive methods escape them.
#
# **What you need.** Lessons 02–04; numpy.

# %%
import matplotlib.pyplot as plt
import numpy as np

from coursekit import data, network, optimizers, plots, surfaces, training
from coursekit.checking import check

# %% [markdown]
# ## 1. Concept: Adam
#
# For every parameter $W$ (and $b$) with gradient $dW$ at update $t = 1, 2, \dots$:
#
# $$v_{dW} = \beta_1 v_{dW} + (1-\beta_1)\, dW \qquad s_{dW} = \beta_2 s_{dW} + (1-\beta_2)\, dW^2$$
#
# $$\hat v_{dW} = \frac{v_{dW}}{1-\beta_1^t} \qquad \hat s_{dW} = \frac{s_{dW}}{1-\beta_2^t}
# \qquad W = W - \alpha \frac{\hat v_{dW}}{\sqrt{\hat s_{dW}} + \varepsilon}$$
#
# - $\alpha$: learning rate; $\beta_1$ (default 0.9): momentum averaging; $\beta_2$ (default 0.999):
#   averaging of the squared gradients; $\varepsilon$ (default $10^{-8}$): keeps the division
#   safe, **outside** the square root;
# - $v$, $s$ start at zero, which is why the corrected $\hat v$, $\hat s$ are used in the step.

# %% [markdown]
# ## 2. Implement
#
# `init_adam(parameters)` returns two **independent** dicts of zeros with keys `dW1, db1, ...`.

# %% nbgrader={"grade_id": "init_adam"}
def init_adam(parameters):
    """Zero first and second moments for every parameter (lesson 05).

    parameters: dict "W1", "b1", ... Returns (v, s): two independent dicts "dW1", "db1", ...
    of zeros shaped like the matching parameter.
    """
    ### BEGIN SOLUTION
    v = {"d" + key: np.zeros_like(value) for key, value in parameters.items()}
    s = {"d" + key: np.zeros_like(value) for key, value in parameters.items()}
    return v, s
    ### END SOLUTION


# %% nbgrader={"grade_id": "test_init_adam", "points": 1}
check("test_init_adam", init_adam)

# %% nbgrader={"grade_id": "test_init_adam_hidden", "points": 1}
# The grader runs more checks on init_adam here.
check("test_init_adam", init_adam, quiet=True)
### BEGIN HIDDEN TESTS
from grader.hidden import check_hidden

check_hidden("test_init_adam_hidden", init_adam)
### END HIDDEN TESTS

# %% [markdown]
# `adam_update(parameters, grads, v, s, t, *, learning_rate, beta1, beta2, epsilon)` makes one
# update and returns `(parameters, v, s)` as new dicts, with the **uncorrected** `v` and `s`.

# %% nbgrader={"grade_id": "adam_update"}
def adam_update(parameters, grads, v, s, t, *, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """One step of Adam (lesson 05); t is the 1-based number of this update.

    v = beta1 * v + (1 - beta1) * dW            v_hat = v / (1 - beta1**t)
    s = beta2 * s + (1 - beta2) * dW**2         s_hat = s / (1 - beta2**t)
    W = W - learning_rate * v_hat / (sqrt(s_hat) + epsilon)

    parameters: dict "W1" (n1, n0), "b1" (n1, 1), ...; grads, v, s: dicts "dW1", "db1", ...
    Returns (parameters, v, s) with the uncorrected v and s; the arguments are not modified.
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


# %% nbgrader={"grade_id": "test_adam_update", "points": 1}
check("test_adam_update", adam_update)

# %% nbgrader={"grade_id": "test_adam_update_hidden", "points": 3}
# The grader runs more checks on adam_update here.
check("test_adam_update", adam_update, quiet=True)
### BEGIN HIDDEN TESTS
from grader.hidden import check_hidden

check_hidden("test_adam_update_hidden", adam_update)
### END HIDDEN TESTS

# %% [markdown]
# ## 3. Experiment: Adam on a loss surface

# %% tags=["experiment"]
adam = optimizers.adam(init_adam, adam_update)
path = surfaces.run_on_surface(adam, surfaces.elongated_quadratic(), (-1.8, 0.6), learning_rate=0.1, steps=60)
plots.plot_trajectories(surfaces.elongated_quadratic(), {"Adam": path})
plt.show()

# %% [markdown]
# ## Summary
#
# - Adam = momentum ($v$) + RMSprop ($s$) + bias correction ($1-\beta^t$).
#
# ## On your own
#
# 1. Set $\beta_1 = 0$: which optimizer do you get?
