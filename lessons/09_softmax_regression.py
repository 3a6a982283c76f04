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
# # Lesson 09 — Softmax regression
#
# **What you'll do.** Build the output layer of a multi-class classifier: the softmax, the
# one-hot labels, the cross-entropy cost and its gradient with respect to the logits. You will
# make each of them numerically safe, watch a temperature turn the softmax into a hardmax, check
# that two classes give back logistic regression, and train classifiers on a three-armed spiral
# and on handwritten digits.
#
# **What you'll learn.**
# - how the softmax generalises the sigmoid from 2 to $C$ classes;
# - what a temperature does to the softmax, and why it is the smooth version of a hardmax;
# - why a textbook softmax returns `nan` for logits of 1000, and the one-line fix;
# - why the cost must be computed from the logits (log-sum-exp), not as `log(softmax(Z))`;
# - why the gradient of the cost with respect to the logits is simply $A - Y$ (over $m$).
#
# **What you need.** Lessons 01 and 05 (mini-batches, Adam); logistic regression and
# backpropagation; numpy.

# %%
import matplotlib.pyplot as plt
import numpy as np

from coursekit import data, gradcheck, network, optimizers, plots, training
from coursekit.checking import check
from coursekit.earlier import load

# %% [markdown]
# ## 1. Concept: from the sigmoid to the softmax
#
# **Two classes.** Logistic regression computes one logit $z = w^\top x + b$ per example and reads
# $\sigma(z) = 1/(1+e^{-z})$ as the probability of class 1.
#
# **$C$ classes.** Give every class $j = 1, \dots, C$ its own logit $z_j = w_j^\top x + b_j$ (a score:
# the larger, the more likely). For a mini-batch, $Z = W X + b$ has shape $(C, m)$: one **column**
# of logits per example, as in the rest of the course. The softmax turns each column into
# probabilities by **normalised exponentials**:
#
# $$a_j = \operatorname{softmax}(z)_j = \frac{e^{z_j}}{\sum_{k=1}^{C} e^{z_k}}, \qquad j = 1, \dots, C.
# \qquad \text{(1)}$$
#
# The exponential makes every $a_j$ positive, the division makes the column sum to 1, and the
# order of the logits is kept (the predicted class is $\arg\max_j z_j$).
#
# **Back to $C = 2$.** Divide the numerator and the denominator by $e^{z_2}$:
#
# $$a_2 = \frac{e^{z_2}}{e^{z_1} + e^{z_2}} = \frac{1}{1 + e^{-(z_2 - z_1)}} = \sigma(z_2 - z_1),
# \qquad a_1 = 1 - a_2 = \sigma(z_1 - z_2).$$
#
# A two-class softmax is a sigmoid of the **difference** of the logits: logistic regression with
# $w = w_2 - w_1$ and $b = b_2 - b_1$. Only differences of logits matter for any $C$: adding the
# same constant $c$ to every logit of a column multiplies numerator and denominator by $e^{c}$,
#
# $$\operatorname{softmax}(z - c) = \operatorname{softmax}(z) \qquad \text{for every number } c.
# \qquad \text{(2, shift invariance)}$$

# %% [markdown]
# ### Predict, then check
#
# One example has the three logits $z = (3, 1, 0)$. By hand (a calculator for $e^3$ is fine), before
# running anything: what probability $a_1$ does the softmax give to the first class? Give it to
# three decimals.

# %% nbgrader={"grade_id": "predict_softmax_by_hand"} answer={"points": 1}
### BEGIN SOLUTION
first_class_probability = 0.8438
### END SOLUTION

# %% [markdown]
# ## 2. Concept: a numerically stable softmax
#
# A float64 holds numbers up to about $1.8 \times 10^{308} = e^{709.78}$. A logit of 1000 is
# ordinary for a confident network, yet `np.exp(1000.0)` is `inf`, and the textbook formula
# computes $\infty / \infty$ = `nan`. At the other end, `np.exp(-1000.0)` underflows to `0`, and a
# column whose logits are all very negative gives $0/0$ = `nan`.
#
# Shift invariance is the cure: subtract each column's largest logit $c = \max_k z_k$ before
# exponentiating. Then every exponent is $\le 0$, the largest term is exactly $e^0 = 1$ and the
# denominator lies in $[1, C]$: no overflow, and no division by zero. Terms that still underflow
# to 0 had a true value below $10^{-308}$ — rounding them to 0 is harmless.
#
# The cell below shows the failure (numpy's warnings are silenced with `np.errstate` so that
# only the results print).

# %% tags=["experiment"]
z = np.array([[1000.0], [0.0], [-1000.0]])  # one example, three classes
with np.errstate(all="ignore"):
    exp_z = np.exp(z)
    naive = exp_z / exp_z.sum(axis=0, keepdims=True)
shifted = z - z.max(axis=0, keepdims=True)
stable = np.exp(shifted) / np.exp(shifted).sum(axis=0, keepdims=True)
print("largest exponent before overflow, log(float max):", np.log(np.finfo(float).max))
print("np.exp(z)             :", exp_z.ravel())
print("naive softmax         :", naive.ravel())
print("np.exp(z - max)       :", np.exp(shifted).ravel())
print("shifted softmax       :", stable.ravel())

# %% [markdown]
# ## 3. Implement the softmax
#
# `softmax(Z)` takes logits of shape $(C, m)$, one column per example, and returns $A$ of the same
# shape: equation (1) applied to every column, computed so that it stays finite for any logits
# (section 2). Every column of $A$ sums to 1, and `Z` itself is left as it was. No loops are
# needed.

# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# Use shift invariance, equation (2), with a different $c$ for every column: the column's own
# largest logit. After that shift every exponent is $\le 0$, and equation (1) can be applied
# as written. The columns are independent examples; nothing may mix them.
#
# </details>
# <details><summary>Hint 2 (close to code)</summary>
#
# `Z.max(axis=0, keepdims=True)` is the row of column maxima, of shape $(1, m)$, which broadcasts
# against `Z`. Subtract it, take `np.exp`, and divide by the column sums of the result
# (`.sum(axis=0, keepdims=True)`). Write `Z - ...` into a new name rather than `Z -= ...`, which
# would change the caller's array.
#
# </details>

# %% nbgrader={"grade_id": "softmax"} checks={"visible": 1, "hidden": 2}
def softmax(Z):
    """Column-wise softmax, finite for any logits (lesson 09): equation (1) for every column.

    Z: (C, m) logits, one column per example; not modified.
    Returns A: (C, m), a new array of probabilities; every column sums to 1.
    """
    ### BEGIN SOLUTION
    exp = np.exp(Z - Z.max(axis=0, keepdims=True))
    return exp / exp.sum(axis=0, keepdims=True)
    ### END SOLUTION


# %% [markdown]
# **Then check your prediction** of the probability of the first class for the logits $(3, 1, 0)$:

# %% tags=["experiment"]
print("softmax of (3, 1, 0):", softmax(np.array([[3.0], [1.0], [0.0]])).ravel().round(4))


# %% [markdown]
# ### Experiment: naive versus stable as the logits grow
#
# Take the logits $s \cdot (1, 0, -1)$ and let the scale $s$ grow. The probability of the first
# class tends to 1. The naive formula follows it until $s \approx 710$, then returns `nan`
# (which matplotlib leaves out of the curve); yours stays correct for any $s$.

# %% tags=["experiment"]
scales = np.logspace(0, 3.5, 300)
Z_scaled = np.array([[1.0], [0.0], [-1.0]]) * scales[None, :]  # one column per scale
with np.errstate(all="ignore"):
    naive_first = (np.exp(Z_scaled) / np.exp(Z_scaled).sum(axis=0, keepdims=True))[0]
stable_first = softmax(Z_scaled)[0]

fig, ax = plt.subplots(figsize=(7, 3.8))
ax.plot(scales, stable_first, lw=4, alpha=0.4, label="your softmax (max shifted)")
ax.plot(scales, naive_first, "k-", lw=1.2, label="naive exp(z) / sum exp(z)")
ax.axvline(np.log(np.finfo(float).max), color="tab:red", ls="--", lw=1, label="exp overflows (s = 709.8)")
ax.set_xscale("log")
ax.set_ylim(0.4, 1.05)
ax.set_xlabel("scale $s$ of the logits $s\\cdot(1, 0, -1)$")
ax.set_ylabel("probability of the first class, $a_1$")
ax.set_title("The naive softmax returns nan beyond s = 710 (the black curve stops)")
ax.legend(loc="lower right")
plt.show()
print("naive softmax is nan for", int(np.isnan(naive_first).sum()), "of", scales.size, "scales; yours for",
      int(np.isnan(stable_first).sum()))

# %% [markdown]
# ## 4. One-hot labels
#
# Labels come as integers $y^{(i)} \in \{0, \dots, C-1\}$, one per example (class $j$ is row $j$ of
# $Z$, counting from 0 as numpy does). To compare them with the columns of $A$ we write each label
# as a **one-hot** column:
#
# $$Y_{ji} = \begin{cases} 1 & \text{if } y^{(i)} = j, \\ 0 & \text{otherwise.} \end{cases}
# \qquad \text{(3)}$$
#
# For $C = 3$ the labels $(2, 0, 1, 2)$ become
#
# $$Y = \begin{pmatrix} 0 & 1 & 0 & 0 \\ 0 & 0 & 1 & 0 \\ 1 & 0 & 0 & 1 \end{pmatrix}
# \qquad (C, m) = (3, 4).$$
#
# Every column of $Y$ is itself a probability distribution: the certain one.
#
# `one_hot(labels, num_classes)` accepts labels of shape `(m,)` **or** `(1, m)` (the course's shape
# for a row of labels) and returns the float array $Y$ of equation (3), of shape
# `(num_classes, m)`. A class that no label uses is a row of zeros.

# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# Both label shapes hold the same $m$ numbers: make them one flat array first, and the rest is
# the same for both. Then column $i$ needs a single 1, at row $y^{(i)}$. Either ask, for every
# pair (class $j$, example $i$), whether $y^{(i)} = j$, or start from zeros and write the $m$ ones.
#
# </details>
# <details><summary>Hint 2 (close to code)</summary>
#
# `np.asarray(labels).reshape(-1)` flattens. Comparing the column `np.arange(num_classes)[:, None]`
# with the row `labels[None, :]` broadcasts to a `(num_classes, m)` array of booleans; `.astype(float)`
# makes it numbers. Or: `Y = np.zeros((num_classes, m))`, then `Y[labels, np.arange(m)] = 1`.
#
# </details>

# %% nbgrader={"grade_id": "one_hot"} checks={"visible": 1, "hidden": 2}
def one_hot(labels, num_classes):
    """One-hot columns from integer labels, equation (3) (lesson 09).

    labels: (m,) or (1, m) integers in [0, num_classes); not modified.
    num_classes: int, the number of classes C.
    Returns Y: (num_classes, m) float array, one 1 per column.
    """
    ### BEGIN SOLUTION
    labels = np.asarray(labels).reshape(-1)
    return (np.arange(num_classes)[:, None] == labels[None, :]).astype(float)
    ### END SOLUTION


# %% [markdown]
# ## 5. Concept: temperature, and the hardmax that the softmax smooths
#
# The **hardmax** puts all the probability on the largest logit: $\operatorname{hardmax}(z)$ is the
# one-hot column of $\arg\max_j z_j$, so $(3, 1, 0)$ gives $(1, 0, 0)$. A classifier predicts the
# hardmax of its logits. As a function of the logits, though, it is piecewise constant: a small
# change of $z$ changes nothing, or moves all the probability at once. Its derivative is zero
# wherever it exists, so gradient descent could learn nothing through it. The softmax is its
# smooth version (hence the name), and a **temperature** $T > 0$ sets how smooth:
#
# $$\operatorname{softmax}(z / T)_j = \frac{e^{z_j / T}}{\sum_{k} e^{z_k / T}}. \qquad \text{(4)}$$
#
# - $T = 1$ is the softmax of equation (1).
# - **Cold, $T \to 0$.** Let $z_{\max}$ be the largest logit, and say a single class has it. By
#   shift invariance, $\operatorname{softmax}(z/T)_j = e^{-(z_{\max} - z_j)/T} \big/ \sum_k e^{-(z_{\max} - z_k)/T}$.
#   The gap $z_{\max} - z_k$ of every other class is positive; divided by $T \to 0$ it grows without
#   bound, and its term $e^{-\text{gap}/T}$ vanishes. The denominator tends to 1 (the largest
#   class's own term $e^0$), the largest class's probability to 1 and every other to 0: the softmax
#   tends to the hardmax.
# - **Hot, $T \to \infty$.** Every $z_j / T \to 0$, so every $e^{z_j/T} \to 1$ and
#   $\operatorname{softmax}(z/T)_j \to 1/C$: the uniform distribution, whatever the logits.
#
# Multiplying the output layer's weights and bias by a factor $s > 0$ multiplies the logits by
# $s$: it is the temperature $T = 1/s$. The predictions (the argmax) stay the same; only the
# confidence changes. Temperatures are also set on purpose after training: to make a generative
# model's sampling more or less adventurous, to soften a teacher network's outputs in knowledge
# distillation (Hinton et al., 2015), or to calibrate a classifier's confidence with one fitted
# $T$ (temperature scaling, Guo et al., 2017). A cold softmax has huge logits $z / T$: computing
# it is safe only because your softmax subtracts each column's max.
#
# The next cell puts the logits $z = (3, 1, 0)$ through equation (4) at temperatures from
# $10^{-2}$ to $10^{2}$ (one column of `Z` per temperature, so one call of your softmax does all).

# %% tags=["experiment"]
def hardmax(Z):
    """The one-hot column of each column's argmax (np.argmax picks the first of tied maxima)."""
    return one_hot(Z.argmax(axis=0), Z.shape[0])


z_example = np.array([[3.0], [1.0], [0.0]])
temperatures = np.logspace(-2, 2, 200)
A_by_temperature = softmax(z_example / temperatures[None, :])  # (3, 200): one column per temperature

fig, ax = plt.subplots(figsize=(7, 3.8))
for j in range(3):
    ax.plot(temperatures, A_by_temperature[j], label=f"$a_{j + 1}$ (logit {z_example[j, 0]:g})")
ax.axhline(1 / 3, color="gray", ls=":", lw=1, label="uniform: 1/C")
ax.axvline(1, color="gray", ls="--", lw=1, label="T = 1: the plain softmax")
ax.set_xscale("log")
ax.set_xlabel("temperature $T$ (log scale)")
ax.set_ylabel("softmax$(z / T)$")
ax.set_title("Cold: the hardmax (1, 0, 0). Hot: uniform")
ax.legend(fontsize=8)
plt.show()

print("      T   softmax((3, 1, 0) / T)")
for T in [0.01, 0.1, 0.5, 1, 2, 10, 100]:
    print(f"{T:7g}   " + "  ".join(f"{a:.4f}" for a in softmax(z_example / T).ravel()))
print("hardmax   " + "  ".join(f"{a:.4f}" for a in hardmax(z_example).ravel()))

# %% [markdown]
# ### Predict, then check
#
# Now two classes tie for the largest logit: $z = (2, 2, 1)$. Reason with equation (4), before
# running anything: what does the probability $a_1$ of the first class tend to as $T \to 0$, and
# as $T \to \infty$? Give each as a decimal number (four decimals are enough).

# %% nbgrader={"grade_id": "predict_temperature_limits"} answer={"points": 1}
### BEGIN SOLUTION
first_probability_cold = 0.5
first_probability_hot = 0.3333
### END SOLUTION

# %% [markdown]
# **Then check** with your softmax at a few temperatures, cold to hot, and compare with the
# hardmax above, whose `np.argmax` must choose one class when logits tie.

# %% tags=["experiment"]
z_tied = np.array([[2.0], [2.0], [1.0]])
for T in [0.001, 0.1, 1, 10, 1000]:
    print(f"T = {T:6g}: softmax(z / T) = {softmax(z_tied / T).ravel().round(4)}")
print(f"hardmax(z)           = {hardmax(z_tied).ravel()}")

# %% [markdown]
# With a tie, the cold limit is not a one-hot column. In the argument above, the terms of the
# tied classes have a gap of 0 and stay $e^0 = 1$ at every temperature: the denominator tends to
# the number of tied classes, and they share the probability equally. The softmax treats equal
# logits equally at every $T$; only the hardmax, through `np.argmax`, has to pick one.

# %% [markdown]
# ## 6. Concept: the cross-entropy cost, computed from the logits
#
# The cost of an example is minus the log-probability the model gives to the **true** class;
# with one-hot labels this is a sum in which only one term survives. The cost $J$ is the **mean**
# over the $m$ examples of the mini-batch:
#
# $$J = -\frac{1}{m} \sum_{i=1}^{m} \sum_{j=1}^{C} Y_{ji} \log A_{ji}
# = -\frac{1}{m} \sum_{i=1}^{m} \log A_{y^{(i)} i}. \qquad \text{(5)}$$
#
# For $C = 2$ this is exactly the logistic-regression cost
# $-\frac1m\sum_i \big(y\log a + (1-y)\log(1-a)\big)$.
#
# **Why not `np.log(softmax(Z))`?** Take the logits $z = (0, 800)$ and the label 0 (the first row).
# The true cost is $-\log \frac{e^{0}}{e^{0} + e^{800}} = \log(1 + e^{800}) \approx 800$. But the
# probability $1/(1+e^{800}) \approx e^{-800}$ underflows to 0 in float64 (the smallest positive
# float is about $e^{-745}$), so `np.log` returns $-\infty$ and the cost is `inf`. The common
# patch, clipping the probabilities at $10^{-12}$, gives a finite but **wrong** number, $-\log 10^{-12} \approx 27.6$, for any logit gap above 27.6.
#
# **Log-sum-exp.** Take the log of the softmax *symbolically* first, then shift by $c = \max_k z_k$:
#
# $$\log a_j = z_j - \log \sum_{k} e^{z_k} = (z_j - c) - \log \sum_{k} e^{z_k - c}. \qquad \text{(6)}$$
#
# The sum is between 1 and $C$, so its log is tame, and $z_j - c$ is exact however large it is.
# The function $\operatorname{LSE}(z) = c + \log\sum_k e^{z_k - c}$ is called **log-sum-exp**.
#
# `softmax_cross_entropy(Z, Y)` takes the logits $Z$ and one-hot $Y$, both $(C, m)$, and returns
# the mean cost $J$ of equation (5) as a Python `float`, with the log-probabilities of
# equation (6): it must stay exact for logits in the thousands, where `log(softmax(Z))` fails.

# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# Never form the probabilities: equation (6) gives every log-probability $\log A_{ji}$ straight
# from the logits, with $c$ the maximum of column $i$. Equation (5) then keeps only the
# log-probability at the label's row of each column, which multiplying by the one-hot $Y$ does
# for you; average over the $m$ columns and change the sign.
#
# </details>
# <details><summary>Hint 2 (close to code)</summary>
#
# Shift `Z` by `Z.max(axis=0, keepdims=True)`; subtract from the shifted logits
# `np.log` of the column sums of their `np.exp` (`keepdims=True` again): that is the $(C, m)$
# array of log-probabilities. Multiply it by `Y`, `.sum()` everything, divide by `Z.shape[1]`,
# negate, and wrap the result in `float(...)`.
#
# </details>

# %% nbgrader={"grade_id": "softmax_cross_entropy"} checks={"visible": 1, "hidden": 3}
def softmax_cross_entropy(Z, Y):
    """Mean cross-entropy of softmax(Z) against one-hot Y, equation (5), from the logits (lesson 09).

    Z: (C, m) logits; Y: (C, m) one-hot labels (one 1 per column). Neither is modified.
    Returns J, a Python float: exact for any logits (log-probabilities by equation (6)).
    """
    ### BEGIN SOLUTION
    shifted = Z - Z.max(axis=0, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    return float(-(Y * log_softmax).sum() / Z.shape[1])
    ### END SOLUTION


# %% [markdown]
# ### Experiment: three ways to compute the same cost
#
# One example with logits $(0, s)$ and label 0: the model is wrong with a margin $s$. The true
# cost $\log(1+e^{s})$ grows like $s$. Compare your log-sum-exp cost with `log(softmax)` and with
# the clipped version as $s$ grows (log-log axes).

# %% tags=["experiment"]
gaps = np.logspace(-1, 3, 200)
Y_first = one_hot(np.zeros(1, dtype=int), 2)
lse_costs, naive_costs, clipped_costs = [], [], []
with np.errstate(all="ignore"):
    for gap in gaps:
        Z_gap = np.array([[0.0], [gap]])
        A_gap = softmax(Z_gap)
        lse_costs.append(softmax_cross_entropy(Z_gap, Y_first))
        naive_costs.append(-np.log(A_gap[0, 0]))
        clipped_costs.append(-np.log(np.clip(A_gap[0, 0], 1e-12, None)))

fig, ax = plt.subplots(figsize=(7, 3.8))
ax.plot(gaps, lse_costs, lw=4, alpha=0.4, label="your softmax_cross_entropy (log-sum-exp)")
ax.plot(gaps, naive_costs, "k-", lw=1.2, label="-log(softmax) (inf beyond s = 745)")
ax.plot(gaps, clipped_costs, "--", color="tab:red", lw=1.2, label="-log(clip(softmax, 1e-12))")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("logit gap $s$ (logits $(0, s)$, label 0)")
ax.set_ylabel("cost $J$")
ax.set_title("Only log-sum-exp keeps the cost right for large logits")
ax.legend()
plt.show()
Z_800 = np.array([[0.0], [800.0]])
with np.errstate(all="ignore"):
    print(f"logits (0, 800), label 0: log-sum-exp {softmax_cross_entropy(Z_800, Y_first):.1f},",
          f"-log(softmax) {-np.log(softmax(Z_800)[0, 0])},",
          f"clipped {-np.log(np.clip(softmax(Z_800)[0, 0], 1e-12, None)):.1f}")

# %% [markdown]
# The clipped cost is flat: its gradient is zero, so a very wrong, very confident prediction
# stops being corrected. The log-sum-exp cost keeps a slope of 1, as the true cost does.
#
# ## 7. Concept: the gradient with respect to the logits
#
# Backpropagation needs $dZ = \partial J / \partial Z$. Take one example (drop the index $i$), with
# cost $\ell = -\sum_j y_j \log a_j$ and $\log a_j = z_j - \log \sum_k e^{z_k}$. For a logit $z_r$,
#
# $$\frac{\partial \log a_j}{\partial z_r} = \delta_{jr} - \frac{e^{z_r}}{\sum_k e^{z_k}} = \delta_{jr} - a_r,
# \qquad \delta_{jr} = \begin{cases} 1 & j = r \\ 0 & j \ne r \end{cases}$$
#
# $$\frac{\partial \ell}{\partial z_r} = -\sum_j y_j \,(\delta_{jr} - a_r) = -y_r + a_r \sum_j y_j = a_r - y_r,$$
#
# because a one-hot column sums to 1. So, for one example, $dz = a - y$: prediction minus truth,
# exactly the form of logistic regression's $dz = a - y$. (Going through the Jacobian of the softmax,
# $\partial a_j / \partial z_r = a_j(\delta_{jr} - a_r)$, gives the same result with more work.)
#
# For the **mean** cost $J = \frac{1}{m}\sum_i \ell^{(i)}$, column $i$ of $Z$ only enters $\ell^{(i)}$, so
#
# $$dZ = \frac{\partial J}{\partial Z} = \frac{1}{m}\,(A - Y), \qquad A = \operatorname{softmax}(Z),
# \quad dZ \text{ of shape } (C, m). \qquad \text{(7)}$$
#
# The $1/m$ belongs here because $J$ is a mean; the layers below then simply sum over the
# examples ($dW = dZ\, A_{\text{prev}}^\top$, $db = \sum_i dZ_{:,i}$). Since the max-shifted softmax is
# stable, so is $dZ$: for the logits $(0, 800)$ and label 0 it is $(-1, 1)$.
#
# `softmax_cross_entropy_backward(Z, Y)` takes the same arguments as the cost and returns $dZ$ of
# equation (7), the gradient of the **mean** cost $J$ with respect to every logit, finite for any
# logits.

# %% [markdown]
# <details><summary>Hint 1 (the idea)</summary>
#
# Equation (7): the probabilities minus the one-hot targets, for every entry at once, with the
# $1/m$ of the mean. You already have a softmax that stays finite for any logits: use it.
#
# </details>
# <details><summary>Hint 2 (close to code)</summary>
#
# One line: your `softmax(Z)`, minus `Y`, divided by the number of examples `Z.shape[1]` (the
# columns, not the classes).
#
# </details>

# %% nbgrader={"grade_id": "softmax_cross_entropy_backward"} checks={"visible": 1, "hidden": 2}
def softmax_cross_entropy_backward(Z, Y):
    """Gradient of the mean cross-entropy J with respect to the logits, equation (7) (lesson 09).

    Z: (C, m) logits; Y: (C, m) one-hot labels. Neither is modified.
    Returns dZ: (C, m), a new array, finite for any logits.
    """
    ### BEGIN SOLUTION
    return (softmax(Z) - Y) / Z.shape[1]
    ### END SOLUTION


# %% [markdown]
# ### Experiment: gradient check
#
# Compare your $dZ$ with centred finite differences of your cost,
# $\big(J(Z + h e_r) - J(Z - h e_r)\big) / 2h$ for every entry, and then the gradients of a whole
# small network whose output layer is made of your three functions
# (`network.Head(activation, cost, backward)`). Relative errors around $10^{-9}$ or below mean the
# derivation and the code agree.

# %% tags=["experiment"]
rng = np.random.default_rng(9)
Z_check = rng.standard_normal((4, 6)) * 2
Y_check = one_hot(rng.integers(0, 4, 6), 4)
numeric = gradcheck.numerical_gradient(lambda Z: softmax_cross_entropy(Z, Y_check), Z_check)
print("dZ versus finite differences, relative error:",
      f"{gradcheck.relative_error(softmax_cross_entropy_backward(Z_check, Y_check), numeric):.1e}")

softmax_head = network.Head(softmax, softmax_cross_entropy, softmax_cross_entropy_backward)
X_check = rng.standard_normal((2, 10))
errors = gradcheck.check_network_gradients(network.init_parameters([2, 5, 3], rng), X_check,
                                           one_hot(rng.integers(0, 3, 10), 3), softmax_head)
print("network 2-5-3 with your softmax head, worst relative error:", f"{max(errors.values()):.1e}")

# %% [markdown]
# ## 8. Helpers from lessons 01 and 05
#
# Training needs gradient descent and mini-batches (lesson 01) and Adam (lesson 05). The next
# cell loads your own functions from your notebooks of those lessons, saved beside this one.
# This cell is not graded.

# %%
# Your functions of lessons 01 and 05, from your notebooks of those lessons.
gd_update, random_mini_batches = load("01_mini_batch_gradient_descent", "gd_update", "random_mini_batches")
init_adam, adam_update = load("05_adam", "init_adam", "adam_update")

gradient_descent = optimizers.gradient_descent(gd_update)
adam = optimizers.adam(init_adam, adam_update)

# %% [markdown]
# ## 9. Experiment: two classes give back logistic regression
#
# First numerically: for random pairs of logits, the second softmax probability equals the
# sigmoid of the difference $z_2 - z_1$.

# %% tags=["experiment"]
Z_pairs = np.random.default_rng(8).standard_normal((2, 1000)) * 5
difference = np.abs(softmax(Z_pairs)[1] - network.sigmoid(Z_pairs[1] - Z_pairs[0])).max()
print(f"max |softmax([z1, z2])[1] - sigmoid(z2 - z1)| over 1000 pairs: {difference:.1e}")

# %% [markdown]
# Now train both models, with no hidden layer, on the two moons by full-batch gradient descent:
# logistic regression (one logit, `network.SIGMOID_HEAD`) and softmax regression with $C = 2$
# (two logits, your head). The softmax starts from $w_1 = 0$, $w_2 = w$, $b_1 = 0$, $b_2 = b$, so
# both models start as the same function. By section 7 the gradient of the two rows is $\pm g$,
# where $g$ is the logistic gradient; the difference $w_2 - w_1$ therefore moves by $2\alpha g$
# per step. With learning rates $\alpha$ for the softmax and $2\alpha$ for the logistic model,
# the two runs should stay the same model at every step — up to rounding.

# %% tags=["experiment"]
rng = np.random.default_rng(0)
X_moons, Y_moons = data.make_moons(300, rng)
logistic_start = network.init_parameters([2, 1], rng)
softmax_start = {"W1": np.vstack([np.zeros((1, 2)), logistic_start["W1"]]),
                 "b1": np.vstack([np.zeros((1, 1)), logistic_start["b1"]])}


def full_batch(X, Y, batch_size, rng):
    return [(X, Y)]


common = {"optimizer": gradient_descent, "epochs": 300, "batch_size": None, "make_batches": full_batch,
          "progress": False}
logistic, _, logistic_history = training.train(logistic_start, X_moons, Y_moons, head=network.SIGMOID_HEAD,
                                               learning_rate=1.0, rng=np.random.default_rng(1), **common)
labels_moons = Y_moons.astype(int)  # make_moons gives float labels (the sigmoid head's Y); one_hot takes integers
softmax2, _, softmax_history = training.train(softmax_start, X_moons, one_hot(labels_moons, 2), head=softmax_head,
                                              learning_rate=0.5, rng=np.random.default_rng(1), **common)
w_effective = softmax2["W1"][1] - softmax2["W1"][0]
b_effective = softmax2["b1"][1] - softmax2["b1"][0]
print("logistic regression     w =", logistic["W1"].ravel(), " b =", logistic["b1"].ravel())
print("softmax, w2 - w1, b2 - b1 =", w_effective, " b =", b_effective)
print(f"largest difference: {np.abs(w_effective - logistic['W1'].ravel()).max():.1e}")

fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
plots.plot_decision_boundary(lambda P: network.predict(P, softmax2, softmax_head), X_moons, Y_moons,
                             ax=axes[0], title="softmax regression, C = 2 (regions)\n"
                             "and logistic regression (dashed line)")
x1 = np.linspace(X_moons[0].min() - 0.5, X_moons[0].max() + 0.5, 2)
w, b = logistic["W1"].ravel(), logistic["b1"].item()
limits = axes[0].get_xlim(), axes[0].get_ylim()
axes[0].plot(x1, -(w[0] * x1 + b) / w[1], "k--", lw=1.5, label="logistic: $w^T x + b = 0$")
axes[0].set_xlim(limits[0])
axes[0].set_ylim(limits[1])
axes[0].legend(loc="lower left", fontsize=8)
axes[1].plot(logistic_history["epoch_cost"], lw=4, alpha=0.4, label="logistic regression, lr 1.0")
axes[1].plot(softmax_history["epoch_cost"], "k-", lw=1, label="softmax regression C = 2, lr 0.5")
axes[1].set_xlabel("gradient-descent step")
axes[1].set_ylabel("mean cross-entropy (training)")
axes[1].set_title("Same cost at every step")
axes[1].legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 10. Experiment: decision regions on a three-armed spiral
#
# Softmax regression alone (no hidden layer) is **linear**: class $j$ wins where
# $z_j - z_k = (w_j - w_k)^\top x + (b_j - b_k) > 0$ for all $k$, an intersection of half-planes, so
# every region is a convex wedge. On the spiral that cannot work. Put your softmax head on top of a
# ReLU hidden layer and the same cost, trained with Adam, bends the regions around the arms.

# %% tags=["experiment"]
rng = np.random.default_rng(3)
X_spiral, labels_spiral = data.make_spiral(100, rng)
Y_spiral = one_hot(labels_spiral, 3)
models, histories = {}, {}
for name, dims in {"softmax regression 2-3": [2, 3], "network 2-64-3 (ReLU)": [2, 64, 3]}.items():
    models[name], _, histories[name] = training.train(
        network.init_parameters(dims, np.random.default_rng(4)), X_spiral, Y_spiral, head=softmax_head,
        optimizer=adam, learning_rate=0.01, epochs=200, batch_size=64, make_batches=random_mini_batches,
        rng=np.random.default_rng(5), progress=False)

fig, axes = plt.subplots(1, 3, figsize=(15, 4.3))
for ax, (name, parameters) in zip(axes, models.items(), strict=False):
    accuracy = network.accuracy(network.predict(X_spiral, parameters, softmax_head), labels_spiral)
    plots.plot_decision_boundary(lambda P, p=parameters: network.predict(P, p, softmax_head), X_spiral,
                                 labels_spiral, ax=ax, title=f"{name}: training accuracy {accuracy:.0%}")
plots.plot_costs(histories, key="epoch_cost", ax=axes[2])
axes[2].set_title("Adam, lr 0.01, mini-batches of 64")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 11. Experiment: a digit classifier
#
# The 1,797 handwritten digits are $8 \times 8$ images (64 pixels in $[0, 1]$, one column per image)
# with labels 0–9. Softmax regression learns one template $w_j$ of 64 weights per digit and scores
# an image by its match $w_j^\top x + b_j$ with each template. Without hidden layers the cost is
# convex and there is no symmetry to break, so the weights can start at zero. Train on 80 % of
# the images, then measure the accuracy on the 20 % held out — images the model has never seen.

# %% tags=["experiment"]
X_digits, labels_digits = data.load_digits()
X_train, labels_train, X_test, labels_test = data.train_test_split(X_digits, labels_digits,
                                                                   np.random.default_rng(0))
digits_model, _, digits_history = training.train(
    {"W1": np.zeros((10, 64)), "b1": np.zeros((10, 1))}, X_train, one_hot(labels_train, 10),
    head=softmax_head, optimizer=adam, learning_rate=0.01, epochs=40, batch_size=64,
    make_batches=random_mini_batches, rng=np.random.default_rng(2), progress=False)
predicted = network.predict(X_test, digits_model, softmax_head)
print(f"training accuracy {network.accuracy(network.predict(X_train, digits_model, softmax_head), labels_train):.3f}")
print(f"test accuracy     {network.accuracy(predicted, labels_test):.3f} on {labels_test.size} held-out images")

fig, axes = plt.subplots(1, 10, figsize=(13, 1.8))
for digit, ax in enumerate(axes):
    template = digits_model["W1"][digit].reshape(8, 8)
    ax.imshow(template, cmap="RdBu_r", vmin=-np.abs(template).max(), vmax=np.abs(template).max())
    ax.set_title(f"$w_{digit}$")
    ax.axis("off")
fig.suptitle("The learned templates: red pixels vote for the digit, blue ones against", y=1.08)
plt.show()

# %% [markdown]
# The templates are not pictures of the digits: they weigh the pixels that tell a digit apart
# from the **others**. The 0 wants ink on its sides and none in the centre, where a 1, a 4 or an 8
# would have some. Here are held-out images the model gets wrong, with the probability it gave to
# its (wrong) answer; several are hard even for a person at 8 × 8 pixels.

# %% tags=["experiment"]
probabilities, _ = network.forward(X_test, digits_model, softmax_head)
wrong = np.flatnonzero(predicted != labels_test)
fig, axes = plt.subplots(1, 8, figsize=(13, 2.2))
for ax, index in zip(axes, wrong[:8], strict=False):
    ax.imshow(X_test[:, index].reshape(8, 8), cmap="gray_r")
    ax.set_title(f"true {labels_test[index]}, said {predicted[index]}\n"
                 f"p = {probabilities[predicted[index], index]:.2f}", fontsize=9)
for ax in axes:
    ax.axis("off")
fig.suptitle(f"{wrong.size} of {labels_test.size} test images misclassified (at most 8 shown)", y=1.1)
plt.show()

# %% [markdown]
# ## Summary
#
# - The softmax $a_j = e^{z_j} / \sum_k e^{z_k}$ turns a column of $C$ logits into probabilities;
#   for $C = 2$ it is the sigmoid of the difference of the logits, so softmax regression with two
#   classes *is* logistic regression.
# - It is the smooth version of the hardmax: at a temperature $T$, $\operatorname{softmax}(z/T)$
#   tends to the hardmax as $T \to 0$ (tied maxima share) and to the uniform $1/C$ as $T \to \infty$.
# - Only differences of logits matter: subtracting each column's max makes the softmax safe for
#   any logits.
# - Compute the cross-entropy from the logits with log-sum-exp, never as `log(softmax(Z))`:
#   the probabilities underflow to 0, and clipping them silently gives a wrong cost with no slope.
# - The gradient of the mean cost with respect to the logits is $dZ = (A - Y)/m$.
# - Without hidden layers the decision regions are convex; with them, the same head classifies
#   spirals and digits.
#
# ## On your own
#
# 1. In the naive softmax, which input makes $0/0$ rather than $\infty/\infty$? Try a column of
#    logits all equal to $-1000$ with the naive formula and with yours.
# 2. Replace the max by the mean of the column in your shift. Does the softmax stay finite for
#    $(1000, -1000)$? Why is the max the right choice?
# 3. In section 9, train the two models with the **same** learning rate. Are the final decision
#    boundaries still equal? After many more steps?
# 4. Add a hidden layer of 64 ReLU units to the digit classifier. How much does the test accuracy
#    improve? (Lesson 10 goes further.)
# 5. Use Adam instead of gradient descent in section 9 with learning rates $\alpha$ and $2\alpha$.
#    Do the two models still agree? Why? (Hint: the two rows of the softmax get the gradients
#    $-g$ and $g$; what step does Adam make for each?)
