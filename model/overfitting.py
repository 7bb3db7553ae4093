"""Overfitting: naming it, the thinned networks dropout trains, and presets that tell the story.

- ``generalisation_gap`` and ``overfitting_message``: the rule the status bar uses to say
  "this is overfitting" (test loss rising while training loss falls, for a sustained stretch).
- ``thinned_outputs``: the K sub-networks dropout samples — the evaluation network with one
  dropout mask per hidden layer applied to every input — beside which the evaluation network
  is (approximately) their average.
- ``PRESETS``: "Overfit me" and its cures, each a plain ``ExperimentConfig`` change.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .config import ExperimentConfig
from .networks import Network

Array = np.ndarray
#: a sustained stretch: this many epochs (at least) since the best test loss …
STRETCH = 20
#: … with the test loss this much (relative) above its best, while the training loss fell
RISE = 0.05


def generalisation_gap(train_loss: float, test_loss: float) -> float:
    """Test loss − training loss: how much worse the network does on points it has not seen."""
    return test_loss - train_loss


def overfitting_message(train_losses: Array, test_losses: Array, epochs: Array | None = None) -> str | None:
    """A plain sentence when the run is overfitting, else None.

    Overfitting: at least ``STRETCH`` epochs (and a fifth of the run) since the best test loss,
    the test loss now more than ``RISE`` above that best, and the training loss lower than it
    was then. ``train_losses``/``test_losses``: one value per point of ``epochs`` (default: one
    point per epoch 0, 1, …; a plot's history may skip epochs).
    """
    train, test = np.asarray(train_losses, float), np.asarray(test_losses, float)
    if test.size == 0 or not np.isfinite(test).any():
        return None
    epochs = np.arange(test.size) if epochs is None else np.asarray(epochs, float)
    best = int(np.nanargmin(test))
    since = epochs[-1] - epochs[best]
    now_test, now_train = test[-1], train[-1]
    if since < max(STRETCH, epochs[-1] / 5) or not np.isfinite(now_test):
        return None
    if not (now_test > test[best] * (1 + RISE) and now_train < train[best]):
        return None
    rise = 100 * (now_test / test[best] - 1)
    return (f"Overfitting: the test loss is up {rise:.0f} % since epoch {epochs[best]:.0f} while the "
            f"training loss falls. More data, dropout, L2 or Restore best help.")


def draw_masks(net: Network, count: int, seed: int) -> list[list[Array | None]]:
    """``count`` sets of dropout masks, one (1, units) row per dropout layer (aligned with
    ``trace.masks``: None where no dropout), drawn from ``seed``."""
    rng = np.random.default_rng(seed)
    sets = []
    for _ in range(count):
        masks = []
        for rate, units in zip([0.0, *net.dropout, 0.0], net.sizes):
            if rate:
                masks.append((rng.random((1, units)) >= rate) / (1.0 - rate))
            else:
                masks.append(None)
        sets.append(masks)
    return sets


def thinned_outputs(net: Network, X: Array, masks: list[list[Array | None]]) -> Array:
    """ŷ of each thinned network: evaluation mode (running statistics) with one set of masks
    applied to every input. X (n, inputs) → (K, n, outputs)."""
    X = net.check_inputs(X)
    return np.stack([net.forward(X, masks=mask_set).output for mask_set in masks]) if masks \
        else np.empty((0, X.shape[0], net.sizes[-1]))


def training_mode_output(net: Network, X: Array, train_inputs: Array, batch_size: int,
                         rng: np.random.Generator) -> Array:
    """ŷ over X as a training step computes it, for the boundary's train/eval switch.

    One fresh set of dropout masks (one row per dropout layer, the same for every point: a
    thinned network), and batch norm with μ_B and σ²_B of a mini-batch of ``batch_size``
    training inputs (drawn with ``rng``, with the same masks) instead of the running
    statistics — each point is normalised as if it were a member of that batch (without
    moving its statistics). X (n, inputs) → (n, outputs). ``net`` is not changed.
    """
    X = net.check_inputs(X)
    masks = draw_masks(net, 1, int(rng.integers(2 ** 32)))[0]
    if not any(net.batch_norm):
        return net.forward(X, masks=masks).output.copy()
    twin = net.copy()
    rows = rng.choice(len(train_inputs), size=min(max(batch_size, 2), len(train_inputs)), replace=False)
    trace = twin.forward(train_inputs[rows], training=True, masks=masks)
    for statistics, record in zip(twin.statistics, trace.batch_norm):
        if record is not None:                 # evaluate with the batch's (biased) moments
            statistics[0], statistics[1] = np.ravel(record.mean), np.ravel(record.var)
    return twin.forward(X, masks=masks).output.copy()


@dataclass(frozen=True)
class Preset:
    """A named setting change with the sentence that says what it shows."""

    name: str
    label: str
    explanation: str
    apply: Callable[[ExperimentConfig], ExperimentConfig]


def _overfit_me(config: ExperimentConfig) -> ExperimentConfig:
    return config.replace(dataset="circle", noise=0.5, samples=60, test_ratio=0.5, features=("x1", "x2"),
                          hidden_layers=(24, 24, 24), activations=("relu",), output_activation="tanh",
                          loss="mse", optimizer="adam", learning_rate=0.003, batch_size=10, l1=0.0,
                          l2=0.0, dropout=(), batch_norm=(), early_stopping=0, csv_path=None)


PRESETS: dict[str, Preset] = {p.name: p for p in (
    Preset("overfit_me", "Overfit me",
           "30 noisy training points and a big network: it learns the noise, and the test loss "
           "climbs while the training loss falls.", _overfit_me),
    Preset("dropout", "Cure: dropout", "Switch off 30 % of the hidden units at random in every "
           "step, so no unit can rely on another: the network cannot memorise as easily.",
           lambda c: c.replace(dropout=(0.3,))),
    Preset("l2", "Cure: L2", "Penalise large weights (½·l2·Σw²): smoother boundaries that do not "
           "bend around every noisy point.", lambda c: c.replace(l2=0.01)),
    Preset("more_data", "Cure: more data", "Ten times the training points: the noise averages out "
           "and cannot be memorised.", lambda c: c.replace(samples=min(10 * c.samples, 2000))),
    Preset("early_stopping", "Cure: early stopping", "Stop once the test loss has not improved for "
           "30 epochs and keep the best epoch's weights.", lambda c: c.replace(early_stopping=30)),
)}


@dataclass(frozen=True)
class Distribution:
    """A histogram of one layer's values with their mean and standard deviation."""

    counts: Array          # (bins,)
    edges: Array           # (bins + 1,)
    mean: float
    std: float


def histogram(values: Array, bins: int = 30) -> Distribution:
    values = np.asarray(values, float).ravel()
    values = values[np.isfinite(values)]
    if values.size == 0:
        return Distribution(np.zeros(bins), np.linspace(-1, 1, bins + 1), float("nan"), float("nan"))
    counts, edges = np.histogram(values, bins=bins)
    return Distribution(counts.astype(float), edges, float(values.mean()), float(values.std()))


def normalisation_distributions(net: Network, X: Array, bins: int = 30
                                ) -> list[tuple[int, Distribution, Distribution]]:
    """For each weight layer l with batch norm: (l, histogram of z[l] before, of u[l] after
    normalisation), over the samples X in evaluation mode (running statistics)."""
    trace = net.forward(X)
    return [(l, histogram(trace.z[l], bins), histogram(record.output, bins))
            for l, record in enumerate(trace.batch_norm) if record is not None]
