"""ConvNet: the issue's contract, backprop against central finite differences over every
parameter, the model protocol (Trainer, snapshots, copies) and training on the digits."""
import math
import numpy as np
import pytest

from model import ConvNet, make_optimizer
from model.data import load_digits
from model.networks.conv import parse_layers
from model.protocol import Model
from model.training import Trainer
from test_gradients import numerical_gradient, relative_error

ISSUE_SPEC = [("conv", 8, 3, "same"), ("relu",), ("maxpool", 2),
              ("conv", 16, 3, "same"), ("relu",), ("maxpool", 2),
              ("flatten",), ("dense", 10)]


def one_hot(rng, n, k):
    return np.eye(k)[rng.integers(0, k, n)]


def test_the_issue_contract():
    net = ConvNet((1, 8, 8), ISSUE_SPEC, output_activation="softmax", loss="cross_entropy", seed=0)
    assert isinstance(net, Model)
    assert list(net.parameters) == ["conv0.kernel", "conv0.bias", "conv1.kernel", "conv1.bias",
                                    "dense0.weight", "dense0.bias"]
    shapes = {name: view.shape for name, view in net.parameters.items()}
    assert shapes == {"conv0.kernel": (8, 1, 3, 3), "conv0.bias": (8,), "conv1.kernel": (16, 8, 3, 3),
                      "conv1.bias": (16,), "dense0.weight": (64, 10), "dense0.bias": (10,)}
    assert sum(view.size for view in net.parameters.values()) == net.params.size
    for view in net.parameters.values():            # views into the one flat vector
        assert np.shares_memory(view, net.params)
    net.parameters["conv0.bias"][...] = 0.25
    assert np.count_nonzero(net.params == 0.25) >= 8

    rng = np.random.default_rng(1)
    X, Y = rng.random((5, 1, 8, 8)), one_hot(rng, 5, 10)
    trace = net.forward(X)
    assert [o.shape for o in trace.outputs] == [(5, 8, 8, 8), (5, 8, 8, 8), (5, 8, 4, 4), (5, 16, 4, 4),
                                                (5, 16, 4, 4), (5, 16, 2, 2), (5, 64), (5, 10)]
    np.testing.assert_array_equal(trace.outputs[1], np.maximum(trace.outputs[0], 0))
    np.testing.assert_array_equal(trace.outputs[6], trace.outputs[5].reshape(5, -1))
    logits = trace.outputs[-1]
    probabilities = np.exp(logits - logits.max(1, keepdims=True))
    probabilities /= probabilities.sum(1, keepdims=True)
    np.testing.assert_allclose(trace.output, probabilities, rtol=1e-12)
    np.testing.assert_allclose(net.loss(X, Y), -np.mean(np.log((probabilities * Y).sum(1))), rtol=1e-12)
    grads = net.backward(trace, Y)
    assert {name: g.shape for name, g in grads.parameters.items()} == shapes


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_backprop_matches_finite_differences_over_every_parameter(padding, activation):
    spec = [("conv", 3, 3, padding), (activation,), ("maxpool", 2), ("conv", 2, 3, "same"), ("sigmoid",),
            ("flatten",), ("dense", 4), (activation,), ("dense", 3)]
    net = ConvNet((2, 7, 7), spec, seed=3, init="xavier")
    rng = np.random.default_rng(4)
    X, Y = rng.random((3, 2, 7, 7)), one_hot(rng, 3, 3)
    analytic = net.backward(net.forward(X), Y).flat
    numeric = numerical_gradient(net, X, Y)
    assert relative_error(analytic, numeric) < 1e-6


def test_mse_and_a_sigmoid_output_match_finite_differences():
    net = ConvNet((1, 5, 5), [("conv", 2, 2), ("tanh",), ("flatten",), ("dense", 1)],
                  output_activation="sigmoid", loss="mse", seed=0)
    rng = np.random.default_rng(0)
    X, Y = rng.random((4, 1, 5, 5)), rng.integers(0, 2, (4, 1)).astype(float)
    assert relative_error(net.backward(net.forward(X), Y).flat, numerical_gradient(net, X, Y)) < 1e-6


def test_flattened_rows_are_folded_into_images():
    net = ConvNet((1, 8, 8), seed=0)
    X = np.random.default_rng(0).random((3, 1, 8, 8))
    np.testing.assert_array_equal(net.predict(X.reshape(3, 64)), net.predict(X))
    with pytest.raises(ValueError, match=r"inputs must have shape \(n, 1, 8, 8\) or \(n, 64\)"):
        net.predict(np.zeros((3, 1, 7, 8)))


def test_copy_state_and_split():
    net = ConvNet((1, 8, 8), seed=0)
    twin = net.copy()
    X = np.random.default_rng(0).random((2, 1, 8, 8))
    np.testing.assert_array_equal(twin.predict(X), net.predict(X))
    assert not np.shares_memory(twin.params, net.params)
    weights, biases = net.split(net.params)
    assert [w.shape for w in weights] == [(8, 1, 3, 3), (16, 8, 3, 3), (64, 10)]
    assert [b.shape for b in biases] == [(8,), (16,), (10,)]
    assert net.sizes == [64, 512, 256, 10]


@pytest.mark.parametrize("spec, message", [
    ([("dense", 10)], r"put \(\"flatten\",\) before the first dense layer"),
    ([("flatten",), ("conv", 2, 3), ("dense", 3)], "flattened before it"),
    ([("conv", 2, 9), ("flatten",), ("dense", 3)], "needs inputs of at least 9×9"),
    ([("conv", 2, 3), ("flatten",)], r"last entry must be \(\"dense\", classes\)"),
    ([("pool", 2), ("flatten",), ("dense", 3)], "is not a layer"),
    ([("conv", 2.5, 3), ("flatten",), ("dense", 3)], "filters .* positive integer"),
    ([], "empty"),
])
def test_bad_specs_say_what_to_change(spec, message):
    with pytest.raises(ValueError, match=message):
        ConvNet((1, 8, 8), spec)


def test_trainer_snapshots_a_convnet():
    rng = np.random.default_rng(0)
    X, Y = rng.random((20, 1, 8, 8)), one_hot(rng, 20, 10)
    net = ConvNet((1, 8, 8), seed=0)
    trainer = Trainer(net, X, Y, optimizer=make_optimizer("sgd", 0.1), batch_size=8, task="multiclass")
    snapshot = next(trainer.run(epochs=1))
    assert snapshot.epoch == 1 and snapshot.sizes == (64, 512, 256, 10)
    assert [w.shape for w in snapshot.weights] == [(8, 1, 3, 3), (16, 8, 3, 3), (64, 10)]
    assert np.isfinite(snapshot.train_loss) and math.isnan(snapshot.test_accuracy)   # no test set
    twin = ConvNet((1, 8, 8), seed=5)
    twin.load_state(snapshot.state())
    np.testing.assert_array_equal(twin.predict(X), net.predict(X))


def test_training_on_digits_beats_chance_clearly_in_a_few_epochs():
    split = load_digits().data().split(0.2, seed=0)
    net = ConvNet((1, 8, 8), seed=0)
    trainer = Trainer(net, split.train_points, split.train_targets, split.test_points, split.test_targets,
                      optimizer=make_optimizer("adam", 0.01), batch_size=32, task="multiclass")
    snapshots = list(trainer.run(epochs=3))
    assert snapshots[-1].test_accuracy > 0.85          # chance is 0.1
    assert snapshots[-1].train_loss < snapshots[0].train_loss


def test_the_compact_layer_form():
    assert parse_layers("conv8x3,relu,pool2,conv16x3,relu,pool2,dense10") == ISSUE_SPEC
    assert parse_layers("conv4x5valid, tanh, maxpool3, flatten, dense16, relu, dense2") == [
        ("conv", 4, 5, "valid"), ("tanh",), ("maxpool", 3), ("flatten",), ("dense", 16), ("relu",),
        ("dense", 2)]
    with pytest.raises(ValueError, match="cannot read layer 'conv8'"):
        parse_layers("conv8,dense10")


def test_a_diverging_convnet_is_stopped_with_a_message_naming_a_layer():
    digits = load_digits()
    net = ConvNet((1, 8, 8), seed=0)
    trainer = Trainer(net, digits.images[:64], digits.targets[:64], optimizer=make_optimizer("sgd", 1e8),
                      batch_size=16, task="multiclass")
    snapshots = list(trainer.run(epochs=5))
    assert snapshots[-1].diverged
    message = snapshots[-1].divergence.message
    assert "learning rate" in message and "layer" in message
    assert np.isfinite(net.params).all()            # the last finite weights were kept
