"""Lesson quantities come from the engine: checked against numbers set up by hand."""
import math

import numpy as np

from model.config import ExperimentConfig
from model.experiment import build
from model.lessons import QUANTITIES, conv_quantities, mlp_quantities, recurrent_quantities
from model.lessons.quantities import gradient_ratio, loss_increases, quantity_names
from model.lessons.settings import ConvolutionSetting, SequenceSetting


def quantities_of(config: ExperimentConfig, prepare=None, losses=None):
    experiment = build(config)
    if prepare:
        prepare(experiment.net)
    trainer = experiment.trainer
    snapshot = trainer.snapshot()
    history = [snapshot.train_loss] if losses is None else losses
    return mlp_quantities(config, experiment.net, snapshot, history, trainer.train_inputs,
                          trainer.train_targets), snapshot


def test_the_mlp_quantities_have_exactly_the_mlp_names():
    quantities, _ = quantities_of(ExperimentConfig(samples=40))
    assert set(quantities) == quantity_names("main")
    assert set(QUANTITIES) == quantity_names("main") | quantity_names("convolution") | quantity_names("recurrent")


def test_structure_and_losses_read_from_the_setting_and_the_snapshot():
    config = ExperimentConfig(samples=40, hidden_layers=(5, 3), dropout=(0.1, 0.4), batch_norm=(False, True),
                              loss="cross_entropy", output_activation="sigmoid", batch_size=4)
    quantities, snapshot = quantities_of(config)
    assert quantities["hidden_neurons"] == 8 and quantities["hidden_layers"] == 2
    # 2·5+5, then 5·3+3 and batch norm's γ, β (3 each), then 3·1+1
    assert quantities["parameters"] == 15 + 18 + 6 + 4
    assert quantities["dropout"] == 0.4 and quantities["batch_norm"] is True
    assert quantities["cross_entropy"] is True and quantities["batch_size"] == 4
    assert quantities["gap"] == snapshot.test_loss - snapshot.train_loss
    assert quantities["epoch"] == 0 and quantities["diverged"] is False
    assert quantities["best_test_loss"] == snapshot.test_loss and quantities["best_epoch"] == 0


def test_dead_relu_share_counts_units_off_on_every_training_point():
    def kill_three(net):
        net.biases[0][:3] = -1e3           # z < 0 for every input: a = 0 everywhere
        net.biases[1][:] = [-1e3, 1e3, 1e3, 1e3]     # one off, three on everywhere
    config = ExperimentConfig(samples=40, hidden_layers=(4, 4), activations=("relu", "relu"))
    quantities, _ = quantities_of(config, kill_three)
    assert quantities["dead_relu_share"] == 4 / 8
    assert math.isnan(quantities["saturated_share"])              # no sigmoid or tanh layer
    mixed = ExperimentConfig(samples=40, hidden_layers=(4, 4), activations=("relu", "tanh"))
    quantities, _ = quantities_of(mixed, kill_three)
    assert quantities["dead_relu_share"] == 3 / 4                 # only the ReLU layer counts


def test_saturated_share_counts_tanh_units_in_their_tails():
    def saturate_two(net):
        net.weights[0][:, :2] = 0.0
        net.biases[0][:2] = 50.0           # tanh′(50) ≈ 0 on every sample
    quantities, _ = quantities_of(ExperimentConfig(samples=40, hidden_layers=(4,)), saturate_two)
    assert quantities["saturated_share"] == 0.5
    assert math.isnan(quantities["dead_relu_share"])


def test_history_quantities():
    flat = [1.0] + [0.5] * 250            # flat for 250 epochs at half the start: stuck
    quantities, _ = quantities_of(ExperimentConfig(samples=40), losses=flat)
    assert quantities["stalled"] is True and quantities["initial_train_loss"] == 1.0
    falling = list(np.linspace(1.0, 0.01, 251))
    assert quantities_of(ExperimentConfig(samples=40), losses=falling)[0]["stalled"] is False
    assert loss_increases([1.0, 0.8, 0.9, 0.7, 0.75, 0.75]) == 2


def test_convolution_quantities_measure_the_shifted_test_images():
    setting = ConvolutionSetting(images="bars", layers="conv4x3,relu,pool2")
    net, trainer, split, shape = setting.build()
    images = split.test_points.reshape((-1,) + shape)
    quantities = conv_quantities(net, trainer.snapshot(), images, split.test_targets, setting.batch_size)
    assert set(quantities) == quantity_names("convolution")
    # by hand: the mean over the four one-pixel shifts of the accuracy on moved images
    moved = []
    for rows, cols in ((-1, 0), (1, 0), (0, -1), (0, 1)):
        shifted = np.roll(images, (rows, cols), axis=(2, 3))
        if rows:
            shifted[:, :, 0 if rows > 0 else -1, :] = 0
        if cols:
            shifted[:, :, :, 0 if cols > 0 else -1] = 0
        right = net.predict(shifted).argmax(1) == split.test_targets.argmax(1)
        moved.append(right.mean())
    assert math.isclose(quantities["shifted_test_accuracy"], np.mean(moved))
    assert quantities["parameters"] == net.params.size


def test_recurrent_gradient_ratio_is_the_first_over_the_last_state_gradient():
    setting = SequenceSetting(task="echo", sequences=40, steps=8, delay=2, hidden=6, recurrent_scale=0.3,
                              recurrent_init="gaussian")
    net, trainer, split, scored_from = setting.build()
    quantities = recurrent_quantities(net, trainer.snapshot(), split, setting.batch_size)
    assert set(quantities) == quantity_names("recurrent") and quantities["steps"] == 8
    # by hand, one sequence: only the last output's error; ∂L/∂h_t from BPTT per sequence
    inputs, targets = split.train_inputs[:32], split.train_targets[:32]
    trace = net.forward(inputs)
    only_last = trace.output.copy()
    only_last[:, -1] = targets[:, -1]
    norms = np.linalg.norm(net.backward(trace, only_last).state_gradients, axis=2).mean(axis=0)
    assert math.isclose(quantities["gradient_ratio"], norms[0] / norms[-1])
    assert quantities["gradient_ratio"] < 0.01                  # small recurrent weights: it vanishes
    assert gradient_ratio(net, inputs, targets) == quantities["gradient_ratio"]
