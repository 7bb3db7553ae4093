"""ConvNets compared in lock-step (``model.comparison`` with a ``ConvolutionSetting``): every run
computes what the same ConvNet trained alone by a Trainer computes; the ranking reports it."""
import numpy as np
import pytest

import math

from model import ConvNet, make_optimizer
from model.comparison import Comparison
from model.compared_models import varied_settings
from model.data import make_bars
from model.lessons.settings import ConvolutionSetting
from model.training import Trainer
from model.variations import Variation
from model.layers import ActivationLayer, Conv2D, Flatten, MaxPool2D, Mode
from model.losses import get_loss
from model.networks import Sequential

SPEC = [("conv", 3, 3, "same"), ("relu",), ("maxpool", 2), ("conv", 2, 3, "valid"), ("tanh",),
        ("flatten",), ("dense", 2)]
BASE = ConvolutionSetting(images="bars", layers="conv3x3,relu,pool2,conv2x3valid,tanh", optimizer="adam",
                          learning_rate=0.01, batch_size=16, test_ratio=0.25, seed=3)


@pytest.mark.parametrize("layer, shape", [(Conv2D(2, 3, 3, "same"), (2, 7, 6)), (Conv2D(2, 4, 2, "valid"), (2, 5, 5)),
                                          (MaxPool2D(2), (3, 5, 4)), (Flatten(), (2, 3, 4))])
def test_each_image_layer_with_a_run_axis_is_its_runs_side_by_side(layer, shape):
    """Forward and backward of a stack of 3 runs equal the 3 runs one by one (and the first
    layer's input, shared by every run, has no run axis)."""
    rng = np.random.default_rng(1)
    layers = [layer, Flatten()] if not isinstance(layer, Flatten) else [layer]
    sizes = int(np.prod(layers[0].output_shape(shape)))
    from model.layers import Dense
    layers = layers + [Dense(sizes if isinstance(layer, Flatten) else int(np.prod(layer.output_shape(shape))), 2),
                       ActivationLayer("softmax", output=True)]
    stack = Sequential(layers, shape, get_loss("cross_entropy"), runs=3)
    stack.params[...] = rng.normal(size=stack.params.shape)
    X, Y = rng.random((4,) + shape), np.eye(2)[[0, 1, 1, 0]]
    workspace = stack.fresh_workspace(4, Mode(training=True))
    predicted = stack.run_forward(workspace, X).copy()
    gradient = stack.run_backward(workspace, Y).copy()
    for run in range(3):
        alone = Sequential(layers, shape, get_loss("cross_entropy"))
        alone.params[...] = stack.params[run]
        single = alone.fresh_workspace(4, Mode(training=True))
        np.testing.assert_allclose(predicted[run], alone.run_forward(single, X), rtol=0, atol=1e-14)
        np.testing.assert_allclose(gradient[run], alone.run_backward(single, Y), rtol=0, atol=1e-14)
    with pytest.raises(ValueError, match=r"or with a leading run axis \(R, n, channels, height, width\)"):
        Conv2D(2, 3, 3).allocate((4, 2, 7))


def alone(images, setting: ConvolutionSetting, base: ConvolutionSetting, epochs: int) -> list:
    """The ConvNet of ``setting`` trained alone by a Trainer on the base seed's split and batch order:
    its snapshot after each epoch (0 … epochs)."""
    split = images.data().split(setting.test_ratio, seed=base.seed)
    net = ConvNet(images.shape, SPEC, seed=setting.seed)
    trainer = Trainer(net, split.train_points, split.train_targets, split.test_points, split.test_targets,
                      optimizer=make_optimizer(setting.optimizer, setting.learning_rate),
                      batch_size=setting.batch_size, seed=base.seed, task="multiclass")
    return [trainer.snapshot()] + list(trainer.run(epochs))


@pytest.mark.parametrize("variations", [("learning_rate:0.002,0.02,0.2", "seed:0,1"),
                                        ("optimizer:sgd,momentum,adam", "batch_size:7,16")])
def test_a_compared_convnet_equals_the_same_convnet_trained_alone(variations):
    """Stacked or not (learning rates and seeds share a run axis; optimizers and batch sizes make
    stacks of their own), every run's weights, losses and accuracies after each epoch are those
    of its ConvNet trained alone — to 1e-12."""
    images = make_bars(60, seed=2)
    comparison = Comparison(BASE, [Variation.parse(*text.split(":")) for text in variations], data=images)
    assert comparison.family.name == "cnn" and len(comparison.runs) == 6
    for _ in range(2):
        comparison.run_epoch()
    snapshot = comparison.snapshot()
    for run in comparison.runs:
        snapshots = alone(images, run.config, BASE, 2)
        state = snapshot.runs[run.index]
        np.testing.assert_allclose(state.params, snapshots[-1].params, rtol=0, atol=1e-12)
        np.testing.assert_allclose(state.weights[0], snapshots[-1].weights[0], rtol=0, atol=1e-12)
        assert state.weights[0].shape == (3, 1, 3, 3)            # conv0's kernels, as the ConvNet splits them
        for name in ("train_loss", "test_loss", "train_accuracy", "test_accuracy"):
            expected = [getattr(s, name) for s in snapshots]
            np.testing.assert_allclose(snapshot.history[name][run.index], expected, rtol=0, atol=1e-12)
        assert state.epoch == 2 and state.step == snapshots[-1].step and not state.diverged
        test_losses = [s.test_loss for s in snapshots]
        assert state.best_epoch == int(np.argmin(test_losses)) and state.best_loss == min(test_losses)


def test_the_ranking_puts_the_lowest_test_loss_first_and_a_diverged_run_last():
    images = make_bars(60, seed=2)
    base = BASE.replace(optimizer="sgd", layers="conv3x3,relu,pool2")
    comparison = Comparison(base, [Variation.parse("learning_rate", "0.1,3,10000")], data=images)
    for _ in range(3):
        comparison.run_epoch()
    snapshot = comparison.snapshot()
    ranked = snapshot.ranking()
    assert ranked[-1].label == "η=10000" and ranked[-1].diverged
    assert "η=10000 diverged at epoch" in ranked[-1].divergence.message
    live = [state for state in ranked if not state.diverged]
    assert [state.test_loss for state in live] == sorted(state.test_loss for state in live)
    assert all(math.isfinite(state.test_accuracy) for state in live)
    assert sorted(comparison.alive) == sorted(state.index for state in live)
    assert all(state.epoch == 3 for state in live)             # the others trained on


@pytest.mark.parametrize("setting, text, message", [
    ("activations", "relu,tanh", "cannot vary the activation (--activation)"),
    ("l2", "0,0.01", "cannot vary the L2 rate (--l2)"),
    ("hidden_layers", "4;8", "cannot vary the hidden layers (--layers)"),
    ("dropout", "0,0.5", "cannot vary the dropout rate (--dropout)"),
])
def test_settings_a_convnet_cannot_vary_are_refused_in_one_line(setting, text, message):
    with pytest.raises(ValueError) as error:
        Comparison(BASE, [Variation.parse(setting, text)], data=make_bars(20))
    assert message in str(error.value) and "\n" not in str(error.value)
    assert "learning rate (--lr)" in str(error.value)


def test_what_a_convnet_comparison_can_vary():
    assert varied_settings("cnn") == ("learning_rate", "optimizer", "batch_size", "seed", "train_share")
    assert "activations" in varied_settings("mlp")
    with pytest.raises(ValueError, match="unknown model 'rnn'"):
        varied_settings("rnn")
