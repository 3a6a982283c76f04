"""PyTorch (CPU, float64) as an independent oracle for the optimizers, batch norm and softmax.

Hyperparameter mapping between the course and torch.optim:
- momentum: ours is v = beta*v + (1-beta)*g, W -= lr*v. torch.optim.SGD(momentum=beta, dampening=beta)
  computes buf = beta*buf + (1-beta)*g, W -= lr*buf: the same recurrence with the same lr, EXCEPT when
  the buffer does not exist yet: then torch sets buf = g (no dampening) on its first step, while ours
  gives v = (1-beta)*g from v = 0. We make the comparison exact by giving torch the same starting
  state, zero or not: with an existing buffer (even a zero one) torch never takes that special branch.
- RMSprop: torch's alpha is our beta2 and its eps is added after the square root, like ours.
- Adam: same formulas (torch's step counter is 1-based too); torch computes sqrt(s)/sqrt(1-beta2**t)
  instead of sqrt(s/(1-beta2**t)), equal up to rounding.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from solutions.adam import adam_update
from solutions.batch_normalization import batchnorm_backward, batchnorm_forward, update_running_stats
from solutions.momentum import momentum_update
from solutions.rmsprop import rmsprop_update
from solutions.softmax_regression import one_hot, softmax_cross_entropy, softmax_cross_entropy_backward

N_STEPS = 6
SHAPES = {"W1": (4, 3), "b1": (4, 1), "W2": (2, 4), "b2": (2, 1)}


def setup(seed, nonzero_state):
    """Parameters, N_STEPS gradient dicts of varying scale, and two starting states v, s."""
    rng = np.random.default_rng(seed)
    parameters = {k: rng.standard_normal(shape) for k, shape in SHAPES.items()}
    grads_seq = [{"d" + k: rng.standard_normal(shape) * 10.0 ** rng.uniform(-2, 1)  # scale varies per step
                  for k, shape in SHAPES.items()} for _ in range(N_STEPS)]
    scale = 1.0 if nonzero_state else 0.0
    v = {"d" + k: scale * rng.standard_normal(shape) for k, shape in SHAPES.items()}
    s = {"d" + k: scale * rng.standard_normal(shape) ** 2 for k, shape in SHAPES.items()}
    return parameters, grads_seq, v, s


def run_torch(make_optimizer, parameters, grads_seq, initial_state):
    """Run a torch optimizer; initial_state(key) gives the optimizer state dict of one parameter or None."""
    tensors = {k: torch.tensor(value, dtype=torch.float64) for k, value in parameters.items()}
    optimizer = make_optimizer(list(tensors.values()))
    for key, p in tensors.items():
        state = initial_state(key)
        if state is not None:
            optimizer.state[p].update(state)
    for grads in grads_seq:
        for key, p in tensors.items():
            p.grad = torch.tensor(grads["d" + key], dtype=torch.float64)
        optimizer.step()
    return {k: p.numpy() for k, p in tensors.items()}, optimizer.state, tensors


def assert_close(ours, theirs):
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=0)


@pytest.mark.parametrize("nonzero_state", [False, True])
def test_momentum_vs_torch_sgd(nonzero_state):
    beta, lr = 0.9, 0.05
    parameters, grads_seq, v, _ = setup(0, nonzero_state)
    W, v_ours = parameters, v
    for grads in grads_seq:
        W, v_ours = momentum_update(W, grads, v_ours, learning_rate=lr, beta=beta)
    theirs, state, tensors = run_torch(
        lambda params: torch.optim.SGD(params, lr=lr, momentum=beta, dampening=beta), parameters, grads_seq,
        lambda key: {"momentum_buffer": torch.tensor(v["d" + key], dtype=torch.float64)})
    for key in SHAPES:
        assert_close(W[key], theirs[key])
        assert_close(v_ours["d" + key], state[tensors[key]]["momentum_buffer"].numpy())


def test_torch_sgd_first_step_without_buffer_is_not_dampened():
    # The pitfall the mapping above avoids: a fresh torch.optim.SGD takes a full step lr*g first.
    g = np.array([[2.0]])
    theirs, _, _ = run_torch(lambda params: torch.optim.SGD(params, lr=0.1, momentum=0.9, dampening=0.9),
                             {"W1": np.array([[1.0]])}, [{"dW1": g}], lambda key: None)
    ours, v = momentum_update({"W1": np.array([[1.0]])}, {"dW1": g}, {"dW1": np.zeros((1, 1))},
                              learning_rate=0.1, beta=0.9)
    assert_close(theirs["W1"], [[0.8]])
    assert_close(ours["W1"], [[0.98]])  # our v after step 1 is (1-beta)*g
    assert_close(v["dW1"], 0.1 * g)


@pytest.mark.parametrize("nonzero_state", [False, True])
def test_rmsprop_vs_torch(nonzero_state):
    beta2, lr, eps = 0.9, 0.01, 1e-3  # a large eps so that where it sits matters
    parameters, grads_seq, _, s = setup(1, nonzero_state)
    W, s_ours = parameters, s
    for grads in grads_seq:
        W, s_ours = rmsprop_update(W, grads, s_ours, learning_rate=lr, beta2=beta2, epsilon=eps)
    theirs, state, tensors = run_torch(
        lambda params: torch.optim.RMSprop(params, lr=lr, alpha=beta2, eps=eps), parameters, grads_seq,
        lambda key: {"step": torch.tensor(0.0),
                     "square_avg": torch.tensor(s["d" + key], dtype=torch.float64)})
    for key in SHAPES:
        assert_close(W[key], theirs[key])
        assert_close(s_ours["d" + key], state[tensors[key]]["square_avg"].numpy())


@pytest.mark.parametrize("nonzero_state", [False, True])
def test_adam_vs_torch(nonzero_state):
    beta1, beta2, lr, eps = 0.8, 0.95, 0.01, 1e-3
    parameters, grads_seq, v, s = setup(2, nonzero_state)
    t0 = 3 if nonzero_state else 0  # number of updates already made
    W, v_ours, s_ours = parameters, v, s
    for t, grads in enumerate(grads_seq, start=t0 + 1):
        W, v_ours, s_ours = adam_update(W, grads, v_ours, s_ours, t, learning_rate=lr,
                                        beta1=beta1, beta2=beta2, epsilon=eps)

    def initial_state(key):
        return {"step": torch.tensor(float(t0)), "exp_avg": torch.tensor(v["d" + key], dtype=torch.float64),
                "exp_avg_sq": torch.tensor(s["d" + key], dtype=torch.float64)}

    theirs, state, tensors = run_torch(
        lambda params: torch.optim.Adam(params, lr=lr, betas=(beta1, beta2), eps=eps), parameters, grads_seq,
        initial_state)
    for key in SHAPES:
        assert_close(W[key], theirs[key])
        assert_close(v_ours["d" + key], state[tensors[key]]["exp_avg"].numpy())
        assert_close(s_ours["d" + key], state[tensors[key]]["exp_avg_sq"].numpy())


def test_batchnorm_vs_torch():
    n, m, eps = 3, 8, 1e-5
    rng = np.random.default_rng(3)
    Z, W = rng.standard_normal((n, m)) * 3 + 2, rng.standard_normal((n, m))
    gamma, beta = rng.standard_normal((n, 1)), rng.standard_normal((n, 1))
    running_mean, running_var = rng.standard_normal((n, 1)), rng.random((n, 1)) + 0.5

    Z_tilde, cache = batchnorm_forward(Z, gamma, beta, epsilon=eps)
    dZ, dgamma, dbeta = batchnorm_backward(W, cache)

    # torch wants (m, n): examples in rows. Its momentum is 1 - ours.
    Zt = torch.tensor(Z.T, dtype=torch.float64, requires_grad=True)
    gt = torch.tensor(gamma[:, 0], dtype=torch.float64, requires_grad=True)
    bt = torch.tensor(beta[:, 0], dtype=torch.float64, requires_grad=True)
    rm_t = torch.tensor(running_mean[:, 0], dtype=torch.float64)
    rv_t = torch.tensor(running_var[:, 0], dtype=torch.float64)
    out = F.batch_norm(Zt, rm_t, rv_t, gt, bt, training=True, momentum=0.1, eps=eps)
    (torch.tensor(W.T, dtype=torch.float64) * out).sum().backward()

    assert_close(Z_tilde, out.detach().numpy().T)
    assert_close(dZ, Zt.grad.numpy().T)
    assert_close(dgamma[:, 0], gt.grad.numpy())
    assert_close(dbeta[:, 0], bt.grad.numpy())

    # Running stats: the means agree; torch's running variance uses the unbiased batch variance.
    rm, rv = update_running_stats(running_mean, running_var, cache["mu"], cache["var"], momentum=0.9)
    assert_close(rm[:, 0], rm_t.numpy())
    assert_close(rv, 0.9 * running_var + 0.1 * Z.var(axis=1, keepdims=True))
    _, rv_unbiased = update_running_stats(running_mean, running_var, cache["mu"], cache["var"] * m / (m - 1))
    assert_close(rv_unbiased[:, 0], rv_t.numpy())
    assert not np.allclose(rv[:, 0], rv_t.numpy())


def test_softmax_cross_entropy_vs_torch():
    C, m = 4, 7
    rng = np.random.default_rng(4)
    Z = rng.standard_normal((C, m)) * 3
    Z[:, 0] = [0.0, 800.0, -800.0, 5.0]  # huge logits in one example
    labels = rng.integers(0, C, m)
    labels[0] = 0
    Y = one_hot(labels, C)

    Zt = torch.tensor(Z.T, dtype=torch.float64, requires_grad=True)
    loss = F.cross_entropy(Zt, torch.tensor(labels), reduction="mean")
    loss.backward()

    assert np.isfinite(softmax_cross_entropy(Z, Y))
    assert softmax_cross_entropy(Z, Y) == pytest.approx(loss.item(), rel=1e-10)
    assert_close(softmax_cross_entropy_backward(Z, Y), Zt.grad.numpy().T)
