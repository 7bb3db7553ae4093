"""The Network's public contract: shapes, the trace, validation, parameters as views."""
import numpy as np
import pytest

from model import ACTIVATIONS, LOSSES, OPTIMIZERS, OUTPUT_ACTIVATIONS, Network


def test_shapes_and_trace():
    net = Network([2, 4, 3, 1], activation="tanh", output_activation="tanh", loss="mse", seed=0)
    assert [w.shape for w in net.weights] == [(2, 4), (4, 3), (3, 1)]
    assert [b.shape for b in net.biases] == [(4,), (3,), (1,)]
    assert all(w.dtype == np.float64 for w in net.weights)
    X = np.random.default_rng(0).normal(size=(5, 2))
    trace = net.forward(X)
    assert trace.a[0] is X or np.array_equal(trace.a[0], X)
    assert len(trace.z) == 3 and len(trace.a) == 4
    for l in range(3):
        np.testing.assert_allclose(trace.z[l], trace.a[l] @ net.weights[l] + net.biases[l])
    np.testing.assert_allclose(trace.a[1], np.tanh(trace.z[0]))
    assert trace.output is trace.a[-1]


def test_weights_are_views_into_flat_params():
    net = Network([2, 3, 1], seed=0)
    net.weights[0][1, 2] = 7.0
    net.biases[1][0] = -3.0
    assert 7.0 in net.params and -3.0 in net.params
    net.weights[1] = np.ones((3, 1))           # assignment copies into the view
    assert net.params[-4:-1].tolist() == [1.0, 1.0, 1.0]
    with pytest.raises(ValueError, match="shape"):
        net.weights[1] = np.ones((2, 1))


def test_seed_reproducible_and_copy_independent():
    a, b = Network([2, 8, 1], seed=42), Network([2, 8, 1], seed=42)
    assert np.array_equal(a.params, b.params)
    assert not np.array_equal(a.params, Network([2, 8, 1], seed=43).params)
    twin = a.copy()
    twin.params += 1.0
    assert np.array_equal(a.params, b.params)


def test_playground_uniform_init():
    net = Network([2, 50, 1], init="uniform", seed=0)
    assert net.weights[0].min() >= -0.5 and net.weights[0].max() <= 0.5
    assert np.all(net.biases[0] == 0.1)


@pytest.mark.parametrize("sizes", [[2, 0, 1], [2], [], [2, -1], [2, 1.5, 1], "21"])
def test_bad_sizes_say_what_is_wrong(sizes):
    with pytest.raises(ValueError, match="layer sizes must be"):
        Network(sizes)


@pytest.mark.parametrize("kwargs, message", [
    ({"activation": "nope"}, "unknown activation"),
    ({"activation": ["tanh"]}, "one activation per hidden layer"),
    ({"output_activation": "relu"}, "unknown output activation"),
    ({"loss": "hinge"}, "unknown loss"),
    ({"loss": "cross_entropy", "output_activation": "tanh"}, "sigmoid"),
    ({"init": "zeros"}, "unknown initialiser"),
    ({"l2": -1}, "l2"),
])
def test_bad_configuration(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Network([2, 3, 3, 1], **kwargs)


def test_softmax_needs_several_outputs_and_sums_to_one():
    with pytest.raises(ValueError, match="softmax"):
        Network([2, 3, 1], output_activation="softmax", loss="cross_entropy")
    net = Network([2, 3, 4], output_activation="softmax", loss="cross_entropy")
    out = net.predict(np.random.default_rng(1).normal(size=(6, 2)) * 100)
    np.testing.assert_allclose(out.sum(axis=1), 1.0)


def test_wrong_input_shapes_are_clear():
    net = Network([3, 2, 1])
    with pytest.raises(ValueError, match=r"inputs must have shape \(n, 3\)"):
        net.forward(np.ones((4, 2)))
    with pytest.raises(ValueError, match="targets must have shape"):
        net.loss(np.ones((4, 3)), np.ones((5, 1)))


def test_cross_entropy_is_stable_for_confident_mistakes():
    net = Network([1, 1], activation=[], output_activation="sigmoid", loss="cross_entropy")
    net.weights[0][0, 0] = 1000.0
    loss = net.loss(np.array([[1.0]]), np.array([[0.0]]))
    assert np.isfinite(loss) and loss > 20


def test_activation_derivatives_match_numeric():
    z = np.linspace(-3, 3, 61) + 0.013   # avoid the kinks at exactly 0
    for activation in ACTIVATIONS.values():
        numeric = (activation(z + 1e-6) - activation(z - 1e-6)) / 2e-6
        np.testing.assert_allclose(activation.grad(z), numeric, atol=1e-6, err_msg=activation.name)
        assert activation.formula and activation.derivative_formula


def test_registries_hold_the_names_the_gui_offers():
    assert {"sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "swish", "sine",
            "linear"} <= set(ACTIVATIONS)
    assert set(OUTPUT_ACTIVATIONS) == {"linear", "sigmoid", "tanh", "softmax"}
    assert set(LOSSES) == {"mse", "cross_entropy"}
    assert set(OPTIMIZERS) == {"sgd", "momentum", "adam"}


def test_mse_matches_torch_definition():
    net = Network([1, 2], activation=[], output_activation="linear", loss="mse")
    net.weights[0][...] = [[1.0, 2.0]]
    net.biases[0][...] = [0.0, 0.0]
    X, Y = np.array([[1.0], [2.0]]), np.array([[0.0, 0.0], [0.0, 1.0]])
    # outputs [[1, 2], [2, 4]]; squared errors 1, 4, 4, 9 → mean 4.5
    assert net.loss(X, Y) == pytest.approx(4.5)


def test_repr_is_useful():
    assert "[2, 4, 1]" in repr(Network([2, 4, 1])) and "tanh" in repr(Network([2, 4, 1]))
