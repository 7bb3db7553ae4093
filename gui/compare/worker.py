"""Trains a Comparison in a QThread; the GUI gets snapshots through a GUI-thread controller.

    controller = CompareController()
    controller.snapshotReady.connect(window.show_snapshot)   # delivered on the GUI thread
    controller.start(comparison, plane_inputs)              # paused
    controller.run(); controller.pause(); controller.reset()
    controller.shutdown()                                   # stop + join

The worker (a parentless ``QObject`` moved to a ``QThread``, QT_NOTES.md) owns
the comparison while its thread runs; commands reach it through a
``queue.Queue`` and it answers with ``ComparisonSnapshot``s — immutable — at
most every ``min_interval`` seconds, plus one whenever it stops or pauses.
All runs share one loop, so pause, resume, reset and the epoch limit apply to
all of them at once. ``epochs_per_second`` paces the loop so a class can watch
the boundaries form (None: as fast as the machine goes).
"""
from __future__ import annotations

import queue
import threading
import time

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal, Slot

from model.comparison import Comparison

MIN_INTERVAL = 0.1     # ≤ 10 reports a second: each repaints every panel, the curves and the table


class CompareWorker(QObject):
    """Runs epochs of every run in lock-step; never touches a widget. Create without a parent."""

    report = Signal(object, bool)     # (ComparisonSnapshot, still running)

    def __init__(self, comparison: Comparison, plane_inputs: np.ndarray | None,
                 max_epochs: int, epochs_per_second: float | None, min_interval: float):
        super().__init__()
        self.comparison = comparison
        self.plane_inputs = plane_inputs
        self.max_epochs = max_epochs
        self.epochs_per_second = epochs_per_second
        self.min_interval = min_interval
        self.commands: "queue.Queue[tuple]" = queue.Queue()
        self.running = False
        self.stopped = False
        self.idle = threading.Event()
        self._last_emit = 0.0
        self._due = 0.0

    @Slot()
    def work(self) -> None:
        try:
            self._emit()
            while not self.stopped:
                self._serve()
                if self.running and not self.stopped:
                    self._epoch()
        finally:
            self.running = False
            self.idle.set()
            QThread.currentThread().quit()

    def _serve(self) -> None:
        """Run queued commands. Paused: wait for one. Paced: wait until the next epoch is due."""
        while not self.stopped:
            if not self.running:
                self.idle.set()
                command = self.commands.get()
                self.idle.clear()
            else:
                try:
                    wait = self._due - time.perf_counter() if self.epochs_per_second else 0.0
                    command = (self.commands.get(timeout=wait) if wait > 0
                               else self.commands.get_nowait())
                except queue.Empty:
                    return
            self._execute(*command)

    def _execute(self, name: str, *args) -> None:
        if name == "stop":
            self.stopped = True
        elif name == "run":
            if self.comparison.finished or self.comparison.epoch >= self.max_epochs:
                self._emit()
                return
            self.running = True
            self._due = time.perf_counter()
        elif name == "pause":
            self.running = False
            self._emit()
        elif name == "reset":
            self.comparison.reset()
            self._emit()
        elif name == "max_epochs":
            self.max_epochs = args[0]
        elif name == "speed":
            self.epochs_per_second = args[0]
            self._due = time.perf_counter()

    def _epoch(self) -> None:
        comparison = self.comparison
        comparison.run_epoch()
        if self.epochs_per_second:
            self._due = max(self._due + 1.0 / self.epochs_per_second, time.perf_counter() - 0.25)
        if comparison.finished or comparison.epoch >= self.max_epochs:
            self.running = False
            self._emit()
        elif time.perf_counter() - self._last_emit >= self.min_interval:
            self._emit()

    def _emit(self) -> None:
        self._last_emit = time.perf_counter()
        self.report.emit(self.comparison.snapshot(self.plane_inputs), self.running)


class CompareController(QObject):
    """GUI-thread owner of the worker and its thread; re-emits reports on the GUI thread.

    ``snapshotReady(ComparisonSnapshot)`` for every report; ``runningChanged(bool)``.
    """

    snapshotReady = Signal(object)
    runningChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None, min_interval: float = MIN_INTERVAL):
        super().__init__(parent)
        self.min_interval = min_interval
        self._worker: CompareWorker | None = None
        self._thread: QThread | None = None
        self._running = False
        self.latest = None

    def start(self, comparison: Comparison, plane_inputs: np.ndarray | None, max_epochs: int,
              epochs_per_second: float | None = None) -> None:
        """Stop any previous worker; start a paused one that owns ``comparison``."""
        self.shutdown()
        worker = CompareWorker(comparison, plane_inputs, max_epochs, epochs_per_second,
                               self.min_interval)
        thread = QThread()
        thread.setObjectName("compareThread")
        worker.moveToThread(thread)
        worker.report.connect(self._on_report)
        thread.started.connect(worker.work)
        self._worker, self._thread = worker, thread
        thread.start()

    def shutdown(self, timeout_ms: int = 2000) -> None:
        """Stop the worker and join its thread (safe to call twice)."""
        worker, thread = self._worker, self._thread
        if worker is None:
            return
        worker.commands.put(("stop",))
        thread.quit()
        if not thread.wait(timeout_ms):
            thread.wait()           # never let a running QThread be destroyed
        worker.report.disconnect(self._on_report)
        self._worker = self._thread = None
        self._set_running(False)

    @property
    def is_running(self) -> bool:
        return self._running

    @property
    def active(self) -> bool:
        return self._worker is not None

    def run(self) -> None:
        self._send("run")
        self._set_running(True)

    def pause(self) -> None:
        self._send("pause")
        self._set_running(False)

    def reset(self) -> None:
        self._send("reset")

    def set_max_epochs(self, epochs: int) -> None:
        self._send("max_epochs", int(epochs))

    def set_speed(self, epochs_per_second: float | None) -> None:
        self._send("speed", epochs_per_second)

    def wait_idle(self, timeout: float = 2.0) -> bool:
        """Block until the worker waits for commands (for tests and shutdown paths)."""
        return self._worker is not None and self._worker.idle.wait(timeout)

    def _send(self, *command) -> None:
        if self._worker is not None:
            self._worker.commands.put(command)

    @Slot(object, bool)
    def _on_report(self, snapshot, running: bool) -> None:
        self.latest = snapshot
        self._set_running(running)
        self.snapshotReady.emit(snapshot)

    def _set_running(self, running: bool) -> None:
        if running != self._running:
            self._running = running
            self.runningChanged.emit(running)
