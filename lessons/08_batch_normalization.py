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
# # Lesson 08 — Batch normalization
#
# **What you'll do.** Implement batch normalization: its forward pass; its backward pass twice,
# node by node on its computational graph and then as one formula, checked against each other and
# against finite differences; the running averages it keeps for test time, and the test-time
# normalization. Then train a deep network with and without it, and measure the noise that
# mini-batch statistics add.
#
# **What you'll learn.**
# - what batch norm computes, and what its learnable $\gamma$ and $\beta$ are for;
# - how the gradient flows through the batch mean and variance, one node of the graph at a time,
#   and why each row of $dZ$ sums to zero;
# - why a network with batch norm needs running averages (lesson 02) at test time;
# - why batch norm makes training less sensitive to the learning rate and to the initial
#   weights; covariate shift; batch norm's slight regularization effect.
#
# **What you need.** Lessons 01–02 (mini-batches, exponentially weighted averages); numpy.

# %%
import matplotlib.pyplot as plt
import numpy as np

from coursekit import data, gradcheck, network, plots
from coursekit.checking import check
from coursekit.earlier import load

# %% [markdown]
# ## 1. Concept: normalize every layer, not only the inputs
#
# Normalizing the input features (zero mean, unit variance each) turns an elongated cost bowl
# into a rounder one, which gradient descent crosses much faster. Batch norm applies the same
# idea to the **hidden layers**: the pre-activations $Z^{[l]} = W^{[l]} A^{[l-1]}$ of layer $l$,
# before the activation function, are normalized **over the examples of the current
# mini-batch**. For each unit (a row of $Z$, shape $(n, m)$, $m$ examples in the batch):
#
# $$\mu = \frac{1}{m}\sum_{i=1}^{m} z^{(i)} \qquad \sigma^2 = \frac{1}{m}\sum_{i=1}^{m} \big(z^{(i)} - \mu\big)^2 \tag{1}$$
#
# $$z_{\text{norm}}^{(i)} = \frac{z^{(i)} - \mu}{\sqrt{\sigma^2 + \varepsilon}} \qquad
# \tilde z^{(i)} = \gamma\, z_{\text{norm}}^{(i)} + \beta \tag{2}$$
#
# - $\mu$, $\sigma^2$: mean and variance of the unit over the batch, shape $(n, 1)$; the
#   variance is the **biased** one (divide by $m$, not $m-1$): it describes this batch exactly, it
#   does not estimate anything;
# - $\varepsilon = 10^{-5}$, **inside** the square root: it keeps the division finite when a unit
#   is constant over the batch ($\sigma^2 = 0$);
# - $\gamma$, $\beta$, shape $(n, 1)$: **learned** like the weights. Normalizing to mean 0 and
#   variance 1 is not always what the next layer wants (a ReLU fed with mean-0 inputs zeroes half
#   of them); $\gamma$ and $\beta$ let the network choose any spread and mean. With
#   $\gamma = \sqrt{\sigma^2 + \varepsilon}$ and $\beta = \mu$ it could even undo the normalization.
#
# The bias $b^{[l]}$ becomes useless: whatever constant it adds, subtracting $\mu$ removes it. A
# layer with batch norm has parameters $W^{[l]}, \gamma^{[l]}, \beta^{[l]}$ and no $b^{[l]}$ (this is
# what `network.init_parameters(..., batchnorm=True)` builds). Mind the name clash: this $\beta$
# is a shift, not the averaging $\beta$ of momentum.

# %% [markdown]
# ## 2. Implement `batchnorm_forward`
#
# `batchnorm_forward(Z, gamma, beta, epsilon=1e-5)` returns `(Z_tilde, cache)`: equations (1) and
# (2), for every row of `Z` at once. Compute the statistics along `axis=1` (the examples) with
# `keepdims=True`, so that they have shape `(n, 1)` and broadcast over the batch. The `cache` is a
# dict that carries what the backward pass and the running averages need. It must hold at least
# `"mu"` and `"var"` (the running averages use them, and the checks of the forward pass look at
# `Z_tilde`, `"mu"` and `"var"`); the other keys are your choice, since only your own
# `batchnorm_backward` reads them. These five are enough:
#
# | key | value |
# |---|---|
# | `"mu"` | $\mu$, shape `(n, 1)` |
# | `"var"` | $\sigma^2$, shape `(n, 1)` |
# | `"Z_norm"` | $Z_{\text{norm}}$, shape `(n, m)` |
# | `"gamma"` | $\gamma$, shape `(n, 1)` |
# | `"epsilon"` | $\varepsilon$ (a float) |

# %% nbgrader={"grade_id": "batchnorm_forward"} checks={"visible": 1, "hidden": 2}
def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
    """Batch norm of pre-activations over the mini-batch: equations (1) and (2) (lesson 08).

    Z: (n, m), one row per unit, one column per example; gamma, beta: (n, 1); epsilon: a float.
    Returns (Z_tilde, cache): Z_tilde (n, m), a new array; cache, a dict holding at least "mu" and
    "var", the biased batch statistics (n, 1), and whatever your batchnorm_backward will read.
    Z, gamma and beta are not modified.
    """
    ### BEGIN SOLUTION
    mu = Z.mean(axis=1, keepdims=True)
    var = ((Z - mu) ** 2).mean(axis=1, keepdims=True)
    Z_norm = (Z - mu) / np.sqrt(var + epsilon)
    cache = {"mu": mu, "var": var, "Z_norm": Z_norm, "gamma": gamma, "epsilon": epsilon}
    return gamma * Z_norm + beta, cache
    ### END SOLUTION


# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# Each row is one unit: its mean and its variance run over that row's $m$ examples, and the
# variance divides by $m$. Normalize the row with them ($\varepsilon$ under the root), then scale by
# the row's $\gamma$ and shift by its $\beta$. Put in the cache what the backward pass will need
# besides $\mu$ and $\sigma^2$: the table above.
#
# </details>
# <details><summary>Hint 2 (close to code)</summary>
#
# `Z.mean(axis=1, keepdims=True)` is $\mu$, shape `(n, 1)`; the variance is the same mean taken of
# `(Z - mu) ** 2` (or `Z.var(axis=1, keepdims=True)`, which also divides by $m$); `np.sqrt(var +
# epsilon)` is the denominator. Broadcasting an `(n, 1)` column over `(n, m)` does the rest. Return
# the pair `(gamma * Z_norm + beta, {"mu": mu, "var": var, ...})`.
#
# </details>

# %% [markdown]
# ### Experiment: three units before and after batch norm
#
# A batch of 256 pre-activations of three units with very different means and spreads. After
# normalization all three have mean 0 and variance 1; $\gamma$ and $\beta$ then give each unit
# the spread and the mean the network has learned for it. Normalization changes the location and
# the scale of a distribution, not its shape: unit 3 stays skewed.

# %% tags=["experiment"]
rng = np.random.default_rng(0)
Z = np.array([[-4.0], [1.0], [6.0]]) + np.array([[0.5], [2.0], [1.0]]) * rng.standard_normal((3, 256))
Z[2] = np.abs(Z[2] - 6) + 5  # a skewed unit: normalization fixes mean and variance, not the shape
gamma_demo, beta_demo = np.array([[1.0], [0.5], [2.0]]), np.array([[0.0], [3.0], [-2.0]])
ones, zeros = np.ones((3, 1)), np.zeros((3, 1))
Z_norm_demo, _ = batchnorm_forward(Z, ones, zeros)
Z_tilde_demo, _ = batchnorm_forward(Z, gamma_demo, beta_demo)

figure, axes = plt.subplots(1, 3, figsize=(13, 3.4), sharey=True)
titles = ["pre-activations Z", r"$Z_{norm}$ ($\gamma = 1$, $\beta = 0$)",
          r"$\tilde Z$ with $\gamma = (1, 0.5, 2)$, $\beta = (0, 3, -2)$"]
for ax, values, title in zip(axes, [Z, Z_norm_demo, Z_tilde_demo], titles, strict=True):
    for unit in range(3):
        mean, std = round(values[unit].mean(), 2) + 0.0, values[unit].std()  # + 0.0: no "-0.00"
        ax.hist(values[unit], bins=30, alpha=0.55, label=f"unit {unit + 1}: mean {mean:.2f}, std {std:.2f}")
    ax.set_title(title)
    ax.set_xlabel("value")
    ax.legend(fontsize=7, loc="upper left")
    ax.set_ylim(0, 38)
axes[0].set_ylabel("examples in the batch")
figure.tight_layout()
plt.show()

# %% [markdown]
# ### Predict, then check
#
# A mini-batch of **one** example goes through batch norm as in training, with the statistics of
# its batch: one unit, $z = 3$, with $\gamma = 2$, $\beta = 0.5$ and the default
# $\varepsilon = 10^{-5}$. **What is $\tilde z$?** Work it out by hand from equations (1) and (2),
# before running anything.

# %% nbgrader={"grade_id": "predict_batch_of_one"} answer={"points": 1}
### BEGIN SOLUTION
z_tilde_one_example = 0.5
### END SOLUTION

# %% [markdown]
# Check it with your `batchnorm_forward`, and try other values of $z$ and $\gamma$.

# %% tags=["experiment"]
for z, gamma_one in [(3.0, 2.0), (-7.0, 2.0), (100.0, -4.0)]:
    one_example, _ = batchnorm_forward(np.array([[z]]), np.array([[gamma_one]]), np.array([[0.5]]))
    print(f"batch of one example z = {z:6.1f}, gamma = {gamma_one:4.1f}, beta = 0.5: z_tilde = {one_example[0, 0]:.6g}")

# %% [markdown]
# With one example, $\mu = z$ and $\sigma^2 = 0$. So $z - \mu = 0$, and thanks to $\varepsilon$ the
# division gives $0/\sqrt{\varepsilon} = 0$, not an error: $z_{\text{norm}} = 0$ and $\tilde z =
# \beta$, whatever $z$ and $\gamma$. Batch norm with batch statistics has erased everything the
# example carried. Section 7 comes back to what this means when a trained network predicts one
# example at a time.
#
# ## 3. Concept: the backward pass, one node at a time
#
# The backward pass receives $d\tilde Z = \partial J / \partial \tilde Z$ (shape $(n, m)$; it
# already carries the $1/m$ of the mean cost) and returns the gradients with respect to $Z$,
# $\gamma$ and $\beta$. Equations (1) and (2) are a chain of small steps, a **computational
# graph**. Per unit (sums and means run over the $m$ examples of the batch):
#
# | node | forward | inputs | shape of the output |
# |---|---|---|---|
# | (a) mean | $\mu = \frac{1}{m}\sum_i z^{(i)}$ | $Z$ | $(n, 1)$ |
# | (b) centre | $z_c^{(i)} = z^{(i)} - \mu$ | $Z$, $\mu$ | $(n, m)$ |
# | (c) variance | $\sigma^2 = \frac{1}{m}\sum_i \big(z_c^{(i)}\big)^2$ | $z_c$ | $(n, 1)$ |
# | (d) spread | $s = \sqrt{\sigma^2 + \varepsilon}$ | $\sigma^2$ | $(n, 1)$ |
# | (e) normalize | $z_{\text{norm}}^{(i)} = z_c^{(i)} / s$ | $z_c$, $s$ | $(n, m)$ |
# | (f) scale and shift | $\tilde z^{(i)} = \gamma\, z_{\text{norm}}^{(i)} + \beta$ | $z_{\text{norm}}$, $\gamma$, $\beta$ | $(n, m)$ |
#
# The backward pass walks the graph from the end, (f), to the start, (a). At each node, the
# gradient of the node's output times the node's local derivative gives the gradient of each of
# its inputs. Two rules complete the chain rule:
#
# - a value that feeds several nodes receives a gradient from each, and they **add up**: $z_c$
#   feeds (c) and (e), $Z$ feeds (a) and (b);
# - a value shared by the whole batch ($\mu$, $\sigma^2$, $s$, $\gamma$, $\beta$, shape $(n, 1)$)
#   influences every example, so its gradient is a **sum over the examples**.
#
# Node (f), worked out: $\partial\tilde z^{(i)}/\partial\beta = 1$, $\partial\tilde z^{(i)}/\partial\gamma =
# z_{\text{norm}}^{(i)}$ and $\partial\tilde z^{(i)}/\partial z_{\text{norm}}^{(i)} = \gamma$, so
#
# $$d\beta = \sum_{i=1}^{m} d\tilde z^{(i)} \qquad d\gamma = \sum_{i=1}^{m} d\tilde z^{(i)}\, z_{\text{norm}}^{(i)}
# \qquad dz_{\text{norm}}^{(i)} = \gamma\, d\tilde z^{(i)}. \tag{3}$$
#
# The other five nodes are yours: each local derivative is one line of calculus (of a quotient,
# a square root, a mean of squares, a difference, a mean).
#
# ## 4. Implement `batchnorm_backward_staged`
#
# `batchnorm_backward_staged(dZ_tilde, Z, gamma, epsilon=1e-5)` returns `(dZ, dgamma, dbeta)`,
# shapes `(n, m)`, `(n, 1)`, `(n, 1)`. It recomputes the forward graph from `Z`, one line per
# node (a) to (e) with a variable for each, then steps back from (f) to (a), one or two lines per
# node, each gradient in a variable named after its value (`dZ_c`, `ds`, `dvar`, `dmu`, ...). Do not
# simplify anything yet: the point is that each line is a small step you can check. ($\beta$ is
# not an argument: no gradient depends on it.) The two locked cells after the hints grade it: the
# first checks your function on a small batch and names the node to look at when a check fails,
# the second runs hidden checks on other batches.

# %% nbgrader={"grade_id": "batchnorm_backward_staged"}
def batchnorm_backward_staged(dZ_tilde, Z, gamma, epsilon=1e-5):
    """Gradients of batch norm, node by node on its computational graph (lesson 08, section 3).

    dZ_tilde: (n, m), the gradient of the cost with respect to Z_tilde; Z: (n, m) and gamma: (n, 1),
    the inputs of the forward pass, and its epsilon. Recomputes the nodes (a) to (e), then goes
    back from (f) to (a), one small step per node.
    Returns (dZ (n, m), dgamma (n, 1), dbeta (n, 1)), new arrays; the inputs are not modified.
    """
    ### BEGIN SOLUTION
    m = Z.shape[1]
    mu = Z.mean(axis=1, keepdims=True)  # (a)
    Z_c = Z - mu  # (b)
    var = (Z_c**2).mean(axis=1, keepdims=True)  # (c)
    s = np.sqrt(var + epsilon)  # (d)
    Z_norm = Z_c / s  # (e)

    dbeta = dZ_tilde.sum(axis=1, keepdims=True)  # (f), equation (3)
    dgamma = (dZ_tilde * Z_norm).sum(axis=1, keepdims=True)
    dZ_norm = gamma * dZ_tilde
    dZ_c = dZ_norm / s  # (e): the first gradient of Z_c
    ds = (dZ_norm * -Z_c / s**2).sum(axis=1, keepdims=True)  # (e): s is shared by the batch
    dvar = ds / (2 * s)  # (d)
    dZ_c = dZ_c + 2 * Z_c / m * dvar  # (c): the second gradient of Z_c adds up
    dmu = -dZ_c.sum(axis=1, keepdims=True)  # (b): mu is shared by the batch
    dZ = dZ_c + dmu / m  # (b) and (a): the two gradients of Z add up
    return dZ, dgamma, dbeta
    ### END SOLUTION


# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# Write the forward pass as five short lines, (a) to (e), keeping each value. Then write the
# backward steps in reverse order, starting with (3). Each step multiplies the gradient of a node's
# output by a local derivative. Two things are easy to miss: $z_c$ and $Z$ each get **two**
# gradients, which you add; and the gradients of $s$, $\sigma^2$ and $\mu$ are **sums over the
# batch**, because each of them influences every example.
#
# </details>
# <details><summary>Hint 2 (the local derivatives)</summary>
#
# - (e) $z_{\text{norm}} = z_c / s$: $\ \partial/\partial z_c = 1/s$, $\ \partial/\partial s = -z_c/s^2$;
# - (d) $s = \sqrt{\sigma^2 + \varepsilon}$: $\ ds/d\sigma^2 = 1/(2s)$;
# - (c) $\sigma^2 = \frac{1}{m}\sum_i (z_c^{(i)})^2$: $\ \partial\sigma^2/\partial z_c^{(i)} = 2 z_c^{(i)}/m$;
# - (b) $z_c = z - \mu$: $\ \partial/\partial z = 1$, $\ \partial/\partial\mu = -1$;
# - (a) $\mu = \frac{1}{m}\sum_i z^{(i)}$: $\ \partial\mu/\partial z^{(i)} = 1/m$.
#
# </details>
# <details><summary>Hint 3 (close to code)</summary>
#
# With `m = Z.shape[1]` and every sum over the batch written `.sum(axis=1, keepdims=True)`:
# `dZ_norm = gamma * dZ_tilde`; from (e), `dZ_c` is `dZ_norm / s` and `ds` is the batch sum of
# `dZ_norm * (-Z_c / s**2)`; from (d), `dvar = ds / (2 * s)`; from (c), add `2 * Z_c / m * dvar` to
# `dZ_c`; from (b), `dmu` is minus the batch sum of `dZ_c`; from (a), `dZ = dZ_c + dmu / m`.
#
# </details>

# %% nbgrader={"grade_id": "test_batchnorm_backward_staged", "points": 1}
# Your staged backward on two units and four examples whose gradients are known.
Z_staged = np.array([[1.0, 2.0, 4.0, 7.0], [0.5, -1.0, 0.0, 2.5]])
gamma_staged = np.array([[2.0], [-0.5]])
dZ_tilde_staged = np.array([[0.3, -0.1, 0.2, 0.4], [1.0, 0.0, -2.0, 0.5]])
originals = [Z_staged.copy(), gamma_staged.copy(), dZ_tilde_staged.copy()]
dZ_s, dgamma_s, dbeta_s = batchnorm_backward_staged(dZ_tilde_staged, Z_staged, gamma_staged)
assert all(np.array_equal(before, after) for before, after in
           zip(originals, [Z_staged, gamma_staged, dZ_tilde_staged], strict=True)), \
    "batchnorm_backward_staged modified one of its inputs: compute new arrays instead"
assert np.shape(dZ_s) == (2, 4) and np.shape(dgamma_s) == (2, 1) and np.shape(dbeta_s) == (2, 1), \
    "the shapes must be dZ (n, m), dgamma (n, 1) and dbeta (n, 1): sum over the batch with keepdims=True"
assert np.allclose(dbeta_s, [[0.8], [-0.5]]), "node (f): dbeta is the sum of dZ_tilde over the examples of each row"
assert np.allclose(dgamma_s, [[0.392792], [1.568924]], atol=1e-6), \
    "node (f): dgamma is the sum over the examples of dZ_tilde times Z_norm"
assert np.allclose(dZ_s.sum(axis=1), 0.0, atol=1e-9), \
    "each row of dZ must sum to 0 (batch norm undoes any shift of the whole batch): look at the gradient through " \
    "mu, nodes (b) and (a), and at the two gradients of Z_c that add up"
Z_c_staged = Z_staged - Z_staged.mean(axis=1, keepdims=True)  # each row of Z_norm is a multiple of this one
assert np.allclose((dZ_s * Z_c_staged).sum(axis=1), 0.0, atol=1e-4), \
    "each row of dZ must be orthogonal to Z_norm (batch norm undoes any stretch of the batch): look at the " \
    "gradient through the spread, nodes (e), (d) and (c)"
assert np.allclose(dZ_s, [[0.180809, -0.205748, -0.018704, 0.043644], [-0.44126, -0.230057, 0.67509, -0.003773]],
                   atol=1e-6), "dZ is wrong although its rows sum to 0 and it is orthogonal to Z_norm: look at the " \
    "factor gamma of (3) and at the division by s in node (e)"

# %% nbgrader={"grade_id": "test_batchnorm_backward_staged_hidden", "points": 2}
# The grader runs more checks on batchnorm_backward_staged here: other shapes, another epsilon.
batchnorm_backward_staged(np.ones((1, 2)), np.array([[0.0, 1.0]]), np.ones((1, 1)))  # it must run at all
### BEGIN HIDDEN TESTS
def _closed_form_backward(dZ_tilde, Z, gamma, epsilon):
    spread = np.sqrt(Z.var(axis=1, keepdims=True) + epsilon)
    Z_norm = (Z - Z.mean(axis=1, keepdims=True)) / spread
    dZ_norm = gamma * dZ_tilde
    dZ = (dZ_norm - dZ_norm.mean(axis=1, keepdims=True)
          - Z_norm * (dZ_norm * Z_norm).mean(axis=1, keepdims=True)) / spread
    return dZ, (dZ_tilde * Z_norm).sum(axis=1, keepdims=True), dZ_tilde.sum(axis=1, keepdims=True)


_hidden_rng = np.random.default_rng(808)
for _shape, _epsilon, _scale in [((3, 5), 1e-5, 2.0), ((2, 3), 1e-5, 1.0), ((2, 6), 0.1, 0.1), ((2, 1), 1e-5, 1.0)]:
    _Z = _scale * _hidden_rng.standard_normal(_shape) + 1.0
    _gamma = _hidden_rng.standard_normal((_shape[0], 1))
    _dZ_tilde = _hidden_rng.standard_normal(_shape)
    _got = batchnorm_backward_staged(_dZ_tilde, _Z, _gamma, epsilon=_epsilon)
    for _value, _expected in zip(_got, _closed_form_backward(_dZ_tilde, _Z, _gamma, _epsilon), strict=True):
        assert np.shape(_value) == np.shape(_expected), f"a hidden case of shape {_shape}: the shapes"
        assert np.allclose(_value, _expected, atol=1e-7), f"a hidden case of shape {_shape}, epsilon {_epsilon}"
### END HIDDEN TESTS

# %% [markdown]
# ## 5. Concept: from the stages to one formula
#
# Your staged version is easy to check, but it computes and stores many intermediate arrays.
# Substituting the steps one into the next gives a single formula for $dZ$. A shorter road to
# it: $z^{(i)}$ enters $z_{\text{norm}}^{(i)}$ directly, but it also moves $\mu$ and $\sigma^2$, and
# through them **every** $z_{\text{norm}}^{(j)}$ of the batch. Write $s = \sqrt{\sigma^2 + \varepsilon}$.
# From $\partial\mu/\partial z^{(i)} = 1/m$ and $\partial\sigma^2/\partial z^{(i)} = 2(z^{(i)} - \mu)/m$
# (the other term vanishes because $\sum_j (z^{(j)} - \mu) = 0$):
#
# $$\frac{\partial z_{\text{norm}}^{(j)}}{\partial z^{(i)}} = \frac{1}{s}\Big(\delta_{ij} - \frac{1}{m}
# - \frac{z_{\text{norm}}^{(j)}\, z_{\text{norm}}^{(i)}}{m}\Big)$$
#
# and summing $dz_{\text{norm}}^{(j)}$ times this over $j$:
#
# $$dz^{(i)} = \frac{1}{\sqrt{\sigma^2 + \varepsilon}}\Big( dz_{\text{norm}}^{(i)}
# - \underbrace{\tfrac{1}{m}\textstyle\sum_j dz_{\text{norm}}^{(j)}}_{\text{through } \mu}
# - z_{\text{norm}}^{(i)}\, \underbrace{\tfrac{1}{m}\textstyle\sum_j dz_{\text{norm}}^{(j)} z_{\text{norm}}^{(j)}}_{\text{through } \sigma^2}
# \Big). \tag{4}$$
#
# The two subtracted terms have a meaning. Batch norm cancels any shift of the whole batch (the
# mean is subtracted) and any stretch of it (the spread is divided out), so the gradient has no
# component that shifts or stretches the batch: **each row of $dZ$ sums to zero**, and **each row
# of $dZ$ is orthogonal to the same row of $Z_{\text{norm}}$** (up to $\varepsilon$'s share
# $\varepsilon/(\sigma^2 + \varepsilon)$). If you treat $\mu$ and $\sigma^2$ as constants you keep
# only the first term, and the gradient is wrong.
#
# ## 6. Implement `batchnorm_backward`
#
# `batchnorm_backward(dZ_tilde, cache)` returns `(dZ, dgamma, dbeta)`, shapes `(n, m)`, `(n, 1)`,
# `(n, 1)`: $d\gamma$ and $d\beta$ by (3), $dZ$ by (4). It receives the cache that your own
# `batchnorm_forward` returns, so it may read any key you stored there: the checks make each cache
# by calling your forward pass. (If your forward pass is wrong, they fall back on the cache of a
# correct one, which holds the five keys of section 2.) It must not modify the cache.

# %% nbgrader={"grade_id": "batchnorm_backward"} checks={"visible": 1, "hidden": 3, "peers": ["batchnorm_forward"]}
def batchnorm_backward(dZ_tilde, cache):
    """Gradients of batch norm in one formula: equations (3) and (4) (lesson 08).

    dZ_tilde: (n, m), the gradient of the cost with respect to Z_tilde (it already carries the
    1/m of the mean cost). cache: what your batchnorm_forward returned; read it, do not modify it.
    Returns (dZ (n, m), dgamma (n, 1), dbeta (n, 1)), new arrays.
    """
    ### BEGIN SOLUTION
    Z_norm = cache["Z_norm"]
    dbeta = dZ_tilde.sum(axis=1, keepdims=True)
    dgamma = (dZ_tilde * Z_norm).sum(axis=1, keepdims=True)
    dZ_norm = cache["gamma"] * dZ_tilde
    dZ = (
        dZ_norm
        - dZ_norm.mean(axis=1, keepdims=True)
        - Z_norm * (dZ_norm * Z_norm).mean(axis=1, keepdims=True)
    ) / np.sqrt(cache["var"] + cache["epsilon"])
    return dZ, dgamma, dbeta
    ### END SOLUTION


# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# Everything in (3) and (4) is an array your forward pass already computed: $Z_{\text{norm}}$,
# $\gamma$, $\sigma^2$ and $\varepsilon$. Read them from your cache. The sums of (3) and the means
# inside the bracket of (4) run over the examples of each row.
#
# </details>
# <details><summary>Hint 2 (close to code)</summary>
#
# `.sum(axis=1, keepdims=True)` gives `dbeta` and `dgamma`; `dZ_norm = gamma * dZ_tilde`; the
# bracket of (4) takes two `.mean(axis=1, keepdims=True)`, one of `dZ_norm` and one of
# `dZ_norm * Z_norm`, the second multiplied by `Z_norm`; divide the bracket by
# `np.sqrt(var + epsilon)`.
#
# </details>

# %% [markdown]
# ### Predict, then check
#
# One unit, a mini-batch of four examples $z = (1, 3, 5, 7)$, $\gamma = 2$, and an upstream
# gradient that is the same for every example: $d\tilde z = (1, 1, 1, 1)$. **What are $d\beta$ and
# the first entry of $dZ$?** Work them out by hand from (3) and (4), or from what batch norm does
# to a shift of the whole batch, before running anything.

# %% nbgrader={"grade_id": "predict_uniform_upstream_gradient"} answer={"points": 1}
### BEGIN SOLUTION
dbeta_value = 4.0
dz_first = 0.0
### END SOLUTION

# %% tags=["experiment"]
_, cache = batchnorm_forward(np.array([[1.0, 3.0, 5.0, 7.0]]), np.array([[2.0]]), np.array([[0.0]]))
dZ, dgamma, dbeta = batchnorm_backward(np.ones((1, 4)), cache)
print(f"dbeta = {dbeta[0, 0]:.6g}, dZ = {np.array2string(dZ[0], precision=6)}")

# %% [markdown]
# An upstream gradient equal for every example asks the layer to raise all four outputs together,
# that is, to raise their sum. $\beta$ can: every example contributes, so $d\beta$ is a sum over the
# batch, not a mean. $Z$ cannot: the sum of the outputs is
# $\gamma \sum_i z_{\text{norm}}^{(i)} + m\beta$, and the normalized values sum to zero whatever $Z$
# is, so no change of $Z$ moves it: $dZ = 0$. Treating $\mu$ and $\sigma^2$ as constants would give
# $\gamma / \sqrt{\sigma^2 + \varepsilon} = 2/\sqrt{5} \approx 0.894$ for every example instead.
#
# ### Check: the two versions, the properties, and finite differences
#
# Your two backward passes on the same random batch must agree, and the gradient must have the
# two properties of section 5. The asserts below say which one fails.

# %% tags=["experiment"]
rng = np.random.default_rng(1)
Z, G = rng.standard_normal((4, 6)) * 2 + 1, rng.standard_normal((4, 6))
gamma, beta = rng.standard_normal((4, 1)), rng.standard_normal((4, 1))
_, cache = batchnorm_forward(Z, gamma, beta)
dZ, dgamma, dbeta = batchnorm_backward(G, cache)
staged = batchnorm_backward_staged(G, Z, gamma)
for name, one_formula, by_nodes in zip(["dZ", "dgamma", "dbeta"], [dZ, dgamma, dbeta], staged, strict=True):
    difference = gradcheck.relative_error(one_formula, by_nodes)
    print(f"{name:6s} one formula against the staged version: relative difference {difference:.1e}")
    assert difference < 1e-10, f"your two versions disagree on {name}: compare them node by node"

Z_norm, _ = batchnorm_forward(Z, np.ones((4, 1)), np.zeros((4, 1)))  # gamma = 1, beta = 0: Z_norm itself
row_sums = dZ.sum(axis=1)
cosines = (dZ * Z_norm).sum(axis=1) / (np.linalg.norm(dZ, axis=1) * np.linalg.norm(Z_norm, axis=1))
print("sum of each row of dZ:", np.array2string(row_sums, precision=2))
print("cosine between each row of dZ and of Z_norm:", np.array2string(cosines, precision=2))
assert np.allclose(row_sums, 0.0, atol=1e-10), \
    "a row of dZ does not sum to 0: the term through mu is missing or wrong"
assert np.all(np.abs(cosines) < 1e-4), \
    "a row of dZ is not orthogonal to Z_norm: the term through sigma^2 is missing or wrong"

# %% [markdown]
# Then finite differences. Take the scalar $J = \sum G \odot \tilde Z$ for the fixed random $G$
# above: then $d\tilde Z = G$. `gradcheck.numerical_gradient` perturbs every entry of $Z$ (then
# $\gamma$, $\beta$) by $\pm h$ and measures the centred difference $(J(x+h) - J(x-h))/2h$; the
# relative error $\|a-b\| / (\|a\|+\|b\|)$ with your gradients should be around $10^{-9}$ or
# smaller. The last line is the gradient you get by treating $\mu$ and $\sigma^2$ as constants.
# Then the whole network: `gradcheck.check_network_gradients` compares the gradients of a small
# network with batch norm (built on your functions) with finite differences, key by key.

# %% tags=["experiment"]
numeric = {
    "Z": gradcheck.numerical_gradient(lambda x: np.sum(G * batchnorm_forward(x, gamma, beta)[0]), Z),
    "gamma": gradcheck.numerical_gradient(lambda x: np.sum(G * batchnorm_forward(Z, x, beta)[0]), gamma),
    "beta": gradcheck.numerical_gradient(lambda x: np.sum(G * batchnorm_forward(Z, gamma, x)[0]), beta),
}
for name, analytic, by_nodes in [("Z", dZ, staged[0]), ("gamma", dgamma, staged[1]), ("beta", dbeta, staged[2])]:
    print(f"d{name:6s} relative error: one formula {gradcheck.relative_error(analytic, numeric[name]):.1e}, "
          f"staged {gradcheck.relative_error(by_nodes, numeric[name]):.1e}")
naive = gamma * G / np.sqrt(cache["var"] + 1e-5)  # the default epsilon
print(f"dZ with mu, var taken as constants: relative error {gradcheck.relative_error(naive, numeric['Z']):.1e}")

batchnorm = network.BatchNorm(batchnorm_forward, batchnorm_backward, None, None)  # training mode only
X_small, Y_small = data.make_moons(8, np.random.default_rng(2))
small = network.init_parameters([2, 5, 4, 1], np.random.default_rng(3), batchnorm=True)
errors = gradcheck.check_network_gradients(small, X_small, Y_small, network.SIGMOID_HEAD, batchnorm=batchnorm)
print("network with batch norm, relative error per parameter:",
      ", ".join(f"{key} {error:.0e}" for key, error in errors.items()))


# %% [markdown]
# ## 7. Concept: test time needs running averages
#
# After training you will often predict **one example at a time**. As you predicted in section 2,
# its batch statistics are then $\mu = z$ and $\sigma^2 = 0$, so $z_{\text{norm}} = 0$ and
# $\tilde z = \beta$: every example gets the same output, whatever its input. Even with a larger batch, the prediction for one example
# would depend on which other examples happen to share its batch. At test time batch norm must
# be a fixed function of each example.
#
# So during training each batch-norm layer keeps an exponentially weighted average (lesson 02)
# of the batch statistics it sees, updated after every mini-batch:
#
# $$\mu_{\text{running}} = m_o\, \mu_{\text{running}} + (1-m_o)\, \mu \qquad
# \sigma^2_{\text{running}} = m_o\, \sigma^2_{\text{running}} + (1-m_o)\, \sigma^2 \tag{5}$$
#
# with momentum $m_o = 0.9$: the $\beta$ of lesson 02, an average over about $1/(1-0.9) = 10$
# mini-batches. The running mean starts at 0 and the running variance at 1 (a normalization that
# does nothing). There is no bias correction: after 50 mini-batches the starting values weigh
# $0.9^{50} \approx 0.5\%$. At test time:
#
# $$\tilde z = \gamma\, \frac{z - \mu_{\text{running}}}{\sqrt{\sigma^2_{\text{running}} + \varepsilon}} + \beta. \tag{6}$$
#
# *Other conventions.* PyTorch's `BatchNorm1d(momentum=0.1)` means the weight of the **new**
# batch statistic, so it is our $m_o = 0.9$; it also stores the unbiased variance ($m-1$) in its
# running variance, while this course uses the biased one everywhere.
#
# ## 8. Implement `update_running_stats`
#
# `update_running_stats(running_mean, running_var, mu, var, momentum=0.9)` returns the new
# `(running_mean, running_var)` of equation (5), all shapes `(n, 1)`, as new arrays (the arguments
# are not modified).

# %% nbgrader={"grade_id": "update_running_stats"} checks={"visible": 1, "hidden": 2}
def update_running_stats(running_mean, running_var, mu, var, momentum=0.9):
    """One update of the running averages for test time: equation (5) (lesson 08).

    running_mean, running_var: the averages so far; mu, var: the statistics of the current batch;
    all (n, 1). momentum: the weight kept by the running values, a float in [0, 1).
    Returns the new (running_mean, running_var), mean first, as new arrays.
    """
    ### BEGIN SOLUTION
    return (
        momentum * running_mean + (1 - momentum) * mu,
        momentum * running_var + (1 - momentum) * var,
    )
    ### END SOLUTION


# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# Equation (5) twice, once for the mean and once for the variance: each running value keeps the
# share `momentum` of itself and takes the share `1 - momentum` of the batch's statistic, as the
# averages of lesson 02 do.
#
# </details>
# <details><summary>Hint 2 (close to code)</summary>
#
# `momentum * running_mean + (1 - momentum) * mu` is an expression that makes a new array
# (unlike `running_mean *= momentum`, which would change the caller's array); the variance is the
# same with `running_var` and `var`. Return the two as a tuple, mean first.
#
# </details>

# %% [markdown]
# ### Experiment: the running averages follow the batch statistics
#
# The first layer of a (fixed, untrained) network sees 60 mini-batches of 32 moons examples.
# Dots: the mean and variance of one unit in each mini-batch (they vary from batch to batch).
# Line: the running averages, from their starting values 0 and 1. Dashed: the statistics over
# all 600 examples, which the running averages should approach.

# %% tags=["experiment"]
rng = np.random.default_rng(4)
X_moons, _ = data.make_moons(600, rng)
W1 = network.init_parameters([2, 3], rng)["W1"]
running_mean, running_var = np.zeros((3, 1)), np.ones((3, 1))
batch_means, batch_vars, running_means, running_vars = [], [], [], []
for _ in range(60):
    Z = W1 @ X_moons[:, rng.choice(600, size=32, replace=False)]
    _, cache = batchnorm_forward(Z, np.ones((3, 1)), np.zeros((3, 1)))
    running_mean, running_var = update_running_stats(running_mean, running_var, cache["mu"], cache["var"])
    batch_means.append(cache["mu"][0, 0])
    batch_vars.append(cache["var"][0, 0])
    running_means.append(running_mean[0, 0])
    running_vars.append(running_var[0, 0])

Z_all = W1[0] @ X_moons
figure, axes = plt.subplots(1, 2, figsize=(11, 3.5))
steps = np.arange(1, 61)
for ax, batch, running, exact, name, start in [
    (axes[0], batch_means, running_means, Z_all.mean(), "mean", 0.0),
    (axes[1], batch_vars, running_vars, Z_all.var(), "variance", 1.0),
]:
    ax.plot(steps, batch, "o", ms=3, color="gray", label=f"batch {name}")
    ax.plot(np.r_[0, steps], np.r_[start, running], "C0-", label=f"running {name} (momentum 0.9)")
    ax.axhline(exact, color="C3", ls="--", lw=1, label=f"{name} over all 600 examples")
    ax.set_xlabel("mini-batch")
    ax.set_title(f"unit 1 of layer 1: {name}")
    ax.legend(fontsize=8)
figure.tight_layout()
plt.show()

# %% [markdown]
# ## 9. Implement `batchnorm_inference`
#
# `batchnorm_inference(Z, gamma, beta, running_mean, running_var, epsilon=1e-5)` is equation (6):
# it normalizes with the running statistics (never with the statistics of `Z`), so each column
# of the result depends on its own example only.

# %% nbgrader={"grade_id": "batchnorm_inference"} checks={"visible": 1, "hidden": 2}
def batchnorm_inference(Z, gamma, beta, running_mean, running_var, epsilon=1e-5):
    """Batch norm at test time with the running statistics: equation (6) (lesson 08).

    Z: (n, m), m = 1 included; gamma, beta, running_mean, running_var: (n, 1); epsilon: a float.
    Returns Z_tilde (n, m), a new array; each column depends on its own example only.
    """
    ### BEGIN SOLUTION
    return gamma * (Z - running_mean) / np.sqrt(running_var + epsilon) + beta
    ### END SOLUTION


# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# The forward pass of section 2 with two changes: the mean and the variance are not computed from
# `Z` but given, the running ones; and there is no cache, only the output.
#
# </details>
# <details><summary>Hint 2 (close to code)</summary>
#
# Subtract `running_mean`, divide by `np.sqrt(running_var + epsilon)` (the epsilon inside the
# root, as in training), multiply by `gamma` and add `beta`; the `(n, 1)` columns broadcast over
# the examples.
#
# </details>


# %% [markdown]
# ## 10. Experiment: a deep network with and without batch norm
#
# A network with 8 hidden layers of 16 ReLU units on the moons (450 training examples, 150
# held out), trained by mini-batch gradient descent (batches of 64, 30 epochs). With batch norm,
# every hidden layer normalizes its pre-activations with your functions. Three settings:
#
# 1. He initialization, learning rate 0.1: the textbook setting;
# 2. the same with a learning rate 10 times larger;
# 3. learning rate 0.1, but weights initialized at half the He scale: a small error that
#    compounds over 8 layers (the signal shrinks by about $2^{-8}$).
#
# The training loop below is what `training.train` does, written out so that you can see where
# each batch-norm function is called and record what happens inside the network. It uses
# `gd_update` and `random_mini_batches` from lesson 01 (loaded from your notebook of that lesson in
# the next cell).

# %%
# Your functions of lesson 01, from your notebook of that lesson.
gd_update, random_mini_batches = load("01_mini_batch_gradient_descent", "gd_update", "random_mini_batches")


# %% tags=["experiment"]
rng = np.random.default_rng(0)
X, Y = data.make_moons(600, rng)
X_train, Y_train, X_test, Y_test = data.train_test_split(X, Y, rng, test_fraction=0.25)
head = network.SIGMOID_HEAD
batchnorm = network.BatchNorm(batchnorm_forward, batchnorm_backward, update_running_stats, batchnorm_inference)
LAYERS = [2] + [16] * 8 + [1]
WATCH = 4  # the hidden layer whose inputs we record


def train_and_watch(use_batchnorm, learning_rate, init_scale=1.0, epochs=30):
    """Mini-batch gradient descent; records the epoch cost and, before every epoch and after the
    last, the mean and standard deviation over the training set of each input of layer WATCH."""
    parameters = network.init_parameters(LAYERS, np.random.default_rng(1), batchnorm=use_batchnorm)
    parameters = {key: value * init_scale if key.startswith("W") else value for key, value in parameters.items()}
    bn = batchnorm if use_batchnorm else None
    running = network.init_running_stats(parameters)  # mean 0, variance 1 for each batch-norm layer
    shuffle, costs, watched = np.random.default_rng(2), [], []
    for epoch in range(epochs + 1):
        # What the weights of layer WATCH receive (the outputs of layer WATCH - 1) on the whole training set.
        _, cache = network.forward(X_train, parameters, head, batchnorm=bn)
        inputs = cache["layers"][WATCH - 1][0]
        watched.append((inputs.mean(axis=1), inputs.std(axis=1)))
        if epoch == epochs:
            break
        total = 0.0
        for X_batch, Y_batch in random_mini_batches(X_train, Y_train, 64, shuffle):
            _, cache = network.forward(X_batch, parameters, head, batchnorm=bn)  # batch statistics
            total += head.cost(cache["ZL"], Y_batch) * X_batch.shape[1]
            grads = network.backward(Y_batch, parameters, cache, head, batchnorm=bn)  # batchnorm_backward
            parameters = gd_update(parameters, grads, learning_rate=learning_rate)
            if bn is not None:  # update_running_stats, layer by layer
                running = network.update_running(running, cache["batch_stats"], bn)
        costs.append(total / X_train.shape[1])
    return {"parameters": parameters, "running": running, "epoch_cost": costs, "watched": np.array(watched)}


settings = [("He init, learning rate 0.1", 0.1, 1.0), ("He init, learning rate 1.0", 1.0, 1.0),
            ("init at half the He scale, learning rate 0.1", 0.1, 0.5)]
runs = {(title, use): train_and_watch(use, learning_rate, scale)
        for title, learning_rate, scale in settings for use in (False, True)}

figure, axes = plt.subplots(1, 3, figsize=(15, 3.8), sharey=True)
for ax, (title, _, _) in zip(axes, settings, strict=True):
    plots.plot_costs({"without batch norm": runs[(title, False)], "with batch norm": runs[(title, True)]},
                     key="epoch_cost", ax=ax)
    ax.set_title(title)
    ax.set_ylabel("")
axes[0].set_ylabel("training cost (log axis)")
figure.tight_layout()
plt.show()


def held_out_accuracy(run, use_batchnorm):
    kwargs = {"batchnorm": batchnorm, "running": run["running"]} if use_batchnorm else {}
    return network.accuracy(network.predict(X_test, run["parameters"], head, **kwargs), Y_test)


for title, _, _ in settings:
    print(f"{title:46s} held-out accuracy: without batch norm {held_out_accuracy(runs[(title, False)], False):.1%}, "
          f"with batch norm {held_out_accuracy(runs[(title, True)], True):.1%}")

# %% [markdown]
# With a good initialization and a modest learning rate, this small problem trains well either
# way. With batch norm the cost falls faster at first, then hovers: every mini-batch normalizes
# with slightly different statistics, a noise that keeps it from settling lower at this learning
# rate. Without batch norm the curve has a few large jumps (section 12 looks at what they do inside).
# The difference shows when something is off. The larger learning rate
# sends the plain network into a state it does not leave (many ReLUs output 0 for every example,
# so their gradients vanish); with batch norm each layer's pre-activations are renormalized at
# every step, and training goes on. With the too-small initialization the plain network sits on
# a plateau at cost $\log 2 \approx 0.69$ (it predicts 0.5 everywhere) because its deep layers
# receive almost no signal; batch norm does not care about the scale of $W^{[l]}$ at all
# (multiply $W^{[l]}$ by any $c > 0$: $\mu$ and $\sigma$ are multiplied by $c$ and
# $Z_{\text{norm}}$ does not change), so its curve is the same as with He initialization.
#
# ## 11. Experiment: test time, one example at a time
#
# The network trained with batch norm in setting 1, used three ways on the 150 held-out examples:
# with the running averages (`batchnorm_inference`); with the statistics of the held-out set as
# one batch; and with batch statistics one example at a time, as a deployed model would see them.

# %% tags=["experiment"]
trained = runs[(settings[0][0], True)]
parameters, running = trained["parameters"], trained["running"]
modes = {
    "running averages": network.predict(X_test, parameters, head, batchnorm=batchnorm, running=running),
    "held-out set as one batch": network.predict(X_test, parameters, head, batchnorm=batchnorm),
    "batch statistics,\none example at a time": np.array(
        [network.predict(X_test[:, [i]], parameters, head, batchnorm=batchnorm)[0] for i in range(X_test.shape[1])]
    ),
}

figure, axes = plt.subplots(1, 3, figsize=(13, 3.8), gridspec_kw={"width_ratios": [1, 1, 1.1]})
plots.plot_decision_boundary(
    lambda P: network.predict(P, parameters, head, batchnorm=batchnorm, running=running), X_test, Y_test,
    ax=axes[0], title="running averages (batchnorm_inference)", resolution=120)
plots.plot_decision_boundary(
    lambda P: network.predict(P, parameters, head, batchnorm=batchnorm), X_test, Y_test,
    ax=axes[1], title="batch statistics of the plotting grid", resolution=120)
accuracies = [network.accuracy(predictions, Y_test) for predictions in modes.values()]
axes[2].barh(list(modes), accuracies, color=["C0", "C1", "C3"])
for row, (accuracy, predictions) in enumerate(zip(accuracies, modes.values(), strict=True)):
    axes[2].text(accuracy + 0.01, row, f"{accuracy:.0%} (predicts class 1 for {predictions.mean():.0%})",
                 va="center", fontsize=8)
axes[2].set_xlim(0, 1.6)
axes[2].set_xlabel("held-out accuracy")
axes[2].invert_yaxis()
axes[2].set_title("the same network, three ways to normalize")
figure.tight_layout()
plt.show()

# %% [markdown]
# One example at a time, the batch statistics turn every hidden unit into its $\beta$: the
# network outputs the same class for every input. The middle panel shows the subtler problem:
# with batch statistics the boundary depends on the batch. Here the "batch" is the regular grid
# of points used to draw the picture, whose statistics differ from those of the training
# batches, and the boundary moves. With the running averages, batch norm is a fixed affine map
# per unit and the prediction for an example depends on that example only.
#
# ## 12. Experiment: covariate shift
#
# The weights of layer 4 learn from the outputs of layers 1–3. But those layers change at every
# step, so the distribution of what layer 4 receives keeps moving under its feet: a **covariate
# shift** inside the network (the term comes from learning with a distribution of inputs that
# changes between training and use). Each layer chases a moving target. The paper that
# introduced batch norm (Ioffe & Szegedy, 2015) called this *internal covariate shift* and
# proposed batch norm to reduce it: each unit of layer 3 keeps the mean $\beta$ and the standard
# deviation $\gamma$ before its ReLU, and $\gamma$, $\beta$ change only as fast as gradient descent
# moves them.
#
# Let us measure it. The inputs of layer 4 are the 16 outputs $A^{[3]}$ of layer 3, with or without
# batch norm; both can move. Before every epoch of setting 1 we take each input's mean and
# standard deviation over the 450 training examples, and plot how much they change from one
# epoch to the next: the change of the means divided by the typical standard deviation (left),
# and the change of the standard deviations as a factor, $|\log(\sigma_{\text{new}}/\sigma_{\text{old}})|$ (right),
# both averaged over the 16 inputs (on the right, over those that are not 0 for every example).


# %% tags=["experiment"]
figure, (left, right) = plt.subplots(1, 2, figsize=(11, 3.6))
for use, color in [(False, "C1"), (True, "C0")]:
    means = np.array([mean for mean, _ in runs[(settings[0][0], use)]["watched"]])  # (epochs + 1, 16)
    stds = np.array([std for _, std in runs[(settings[0][0], use)]["watched"]])
    mean_drift = np.abs(np.diff(means, axis=0)).mean(axis=1) / stds[:-1].mean(axis=1)
    alive = (stds[1:] > 1e-8) & (stds[:-1] > 1e-8)  # a unit that outputs 0 everywhere has no spread to compare
    std_drift = np.array([np.abs(np.log(new[ok] / old[ok])).mean()
                          for new, old, ok in zip(stds[1:], stds[:-1], alive, strict=True)])
    label = "with batch norm" if use else "without batch norm"
    left.plot(np.arange(1, len(means)), mean_drift, "o-", ms=3, color=color, label=label)
    right.plot(np.arange(1, len(stds)), std_drift, "o-", ms=3, color=color, label=label)
    print(f"{label:19s} mean change per epoch {mean_drift.mean():.3f} std, std change per epoch "
          f"{std_drift.mean():.3f} (log)")
left.set_ylabel("change of the means / std")
right.set_ylabel(r"$|\log(\sigma_{new} / \sigma_{old})|$")
for ax in (left, right):
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.legend(fontsize=8)
left.set_title(f"inputs of layer {WATCH}: how far their means move")
right.set_title(f"inputs of layer {WATCH}: how much their spreads change")
figure.tight_layout()
plt.show()

# %% [markdown]
# Without batch norm the inputs of layer 4 drift by about a fifth of their spread per epoch, and
# they jump when a large step changes the earlier layers (compare with the jumps of the cost
# curve in section 10): after such a jump, layer 4's weights were tuned for inputs it no longer
# receives. With batch norm their means move about 20 times less, their spreads about 10 times less.
#
# Is that *why* batch norm helps? Santurkar et al. (2018, "How Does Batch Normalization Help
# Optimization?") say no. They added random noise after each batch-norm layer, so that the
# inputs of the next layers drifted *more* than without batch norm, and the network still trained
# about as fast as with plain batch norm; and by a measure of internal covariate shift based on
# how the gradients of a layer change when the earlier layers update, batch norm did not reduce
# it. Their explanation is that batch norm makes the loss surface smoother (its gradients change
# more slowly from point to point), which lets gradient descent take larger steps safely — the
# tolerance to a large learning rate that section 10 showed. The drift above is real, but it is a
# symptom; which explanation is complete is still debated.
#
# ## 13. A slight regularization effect
#
# During training, each example is normalized with the mean and variance of **its mini-batch**,
# which are estimates from $m$ examples, different for every batch. So the value a unit passes on
# for a given example carries a little noise that depends on the other examples in the batch
# (the noisy cost curves above show it). Like dropout, this noise keeps the next layers from
# relying too much on any exact value, which acts as a **slight regularizer**. It shrinks as the
# mini-batch grows, because the batch statistics get closer to those of the whole training set.
#
# Let us measure it. Take the first layer of the network trained with batch norm in setting 1 of
# section 10, and one training example. Put that example in 300 random mini-batches of $m$
# training examples (itself and $m - 1$ others), normalize each batch with your
# `batchnorm_forward`, and look at the normalized value the example gets, batch after batch, for
# $m$ = 8, 64 and 256. Dashed: its value with the statistics of all 450 training examples.

# %% tags=["experiment"]
W1_trained = runs[(settings[0][0], True)]["parameters"]["W1"]
Z1_train = W1_trained @ X_train  # the first layer's pre-activations, (16, 450)
units_ones, units_zeros = np.ones((16, 1)), np.zeros((16, 1))
whole_set, _ = batchnorm_forward(Z1_train, units_ones, units_zeros)
draw, others = np.random.default_rng(7), np.arange(1, Z1_train.shape[1])
batch_sizes = (8, 64, 256)
seen = {}  # batch size -> (300, 16): example 0's normalized value in each batch, for each unit
for size in batch_sizes:
    values = []
    for _ in range(300):
        batch = np.r_[0, draw.choice(others, size - 1, replace=False)]  # example 0 and size - 1 others
        values.append(batchnorm_forward(Z1_train[:, batch], units_ones, units_zeros)[0][:, 0])
    seen[size] = np.array(values)

figure, ax = plt.subplots(figsize=(7.5, 3.6))
bins = np.linspace(whole_set[0, 0] - 1.5, whole_set[0, 0] + 1.5, 61)
for size, color in zip(batch_sizes, ["C3", "C1", "C0"], strict=True):
    ax.hist(seen[size][:, 0], bins=bins, alpha=0.55, color=color, label=f"mini-batches of {size}")
ax.axvline(whole_set[0, 0], color="k", ls="--", lw=1, label="all 450 training examples")
ax.set_xlabel("normalized value of example 0, unit 1 of layer 1")
ax.set_ylabel("mini-batches (of 300)")
ax.set_title("the same example, normalized with 300 different mini-batches")
ax.legend(fontsize=8)
figure.tight_layout()
plt.show()
for size in batch_sizes:
    spread = seen[size].std(axis=0).mean()
    print(f"mini-batches of {size:3d}: the example's normalized value moves by {spread:.3f} (standard deviation "
          f"over the batches, mean over the 16 units); 1/sqrt(m) = {1 / np.sqrt(size):.3f}")

# %% [markdown]
# With mini-batches of 8, the normalized value of the same example moves by about 0.4 from one
# batch to the next, on a scale where the whole layer has spread 1: a large noise. With 64 it is
# about 0.13, with 256 about 0.04, nine times less than with 8. The noise falls roughly like
# $1/\sqrt{m}$, as the error of a mean of $m$ values does, and a little faster at 256, where each
# batch holds more than half of the 450 training examples. So the regularizing effect is real but
# small for usual batch sizes, and it fades as they grow. It is not a reason to use batch norm: use
# it to speed up and stabilize training, and use a real regularizer (weight decay, dropout) when
# you need one.
#
# ## Summary
#
# - Batch norm normalizes each unit's pre-activations over the mini-batch (biased variance,
#   $\varepsilon$ inside the root), then scales and shifts them with learned $\gamma$, $\beta$;
#   the bias $b$ is dropped.
# - The backward pass goes through $\mu$ and $\sigma^2$ too. Node by node on the computational
#   graph, each step is one local derivative, with the gradients of a value that feeds two nodes
#   added and those of a value shared by the batch summed; collapsed, it is one formula. $dZ$ has
#   no component that shifts or stretches the batch: each row sums to zero and is orthogonal to
#   $Z_{\text{norm}}$.
# - With batch statistics, a batch of one example comes out as $\beta$, whatever the example.
# - Training keeps running averages of $\mu$ and $\sigma^2$ (EWA with momentum 0.9, from 0 and 1);
#   test time normalizes with them, so that a prediction depends on its example only.
# - Batch norm makes training less sensitive to the learning rate and to the scale of the
#   weights, and adds a little regularizing noise, which falls roughly like $1/\sqrt{m}$ with the
#   mini-batch size $m$. It also reduces the drift of each layer's inputs
#   (covariate shift), but whether that is why it helps is disputed (Santurkar et al., 2018).
#
# ## On your own
#
# 1. Multiply `W1` of a batch-norm network by 10 and compare the outputs of `network.forward`:
#    what changes? What happens to the gradient `dW1`?
# 2. Train setting 1 with mini-batches of 8 and of 256 examples. How do the noise of the cost
#    curve, the gap between training and held-out accuracy, and the held-out accuracy change?
# 3. Use `momentum=0.99` for the running averages (wrap `update_running_stats`). After 40 epochs
#    of 8 batches, are the running averages ready? Would bias correction (lesson 02) help?
# 4. Put batch norm after the ReLU instead of before it (change the order in a copy of
#    `network.forward`). Does it still train?
