"""Several runs of one experiment that differ in one or two settings, trained in lock-step.

    comparison = Comparison(config, [Variation.parse("activation", "sigmoid,tanh,relu"),
                                     Variation.parse("learning_rate", "0.003,0.03,0.3")])
    comparison = Comparison(ConvolutionSetting(images="digits"),       # ConvNets, the same way
                            [Variation.parse("learning_rate", "0.003,0.01,0.03")])
    for _ in range(300):
        comparison.run_epoch()
    snapshot = comparison.snapshot()

The base setting says which kind of network is compared (``model.compared_models``): an
``ExperimentConfig`` the MLP, a ``ConvolutionSetting`` a ConvNet, which can vary fewer settings
(``varied_settings("cnn")``). Every run starts from the initial weights its network draws
from its seed (``Network(sizes, seed=config.seed)``, ``ConvNet(shape, spec, seed=…)``) —
identical wherever the shapes and seeds agree — and sees the same data and the same
mini-batch order: each epoch draws ``default_rng(seed).permutation(n)`` exactly as
``model.training.Trainer`` does, so every run equals the same setting trained alone by a
Trainer (varying the seed varies the initial weights; the batch order stays the base seed's).
Runs whose parameter shapes, batch size and optimizer agree form one stack — the network's
layers as one ``Sequential`` with a leading run axis; one epoch steps every stack through
the whole training set. A run whose parameters become non-finite gets the last finite
parameters back, is marked diverged and leaves its stack; the others continue.

A stack is the same layers as a single network with a leading run axis, and the same
optimizer classes with one learning rate per run: there is one implementation of the maths,
so a compared run equals the run trained alone — dropout masks (same seed) and batch norm
included.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial
from typing import Callable, Iterator, Sequence

import numpy as np

from .compared_models import check_variations, family_of
from .comparison_results import ComparisonSnapshot, History, Paths, evaluate, run_snapshot
from .config import ExperimentConfig
from .divergence import EXPLOSION_FACTOR, WEIGHT_LIMIT, Divergence, describe, largest_weights, locate
from .lessons.settings import ConvolutionSetting
from .networks import Sequential
from .networks.mlp_parts import norms_per_weight_layer
from .optimizers import Optimizer, make_optimizer
from .variations import Run, Variation, make_runs

Array = np.ndarray


# -- the engine ------------------------------------------------------------------

@dataclass
class _Data:
    """What the runs of one stack train and are measured on (their split of the data set), and
    the generator of their epochs' batch order — ``default_rng(base seed)``, as a Trainer's."""

    train_inputs: Array
    train_targets: Array
    test_targets: Array
    eval_inputs: Array           # train inputs, then test inputs: one prediction measures both
    order: np.random.Generator


@dataclass
class _Stack:
    """Runs (``rows`` → run index) trained as one ``Sequential`` with a run axis."""

    net: Sequential
    optimizer: Optimizer
    rows: list[int]
    sizes: list[int]
    batch_size: int
    last_good: dict      # params and statistics at the last evaluation (restored on divergence)
    data: _Data
    steps: int = 0

    def statistics(self) -> list:
        """Batch norm's running statistics per weight layer: (R, 2, units) arrays or None."""
        return [None if norm is None else norm.statistics for norm in norms_per_weight_layer(self.net.layers)]

    def state(self) -> dict:
        return {"params": self.net.params.copy(),
                "statistics": [None if s is None else s.copy() for s in self.statistics()]}

    def row_state(self, row: int, state: dict | None = None) -> dict:
        """One run's state, laid out as ``Network.state()``."""
        state = state or self.state()
        return {"params": state["params"][row].copy(),
                "statistics": [None if s is None else s[row].copy() for s in state["statistics"]]}


class Comparison:
    """Trains every run of ``make_runs(base, variations)`` in lock-step, epoch by epoch.

    ``history`` holds every epoch's losses and accuracies; ``paths`` each run's flat parameters
    every few epochs (at most ``path_points`` a run, ``comparison_results.Paths``).
    """

    path_points = 128

    def __init__(self, base: ExperimentConfig | ConvolutionSetting, variations: Sequence[Variation],
                 data=None):
        self.base = base
        self.family = family_of(base)
        self.variations = tuple(variations)
        check_variations(self.family, self.variations)
        self.runs = make_runs(base, self.variations)
        data = data if data is not None else self.family.load_data(base)
        experiments = []
        for run in self.runs:
            try:
                experiments.append(self.family.build(run.config, base, data))
            except ValueError as error:
                raise ValueError(f"run {run.label}: {error}") from None
        self.experiments = experiments      # per run: its net (initial weights), trainer, split
        trainer = experiments[0].trainer
        self.data, self.task = data, experiments[0].task
        self.train_inputs, self.train_targets = trainer.train_inputs, trainer.train_targets
        self.test_targets = trainer.test_targets
        self.initial_params = [e.net.params.copy() for e in experiments]
        self.reset()

    # -- state -----------------------------------------------------------------

    def reset(self) -> None:
        """Back to the initial weights, epoch 0, the first batch order, no divergence."""
        self.epoch = 0
        self._steps_at_divergence: dict[int, int] = {}
        self.divergences: list[Divergence | None] = [None] * len(self.runs)
        self._final_states: dict[int, dict] = {}
        self.history = History(len(self.runs))
        self.paths = Paths([e.net.params.size for e in self.experiments], self.path_points)
        groups: dict[tuple, list[int]] = {}
        for run in self.runs:
            key = self.family.stack_key(run.config, self.experiments[run.index])
            groups.setdefault(key, []).append(run.index)
        self._stacks = [self._make_stack(rows) for rows in groups.values()]
        self._explosion = np.full(len(self.runs), math.inf)
        self._evaluate()
        # As Trainer: a loss 10⁶ times its initial value (at least 1) has exploded.
        self._explosion = EXPLOSION_FACTOR * np.maximum(self.history.frozen(0)["train_loss"][:, 0], 1.0)

    def _make_stack(self, rows: list[int]) -> _Stack:
        configs = [self.runs[r].config for r in rows]
        rows = [rows[i] for i in self.family.order(configs)]
        configs = [self.runs[r].config for r in rows]
        first, sizes = configs[0], self.experiments[rows[0]].net.sizes
        net = self.family.stack(configs, self.experiments[rows[0]])
        net.params[:] = np.stack([self.initial_params[r] for r in rows])
        optimizer = make_optimizer(first.optimizer, np.array([[c.learning_rate] for c in configs]))
        trainer = self.experiments[rows[0]].trainer           # the stack's split of the data
        data = _Data(trainer.train_inputs, trainer.train_targets, trainer.test_targets,
                     np.vstack([trainer.train_inputs, trainer.test_inputs]),
                     np.random.default_rng(self.base.seed))
        stack = _Stack(net, optimizer, rows, list(sizes), first.batch_size, {}, data)
        stack.last_good = stack.state()
        return stack

    @property
    def alive(self) -> list[int]:
        """Indices of the runs still training."""
        return sorted(r for stack in self._stacks for r in stack.rows)

    @property
    def finished(self) -> bool:
        """True when every run has diverged."""
        return not self._stacks

    # -- training --------------------------------------------------------------

    def steps(self, run: int) -> int:
        """Optimisation steps run ``run`` has taken."""
        if run in self._steps_at_divergence:
            return self._steps_at_divergence[run]
        return next(stack.steps for stack in self._stacks if run in stack.rows)

    def run_epoch(self) -> None:
        """One epoch of every live run: the same shuffled order (of its training set), each stack
        in its batch size."""
        if not self._stacks:
            return
        with np.errstate(all="ignore"):   # overflow is detected and reported, not warned about
            for stack in list(self._stacks):
                data = stack.data
                n = data.train_inputs.shape[0]
                order = data.order.permutation(n)
                self._train_stack(stack, data.train_inputs[order], data.train_targets[order], n)
            self.epoch += 1
            self._evaluate()

    def run(self, epochs: int | None = None) -> Iterator[int]:
        """Train epoch after epoch, yielding the epoch count after each; ends after ``epochs``
        more epochs (None: never) or once every run has diverged."""
        target = None if epochs is None else self.epoch + epochs
        while not self.finished and (target is None or self.epoch < target):
            self.run_epoch()
            yield self.epoch

    def _train_stack(self, stack: _Stack, inputs: Array, targets: Array, n: int) -> None:
        size = stack.batch_size
        step, optimizer, total = self._bind(stack)
        for start in range(0, n, size):
            batch = inputs[start:start + size]
            step(batch, targets[start:start + size], optimizer)
            stack.steps += 1
            if not math.isfinite(total()):
                bad = ~np.isfinite(stack.net.params).all(axis=1)
                epoch = self.epoch + (start + size >= n)    # completed epochs, as Trainer counts
                workspace = stack.net.workspace(batch.shape[0], True)
                located = [locate(stack.net, workspace, row) for row in np.flatnonzero(bad)]
                stack = self._remove(stack, bad, epoch, self.epoch + 1, located)
                if stack is None:
                    return
                step, optimizer, total = self._bind(stack)

    @staticmethod
    def _bind(stack: _Stack) -> tuple[Callable, Optimizer, Callable[[], float]]:
        """The stack's step, optimizer and Σ params — one BLAS dot with ones (0.4 µs against
        1 µs for np.add.reduce), non-finite as soon as any parameter is."""
        flat = stack.net.params.reshape(-1)
        return stack.net.train_step, stack.optimizer, partial(flat.dot, np.ones(flat.size))

    def _evaluate(self) -> None:
        """Losses and accuracies of every live run; an exploded loss or weight is a divergence."""
        for stack in list(self._stacks):
            data = stack.data
            n_train = data.train_targets.shape[0]
            prediction = stack.net.predict(data.eval_inputs)
            metrics = evaluate(stack.net.loss, prediction[:, :n_train], data.train_targets,
                               prediction[:, n_train:], data.test_targets, self.task)
            self.history.record(self.epoch, stack.rows, *metrics)
            exploded = ~(metrics[0] <= self._explosion[stack.rows])     # NaN counts as exploded
            too_large = ~(largest_weights(stack.net.params) <= WEIGHT_LIMIT)
            bad = exploded | too_large
            if bad.any():
                located = [(locate(stack.net, None, row)[0], "loss" if exploded[row] else "weight size")
                           for row in np.flatnonzero(bad)]
                stack = self._remove(stack, bad, self.epoch, self.epoch, located)
            if stack is not None:
                stack.last_good = stack.state()
                self.paths.record(self.epoch, stack.rows, stack.net.params)

    def _remove(self, stack: _Stack, bad: Array, epoch: int, erase_from: int,
                located: list[tuple[int, str]]) -> _Stack | None:
        """Mark the ``bad`` rows diverged, keep their last finite state, drop them from the stack.

        ``located`` gives (layer, quantity) per bad row; history from ``erase_from`` on is erased.
        """
        for row, (layer, quantity) in zip(np.flatnonzero(bad), located):
            run = stack.rows[row]
            self._steps_at_divergence[run] = stack.steps
            self.divergences[run] = _divergence(self.runs[run], stack.sizes, epoch,
                                                stack.steps, layer, quantity, self._explosion[run])
            self._final_states[run] = stack.row_state(row, stack.last_good)
            self.history.truncate(run, erase_from)
        keep = np.flatnonzero(~bad).tolist()
        index = self._stacks.index(stack)
        if not keep:
            del self._stacks[index]
            return None
        survivor = self._select(stack, keep)
        self._stacks[index] = survivor
        return survivor

    def _select(self, stack: _Stack, keep: list[int]) -> _Stack:
        """A stack of the ``keep`` rows only, with their parameters, statistics, optimizer state
        and the same mask generator."""
        net = self.family.stack([self.runs[stack.rows[r]].config for r in keep], self.experiments[stack.rows[0]])
        net.params[:] = stack.net.params[keep]
        for mine, old in zip(norms_per_weight_layer(net.layers), norms_per_weight_layer(stack.net.layers)):
            if mine is not None:
                mine.statistics[...] = old.statistics[keep]
        net.masks.generator = stack.net.masks.generator
        last_good = {"params": stack.last_good["params"][keep],
                     "statistics": [None if s is None else s[keep] for s in stack.last_good["statistics"]]}
        return _Stack(net, stack.optimizer.select(keep), [stack.rows[r] for r in keep], stack.sizes,
                      stack.batch_size, last_good, stack.data, stack.steps)

    # -- observing -------------------------------------------------------------

    def state(self, run: int) -> dict:
        """One run's parameters and statistics as ``Network.state()`` (the last finite ones if it
        diverged)."""
        if run in self._final_states:
            return self._final_states[run]
        for stack in self._stacks:
            if run in stack.rows:
                return stack.row_state(stack.rows.index(run))
        raise IndexError(f"no run {run}")

    def params(self, run: int) -> Array:
        """A copy of one run's current flat parameter vector (the last finite one if it diverged)."""
        return self.state(run)["params"].copy()

    def predict(self, run_inputs: Array) -> list[Array]:
        """ŷ of every run for network inputs (m, n_inputs): one (m, k) array per run."""
        outputs: list[Array | None] = [None] * len(self.runs)
        with np.errstate(all="ignore"):
            for stack in self._stacks:
                prediction = stack.net.predict(run_inputs)
                for row, run in enumerate(stack.rows):
                    outputs[run] = prediction[row].copy()
            for run, state in self._final_states.items():
                net = self.experiments[run].net.copy()
                net.load_state(state)
                outputs[run] = net.predict(run_inputs)
        return outputs

    def snapshot(self, plane_inputs: Array | None = None) -> ComparisonSnapshot:
        """Immutable copies of every run's state and history (and its outputs on ``plane_inputs``)."""
        outputs = self.predict(plane_inputs) if plane_inputs is not None else [None] * len(self.runs)
        history = self.history.frozen(self.epoch)
        states = tuple(
            run_snapshot(run, self.experiments[run.index].net, self.state(run.index),
                         step=self.steps(run.index), history=history,
                          divergence=self.divergences[run.index], plane_output=outputs[run.index])
            for run in self.runs)
        path_epochs, paths = self.paths.frozen()
        return ComparisonSnapshot(epoch=self.epoch, runs=states, variations=self.variations,
                                  task=self.task, history=history, path_epochs=path_epochs,
                                  recorded_paths=paths)


def _divergence(run: Run, sizes: Sequence[int], epoch: int, step: int, layer: int,
                quantity: str, threshold: float) -> Divergence:
    what = describe(sizes, layer, quantity, threshold)
    message = (f"{run.label} diverged at epoch {epoch}, step {step}: {what}. The learning rate "
               f"{run.config.learning_rate:g} is too high for this setting. "
               f"The last finite weights were kept; the other runs continue.")
    return Divergence(step=step, epoch=epoch, layer=layer, quantity=quantity, message=message)
