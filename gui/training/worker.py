"""Background training: a worker in a QThread and its GUI-thread controller.

    controller = TrainingController()
    controller.progress.connect(window.on_progress)     # delivered on the GUI thread
    controller.start(experiment)                         # paused, thread ready
    controller.run(); controller.pause(); controller.step("batch")
    controller.set_pace(pace)                            # steps a second (gui.training.pacing)
    controller.shutdown()                                # stop + join (≤ 1 s)

The worker (a parentless ``QObject`` moved to a ``QThread``) owns the trainer
while it runs. It iterates ``Trainer.run(control=...)`` — one snapshot per
epoch — and between epochs applies queued commands (learning rate, batch
size, regularisation, weight edits, pause, step). Per epoch it records the
losses; it emits a ``Progress`` (the latest snapshot plus every epoch's
losses since the last emit) at most every ``min_interval`` seconds, so the
GUI repaints ≤ 30 times a second yet the loss plot gets every epoch. Given a
``make_grids`` function, the worker also makes the snapshot's plane pictures
(``gui.training.grids``) — when the GUI asked for new ones (``want_grids``,
after painting) and whenever training pauses — so the GUI thread only paints.

Commands travel through a ``queue.Queue`` (the worker never needs an event
loop); results travel through a queued Qt signal to the controller, which
lives in the GUI thread and re-emits them there (QT_NOTES.md: a worker signal
connected to a lambda would run in the worker thread). A ``threading.Lock``
is held while the trainer works, so the GUI can touch the network directly
when paused without racing a step.
"""
from __future__ import annotations

import queue
import threading
import time
import traceback
from dataclasses import dataclass
from typing import Callable

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal, Slot

from gui.training.grids import PlaneGrids
from gui.training.pacing import FASTEST, MIN_INTERVAL, Pace, StepClock
from model.experiment import Experiment
from model.training import Snapshot, TrainingControl



@dataclass(frozen=True)
class Progress:
    """What the GUI gets: the latest snapshot and the per-epoch losses since the last report.

    ``epochs``, ``train_losses``, ``test_losses`` have shape (m,), m ≥ 0;
    ``samples`` counts training samples processed since the worker started;
    ``wall_time`` is ``time.perf_counter()`` at emission; ``running`` says
    whether the worker keeps training after this report.
    """

    snapshot: Snapshot
    epochs: np.ndarray
    train_losses: np.ndarray
    test_losses: np.ndarray
    samples: int
    wall_time: float
    running: bool
    source: int = 0                 # which worker sent it (late reports of an old one are dropped)
    grids: PlaneGrids | None = None  # the snapshot's plane pictures, when they were made


class TrainingWorker(QObject):
    """Trains in its own thread; never touches a widget. Create without a parent."""

    progress = Signal(object)       # Progress
    failed = Signal(str)            # an unexpected error; the worker pauses and keeps serving

    def __init__(self, experiment: Experiment, min_interval: float = MIN_INTERVAL, source: int = 0,
                 make_grids: Callable[[Snapshot], PlaneGrids] | None = None):
        super().__init__()
        self.source = source
        self.make_grids = make_grids
        self.grids_wanted = threading.Event()  # set by the GUI thread when it painted the last ones
        self.grids_wanted.set()
        self.experiment = experiment
        self.trainer = experiment.trainer
        self.min_interval = min_interval
        self.commands: "queue.Queue[tuple]" = queue.Queue()
        self.lock = threading.Lock()          # held while the trainer is busy
        self.control = TrainingControl()
        self.running = False
        self.idle = threading.Event()         # set while paused with nothing to do
        self._generator = None
        self._history: list[tuple[int, float, float]] = []
        self._latest: Snapshot | None = None
        self._last_emit = 0.0
        self.samples = 0

    # -- the loop (runs in the worker thread) ---------------------------------

    @Slot()
    def work(self) -> None:
        """Serve commands and train until told to stop."""
        try:
            while not self.control.stopped:
                try:
                    self._serve_commands(block=not self.running)
                    if self.running and not self.control.stopped:
                        self._train_one_epoch()
                except Exception as error:      # never let a bug end the thread silently
                    traceback.print_exc()
                    self.running, self._generator = False, None
                    self.failed.emit(f"{type(error).__name__}: {error}")
        finally:
            self.running = False
            self.idle.set()
            QThread.currentThread().quit()

    def _serve_commands(self, block: bool) -> None:
        """Execute queued commands; when ``block`` (paused), first wait for one."""
        if block:
            self._flush()
            self.idle.set()
            command = self.commands.get()
            self.idle.clear()
            self._execute(*command)
        while not self.control.stopped:
            try:
                command = self.commands.get_nowait()
            except queue.Empty:
                return
            self._execute(*command)

    def _execute(self, name: str, *args) -> None:
        if name == "stop":
            self.control.stop()
        elif name == "run":
            self.running = True
            self._generator = None
        elif name == "pause":
            self.running = False
            self._flush()
            if args and args[0] is not None:
                args[0].set()
        elif name == "step":
            self._step(args[0])
        elif name == "call":            # a change to the trainer/network, between steps
            with self.lock:
                if args[0] is not None:
                    args[0](self.experiment)
                if args[1]:             # it changed what the epoch loop depends on
                    self._generator = None
                self._latest = self.trainer.snapshot() if not self.running else self._latest
        elif name == "sync":
            args[0].set()

    def _train_one_epoch(self) -> None:
        trainer = self.trainer
        with self.lock:
            if self._generator is None:
                self._generator = trainer.run(control=self.control)
            step_before = trainer.step_count
            snapshot = next(self._generator, None)
            self.samples += (trainer.step_count - step_before) * trainer.batch_size
        if snapshot is None:            # stopped
            self._generator = None
            return
        self._record(snapshot)
        if snapshot.diverged:
            self.running = False
            self._generator = None
            self._flush()
        elif time.perf_counter() - self._last_emit >= self.min_interval:
            self._flush()

    def _step(self, unit: str) -> None:
        trainer = self.trainer
        with self.lock:
            epoch, step_before = trainer.epoch, trainer.step_count
            if unit == "epoch":
                trainer.run_epoch()
            else:
                trainer.step()
            self.samples += (trainer.step_count - step_before) * trainer.batch_size
            snapshot = trainer.snapshot()
            self._generator = None      # the next run starts from here
        if snapshot.epoch != epoch or snapshot.diverged:
            self._record(snapshot)
        else:
            self._latest = snapshot
        self._flush()

    def _record(self, snapshot: Snapshot) -> None:
        """Keep the snapshot and its epoch's losses (not those of a blow-up: they are ±inf or 1e60)."""
        self._latest = snapshot
        if not snapshot.diverged:
            self._history.append((snapshot.epoch, snapshot.train_loss, snapshot.test_loss))

    def _flush(self) -> None:
        """Emit the latest snapshot with the losses recorded since the last emit."""
        if self._latest is None:
            return
        history = np.array(self._history, dtype=np.float64).reshape(-1, 3)
        self._history = []
        grids = None
        if self.make_grids is not None and (not self.running or self.grids_wanted.is_set()):
            self.grids_wanted.clear()
            with np.errstate(all="ignore"):
                grids = self.make_grids(self._latest)
        self._last_emit = time.perf_counter()
        self.progress.emit(Progress(self._latest, history[:, 0], history[:, 1], history[:, 2],
                                    self.samples, self._last_emit, self.running, self.source, grids))
        self._latest = None


class TrainingController(QObject):
    """GUI-thread owner of the worker thread; re-emits the worker's reports on the GUI thread.

    Signals: ``progress(Progress)`` for every report, ``runningChanged(bool)``,
    ``diverged(Snapshot)`` once when a run blows up (training is then paused),
    ``failed(str)`` if a command or step raised (training is then paused).

    The pace (``set_pace``): as fast as possible, the worker trains epoch after epoch
    by itself; at a finite pace a ``StepClock`` in the GUI thread sends it one step
    command at a time (the worker is the same, only told when to step).
    """

    progress = Signal(object)
    runningChanged = Signal(bool)
    diverged = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, min_interval: float = MIN_INTERVAL):
        super().__init__(parent)
        self.min_interval = min_interval
        self._worker: TrainingWorker | None = None
        self._thread: QThread | None = None
        self._running = False
        self._generation = 0
        self.latest: Snapshot | None = None
        self.pace: Pace = FASTEST
        self._clock = StepClock(self._paced_step, self)

    # -- lifecycle ------------------------------------------------------------

    def start(self, experiment: Experiment,
              make_grids: Callable[[Snapshot], PlaneGrids] | None = None) -> None:
        """Stop any previous worker and start a paused one for ``experiment``; its reports
        carry ``make_grids(snapshot)`` when the GUI wants them (``want_grids``)."""
        self.shutdown()
        self._generation += 1
        worker = TrainingWorker(experiment, self.min_interval, self._generation, make_grids)
        thread = QThread()
        thread.setObjectName("trainingThread")
        worker.moveToThread(thread)
        worker.progress.connect(self._on_progress)
        worker.failed.connect(self._on_failed)
        thread.started.connect(worker.work)
        self._worker, self._thread = worker, thread
        self.latest = None
        thread.start()

    def shutdown(self, timeout_ms: int = 1000) -> bool:
        """Stop the worker and join its thread; True if it ended in time."""
        worker, thread = self._worker, self._thread
        if worker is None:
            return True
        worker.control.stop()
        worker.commands.put(("stop",))
        thread.quit()
        ended = thread.wait(timeout_ms)
        if not ended:                   # a very long epoch: never let a running QThread be destroyed
            thread.wait()
        worker.progress.disconnect(self._on_progress)
        worker.failed.disconnect(self._on_failed)
        self._worker = self._thread = None
        self._set_running(False)
        return ended

    @property
    def experiment(self) -> Experiment | None:
        return self._worker.experiment if self._worker else None

    @property
    def is_running(self) -> bool:
        return self._running

    @property
    def thread(self) -> QThread | None:
        return self._thread

    # -- commands -------------------------------------------------------------

    def run(self) -> None:
        if self._worker and not self._running:
            if self.pace.fastest:
                self._worker.commands.put(("run",))
            else:
                self._clock.start(self.pace)
            self._set_running(True)

    def set_pace(self, pace: Pace) -> None:
        """Train at ``pace`` from now on (a running run switches at once)."""
        if pace == self.pace:
            return
        running = self._running
        if running:
            self.pause()
        self.pace = pace
        if running:
            self.run()

    def _paced_step(self, unit: str) -> None:
        if self._worker is not None:
            self._worker.commands.put(("step", unit))

    def pause(self, wait: bool = False, timeout: float = 2.0) -> None:
        """Ask the worker to pause; with ``wait`` return only once it is idle."""
        self._clock.stop()
        if self._worker is None:
            return
        done = threading.Event() if wait else None
        self._worker.commands.put(("pause", done))
        self._set_running(False)
        if done is not None:
            done.wait(timeout)
            self._worker.idle.wait(timeout)

    def step(self, unit: str = "batch") -> None:
        """One mini-batch ("batch") or one epoch ("epoch"); pauses first if running."""
        if self._worker is None:
            return
        if self._running:
            self.pause()
        self._worker.commands.put(("step", unit))

    def apply(self, change: Callable[[Experiment], None], restarts_epoch: bool = False) -> None:
        """Apply ``change(experiment)`` safely: queued between steps while running, at once when paused.

        ``restarts_epoch``: the change alters the epoch loop (e.g. the batch size).
        """
        worker = self._worker
        if worker is None:
            return
        if self._running:
            worker.commands.put(("call", change, restarts_epoch))
            return
        with worker.lock:
            change(worker.experiment)
        worker.commands.put(("call", None, restarts_epoch))   # refresh the views

    def want_grids(self) -> None:
        """The GUI painted the last plane pictures: make new ones with the next report."""
        if self._worker is not None:
            self._worker.grids_wanted.set()

    def wait_idle(self, timeout: float = 2.0) -> bool:
        """Block until the worker has served every queued command and is paused."""
        if self._worker is None or self._running:
            return self._worker is None
        done = threading.Event()
        self._worker.commands.put(("sync", done))
        return done.wait(timeout) and self._worker.idle.wait(timeout)

    def lock(self) -> threading.Lock:
        """The lock held while the trainer works (acquire it to read the net while paused)."""
        return self._worker.lock if self._worker else threading.Lock()

    # -- reports (GUI thread) -------------------------------------------------

    @Slot(object)
    def _on_progress(self, progress: Progress) -> None:
        if self._worker is None or progress.source != self._worker.source:
            return                      # a late report from a worker already replaced
        self._clock.answered()
        self.latest = progress.snapshot
        self.progress.emit(progress)
        if progress.snapshot.diverged:
            self._set_running(False)
            self.diverged.emit(progress.snapshot)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._set_running(False)
        self.failed.emit(message)

    def _set_running(self, running: bool) -> None:
        if not running:
            self._clock.stop()
        if running != self._running:
            self._running = running
            self.runningChanged.emit(running)
