"""Optimizer updates against numbers worked out by hand."""
import math

import numpy as np
import pytest

from model import Network, make_optimizer
from model.optimizers import SGD, Adam, Momentum


def test_one_sgd_step_by_hand_single_layer():
    # ŷ = x·w + b = 1·0.5 + 2·(−0.25) + 0.1 = 0.1;  L = (ŷ − y)² = 0.81
    # ∂L/∂ŷ = 2(ŷ − y) = −1.8;  ∂L/∂w = x·(−1.8) = (−1.8, −3.6);  ∂L/∂b = −1.8
    # η = 0.1:  w ← (0.5 + 0.18, −0.25 + 0.36) = (0.68, 0.11);  b ← 0.1 + 0.18 = 0.28
    net = Network([2, 1], activation=[], output_activation="linear", loss="mse")
    net.weights[0] = [[0.5], [-0.25]]
    net.biases[0] = [0.1]
    X, Y = np.array([[1.0, 2.0]]), np.array([[1.0]])
    assert net.loss(X, Y) == pytest.approx(0.81)
    net.train_step(X, Y, SGD(0.1))
    np.testing.assert_allclose(net.weights[0].ravel(), [0.68, 0.11], atol=1e-15)
    np.testing.assert_allclose(net.biases[0], [0.28], atol=1e-15)


def test_one_sgd_step_by_hand_through_a_tanh_layer():
    # x = 1; z₁ = 0.5·1 + 0 → a₁ = tanh(0.5); ŷ = 2·a₁ + 0; y = 0
    net = Network([1, 1, 1], activation="tanh", output_activation="linear", loss="mse")
    net.weights[0] = [[0.5]]
    net.biases[0] = [0.0]
    net.weights[1] = [[2.0]]
    net.biases[1] = [0.0]
    a1 = math.tanh(0.5)
    y_hat = 2 * a1
    d_out = 2 * (y_hat - 0.0)                 # δ₂ = ∂L/∂ŷ (linear output)
    d_hidden = d_out * 2.0 * (1 - a1 ** 2)    # δ₁ = δ₂·w₂·tanh′(z₁)
    eta = 0.05
    net.train_step(np.array([[1.0]]), np.array([[0.0]]), SGD(eta))
    assert net.weights[1][0, 0] == pytest.approx(2.0 - eta * a1 * d_out, abs=1e-15)
    assert net.biases[1][0] == pytest.approx(0.0 - eta * d_out, abs=1e-15)
    assert net.weights[0][0, 0] == pytest.approx(0.5 - eta * 1.0 * d_hidden, abs=1e-15)
    assert net.biases[0][0] == pytest.approx(0.0 - eta * d_hidden, abs=1e-15)


def test_momentum_accumulates_velocity():
    w, g = np.array([1.0]), np.array([0.5])
    opt = Momentum(0.1, momentum=0.9)
    opt.step(w, g)                 # v = −0.05, w = 0.95
    opt.step(w, g)                 # v = 0.9·(−0.05) − 0.05 = −0.095, w = 0.855
    assert w[0] == pytest.approx(0.855)


def test_adam_first_step_moves_by_learning_rate():
    # after bias correction m̂ = g, v̂ = g², so the first step is η·g/(|g| + ε) ≈ η·sign(g)
    w = np.array([1.0, -2.0])
    Adam(0.01).step(w, np.array([3.0, -0.001]))
    np.testing.assert_allclose(w, [0.99, -1.99], atol=1e-5)


def test_step_accepts_lists_and_keeps_state_per_parameter():
    params = [np.zeros(2), np.zeros(3)]
    opt = Adam(0.1)
    opt.step(params, [np.ones(2), -np.ones(3)])
    assert params[0][0] < 0 < params[1][0]


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_every_optimizer_lowers_the_loss(name):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 2))
    Y = np.tanh(X @ np.array([[1.0], [-1.0]]))
    net = Network([2, 6, 1], activation="tanh", output_activation="linear", seed=1)
    before = net.loss(X, Y)
    opt = make_optimizer(name, 0.01)
    for _ in range(200):
        net.train_step(X, Y, opt)
    assert net.loss(X, Y) < 0.5 * before


@pytest.mark.parametrize("value", [0, -1, float("nan"), float("inf")])
def test_bad_learning_rate(value):
    with pytest.raises(ValueError, match="learning rate"):
        make_optimizer("sgd", value)
    with pytest.raises(ValueError, match="unknown optimizer"):
        make_optimizer("rmsprop", 0.1)


def test_sgd_with_one_learning_rate_per_run_by_hand_and_after_a_change():
    """Runs stacked as rows (R, P) with rates (R, 1): w ← w − η_r·g, row by row — also after the
    rates change between steps (the rates spread over (R, P) are made again)."""
    params = np.array([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]])
    grads = np.array([[1.0, -2.0, 0.5], [1.0, -2.0, 0.5]])
    sgd = SGD(np.array([[0.1], [0.5]]))
    sgd.step(params, grads)
    np.testing.assert_allclose(params, [[0.9, 2.2, 2.95], [0.5, 3.0, 2.75]], rtol=0, atol=1e-15)
    sgd.learning_rate = np.array([[1.0], [2.0]])
    sgd.step(params, grads)
    np.testing.assert_allclose(params, [[-0.1, 4.2, 2.45], [-1.5, 7.0, 1.75]], rtol=0, atol=1e-15)
    rates = np.array([[0.25], [0.25]])
    sgd.learning_rate = rates
    rates[...] = 100.0                  # the optimizer keeps the rates it was given
    sgd.step(params, grads)
    np.testing.assert_allclose(params, [[-0.35, 4.7, 2.325], [-1.75, 7.5, 1.625]], rtol=0, atol=1e-15)
    # a twin for one row keeps that row's rate
    twin = sgd.select([1])
    one = params[1:].copy()
    twin.step(one, grads[1:])
    np.testing.assert_allclose(one, [[-2.0, 8.0, 1.5]], rtol=0, atol=1e-15)
