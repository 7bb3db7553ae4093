"""Run a lesson's reference solutions headless: does each goal hold where the lesson says it will?

    results = run_reference(lesson)     # one TaskResult per task, in order

For task k the setting is the setup with the solutions of tasks 1 … k applied in order; a
fresh network (the setting's seed) trains up to ``epochs`` epochs, the goal checked after
every epoch against the quantities of the workspace family (``model.lessons.quantities``)
— the live check the panel does — and training stops at the first epoch it holds.
``previous`` is the quantities at which the previous task's goal was met. The goal is also
evaluated on the untrained network of the setting before task k's solution
(``met_untrained``): a goal that already holds there checks nothing.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np

from ..experiment import build
from ..snapshot import Snapshot
from .format import Lesson
from .quantities import conv_quantities, mlp_quantities, recurrent_quantities


@dataclass(frozen=True)
class TaskResult:
    task_index: int
    met: bool                   # the goal held at some epoch of the reference run
    quantities: dict            # when it was met (else at the end of the run)
    seconds: float
    met_untrained: bool = False  # the goal already held before any training (a useless goal)
    problem: str = ""           # why the run or the goal could not be evaluated (a missing CSV file, …)

    @property
    def passed(self) -> bool:
        return self.met and not self.met_untrained and not self.problem


@dataclass
class _Run:
    """One training run of a setting and how to measure it."""

    trainer: object
    measure: Callable[[Snapshot], dict]

    def snapshots(self, epochs: int) -> Iterator[Snapshot]:
        yield self.trainer.snapshot()
        yield from self.trainer.run(epochs)


def start_run(lesson: Lesson, setting) -> _Run:
    """A fresh network and trainer for ``setting`` (of ``lesson``'s workspace family)."""
    if lesson.family == "convolution":
        net, trainer, split, shape = setting.build()
        test_images = split.test_points.reshape((-1,) + tuple(shape))
        return _Run(trainer, lambda snapshot: conv_quantities(net, snapshot, test_images, split.test_targets,
                                                              setting.batch_size))
    if lesson.family == "recurrent":
        net, trainer, split, _ = setting.build()
        return _Run(trainer, lambda snapshot: recurrent_quantities(net, snapshot, split, setting.batch_size))
    experiment = build(setting)
    trainer, losses = experiment.trainer, []

    def measure(snapshot: Snapshot) -> dict:
        losses.append(snapshot.train_loss)
        return mlp_quantities(setting, experiment.net, snapshot, losses, trainer.train_inputs,
                              trainer.train_targets)
    return _Run(trainer, measure)


def run_reference(lesson: Lesson) -> list[TaskResult]:
    """Train each task's reference solution and report whether its goal was met."""
    results: list[TaskResult] = []
    previous: dict | None = None
    for index, task in enumerate(lesson.tasks):
        started = time.perf_counter()
        before, _ = lesson.setting_for(index - 1)
        setting, epochs = lesson.setting_for(index)
        met = met_untrained = False
        quantities: dict = {}
        problem = ""
        try:
            with np.errstate(all="ignore"):
                untrained = start_run(lesson, before)
                met_untrained = task.goal.evaluate(untrained.measure(untrained.trainer.snapshot()), previous)
                run = start_run(lesson, setting)
                for snapshot in run.snapshots(epochs):
                    quantities = run.measure(snapshot)
                    if task.goal.evaluate(quantities, previous):
                        met = True
                        break
        except (ValueError, OSError) as error:     # a ConditionError, or data that cannot be built or read
            problem = str(error)
        results.append(TaskResult(index, met, quantities, time.perf_counter() - started, met_untrained, problem))
        previous = quantities
    return results
