"""Gradient norms, dead ReLU units and saturated units, against numbers worked out by hand."""
import numpy as np
import pytest

from model import Network
from model.gradient_health import dead_shares, gradient_health, gradient_norms

RNG = np.random.default_rng(0)
X = RNG.uniform(-1, 1, (60, 2))
Y = (X[:, :1] * X[:, 1:] > 0).astype(float)


def test_gradient_norms_are_the_norm_of_each_layers_weights_and_biases():
    net = Network([2, 4, 3, 1], activation="tanh", seed=1)
    gradients = net.backward(net.forward(X), Y)
    norms = gradient_norms(gradients.weights, gradients.biases)
    for l in range(3):
        both = np.concatenate([gradients.weights[l].ravel(), gradients.biases[l].ravel()])
        assert norms[l] == pytest.approx(np.sqrt(np.sum(both ** 2)))
    np.testing.assert_allclose(gradient_health(net, X, Y).gradient_norms, norms)


def test_a_relu_unit_below_zero_on_every_sample_is_dead():
    net = Network([2, 4, 5, 1], activation="relu", seed=1)
    net.weights[0][:, 1] = 0.0
    net.biases[0][1] = -1.0                     # unit 1 of layer 1: z = −1 everywhere
    net.weights[1][:, 3] = 0.0
    net.biases[1][3] = -0.5
    net.weights[1][:, 0] = 0.0
    net.biases[1][0] = -0.5
    health = gradient_health(net, X, Y)
    trace = net.forward(X)
    expected = [np.mean((trace.a[c] == 0).all(axis=0)) for c in (1, 2)]
    assert health.dead[0] >= 1 / 4 and health.dead[1] >= 2 / 5
    np.testing.assert_allclose(health.dead, expected)
    assert np.isnan(health.saturated).all()          # ReLU does not saturate


def test_dead_shares_count_only_units_zero_on_all_samples():
    a = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 0.0], [0.0, 2.0, 0.0]])
    b = np.array([[0.0, 1.0], [1.0, 0.0]])
    np.testing.assert_allclose(dead_shares([a, b]), [2 / 3, 0.0])


def test_sigmoid_units_with_huge_weights_are_saturated_and_small_weights_are_not():
    net = Network([2, 6, 1], activation="sigmoid", output_activation="sigmoid", loss="cross_entropy",
                  seed=0)
    assert gradient_health(net, X * 0.01, Y).saturated[0] == 0.0
    net.weights[0][...] = 0.0
    net.weights[0][0, :3] = 1000.0              # three units see z = ±1000·x1: f′ ≈ 0
    health = gradient_health(net, X, Y)
    assert health.saturated[0] == pytest.approx(0.5)
    assert health.activations == ("sigmoid",)


def test_a_deep_sigmoid_network_shows_vanishing_gradients():
    net = Network([2, 8, 8, 8, 8, 8, 1], activation="sigmoid", seed=0)
    norms = gradient_health(net, X, Y).gradient_norms
    assert norms[0] < norms[-1] / 10


def test_batch_norm_saturation_is_measured_after_normalising():
    net = Network([2, 4, 1], activation="tanh", batch_norm=True, seed=0)
    net.gammas[0][...] = 1000.0                 # u = 1000·ẑ: tanh flat on almost every sample
    health = gradient_health(net, X, Y)
    assert health.saturated[0] == 1.0
