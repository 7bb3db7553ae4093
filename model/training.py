"""The training loop: mini-batch gradient descent as a generator of snapshots.

    trainer = Trainer(net, train_inputs, train_targets, test_inputs, test_targets,
                      optimizer=make_optimizer("sgd", 0.03), batch_size=10, seed=0)
    for snapshot in trainer.run(epochs=300, control=control):
        ...   # each Snapshot holds copies: safe to hand to another thread

Each epoch visits the training set in a fresh order drawn from the trainer's
seed, so a run is reproducible. Steps run in training mode (dropout, batch
statistics); losses, accuracies and snapshots are measured in evaluation mode.
Pause and stop (``TrainingControl``) are honoured at every yield. After every
step the parameters are checked (``model.divergence``); when training blows up
the loop restores the last good parameters, yields a snapshot whose
``divergence`` says what happened and where, and ends. With ``patience`` the
loop also stops early once the test loss has not improved for that many
epochs; ``restore_best()`` brings back the best epoch's weights.

The trainer needs only the model protocol (``model.protocol.Model``).
"""
from __future__ import annotations

import math
import threading
from typing import Iterator

import numpy as np

from .divergence import EXPLOSION_FACTOR, WEIGHT_LIMIT, Divergence, blame, describe, largest_weights
from .optimizers import Optimizer
from .masks_seen import MasksSeen
from .snapshot import Snapshot, read_only

Array = np.ndarray


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


def accuracies(prediction: Array, targets: Array, task: str) -> Array:
    """Fraction classified right per run — argmax for several outputs, ŷ > 0.5 for one;
    prediction (..., n, k), targets (n, k); NaN for regression or no samples."""
    n, k = prediction.shape[-2], prediction.shape[-1]
    if task == "regression" or n == 0:
        return np.full(prediction.shape[:-2], math.nan)
    if k > 1:
        right = prediction.argmax(axis=-1) == targets.argmax(axis=-1)
    else:
        right = (prediction[..., 0] > 0.5) == (targets[:, 0] > 0.5)
    return np.mean(right, axis=-1)


def accuracy(prediction: Array, targets: Array, task: str) -> float:
    """``accuracies`` of one run as a float, over every output of it (a sequence model's
    (n, T, k) counts each step); NaN for regression or no samples."""
    k = prediction.shape[-1]
    return float(accuracies(prediction.reshape(-1, k), targets.reshape(-1, k), task))


def _frozen(arrays) -> tuple[Array, ...]:
    return tuple(read_only(array) for array in arrays)


class Trainer:
    """Trains ``net`` on a training set with mini-batches, evaluating on a test set.

    inputs: (n, sizes[0]); targets: (n, sizes[-1]). ``task`` is "binary",
    "multiclass" or "regression" (accuracy is reported for the first two).
    """

    def __init__(self, net, train_inputs: Array, train_targets: Array,
                 test_inputs: Array | None = None, test_targets: Array | None = None, *,
                 optimizer: Optimizer, batch_size: int = 10, seed: int = 0,
                 task: str = "binary", shuffle: bool = True, patience: int = 0):
        self.net = net
        self.optimizer = optimizer
        self.task = task
        self.shuffle = shuffle
        if int(patience) != patience or patience < 0:
            raise ValueError(f"early stopping needs a whole number of epochs ≥ 0, got {patience}")
        self.patience = int(patience)
        self.train_inputs = net.check_inputs(train_inputs)
        self.train_targets = net.check_targets(train_targets, self.train_inputs.shape[0])
        if self.train_inputs.shape[0] == 0:
            raise ValueError("the training set is empty")
        if test_inputs is None:
            test_inputs = np.empty((0,) + self.train_inputs.shape[1:])
            test_targets = np.empty((0,) + self.train_targets.shape[1:])
        self.test_inputs = net.check_inputs(test_inputs)
        self.test_targets = net.check_targets(test_targets, self.test_inputs.shape[0])
        self.batch_size = batch_size
        self._rng = np.random.default_rng(seed)
        self.step_count = 0
        self.epoch = 0
        self._order_inputs = self._order_targets = None
        self._order_rows: Array | None = None      # training rows in this epoch's order
        self._position = 0
        #: keep the dropout mask each training sample got in its latest step (the window's
        #: network view shows the followed sample's); off for headless runs, which do not look
        self.remember_masks = False
        self._masks_seen: MasksSeen | None = None
        self._last_good = net.state()
        self.divergence: Divergence | None = None
        self.stopped_early = False
        with np.errstate(all="ignore"):
            initial_loss = net.loss_function.value(net.predict(self.train_inputs), self.train_targets)
        # A loss this far above where it started has exploded even while still finite.
        self.explosion_threshold = EXPLOSION_FACTOR * max(initial_loss, 1.0)
        self.best_epoch, self.best_loss, self._best_state = 0, math.inf, net.state()
        self._track_best(*self._losses()[:2])

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
        if self.divergence is not None or self.stopped_early:
            return False
        if self._order_inputs is None:
            self._start_epoch()
        start = self._position
        stop = start + self._batch_size
        self.net.train_step(self._order_inputs[start:stop], self._order_targets[start:stop],
                            self.optimizer)
        self.step_count += 1
        if self.remember_masks and self._order_rows is not None:
            self._remember_masks(start, min(stop, len(self._order_rows)))
        self._position = stop
        epoch_ended = stop >= self._order_inputs.shape[0]
        if epoch_ended:
            self.epoch += 1
            self._order_inputs = None
        if not math.isfinite(np.add.reduce(self.net.params)):
            self._diverge()
            return False
        if epoch_ended and self.patience:
            self._end_epoch()
        return True

    def _end_epoch(self) -> None:
        """Early stopping: measure the losses, keep the best state, stop when patience runs out."""
        self._track_best(*self._losses()[:2])
        if self.divergence is None and self.epoch - self.best_epoch >= self.patience:
            self.stopped_early = True

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
            self._order_inputs = self.train_inputs[order]
            self._order_targets = self.train_targets[order]
        else:
            order = np.arange(self.train_inputs.shape[0])
            self._order_inputs, self._order_targets = self.train_inputs, self.train_targets
        self._order_rows = order
        self._position = 0

    def _remember_masks(self, start: int, stop: int) -> None:
        """Note the masks the step that just ran used, for the samples at positions start …
        stop − 1 of this epoch's order."""
        training_masks = getattr(self.net, "training_masks", None)
        masks = None if training_masks is None else training_masks(stop - start)
        if masks is None:                            # no dropout
            return
        if self._masks_seen is None:
            self._masks_seen = MasksSeen(masks, self.train_inputs.shape[0])
        self._masks_seen.note(self._order_rows, start, stop, masks, self.step_count)

    # -- saving and resuming ------------------------------------------------------

    def state(self) -> dict:
        """Everything the next steps depend on besides the network and optimizer: the counts,
        the batch-order generator, the current epoch's order and position, the dropout-mask
        generator, the best epoch so far. Arrays are copies; the rest is JSON-able."""
        ordered = self._order_inputs is not None
        return {"step_count": self.step_count, "epoch": self.epoch, "position": self._position,
                "batch_order_generator": self._rng.bit_generator.state,
                "mask_generator": self.net.engine.masks.generator.bit_generator.state,
                "order_inputs": self._order_inputs.copy() if ordered else None,
                "order_targets": self._order_targets.copy() if ordered else None,
                "best_epoch": self.best_epoch, "best_loss": self.best_loss,
                "best_state": self._best_state, "explosion_threshold": self.explosion_threshold,
                "stopped_early": self.stopped_early}

    def load_state(self, state: dict) -> None:
        """Resume from a ``state()`` of a trainer of the same setting and data."""
        self._rng.bit_generator.state = state["batch_order_generator"]
        self.net.engine.masks.generator.bit_generator.state = state["mask_generator"]
        self.step_count, self.epoch = int(state["step_count"]), int(state["epoch"])
        self._position = int(state["position"])
        self._order_inputs, self._order_targets = state["order_inputs"], state["order_targets"]
        self._order_rows = None          # not saved: masks are remembered again from the next epoch
        self.best_epoch, self.best_loss = int(state["best_epoch"]), float(state["best_loss"])
        self._best_state = state["best_state"]
        self.explosion_threshold = float(state["explosion_threshold"])
        self.stopped_early = bool(state["stopped_early"])
        self.divergence = None
        self._last_good = self.net.state()

    # -- observing ------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """Copies of the parameters and their last gradients, with the current losses."""
        with np.errstate(all="ignore"):
            return self._snapshot()

    def _losses(self) -> tuple[float, float, Array, Array]:
        """Evaluation-mode train and test loss, and the predictions they come from."""
        net = self.net
        train_prediction = net.predict(self.train_inputs)
        test_prediction = net.predict(self.test_inputs)
        loss = net.loss_function.value
        train_loss = loss(train_prediction, self.train_targets)
        test_loss = loss(test_prediction, self.test_targets) if len(self.test_inputs) else math.nan
        return train_loss, test_loss, train_prediction, test_prediction

    def _track_best(self, train_loss: float, test_loss: float) -> None:
        tracked = test_loss if len(self.test_inputs) else train_loss
        if tracked < self.best_loss:
            self.best_epoch, self.best_loss, self._best_state = self.epoch, tracked, self.net.state()

    def restore_best(self) -> int:
        """Put back the parameters (and batch-norm statistics) of the best epoch; returns it."""
        self.net.load_state(self._best_state)
        return self.best_epoch

    def _snapshot(self) -> Snapshot:
        net = self.net
        train_loss, test_loss, train_prediction, test_prediction = self._losses()
        if self.divergence is None:
            if not train_loss <= self.explosion_threshold:
                self._diverge(quantity="loss")
            elif largest_weights(net.params) > WEIGHT_LIMIT:
                self._diverge(quantity="weight size")
        if self.divergence is None:
            self._last_good = net.state()
            self._track_best(train_loss, test_loss)
        weight_gradients, bias_gradients = net.split(net.gradient)
        state = net.state()
        return Snapshot(
            step=self.step_count, epoch=self.epoch, sizes=tuple(net.sizes),
            weights=_frozen(net.weights), biases=_frozen(net.biases),
            weight_gradients=_frozen(weight_gradients), bias_gradients=_frozen(bias_gradients),
            train_loss=train_loss, test_loss=test_loss,
            train_accuracy=accuracy(train_prediction, self.train_targets, self.task),
            test_accuracy=accuracy(test_prediction, self.test_targets, self.task),
            learning_rate=self.optimizer.learning_rate, divergence=self.divergence,
            params=read_only(state["params"]),
            statistics=tuple(None if s is None else read_only(s) for s in state.get("statistics", ())),
            best_epoch=self.best_epoch, best_loss=self.best_loss, stopped_early=self.stopped_early,
            optimizer=self.optimizer.name,
            optimizer_state=tuple((key, read_only(value)) for key, value in self.optimizer.state().items()),
            **({} if self._masks_seen is None else
               dict(zip(("dropout_kept", "dropout_steps"), self._masks_seen.snapshot()))))

    def run(self, epochs: int | None = None, control: TrainingControl | None = None,
            snapshot_every: int | None = None) -> Iterator[Snapshot]:
        """Yield a snapshot every ``snapshot_every`` steps (default: every epoch).

        Ends after ``epochs`` more epochs (None: never), when ``control`` is
        stopped, after yielding the snapshot that reports a divergence, or after the
        one taken when early stopping ran out of patience.
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
            if snapshot.diverged or snapshot.stopped_early:
                return

    # -- divergence -----------------------------------------------------------

    def _diverge(self, quantity: str | None = None) -> None:
        net = self.net
        if quantity is None:
            layer, quantity = blame(net, min(self._batch_size, self.train_inputs.shape[0]))
        else:
            layer = blame(net, None)[0]
        what = describe(net.sizes, layer, quantity, self.explosion_threshold)
        message = (f"Training diverged at epoch {self.epoch}, step {self.step_count}: {what}. "
                   f"The learning rate {self.optimizer.learning_rate:g} is too high for this "
                   f"setting: lower it and start again. The last finite weights were kept.")
        self.divergence = Divergence(step=self.step_count, epoch=self.epoch, layer=layer,
                                     quantity=quantity, message=message)
        net.load_state(self._last_good)
