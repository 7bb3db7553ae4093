"""Backpropagation against central finite differences, over all parameters at once."""
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from model import ACTIVATIONS, Network

# (output activation, loss, output units, target kind) pairs that make sense together
OUTPUTS = [
    ("tanh", "mse", 2, "real"),
    ("linear", "mse", 1, "real"),
    ("sigmoid", "mse", 1, "binary"),
    ("sigmoid", "cross_entropy", 1, "binary"),
    ("softmax", "cross_entropy", 3, "onehot"),
    ("softmax", "mse", 3, "onehot"),
]


def numerical_gradient(net: Network, X, Y, h: float = 1e-6) -> np.ndarray:
    """Central differences (L(p + h·eᵢ) − L(p − h·eᵢ)) / 2h for every parameter pᵢ."""
    params = net.params
    gradient = np.empty_like(params)
    for i in range(params.size):
        original = params[i]
        params[i] = original + h
        plus = net.loss(X, Y)
        params[i] = original - h
        minus = net.loss(X, Y)
        params[i] = original
        gradient[i] = (plus - minus) / (2 * h)
    return gradient


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    return float(np.max(np.abs(analytic - numeric)) / max(np.max(np.abs(numeric)), 1e-8))


def make_targets(rng, kind: str, n: int, k: int) -> np.ndarray:
    if kind == "real":
        return rng.uniform(-1, 1, (n, k))
    if kind == "binary":
        return rng.integers(0, 2, (n, k)).astype(float)
    return np.eye(k)[rng.integers(0, k, n)]


@pytest.mark.parametrize("output, loss, outputs, kind", OUTPUTS)
@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@settings(max_examples=6, deadline=None)
@given(hidden=st.lists(st.integers(1, 5), min_size=1, max_size=3),
       inputs=st.integers(1, 4), batch=st.integers(1, 7), seed=st.integers(0, 2**16))
def test_backward_matches_finite_differences(activation, output, loss, outputs, kind,
                                             hidden, inputs, batch, seed):
    rng = np.random.default_rng(seed)
    net = Network([inputs, *hidden, outputs], activation=activation, output_activation=output,
                  loss=loss, seed=seed, init="xavier")
    # non-zero biases: with zero biases a dead ReLU unit feeds z = 0 exactly, onto the kink
    net.params += rng.normal(0.0, 0.1, net.params.size)
    X = rng.uniform(-2, 2, (batch, inputs))
    Y = make_targets(rng, kind, batch, outputs)
    trace = net.forward(X)
    if activation in ("relu", "leaky_relu"):     # central differences are wrong within h of the kink
        assume(all(np.min(np.abs(z)) > 1e-4 for z in trace.z[:-1]))
    analytic = net.backward(trace, Y).flat
    assert relative_error(analytic, numerical_gradient(net, X, Y)) < 1e-6


@pytest.mark.parametrize("l1, l2", [(0.01, 0.0), (0.0, 0.05), (0.02, 0.03)])
def test_regularisation_is_in_loss_and_gradient(l1, l2):
    rng = np.random.default_rng(3)
    net = Network([2, 4, 1], activation="tanh", loss="mse", seed=1, l1=l1, l2=l2)
    X, Y = rng.normal(size=(6, 2)), rng.normal(size=(6, 1))
    plain = Network([2, 4, 1], activation="tanh", loss="mse", seed=1)
    assert net.loss(X, Y) > plain.loss(X, Y)
    analytic = net.backward(net.forward(X), Y).flat
    assert relative_error(analytic, numerical_gradient(net, X, Y)) < 1e-6


def test_mixed_activations_per_layer():
    rng = np.random.default_rng(4)
    net = Network([3, 4, 4, 4, 2], activation=["relu", "sigmoid", "sine"], output_activation="linear")
    X, Y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    analytic = net.backward(net.forward(X), Y).flat
    assert relative_error(analytic, numerical_gradient(net, X, Y)) < 1e-6


def test_bias_gradient_is_sum_of_deltas_and_weight_gradient_is_outer_product():
    rng = np.random.default_rng(5)
    net = Network([3, 5, 2], activation="tanh", output_activation="linear")
    X, Y = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    trace = net.forward(X)
    grads = net.backward(trace, Y)
    for l in range(net.depth):
        np.testing.assert_allclose(grads.biases[l], grads.deltas[l].sum(axis=0), rtol=1e-12)
        np.testing.assert_allclose(grads.weights[l], trace.a[l].T @ grads.deltas[l], rtol=1e-12)
