"""ConvNets on the run axis: R networks in lock-step compute what each computes alone."""
import numpy as np
import pytest

from model import ConvNet, make_optimizer
from model.conv_runs import ConvRuns
from model.data import make_bars
from model.layers import ActivationLayer, Conv2D, Flatten, MaxPool2D, Mode
from model.losses import get_loss
from model.networks import Sequential

SPEC = [("conv", 3, 3, "same"), ("relu",), ("maxpool", 2), ("conv", 2, 3, "valid"), ("tanh",),
        ("flatten",), ("dense", 2)]


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


def test_convnets_in_lock_step_train_as_each_would_alone():
    images = make_bars(60, seed=2)
    rates, seeds = [0.002, 0.02, 0.2], [0, 1, 1]
    runs = ConvRuns(images, rates, seeds, spec=SPEC, batch_size=16, test_ratio=0.25, data_seed=3)
    for _ in range(2):
        runs.run_epoch()
    order = np.random.default_rng(3)
    batches = []
    for _ in range(2):
        shuffled = order.permutation(len(runs.train_images))
        batches += [(runs.train_images[shuffled][i:i + 16], runs.split.train_targets[shuffled][i:i + 16])
                    for i in range(0, len(shuffled), 16)]
    for run, (rate, seed) in enumerate(zip(rates, seeds)):
        alone = ConvNet(images.shape, SPEC, seed=seed)
        optimizer = make_optimizer("adam", rate)
        for X, Y in batches:
            alone.train_step(X, Y, optimizer)
        np.testing.assert_allclose(runs.engine.params[run], alone.params, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(runs.net(run).predict(runs.test_images), alone.predict(runs.test_images),
                                   atol=1e-10)
    accuracy = runs.test_accuracy()
    for run in range(3):
        expected = np.mean(runs.net(run).predict(runs.test_images).argmax(1) == runs.split.test_targets.argmax(1))
        assert accuracy[run] == expected
    assert not np.array_equal(runs.engine.params[1], runs.engine.params[2])      # rates differ
    with pytest.raises(ValueError, match="one learning rate per run and one seed per run"):
        ConvRuns(images, [0.1, 0.2], seeds=[0, 1, 2], spec=SPEC)
