"""The engine quantities a lesson's goal may name: one table, and one function per workspace family.

    quantities = mlp_quantities(config, net, snapshot, train_losses, inputs, targets)
    quantities = conv_quantities(net, snapshot, test_images, test_targets)
    quantities = recurrent_quantities(net, snapshot, split)

Each takes the engine's own objects — the network (holding the snapshot's parameters), the
trainer's ``Snapshot`` and, where needed, data for a forward pass — and returns a plain
``dict[str, float | bool]`` whose keys are exactly the ``QUANTITIES`` of that family. The
headless check (``run_reference``) and the lesson panel call the same functions, so a goal
means the same thing in both. NaN means "no value here" (accuracy on regression data, the
dead share without a ReLU layer): a comparison with NaN is false.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..bptt import state_gradient_norms
from ..config import ExperimentConfig
from ..data.sequences import SequenceSplit, scored_accuracy
from ..gradient_health import gradient_health
from ..overfitting import generalisation_gap
from ..snapshot import Snapshot
from ..stagnation import stagnation
from ..training import accuracy
from ..why_convolution import SHIFTS, shifted

Array = np.ndarray
MLP = ("main", "walkthrough", "compare", "landscape", "overfitting")
CONVOLUTION = ("convolution",)
RECURRENT = ("recurrent",)
EVERY = MLP + CONVOLUTION + RECURRENT
PROBE_SEQUENCES = 32          # sequences the gradient ratio is measured on (as the recurrent window)


@dataclass(frozen=True)
class Quantity:
    """A name a goal may use, what it means (the panel's tooltip) and where it has a value."""

    name: str
    description: str
    workspaces: tuple[str, ...]


QUANTITIES: dict[str, Quantity] = {q.name: q for q in (
    Quantity("epoch", "epochs trained so far", EVERY),
    Quantity("step", "mini-batch steps (weight updates) taken so far", EVERY),
    Quantity("train_loss", "the loss on the training data", EVERY),
    Quantity("test_loss", "the loss on the test data (held out from training)", EVERY),
    Quantity("initial_train_loss", "the training loss before the first step", MLP),
    Quantity("best_test_loss", "the lowest test loss so far", MLP),
    Quantity("best_epoch", "the epoch of the lowest test loss", MLP),
    Quantity("gap", "test loss − training loss: how much worse on unseen points", MLP),
    Quantity("train_accuracy", "share of training points classified right (none for regression)", MLP),
    Quantity("test_accuracy", "share of test points (or scored sequence steps) classified right", EVERY),
    Quantity("shifted_test_accuracy", "test accuracy on the test images moved one pixel up, down, "
             "left or right (mean of the four)", CONVOLUTION),
    Quantity("diverged", "training blew up (a weight or the loss overflowed) and was stopped", EVERY),
    Quantity("stalled", "the training loss has stayed flat, far from zero, for 200 epochs", MLP),
    Quantity("loss_increases", "how many epochs ended with a higher training loss than the one before",
             MLP),
    Quantity("hidden_neurons", "neurons in all hidden layers together", MLP + RECURRENT),
    Quantity("hidden_layers", "number of hidden layers", MLP),
    Quantity("parameters", "number of weights and biases", EVERY),
    Quantity("learning_rate", "the learning rate η", EVERY),
    Quantity("batch_size", "samples per mini-batch step", EVERY),
    Quantity("cross_entropy", "the loss is cross-entropy (false: mean squared error)", MLP),
    Quantity("dropout", "the largest dropout rate of any hidden layer (0: none)", MLP),
    Quantity("batch_norm", "some hidden layer uses batch normalisation", MLP),
    Quantity("early_stopped", "early stopping ended the run (no better test loss for its patience)", MLP),
    Quantity("dead_relu_share", "share of ReLU units whose output is 0 on every training point "
             "(none without a ReLU layer)", MLP),
    Quantity("saturated_share", "share of sigmoid/tanh units in their flat tails (|f′| < 0.01) on most "
             "training points (none without such a layer)", MLP),
    Quantity("gradient_ratio", "‖∂L/∂h_1‖ / ‖∂L/∂h_T‖: how much of the last output's error reaches "
             "the first time step (small: the gradient vanishes)", RECURRENT),
    Quantity("steps", "time steps per sequence", RECURRENT),
)}


def quantity_names(workspace: str) -> frozenset[str]:
    """The names that have a value in ``workspace``."""
    return frozenset(name for name, q in QUANTITIES.items() if workspace in q.workspaces)


def _common(snapshot: Snapshot, parameters: int, batch_size: int) -> dict[str, float | bool]:
    return {"epoch": snapshot.epoch, "step": snapshot.step, "train_loss": snapshot.train_loss,
            "test_loss": snapshot.test_loss, "test_accuracy": snapshot.test_accuracy,
            "diverged": snapshot.diverged, "parameters": parameters,
            "learning_rate": snapshot.learning_rate, "batch_size": batch_size}


def _unit_share(shares: Array, units: Sequence[int], counted: Sequence[bool]) -> float:
    """The share over the units of the counted layers, from per-layer shares; NaN if none counted."""
    units = np.asarray(units, float)[list(counted)]
    if units.sum() == 0:
        return math.nan
    return float(np.sum(np.asarray(shares, float)[list(counted)] * units) / units.sum())


def loss_increases(train_losses: Sequence[float]) -> int:
    """How many epochs ended with a higher training loss than the epoch before."""
    losses = np.asarray(train_losses, float)
    return int(np.sum(np.diff(losses) > 0))


def mlp_quantities(config: ExperimentConfig, net, snapshot: Snapshot, train_losses: Sequence[float],
                   inputs: Array, targets: Array, epochs: Sequence[float] | None = None) -> dict:
    """The MLP workspaces' quantities.

    config : the run's ``ExperimentConfig``; net : its ``Network`` holding the snapshot's
    parameters; train_losses : the training loss per epoch from epoch 0 (before training) to now,
    at ``epochs`` (default 0, 1, 2, …); inputs (n, d), targets (n, k) : the training set, for the
    forward and backward pass that measures dead and saturated units.
    """
    health = gradient_health(net, inputs, targets)
    hidden_units = list(net.sizes[1:-1])
    activations = health.activations
    losses = np.asarray(train_losses, float)
    quantities = _common(snapshot, int(net.params.size), config.batch_size)
    quantities.update(
        initial_train_loss=float(losses[0]) if losses.size else snapshot.train_loss,
        best_test_loss=snapshot.best_loss, best_epoch=snapshot.best_epoch,
        gap=generalisation_gap(snapshot.train_loss, snapshot.test_loss),
        train_accuracy=snapshot.train_accuracy,
        stalled=stagnation(losses, None if epochs is None else np.asarray(epochs, float)) is not None,
        loss_increases=loss_increases(losses),
        hidden_neurons=sum(hidden_units), hidden_layers=len(hidden_units),
        cross_entropy=config.loss == "cross_entropy",
        dropout=max(config.dropout, default=0.0), batch_norm=any(config.batch_norm),
        early_stopped=snapshot.stopped_early,
        dead_relu_share=_unit_share(health.dead, hidden_units, [a == "relu" for a in activations]),
        saturated_share=_unit_share(np.nan_to_num(health.saturated), hidden_units,
                                    [not math.isnan(s) for s in health.saturated]))
    return quantities


def conv_quantities(net, snapshot: Snapshot, test_images: Array, test_targets: Array,
                    batch_size: int) -> dict:
    """The convolution workspace's quantities. test_images (n, C, H, W), test_targets (n, classes):
    the test set, also moved by one pixel each way (``model.why_convolution.shifted``)."""
    quantities = _common(snapshot, int(net.params.size), batch_size)
    moved = [accuracy(net.predict(shifted(test_images, rows, cols)), test_targets, "multiclass")
             for rows, cols in SHIFTS] if len(test_images) else [math.nan]
    quantities["shifted_test_accuracy"] = float(np.mean(moved))
    return quantities


def gradient_ratio(net, inputs: Array, targets: Array) -> float:
    """‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ of the last output's error, mean over the sequences
    (``model.bptt.state_gradient_norms``); NaN when nothing reaches step T."""
    with np.errstate(all="ignore"):
        norms = state_gradient_norms(net, inputs, targets)
    return float(norms[0] / norms[-1]) if norms[-1] > 0 else math.nan


def recurrent_quantities(net, snapshot: Snapshot, split: SequenceSplit, batch_size: int) -> dict:
    """The recurrent workspace's quantities. split : the run's train/test sequences; accuracy counts
    the steps the task scores (``scored_from``); the gradient ratio is measured on the first
    ``PROBE_SEQUENCES`` training sequences."""
    quantities = _common(snapshot, int(net.params.size), batch_size)
    data = split.data
    if data.task != "regression" and len(split.test_inputs):
        quantities["test_accuracy"] = scored_accuracy(net.predict(split.test_inputs), split.test_targets,
                                                      data.scored_from)
    else:
        quantities["test_accuracy"] = math.nan
    quantities.update(
        hidden_neurons=net.hidden, steps=split.train_inputs.shape[1],
        gradient_ratio=gradient_ratio(net, split.train_inputs[:PROBE_SEQUENCES],
                                      split.train_targets[:PROBE_SEQUENCES]))
    return quantities
