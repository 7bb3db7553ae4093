"""The training loop: mini-batch gradient descent as a generator of snapshots.

    trainer = Trainer(net, train_inputs, train_targets, test_inputs, test_targets,
                      optimizer=make_optimizer("sgd", 0.03), batch_size=10, seed=0)
    for snapshot in trainer.run(epochs=300, control=control):
        ...   # each Snapshot holds copies: safe to hand to another thread

Each epoch visits the training set in a fresh order drawn from the trainer's
seed, so a run is reproducible. Pause and stop (``TrainingControl``) are
honoured at every yield. After every step the parameters are checked; when
one becomes non-finite the loop restores the last good parameters, yields a
snapshot whose ``divergence`` says what happened and where, and ends.
"""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from .network import Network, append_ones
from .optimizers import Optimizer

Array = np.ndarray
EXPLOSION_FACTOR = 1e6   # a loss this many times its initial value (at least 1) is divergence


@dataclass(frozen=True)
class Divergence:
    """Where and when training blew up; ``message`` is for the user."""

    step: int
    epoch: int
    layer: int          # weight layer index l (W[l] maps layer l to layer l+1)
    quantity: str       # "weighted sums z", "gradients", "weights" or "loss"
    message: str


@dataclass(frozen=True)
class Snapshot:
    """An immutable picture of training at one moment (all arrays are read-only copies)."""

    step: int
    epoch: int                      # completed epochs
    sizes: tuple[int, ...]
    weights: tuple[Array, ...]
    biases: tuple[Array, ...]
    weight_gradients: tuple[Array, ...]
    bias_gradients: tuple[Array, ...]
    train_loss: float
    test_loss: float                # nan when there is no test set
    train_accuracy: float | None    # None for regression
    test_accuracy: float | None
    learning_rate: float
    divergence: Divergence | None = None

    @property
    def diverged(self) -> bool:
        return self.divergence is not None


class TrainingControl:
    """Thread-safe pause/resume/stop flags, checked by the loop at every yield."""

    def __init__(self) -> None:
        self._running = threading.Event()
        self._running.set()
        self._stopped = threading.Event()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def stop(self) -> None:
        self._stopped.set()
        self._running.set()   # wake a paused loop so it can end

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def wait_while_paused(self) -> bool:
        """Block while paused; return False when stopped."""
        while not self._running.wait(0.05):
            pass
        return not self.stopped


def accuracy(prediction: Array, targets: Array, task: str) -> float | None:
    """Fraction classified right: argmax for several outputs, ŷ > 0.5 for one; None for regression."""
    if task == "regression" or prediction.shape[0] == 0:
        return None
    if targets.shape[1] > 1:
        return float(np.mean(prediction.argmax(axis=1) == targets.argmax(axis=1)))
    return float(np.mean((prediction[:, 0] > 0.5) == (targets[:, 0] > 0.5)))


def _frozen(arrays) -> tuple[Array, ...]:
    copies = []
    for array in arrays:
        copy = np.array(array)
        copy.flags.writeable = False
        copies.append(copy)
    return tuple(copies)


class Trainer:
    """Trains ``net`` on a training set with mini-batches, evaluating on a test set.

    inputs: (n, sizes[0]); targets: (n, sizes[-1]). ``task`` is "binary",
    "multiclass" or "regression" (accuracy is reported for the first two).
    """

    def __init__(self, net: Network, train_inputs: Array, train_targets: Array,
                 test_inputs: Array | None = None, test_targets: Array | None = None, *,
                 optimizer: Optimizer, batch_size: int = 10, seed: int = 0,
                 task: str = "binary", shuffle: bool = True):
        self.net = net
        self.optimizer = optimizer
        self.task = task
        self.shuffle = shuffle
        self.train_inputs = net._check_inputs(train_inputs)
        self.train_targets = net._check_targets(train_targets, self.train_inputs.shape[0])
        if self.train_inputs.shape[0] == 0:
            raise ValueError("the training set is empty")
        if test_inputs is None:
            test_inputs = np.empty((0, net.sizes[0]))
            test_targets = np.empty((0, net.sizes[-1]))
        self.test_inputs = net._check_inputs(test_inputs)
        self.test_targets = net._check_targets(test_targets, self.test_inputs.shape[0])
        self.batch_size = batch_size
        self._train_with_ones = append_ones(self.train_inputs)
        self._rng = np.random.default_rng(seed)
        self.step_count = 0
        self.epoch = 0
        self._order_inputs = self._order_targets = None
        self._position = 0
        self._last_good = net.params.copy()
        self.divergence: Divergence | None = None
        with np.errstate(all="ignore"):
            initial_loss = net.loss_function.value(net.predict(self.train_inputs), self.train_targets)
        # A loss this far above where it started has exploded even while still finite.
        self.explosion_threshold = EXPLOSION_FACTOR * max(initial_loss, 1.0)

    @property
    def batch_size(self) -> int:
        return self._batch_size

    @batch_size.setter
    def batch_size(self, size: int) -> None:
        if int(size) != size or size < 1:
            raise ValueError(f"the batch size must be a positive integer, got {size}")
        self._batch_size = int(size)

    @property
    def steps_per_epoch(self) -> int:
        return math.ceil(self.train_inputs.shape[0] / self._batch_size)

    # -- stepping -------------------------------------------------------------

    def step(self) -> bool:
        """One mini-batch step. Returns False (and sets ``divergence``) if training blew up."""
        with np.errstate(all="ignore"):   # overflow is detected and reported, not warned about
            return self._step()

    def _step(self) -> bool:
        if self.divergence is not None:
            return False
        if self._order_inputs is None:
            self._start_epoch()
        start = self._position
        stop = start + self._batch_size
        self.net.train_step(self._order_inputs[start:stop], self._order_targets[start:stop],
                            self.optimizer)
        self.step_count += 1
        self._position = stop
        if stop >= self._order_inputs.shape[0]:
            self.epoch += 1
            self._order_inputs = None
        if not math.isfinite(np.add.reduce(self.net.params)):
            self._diverge()
            return False
        return True

    def run_epoch(self) -> bool:
        """Steps until the current epoch is complete. False if training blew up."""
        epoch = self.epoch
        with np.errstate(all="ignore"):
            while self.epoch == epoch:
                if not self._step():
                    return False
        return True

    def _start_epoch(self) -> None:
        if self.shuffle:
            order = self._rng.permutation(self.train_inputs.shape[0])
            self._order_inputs = self._train_with_ones[order]
            self._order_targets = self.train_targets[order]
        else:
            self._order_inputs, self._order_targets = self._train_with_ones, self.train_targets
        self._position = 0

    # -- observing ------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """Copies of the parameters and their last gradients, with the current losses."""
        with np.errstate(all="ignore"):
            return self._snapshot()

    def _snapshot(self) -> Snapshot:
        net = self.net
        train_prediction = net.predict(self.train_inputs)
        test_prediction = net.predict(self.test_inputs)
        loss = net.loss_function.value
        train_loss = loss(train_prediction, self.train_targets)
        test_loss = loss(test_prediction, self.test_targets) if len(self.test_inputs) else math.nan
        if not train_loss <= self.explosion_threshold and self.divergence is None:
            self._diverge(quantity="loss")
        if self.divergence is None:
            self._last_good[:] = net.params
        gradients = net._split(net.gradient)
        return Snapshot(
            step=self.step_count, epoch=self.epoch, sizes=tuple(net.sizes),
            weights=_frozen(net.weights), biases=_frozen(net.biases),
            weight_gradients=_frozen(g[:-1] for g in gradients),
            bias_gradients=_frozen(g[-1] for g in gradients),
            train_loss=train_loss, test_loss=test_loss,
            train_accuracy=accuracy(train_prediction, self.train_targets, self.task),
            test_accuracy=accuracy(test_prediction, self.test_targets, self.task),
            learning_rate=self.optimizer.learning_rate, divergence=self.divergence)

    def run(self, epochs: int | None = None, control: TrainingControl | None = None,
            snapshot_every: int | None = None) -> Iterator[Snapshot]:
        """Yield a snapshot every ``snapshot_every`` steps (default: every epoch).

        Ends after ``epochs`` more epochs (None: never), when ``control`` is
        stopped, or after yielding the snapshot that reports a divergence.
        """
        target_epoch = None if epochs is None else self.epoch + epochs
        every = snapshot_every or self.steps_per_epoch
        while target_epoch is None or self.epoch < target_epoch:
            if control is not None and (control.stopped or not control.wait_while_paused()):
                return
            with np.errstate(all="ignore"):
                for _ in range(every):
                    if not self._step() or self.epoch == target_epoch:
                        break
                snapshot = self.snapshot()
            yield snapshot
            if snapshot.diverged:
                return

    # -- divergence -----------------------------------------------------------

    def _diverge(self, quantity: str | None = None) -> None:
        layer, found = self._first_non_finite_layer()
        quantity = quantity or found
        sizes = self.net.sizes
        where = (f"layer {layer + 1} of {self.net.depth} "
                 f"({sizes[layer]} → {sizes[layer + 1]} units)")
        what = (f"the loss exploded (beyond {self.explosion_threshold:.3g}, or infinite); the "
                f"largest weights are in {where}" if quantity == "loss"
                else f"the {quantity} of {where} became infinite or NaN first")
        message = (f"Training diverged at epoch {self.epoch}, step {self.step_count}: {what}. "
                   f"The learning rate "
                   f"{self.optimizer.learning_rate:g} is too high for this setting — lower it "
                   f"and press Reset. The last finite weights were kept.")
        self.divergence = Divergence(step=self.step_count, epoch=self.epoch, layer=layer,
                                     quantity=quantity, message=message)
        self.net.params[:] = self._last_good

    def _first_non_finite_layer(self) -> tuple[int, str]:
        """The forward pass's first non-finite z, else the backward pass's first bad gradient."""
        workspace = self.net._workspaces.get(min(self._batch_size, self.train_inputs.shape[0]))
        if workspace is not None:
            for l, z in enumerate(workspace.z):
                if not np.isfinite(z).all():
                    return l, "weighted sums z"
        gradients = self.net._split(self.net.gradient)
        for l in reversed(range(self.net.depth)):
            if not np.isfinite(gradients[l]).all():
                return l, "gradients"
        blocks = self.net._split(self.net.params)
        for l, block in enumerate(blocks):
            if not np.isfinite(block).all():
                return l, "weights"
        # Everything still finite but the loss exploded: blame the layer with the largest weights.
        return int(np.argmax([np.abs(block).max() for block in blocks])), "loss"
