"""Background training: the training job and its GUI-thread controller.

    controller = TrainingController()
    controller.progress.connect(window.on_progress)     # delivered on the GUI thread
    controller.start(experiment)                         # paused, thread ready
    controller.run(); controller.pause(); controller.step("batch")
    controller.set_pace(pace)                            # steps a second (gui.training.pacing)
    controller.shutdown()                                # stop + join (≤ 1 s)

The controller is the app's one background worker (``gui.training.background``)
driving a ``TrainingJob``: the job iterates ``Trainer.run()`` — one snapshot
per epoch — and records every epoch's losses; its report is a ``Progress``
(the latest snapshot plus the losses of every epoch since the last report),
so the GUI repaints ≤ 30 times a second yet the loss plot gets every epoch.
Live changes (learning rate, batch size, regularisation, weight edits) and
steps run between epochs. Given a ``make_grids`` function, the job also
makes the snapshot's plane pictures (``gui.training.grids``) — when the GUI
asked for new ones (``want_grids``, after painting) and whenever training
pauses — so the GUI thread only paints. While training runs they take at most
``GRID_SHARE`` of the worker's time: a 6 × 64 network's pictures cost about as
much as three epochs, and made for every frame they left training a quarter of
its speed.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np
from PySide6.QtCore import QObject, Signal

from gui.training.background import Background
from gui.training.grids import PlaneGrids
from gui.training.pacing import FASTEST, MIN_INTERVAL, Pace, StepClock, share_interval
from model.experiment import Experiment
from model.training import Snapshot


#: Of the worker's time, at most, for plane pictures while training runs.
GRID_SHARE = 0.15


@dataclass(frozen=True)
class Progress:
    """What the GUI gets: the latest snapshot and the per-epoch losses since the last report.

    ``epochs``, ``train_losses``, ``test_losses`` have shape (m,), m ≥ 0;
    ``samples`` counts training samples processed since the job started;
    ``wall_time`` is ``time.perf_counter()`` when it was made; ``running`` says
    whether training goes on after this report.
    """

    snapshot: Snapshot
    epochs: np.ndarray
    train_losses: np.ndarray
    test_losses: np.ndarray
    samples: int
    wall_time: float
    running: bool
    grids: PlaneGrids | None = None  # the snapshot's plane pictures, when they were made


class TrainingJob:
    """An experiment's trainer as a background job: an epoch per unit, a ``Progress`` per report."""

    def __init__(self, experiment: Experiment,
                 make_grids: Callable[[Snapshot], PlaneGrids] | None = None):
        self.experiment = experiment
        self.trainer = experiment.trainer
        self.make_grids = make_grids
        self.grids_wanted = threading.Event()   # set by the GUI thread when it painted the last ones
        self.grids_wanted.set()
        self.samples = 0
        self._grids_due = 0.0                    # perf_counter() when pictures may be made again
        self._epochs = None                      # the trainer's generator (None: start anew)
        self._history: list[tuple[int, float, float]] = []
        self._latest: Snapshot | None = None

    # -- the Job protocol (worker thread) ---------------------------------------------

    def ready_to_run(self) -> bool:
        return True

    def advance(self) -> bool:
        trainer = self.trainer
        if self._epochs is None:
            self._epochs = trainer.run()
        step_before = trainer.step_count
        snapshot = next(self._epochs, None)
        self.samples += (trainer.step_count - step_before) * trainer.batch_size
        if snapshot is None:                     # ended (early stopping): nothing new
            self._epochs = None
            return False
        self._record(snapshot)
        if snapshot.diverged or snapshot.stopped_early:
            self._epochs = None
            return False
        return True

    def report(self, running: bool) -> Progress:
        if self._latest is None:
            self._latest = self.trainer.snapshot()
        history = np.array(self._history, dtype=np.float64).reshape(-1, 3)
        self._history = []
        grids = None
        now = time.perf_counter()
        if self.make_grids is not None and (not running or (self.grids_wanted.is_set()
                                                             and now >= self._grids_due)):
            self.grids_wanted.clear()
            with np.errstate(all="ignore"):
                grids = self.make_grids(self._latest)
            cost = time.perf_counter() - now
            self._grids_due = now + share_interval(cost, GRID_SHARE, MIN_INTERVAL)
        progress = Progress(self._latest, history[:, 0], history[:, 1], history[:, 2],
                            self.samples, time.perf_counter(), running, grids)
        self._latest = None
        return progress

    # -- commands (worker thread, between epochs) -----------------------------------------

    def step(self, unit: str) -> None:
        """One mini-batch ("batch") or one epoch ("epoch")."""
        trainer = self.trainer
        epoch, step_before = trainer.epoch, trainer.step_count
        if unit == "epoch":
            trainer.run_epoch()
        else:
            trainer.step()
        self.samples += (trainer.step_count - step_before) * trainer.batch_size
        snapshot = trainer.snapshot()
        self._epochs = None                      # the next run starts from here
        if snapshot.epoch != epoch or snapshot.diverged:
            self._record(snapshot)
        else:
            self._latest = snapshot

    def changed(self, restarts_epoch: bool) -> None:
        """The trainer or network changed; ``restarts_epoch``: what the epoch loop depends on."""
        if restarts_epoch:
            self._epochs = None
        self._latest = None                      # the next report shows the state after the change

    def _record(self, snapshot: Snapshot) -> None:
        """Keep the snapshot and its epoch's losses (not those of a blow-up: they are ±inf or 1e60)."""
        self._latest = snapshot
        if not snapshot.diverged:
            self._history.append((snapshot.epoch, snapshot.train_loss, snapshot.test_loss))


class TrainingController(Background):
    """The GUI thread's handle on training; re-emits the job's reports on the GUI thread.

    Signals: ``progress(Progress)`` for every report, ``runningChanged(bool)``,
    ``diverged(Snapshot)`` once when a run blows up (training is then paused),
    ``failed(str)`` if a command or step raised (training is then paused).
    """

    progress = Signal(object)
    diverged = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, min_interval: float = MIN_INTERVAL):
        super().__init__(parent, min_interval)
        self.latest: Snapshot | None = None
        self.pace: Pace = FASTEST
        self._clock = StepClock(self._paced_step, self)   # slower paces: a step per tick, sent

    def start(self, experiment: Experiment,
              make_grids: Callable[[Snapshot], PlaneGrids] | None = None) -> None:
        """Stop any previous job and start a paused one for ``experiment``; its reports
        carry ``make_grids(snapshot)`` when the GUI wants them (``want_grids``)."""
        self.latest = None
        self.start_job(TrainingJob(experiment, make_grids))

    def shutdown(self, timeout_ms: int = 1000) -> bool:
        return super().shutdown(timeout_ms)

    @property
    def experiment(self) -> Experiment | None:
        return self.job.experiment if self.job else None

    def run(self) -> None:
        """Train: as fast as it goes in the worker, or at the chosen pace (steps sent by a clock)."""
        if self.job is not None and not self.is_running:
            if self.pace.fastest:
                super().run()
            else:
                self._clock.start(self.pace)
                self._set_running(True)

    def set_pace(self, pace: Pace) -> None:
        """Train at ``pace`` from now on (a running run switches at once)."""
        if pace == self.pace:
            return
        running = self.is_running
        if running:
            self.pause()
        self.pace = pace
        if running:
            self.run()

    def _paced_step(self, unit: str) -> None:
        self.send(lambda job: job.step(unit))

    def pause(self, wait: bool = False, timeout: float = 2.0) -> None:
        """Pause (the pace clock too); with ``wait`` return only once the worker is idle."""
        self._clock.stop()
        super().pause(wait, timeout)

    def step(self, unit: str = "batch") -> None:
        """One mini-batch ("batch") or one epoch ("epoch"); pauses first if running."""
        if self.job is None:
            return
        if self.is_running:
            self.pause()
        self.send(lambda job: job.step(unit))

    def apply(self, change: Callable[[Experiment], None], restarts_epoch: bool = False) -> None:
        """Apply ``change(experiment)`` safely: queued between epochs while running, at once when
        paused. ``restarts_epoch``: the change alters the epoch loop (e.g. the batch size)."""
        def on_job(job: TrainingJob) -> None:
            change(job.experiment)
            job.changed(restarts_epoch)
        super().apply(on_job)

    def want_grids(self) -> None:
        """The GUI painted the last plane pictures: make new ones with the next report."""
        if self.job is not None:
            self.job.grids_wanted.set()

    # -- reports (GUI thread) ---------------------------------------------------------

    def deliver(self, progress: Progress) -> None:
        self._clock.answered()
        self.latest = progress.snapshot
        self.progress.emit(progress)
        if progress.snapshot.diverged:
            self._set_running(False)
            self.diverged.emit(progress.snapshot)

    def on_failure(self, message: str) -> None:
        self.failed.emit(message)

    def _set_running(self, running: bool) -> None:
        if not running:
            self._clock.stop()
        super()._set_running(running)
