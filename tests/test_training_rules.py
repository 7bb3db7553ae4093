"""Early stopping, exploding weights, the model protocol, and compared runs with dropout and
batch norm equal to the same run trained alone."""
import math

import numpy as np
import pytest

from model import Network, make_optimizer
from model.comparison import Comparison
from model.variations import Variation
from model.config import ExperimentConfig
from model.divergence import WEIGHT_LIMIT
from model.experiment import build
from model.protocol import Model
from model.training import Trainer


def test_network_implements_the_model_protocol():
    assert isinstance(Network([2, 3, 1], dropout=0.2, batch_norm=True), Model)


def overfitting_trainer(patience: int) -> Trainer:
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (40, 2))
    Y = np.tanh(X[:, :1] * 2) + rng.normal(0, 0.6, (40, 1))          # mostly noise
    net = Network([2, 32, 32, 1], activation="tanh", output_activation="linear", seed=1)
    return Trainer(net, X[:12], Y[:12], X[12:], Y[12:], optimizer=make_optimizer("adam", 0.02),
                   batch_size=4, patience=patience)


def test_early_stopping_stops_after_patience_and_restores_the_best_epoch():
    trainer = overfitting_trainer(patience=10)
    snapshots = list(trainer.run(epochs=2000))
    last = snapshots[-1]
    assert last.stopped_early and trainer.epoch < 2000
    assert trainer.epoch - trainer.best_epoch == 10 == last.epoch - last.best_epoch
    assert last.test_loss > trainer.best_loss          # it got worse since the best epoch
    assert trainer.restore_best() == trainer.best_epoch
    restored = trainer.net.loss_function.value(trainer.net.predict(trainer.test_inputs), trainer.test_targets)
    assert restored == pytest.approx(trainer.best_loss, rel=1e-12)


def test_without_patience_training_runs_to_the_end():
    trainer = overfitting_trainer(patience=0)
    snapshots = list(trainer.run(epochs=60))
    assert not snapshots[-1].stopped_early and trainer.epoch == 60


@pytest.mark.parametrize("optimizer", ["sgd", "adam", "momentum"])
def test_exploding_weights_with_a_bounded_output_are_divergence(optimizer):
    """tanh output: the loss stays finite while the weights explode (issue 11, point 1)."""
    config = ExperimentConfig(dataset="circle", samples=100, hidden_layers=(4, 2), optimizer=optimizer,
                              learning_rate=1e6 if optimizer != "sgd" else 1e300)
    trainer = build(config).trainer
    snapshots = list(trainer.run(epochs=50))
    assert snapshots[-1].diverged and len(snapshots) < 50
    divergence = snapshots[-1].divergence
    assert "learning rate" in divergence.message and "layer" in divergence.message
    assert "Reset" not in divergence.message                 # the model speaks of no buttons
    assert np.isfinite(trainer.net.params).all()
    assert np.abs(trainer.net.params).max() <= WEIGHT_LIMIT


def test_a_compared_run_exploding_its_weights_is_stopped_alone():
    base = ExperimentConfig(dataset="circle", samples=100, hidden_layers=(4,), output_activation="tanh")
    comparison = Comparison(base, [Variation.parse("learning_rate", "0.03,1e200")])
    for _ in range(3):
        comparison.run_epoch()
    snapshot = comparison.snapshot()
    assert not snapshot.runs[0].diverged and snapshot.runs[1].diverged
    assert np.abs(comparison.params(1)).max() <= WEIGHT_LIMIT


@pytest.mark.parametrize("variations", [{"activations": "tanh,relu,sigmoid"},
                                        {"learning_rate": "0.01,0.1", "optimizer": "adam,momentum"}])
def test_compared_runs_with_dropout_and_batch_norm_equal_the_run_alone(variations):
    base = ExperimentConfig(dataset="spiral", samples=80, hidden_layers=(6, 5), activations=("tanh",),
                            output_activation="sigmoid", loss="cross_entropy", learning_rate=0.05,
                            batch_size=8, dropout=(0.3, 0.0), batch_norm=(True, True), seed=4)
    comparison = Comparison(base, [Variation.parse(name, text) for name, text in variations.items()])
    epochs = 4
    for _ in range(epochs):
        comparison.run_epoch()
    snapshot = comparison.snapshot()
    for run in comparison.runs:
        experiment = build(run.config)
        alone = list(experiment.trainer.run(epochs=epochs))[-1]
        np.testing.assert_allclose(comparison.params(run.index), experiment.net.params, rtol=0, atol=1e-12)
        state = comparison.state(run.index)
        for mine, theirs in zip(state["statistics"], experiment.net.statistics):
            assert (mine is None) == (theirs is None)
            if mine is not None:
                np.testing.assert_allclose(mine, theirs, rtol=0, atol=1e-12)
        assert math.isclose(snapshot.runs[run.index].test_loss, alone.test_loss, rel_tol=0, abs_tol=1e-12)


def test_certainly_right_cross_entropy_costs_zero_alone_and_compared():
    """The drift the issue names: exactly 0 in a single run and in a compared one."""
    net = Network([1, 1], activation=[], output_activation="sigmoid", loss="cross_entropy")
    net.weights[0] = [[1000.0]]
    X, Y = np.array([[1.0], [-1.0]]), np.array([[1.0], [0.0]])
    assert net.loss(X, Y) == 0.0
    from model.comparison_results import evaluate
    prediction = np.stack([net.predict(X)] * 2)
    train_loss = evaluate(net.loss_function, prediction, Y, prediction, Y, "binary")[0]
    assert (train_loss == 0.0).all()
