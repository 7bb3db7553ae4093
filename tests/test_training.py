"""The training loop: it learns, it is reproducible, it obeys control, it detects divergence."""
import threading

import numpy as np
import pytest

from model import Network, make_optimizer
from model.config import ExperimentConfig
from model.experiment import build
from model.training import Trainer, TrainingControl

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([[0.0], [1.0], [1.0], [0.0]])


def test_xor_learned_to_100_percent_by_a_small_tanh_network():
    net = Network([2, 4, 1], activation="tanh", output_activation="sigmoid", loss="cross_entropy", seed=0)
    trainer = Trainer(net, XOR_X, XOR_Y, optimizer=make_optimizer("sgd", 0.5), batch_size=4)
    for snapshot in trainer.run(epochs=2000):
        pass
    assert snapshot.train_accuracy == 1.0
    assert snapshot.train_loss < 0.05


def test_spiral_learned_to_95_percent_by_2_8_8_1():
    config = ExperimentConfig(dataset="spiral", hidden_layers=(8, 8), test_ratio=0.0,
                              learning_rate=0.03, batch_size=10)
    experiment = build(config)
    for snapshot in experiment.trainer.run(epochs=1000):
        pass
    assert snapshot.train_accuracy >= 0.95


def test_loss_goes_down_and_snapshots_count_steps():
    experiment = build(ExperimentConfig(dataset="circle"))
    first = experiment.trainer.snapshot()
    snapshots = list(experiment.trainer.run(epochs=20))
    assert len(snapshots) == 20
    assert [s.epoch for s in snapshots] == list(range(1, 21))
    steps_per_epoch = experiment.trainer.steps_per_epoch
    assert snapshots[-1].step == 20 * steps_per_epoch
    assert snapshots[-1].train_loss < 0.5 * first.train_loss


def test_snapshots_are_independent_read_only_copies():
    experiment = build(ExperimentConfig(dataset="xor"))
    trainer = experiment.trainer
    snapshot = next(trainer.run(epochs=1))
    saved = snapshot.weights[0].copy()
    trainer.run_epoch()
    assert np.array_equal(snapshot.weights[0], saved)
    assert not np.array_equal(experiment.net.weights[0], saved)
    with pytest.raises(ValueError):
        snapshot.weights[0][0, 0] = 1.0


def test_a_run_is_reproducible_and_each_epoch_reshuffles():
    def final_params(seed):
        experiment = build(ExperimentConfig(dataset="spiral", hidden_layers=(8, 8), seed=seed))
        list(experiment.trainer.run(epochs=5))
        return experiment.net.params.copy()
    assert np.array_equal(final_params(1), final_params(1))
    assert not np.array_equal(final_params(1), final_params(2))
    trainer = build(ExperimentConfig(dataset="circle")).trainer
    trainer._start_epoch()
    first = trainer._order_inputs.copy()
    trainer._start_epoch()
    assert not np.array_equal(first, trainer._order_inputs)


def test_snapshot_every_n_steps_and_partial_batches():
    net = Network([2, 3, 1], seed=0)
    X = np.random.default_rng(0).normal(size=(25, 2))
    Y = (X[:, :1] > 0).astype(float)
    trainer = Trainer(net, X, Y, optimizer=make_optimizer("sgd", 0.1), batch_size=10)
    assert trainer.steps_per_epoch == 3
    snapshots = list(trainer.run(epochs=2, snapshot_every=2))
    assert [s.step for s in snapshots] == [2, 4, 6]      # the 10 + 10 + 5 batches of each epoch
    assert [s.epoch for s in snapshots] == [0, 1, 2]


def test_stop_and_pause_are_honoured_at_each_yield():
    control = TrainingControl()
    trainer = build(ExperimentConfig(dataset="circle")).trainer
    generator = trainer.run(control=control)
    next(generator)
    control.stop()
    assert list(generator) == []

    control = TrainingControl()
    generator = build(ExperimentConfig(dataset="circle")).trainer.run(control=control)
    next(generator)
    control.pause()
    results = []
    worker = threading.Thread(target=lambda: results.append(next(generator)))
    worker.start()
    worker.join(0.3)
    assert worker.is_alive() and not results       # blocked while paused
    control.resume()
    worker.join(5)
    assert results and results[0].epoch == 2


def test_live_learning_rate_and_batch_size_changes():
    experiment = build(ExperimentConfig(dataset="circle"))
    trainer = experiment.trainer
    trainer.optimizer.learning_rate = 0.3
    trainer.batch_size = 25
    snapshot = next(trainer.run(epochs=1))
    assert snapshot.learning_rate == 0.3
    assert snapshot.step == trainer.steps_per_epoch == 10


def test_divergence_is_detected_and_reported_with_the_layer():
    config = ExperimentConfig(dataset="plane", hidden_layers=(8, 8), activations=("relu", "relu"),
                              output_activation="linear", learning_rate=50.0)
    experiment = build(config)
    snapshots = list(experiment.trainer.run(epochs=100))
    last = snapshots[-1]
    assert last.diverged and all(not s.diverged for s in snapshots[:-1])
    assert len(snapshots) < 100
    assert 0 <= last.divergence.layer < experiment.net.depth
    assert "learning rate 50" in last.divergence.message
    assert f"layer {last.divergence.layer + 1}" in last.divergence.message or "loss" in last.divergence.message
    assert np.isfinite(experiment.net.params).all()
    for array in last.weights + last.biases:
        assert np.isfinite(array).all()
    assert experiment.trainer.step() is False        # stays stopped until reset


def test_empty_training_set_is_an_error():
    with pytest.raises(ValueError, match="empty"):
        Trainer(Network([2, 1], activation=[]), np.empty((0, 2)), np.empty((0, 1)),
                optimizer=make_optimizer("sgd", 0.1))
