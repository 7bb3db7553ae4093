"""Overfitting named, the thinned networks of dropout, and the presets that tell the story."""
import numpy as np
import pytest

from model import Network
from model.config import ExperimentConfig
from model.experiment import build
from model.overfitting import PRESETS, draw_masks, generalisation_gap, overfitting_message, thinned_outputs


def curves(epochs: int, best: int, rise: float, train_falls: bool = True):
    test = np.concatenate([np.linspace(1.0, 0.5, best + 1), np.linspace(0.5, 0.5 * (1 + rise), epochs - best)[1:]])
    train = np.linspace(1.0, 0.1, epochs) if train_falls else np.concatenate(
        [np.linspace(1.0, 0.4, best + 1), np.linspace(0.4, 0.6, epochs - best)[1:]])
    return train, test


def test_overfitting_is_named_only_for_a_sustained_rise_with_falling_training_loss():
    assert overfitting_message(*curves(100, 20, 0.3)) is not None      # 80 epochs of rise
    assert "epoch 20" in overfitting_message(*curves(100, 20, 0.3))
    assert overfitting_message(*curves(100, 90, 0.3)) is None          # only 10 epochs since the best
    assert overfitting_message(*curves(100, 20, 0.01)) is None         # a wobble, not a rise
    assert overfitting_message(*curves(100, 20, 0.3, train_falls=False)) is None   # both rising
    assert overfitting_message(np.linspace(1, 0.1, 50), np.linspace(1, 0.2, 50)) is None
    assert overfitting_message([], []) is None
    train, test = curves(100, 20, 0.3)                     # every other epoch, as a plot may keep
    epochs = np.arange(100)
    assert "since epoch 20 " in overfitting_message(train[::2], test[::2], epochs[::2])
    assert generalisation_gap(0.1, 0.35) == pytest.approx(0.25)


def trained(config: ExperimentConfig, epochs: int = 250):
    experiment = build(config)
    snapshots = list(experiment.trainer.run(epochs=epochs))
    train = np.array([s.train_loss for s in snapshots])
    test = np.array([s.test_loss for s in snapshots])
    return train, test


def test_overfit_me_overfits_and_each_cure_shrinks_the_gap():
    overfit = PRESETS["overfit_me"].apply(ExperimentConfig())
    train, test = trained(overfit)
    assert overfitting_message(train, test) is not None
    gap = generalisation_gap(train[-1], test[-1])
    for cure in ("dropout", "l2", "more_data"):
        cured_train, cured_test = trained(PRESETS[cure].apply(overfit))
        assert generalisation_gap(cured_train[-1], cured_test[-1]) < 0.8 * gap, cure
    stopped = build(PRESETS["early_stopping"].apply(overfit)).trainer
    snapshots = list(stopped.run(epochs=250))
    assert snapshots[-1].stopped_early and snapshots[-1].epoch < 250


def test_masks_are_drawn_from_the_seed_with_the_dropout_scale():
    net = Network([2, 6, 5, 1], dropout=[0.5, 0.0], seed=3)
    first, again = draw_masks(net, 8, seed=1), draw_masks(net, 8, seed=1)
    for masks, repeated in zip(first, again):
        assert masks[0] is None and masks[2] is None and masks[3] is None
        assert masks[1].shape == (1, 6) and set(np.unique(masks[1])) <= {0.0, 2.0}
        np.testing.assert_array_equal(masks[1], repeated[1])
    assert any(not np.array_equal(a[1], b[1]) for a, b in zip(first, draw_masks(net, 8, seed=2)))


def test_thinned_networks_are_the_evaluation_network_with_the_masks_applied():
    rng = np.random.default_rng(0)
    net = Network([2, 6, 5, 1], activation="tanh", dropout=[0.5, 0.3], batch_norm=[True, False], seed=3)
    X = rng.normal(size=(40, 2))
    for _ in range(3):                      # move the running statistics away from 0 and 1
        net.forward(rng.normal(size=(16, 2)) * 2 + 1, training=True)
    masks = draw_masks(net, 4, seed=7)
    outputs = thinned_outputs(net, X, masks)
    assert outputs.shape == (4, 40, 1)
    mean, var = net.running_means[0], net.running_vars[0]
    for output, mask_set in zip(outputs, masks):         # the textbook pass, written out
        z = X @ net.weights[0] + net.biases[0]
        u = net.gammas[0] * (z - mean) / np.sqrt(var + 1e-5) + net.betas[0]
        a1 = np.tanh(u) * mask_set[1]
        a2 = np.tanh(a1 @ net.weights[1] + net.biases[1]) * mask_set[2]
        expected = np.tanh(a2 @ net.weights[2] + net.biases[2])
        np.testing.assert_allclose(output, expected, rtol=0, atol=1e-12)
    keep_all = thinned_outputs(net, X, [[None] * 4])[0]       # no unit dropped: the evaluation net
    np.testing.assert_allclose(keep_all, net.predict(X), rtol=0, atol=1e-12)


def test_normalisation_distributions_are_z_and_u_of_the_evaluation_network():
    from model.overfitting import normalisation_distributions
    rng = np.random.default_rng(2)
    net = Network([2, 7, 4, 1], activation="relu", batch_norm=[True, False], seed=1)
    for _ in range(4):
        net.forward(rng.normal(size=(12, 2)) * 3 + 2, training=True)     # statistics away from 0, 1
    X = rng.normal(size=(200, 2))
    (layer, before, after), = normalisation_distributions(net, X, bins=20)
    z = X @ net.weights[0] + net.biases[0]
    u = net.gammas[0] * (z - net.running_means[0]) / np.sqrt(net.running_vars[0] + 1e-5) + net.betas[0]
    assert layer == 0
    np.testing.assert_array_equal(before.counts, np.histogram(z, bins=20)[0])
    np.testing.assert_allclose(after.edges, np.histogram(u, bins=20)[1], rtol=1e-12)
    assert before.mean == pytest.approx(z.mean()) and after.std == pytest.approx(u.std())


# -- the boundary in training mode ---------------------------------------------------------

def _trained_lab_network(dropout, batch_norm):
    from model.optimizers import SGD
    from model.training import Trainer
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    Y = np.tanh(X[:, :1] * X[:, 1:])
    net = Network([2, 6, 5, 1], dropout=dropout, batch_norm=batch_norm, seed=2)
    Trainer(net, X, Y, optimizer=SGD(0.1), batch_size=8, task="regression").run_epoch()
    return net, X


def test_training_mode_output_of_a_batch_member_is_its_training_pass_with_the_same_masks():
    from model.overfitting import draw_masks, training_mode_output
    net, X = _trained_lab_network([0.5, 0.2], [True, True])
    before = net.state()
    seed = 5
    output = training_mode_output(net, X, X, 8, np.random.default_rng(seed))
    # the same draws by hand: the mask seed, then the batch rows
    rng = np.random.default_rng(seed)
    masks = draw_masks(net, 1, int(rng.integers(2 ** 32)))[0]
    rows = rng.choice(len(X), size=8, replace=False)
    trace = net.copy().forward(X[rows], training=True, masks=masks)
    np.testing.assert_allclose(output[rows], trace.output, rtol=0, atol=1e-12)
    assert np.array_equal(net.state()["params"], before["params"])
    assert all(np.array_equal(a, b) for a, b in zip(net.statistics, before["statistics"]) if a is not None)
    assert not np.allclose(output, net.predict(X))          # not the evaluation network
    other = training_mode_output(net, X, X, 8, np.random.default_rng(seed + 1))
    assert not np.allclose(output, other)                     # a fresh mask and batch each time


def test_training_mode_output_with_dropout_only_is_one_thinned_network():
    from model.overfitting import draw_masks, thinned_outputs, training_mode_output
    net, X = _trained_lab_network([0.5, 0.5], [False, False])
    rng = np.random.default_rng(9)
    output = training_mode_output(net, X, X, 8, np.random.default_rng(9))
    masks = draw_masks(net, 1, int(rng.integers(2 ** 32)))
    np.testing.assert_allclose(output, thinned_outputs(net, X, masks)[0], rtol=0, atol=1e-14)


def test_batch_norm_without_a_test_set_builds_and_trains():
    experiment = build(ExperimentConfig(test_ratio=0.0, batch_norm=(True, True)))
    assert experiment.trainer.step()
    snapshot = experiment.trainer.snapshot()
    assert np.isnan(snapshot.test_loss) and np.isfinite(snapshot.train_loss)
