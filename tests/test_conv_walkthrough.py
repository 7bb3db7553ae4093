"""The convolution walkthrough's numbers are the engine's."""
import numpy as np
import pytest

from model import ConvNet, make_optimizer
from model.conv_walkthrough import conv_walkthrough
from model.data import load_digits


@pytest.fixture(scope="module")
def tour_and_net():
    digits = load_digits()
    net = ConvNet((1, 8, 8), seed=0)
    return conv_walkthrough(net, digits.images[3], digits.targets[3], learning_rate=0.05, filter=2), net, digits


def test_every_convolution_position_is_the_engines_output(tour_and_net):
    tour, net, digits = tour_and_net
    convolve = [step for step in tour.steps if step.kind == "convolve"]
    assert len(convolve) == 64 and [s.position for s in convolve[:2]] == [(0, 0), (0, 1)]
    engine_map = net.forward(digits.images[3][None]).outputs[0][0, 2]
    for step in convolve:
        r, c = step.position
        np.testing.assert_allclose(step.values["products"], step.values["kernel"] * step.values["patch"])
        assert step.values["sum"] == pytest.approx(engine_map[r, c], abs=1e-12)
    # position (0, 0) of a "same" convolution: the patch's first row and column are padding
    assert (convolve[0].values["patch"][0, 0, :] == 0).all() and (convolve[0].values["patch"][0, :, 0] == 0).all()


def test_backward_steps_match_the_engine_gradients(tour_and_net):
    tour, net, digits = tour_and_net
    X, Y = digits.images[3][None], digits.targets[3][None]
    grads = net.backward(net.forward(X), Y)
    by_kind = {step.kind: step for step in tour.steps}
    np.testing.assert_allclose(by_kind["output_delta"].values["delta"],
                               net.predict(X)[0] - Y[0], atol=1e-15)
    gradient = by_kind["kernel_gradient"]
    np.testing.assert_array_equal(gradient.values["kernel_gradient"], grads.parameters["conv0.kernel"][2])
    assert gradient.values["check"][0] == pytest.approx(grads.parameters["conv0.kernel"][2, 0, 0, 0], abs=1e-14)
    pooled = by_kind["pool_backward"]
    # each 2×2 window of δ before the pool holds the pooled δ at one place, zeros elsewhere
    windows = pooled.values["delta_before"].reshape(4, 2, 4, 2).transpose(0, 2, 1, 3).reshape(4, 4, 4)
    np.testing.assert_allclose(windows.sum(axis=-1), pooled.values["delta_pooled"], atol=1e-15)
    assert ((windows != 0).sum(axis=-1) <= 1).all()


def test_the_update_is_one_sgd_step_and_lowers_the_loss(tour_and_net):
    tour, net, digits = tour_and_net
    twin = net.copy()
    twin.train_step(digits.images[3][None], digits.targets[3][None], make_optimizer("sgd", 0.05))
    np.testing.assert_array_equal(tour.params_after, twin.params)
    assert tour.loss_after < tour.loss_before
    assert tour.steps[-1].kind == "loss_after"
