"""A Dense → BatchNorm → activation → Dropout block computes what PyTorch computes.

The reference numbers come from ``torch.nn.Sequential(Linear, BatchNorm1d,
<activation>, Dropout)`` in float64 (tests/data/torch_batchnorm_reference.json,
written by tools/torch_reference.py; PyTorch is not needed to run this test).
For each case: one training-mode forward with torch's own dropout mask, a
backward from a fixed upstream gradient G = ∂L/∂y, the running statistics
after that forward, and the evaluation-mode output.

So that the check does not rest on the file alone, the same block is also
written here as plain per-feature loops straight from the textbook formulas
(Ioffe & Szegedy 2015, algorithms 1 and 2): the loops must agree with torch,
and the engine must agree with both.

How the block is put into the public ``Network``: sizes [d, d, h, h] with

    layer 0  Dense d→d with W = I, b = 0, linear activation: a[1] = X exactly, and
             grads.deltas[0] = ∂L/∂z[0] = ∂L/∂a[1] is the block's input gradient,
             computed by the engine's own Dense backward
    layer 1  the block: Dense d→h, batch norm, the activation, dropout p (mask at a[2])
    layer 2  Dense h→h with W = I, b = 0, linear output, mse loss

mse is mean((ŷ − y)²) over n·h elements, so ∂L/∂ŷ = 2(ŷ − y)/(n·h); targets
y = y_torch − G·n·h/2 make the upstream gradient into the block exactly G.

The last test builds the block from the four ``model.layers`` objects instead,
each run with its own ``forward``/``backward``, with no Network around them.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import Network

DATA = Path(__file__).resolve().parent / "data" / "torch_batchnorm_reference.json"
CASES = json.loads(DATA.read_text(encoding="utf-8"))["cases"]
TOLERANCE = 1e-10
EPS = 1e-5
MOMENTUM = 0.1


# -- the independent reference: plain loops, one feature at a time ----------------

def _f(name: str, u: float) -> float:
    if name == "tanh":
        return math.tanh(u)
    if name == "sigmoid":
        return 1.0 / (1.0 + math.exp(-u))
    if name == "relu":
        return u if u > 0 else 0.0
    raise ValueError(name)


def _f_prime(name: str, u: float) -> float:
    if name == "tanh":
        return 1.0 - math.tanh(u) ** 2
    if name == "sigmoid":
        s = 1.0 / (1.0 + math.exp(-u))
        return s * (1.0 - s)
    if name == "relu":
        return 1.0 if u > 0 else 0.0
    raise ValueError(name)


def loop_reference(X, W, b, gamma, beta, mask, G, activation) -> dict:
    """Forward and backward of y = f(γ·(z − μ_B)/√(σ²_B + ε) + β) ⊙ m with z = X·W + b, by loops."""
    n, d = len(X), len(X[0])
    h = len(b)
    z = [[b[j] + sum(X[i][k] * W[k][j] for k in range(d)) for j in range(h)] for i in range(n)]
    mean = [sum(z[i][j] for i in range(n)) / n for j in range(h)]
    var = [sum((z[i][j] - mean[j]) ** 2 for i in range(n)) / n for j in range(h)]      # biased
    z_hat = [[(z[i][j] - mean[j]) / math.sqrt(var[j] + EPS) for j in range(h)] for i in range(n)]
    u = [[gamma[j] * z_hat[i][j] + beta[j] for j in range(h)] for i in range(n)]
    y = [[_f(activation, u[i][j]) * mask[i][j] for j in range(h)] for i in range(n)]

    # backward: ∂L/∂u = G ⊙ m ⊙ f′(u)
    du = [[G[i][j] * mask[i][j] * _f_prime(activation, u[i][j]) for j in range(h)] for i in range(n)]
    dgamma = [sum(du[i][j] * z_hat[i][j] for i in range(n)) for j in range(h)]
    dbeta = [sum(du[i][j] for i in range(n)) for j in range(h)]
    dz = [[0.0] * h for _ in range(n)]
    for j in range(h):
        inv_std = 1.0 / math.sqrt(var[j] + EPS)
        dz_hat = [du[i][j] * gamma[j] for i in range(n)]
        dvar = sum(dz_hat[i] * (z[i][j] - mean[j]) for i in range(n)) * -0.5 * inv_std ** 3
        dmean = (sum(-dz_hat[i] * inv_std for i in range(n))
                 + dvar * sum(-2.0 * (z[i][j] - mean[j]) for i in range(n)) / n)
        for i in range(n):
            dz[i][j] = dz_hat[i] * inv_std + dvar * 2.0 * (z[i][j] - mean[j]) / n + dmean / n
    dW = [[sum(X[i][k] * dz[i][j] for i in range(n)) for j in range(h)] for k in range(d)]
    db = [sum(dz[i][j] for i in range(n)) for j in range(h)]
    dX = [[sum(dz[i][j] * W[k][j] for j in range(h)) for k in range(d)] for i in range(n)]

    # running statistics after this one training forward, from 0 and 1 (unbiased variance)
    running_mean = [(1 - MOMENTUM) * 0.0 + MOMENTUM * mean[j] for j in range(h)]
    running_var = [(1 - MOMENTUM) * 1.0 + MOMENTUM * var[j] * n / (n - 1) for j in range(h)]
    evaluation = [[_f(activation, gamma[j] * (z[i][j] - running_mean[j])
                      / math.sqrt(running_var[j] + EPS) + beta[j]) for j in range(h)]
                  for i in range(n)]
    return {"output": y, "input_gradient": dX, "weights_gradient": dW, "bias_gradient": db,
            "gamma_gradient": dgamma, "beta_gradient": dbeta, "running_mean": running_mean,
            "running_var": running_var, "evaluation_output": evaluation}


# -- the engine ---------------------------------------------------------------------

def engine_block(X, W, b, gamma, beta, mask, G, activation, p, targets_from=None) -> dict:
    """The block inside a public Network (see the module docstring); the same quantities."""
    X, W, b = np.array(X, float), np.array(W, float), np.array(b, float)
    mask, G = np.array(mask, float), np.array(G, float)
    n, d = X.shape
    h = W.shape[1]
    net = Network([d, d, h, h], activation=["linear", activation], output_activation="linear",
                  loss="mse", batch_norm=[False, True], dropout=[0.0, p], seed=0)
    net.weights[0][...] = np.eye(d)
    net.biases[0][...] = 0.0
    net.weights[1][...] = W
    net.biases[1][...] = b
    net.gammas[1][...] = gamma
    net.betas[1][...] = beta
    net.weights[2][...] = np.eye(h)
    net.biases[2][...] = 0.0
    masks = [None, None, mask if p > 0 else None, None]
    trace = net.forward(X, training=True, masks=masks)
    block_output = trace.a[2]
    reference_output = block_output if targets_from is None else np.array(targets_from, float)
    targets = reference_output - G * (n * h / 2.0)
    grads = net.backward(trace, targets)
    running_mean, running_var = np.array(net.running_means[1]), np.array(net.running_vars[1])
    evaluation = net.forward(X).a[2]
    return {"output": block_output, "input_gradient": grads.deltas[0],
            "weights_gradient": grads.weights[1], "bias_gradient": grads.biases[1],
            "gamma_gradient": grads.gammas[1], "beta_gradient": grads.betas[1],
            "running_mean": running_mean, "running_var": running_var,
            "evaluation_output": evaluation}


QUANTITIES = ("output", "input_gradient", "weights_gradient", "bias_gradient", "gamma_gradient",
              "beta_gradient", "running_mean", "running_var", "evaluation_output")


def assert_same(actual: dict, expected: dict, who: str) -> None:
    for quantity in QUANTITIES:
        got, want = np.asarray(actual[quantity], float), np.asarray(expected[quantity], float)
        assert got.shape == want.shape, f"{who}: {quantity} has shape {got.shape}, expected {want.shape}"
        error = float(np.max(np.abs(got - want))) if got.size else 0.0
        assert error <= TOLERANCE, f"{who}: {quantity} differs by {error:.3g}\n{got}\nvs\n{want}"


def inputs_of(case: dict) -> tuple:
    return (case["inputs"], case["weights"], case["bias"], case["gamma"], case["beta"],
            case["mask"], case["upstream"], case["activation"])


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_plain_loop_reference_agrees_with_torch(case):
    """The independent reference is right: torch and the textbook loops agree."""
    assert case["eps"] == EPS and case["momentum"] == MOMENTUM
    assert_same(loop_reference(*inputs_of(case)), case, "textbook loops vs torch")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_engine_block_agrees_with_torch(case):
    engine = engine_block(*inputs_of(case), case["dropout"], targets_from=case["output"])
    assert_same(engine, case, "engine vs torch")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_engine_block_agrees_with_plain_loops(case):
    engine = engine_block(*inputs_of(case), case["dropout"])
    assert_same(engine, loop_reference(*inputs_of(case)), "engine vs textbook loops")


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 9), d=st.integers(1, 4), h=st.integers(1, 5),
       activation=st.sampled_from(["tanh", "relu", "sigmoid"]),
       p=st.sampled_from([0.0, 0.25, 0.5, 0.8]), seed=st.integers(0, 2**16))
def test_engine_block_agrees_with_plain_loops_on_random_blocks(n, d, h, activation, p, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(0.3, 1.5, (n, d))
    W, b = rng.uniform(-1, 1, (d, h)), rng.uniform(-0.5, 0.5, h)
    gamma, beta = rng.uniform(0.5, 2.0, h), rng.uniform(-0.5, 0.5, h)
    mask = (rng.random((n, h)) >= p) / (1.0 - p) if p > 0 else np.ones((n, h))
    G = rng.normal(size=(n, h))
    reference = loop_reference(X.tolist(), W.tolist(), b.tolist(), gamma.tolist(), beta.tolist(),
                               mask.tolist(), G.tolist(), activation)
    engine = engine_block(X, W, b, gamma, beta, mask, G, activation, p)
    assert_same(engine, reference, "engine vs textbook loops")


# -- the same block from the layers themselves (model.layers), one at a time -------------

def layers_block(X, W, b, gamma, beta, mask, G, activation, p) -> dict:
    """Dense → BatchNorm → activation → Dropout as four ``model.layers`` objects, each
    run with its own ``forward``/``backward`` (issue 8, point 1), no Network around them."""
    from model.layers import ActivationLayer, BatchNorm, Dense, Dropout, GivenMasks, Mode

    X, W, b = np.array(X, float), np.array(W, float), np.array(b, float)
    d, h = W.shape
    dense = Dense(d, h)
    dense.bind({"block": np.vstack([W, b])})
    norm = BatchNorm(h)
    norm.bind({"gamma": np.array(gamma, float), "beta": np.array(beta, float)})
    norm.reset_statistics()
    block = [dense, norm, ActivationLayer(activation)]
    if p > 0:
        dropout = Dropout(p)
        dropout.index = 3
        block.append(dropout)
    training = Mode(training=True, update_statistics=True, masks=GivenMasks({3: np.array(mask, float)}))
    records, y = [], X
    for layer in block:
        y, record = layer.forward(y, training)
        records.append(record)
    output, delta, gradients = y, np.array(G, float), {}
    for layer, record in zip(reversed(block), reversed(records)):
        delta, gradients[layer.kind] = layer.backward(record, delta)
    evaluation = X
    for layer in block:
        evaluation, _ = layer.forward(evaluation, Mode())
    return {"output": output, "input_gradient": delta,
            "weights_gradient": gradients["dense"]["block"][:-1],
            "bias_gradient": gradients["dense"]["block"][-1],
            "gamma_gradient": gradients["batch_norm"]["gamma"],
            "beta_gradient": gradients["batch_norm"]["beta"],
            "running_mean": np.array(norm.running_mean), "running_var": np.array(norm.running_var),
            "evaluation_output": evaluation}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_layers_one_by_one_agree_with_torch(case):
    assert_same(layers_block(*inputs_of(case), case["dropout"]), case, "model.layers vs torch")
