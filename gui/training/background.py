"""The one background worker: a job's work loop in its own thread, its latest result on the GUI thread.

    background = Background(min_interval=1 / 30)
    background.start(job)                     # a thread, paused
    background.run(); background.pause(wait=True)
    background.apply(change)                  # a new setting: change(job) between two units of work
    background.shutdown()                     # stop and join (the thread never outlives its owner)

A *job* is the small object a workspace trains (``Job`` below): it advances by
one unit of work (an epoch of ``Trainer.run``'s or ``Comparison.epochs``'s
generator) and makes a *report* — an immutable snapshot and whatever goes with
it — from its own state, in the worker thread. The GUI gets reports through
the ``deliver`` hook of the ``Background`` (a ``QObject`` living in the GUI
thread, so Qt queues them there, QT_NOTES.md), subclassed by the training and
comparison controllers.

Delivery is paced twice: at most one report per ``min_interval`` seconds, and
never a new report before the GUI has handled the last one (a gate opened
after ``deliver`` returns, or — ``paints_later`` — when the views call
``painted()``, having painted it piece by piece over several turns of the event loop). So the GUI thread never holds more than one report
in its queue, whatever the speed of the work or the cost of painting: the
event loop stays responsive and a report is always the latest state. Work
that happened between two reports is the job's to summarise (the training job
keeps every epoch's losses). Pausing delivers one final report of the state
it paused at. ``pace`` (units of work per second) slows the loop for a class
to watch; None runs as fast as the machine goes.

Why not superqt's ``thread_worker``/``GeneratorWorker`` (napari's, which does
pause/resume/abort over a generator): measured here with superqt 0.9.0 and
PySide6 6.11.3 — (1) it runs jobs on ``QThreadPool.globalInstance()``, whose
``maxThreadCount()`` is the core count, 2 on these machines: a third job (the
main window training, a comparison, a data load) waits for one to end, and the
pool gives no per-job join for closing a window; (2) ``WorkerBase.run`` wraps
the work in ``warnings.catch_warnings()`` from the worker thread, which swaps
the process-wide ``warnings.showwarning`` (seen from the GUI thread while a
worker ran) — the GUI's warnings go to the worker's signal, and the state is
restored out of order when two workers overlap; (3) its pause is a 10 ms
sleep-poll checked only at yields and ``send()`` keeps one value, while a live
setting, a step while paused and "pause, then show where you paused" need an
ordered command queue. What this module keeps from it is the shape: the work
is a generator of results checked for commands at every unit, the GUI gets
results through signals on the GUI thread, errors become a signal.

Commands travel through a ``queue.Queue`` (the worker needs no event loop). A
``threading.Lock`` is held while the job works or reports, so the GUI may change a paused
job directly (``apply`` does, then refreshes the views).
"""
from __future__ import annotations

import queue
import threading
import time
import traceback
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Protocol

from PySide6.QtCore import QObject, QThread, Signal, Slot


class Job(Protocol):
    """What the background worker drives. Every method runs in the worker thread."""

    def ready_to_run(self) -> bool:
        """False when running makes no sense (finished, at its epoch limit)."""

    def advance(self) -> bool:
        """One unit of work; False when the job should pause after it (diverged, done)."""

    def report(self, running: bool) -> Any:
        """The GUI's picture of the job now (immutable); ``running``: whether work goes on."""


@dataclass(frozen=True)
class Failure:
    """An unexpected error in the job or a command: the worker pauses and keeps serving."""

    message: str


class _Thread(QThread):
    """A thread that runs one generator of reports and hands each to ``emit``."""

    def __init__(self, reports: Iterator, emit: Callable[[object], None]):
        super().__init__()
        self.setObjectName("backgroundThread")
        self._reports, self._emit = reports, emit

    def run(self) -> None:   # noqa: D401 (Qt)
        for report in self._reports:
            self._emit(report)


class _Signals(QObject):
    """The worker's signal (emitted in the worker thread, received by the GUI-thread Background)."""

    reported = Signal(object, object)   # (job, report)


class Background(QObject):
    """GUI-thread owner of one job and its thread. Subclasses override ``deliver``.

    ``runningChanged(bool)`` when the job starts or stops running.
    """

    runningChanged = Signal(bool)

    #: True: a report counts as handled once the views call ``painted()`` (views that paint a
    #: report over several turns of the event loop), not as soon as ``deliver`` returns.
    paints_later = False

    def __init__(self, parent: QObject | None = None, min_interval: float = 1 / 30):
        super().__init__(parent)
        self.min_interval = min_interval
        self._job: Job | None = None
        self._thread: _Thread | None = None
        self._signals: _Signals | None = None
        self._running = False
        self.loop_running = False                 # the worker's own loop trains freely (not paced)
        self._commands: "queue.Queue[tuple]" = queue.Queue()
        self._gate = threading.Event()            # open: the GUI handled the last report
        self._idle = threading.Event()            # set while the worker waits for a command
        self._lock = threading.Lock()             # held while the job works or reports

    # -- lifecycle (GUI thread) ----------------------------------------------------

    def start_job(self, job: Job, pace: float | None = None) -> None:
        """Stop any previous job; start ``job`` paused, in its own thread (no report until it runs or changes)."""
        self.shutdown()
        self._job = job
        self._commands, self._gate, self._idle = queue.Queue(), threading.Event(), threading.Event()
        self._gate.set()
        self._lock = threading.Lock()
        signals = _Signals()                       # lives in the GUI thread, like self
        signals.reported.connect(self._on_reported)
        reports = self._loop(job, self._commands, self._gate, self._idle, self._lock, pace)
        thread = _Thread(reports, lambda item: signals.reported.emit(job, item))
        self._signals, self._thread = signals, thread
        thread.start()

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        """Stop the job and join its thread; True if it ended within ``timeout_ms``."""
        thread, signals = self._thread, self._signals
        if thread is None:
            return True
        self._commands.put(("stop",))
        ended = thread.wait(timeout_ms)
        if not ended:                              # a very long unit: never destroy a running QThread
            thread.wait()
        signals.reported.disconnect(self._on_reported)
        self._job = self._thread = self._signals = None
        self._set_running(False)
        return ended

    @property
    def job(self) -> Job | None:
        return self._job

    @property
    def thread(self) -> QThread | None:
        return self._thread

    @property
    def active(self) -> bool:
        return self._job is not None

    @property
    def is_running(self) -> bool:
        return self._running

    # -- commands (GUI thread) -------------------------------------------------------

    def run(self) -> None:
        if self._job is not None and not self._running:
            self._commands.put(("run",))
            self._set_running(True)

    def pause(self, wait: bool = False, timeout: float = 2.0) -> None:
        """Pause (a report of where it paused follows); with ``wait``, return once the worker is idle."""
        if self._job is None:
            return
        done = threading.Event() if wait else None
        self._commands.put(("pause", done))
        self._set_running(False)
        if done is not None:
            done.wait(timeout)
            self._idle.wait(timeout)

    def send(self, change: Callable[[Job], Any], report: bool = True) -> None:
        """Queue ``change(job)`` for the worker thread, between two units of work.

        ``report``: when paused, report the state after it (the views show the change).
        """
        if self._job is not None:
            self._commands.put(("do", change, report))

    def apply(self, change: Callable[[Job], Any]) -> None:
        """``change(job)`` safely: queued while running; at once (under the lock) when paused,
        followed by a report."""
        if self._job is None:
            return
        if self._running:
            self.send(change)
            return
        with self._lock:
            change(self._job)
        self.send(lambda job: None)

    def set_pace(self, units_per_second: float | None) -> None:
        """At most this many units of work a second (None: as fast as possible)."""
        if self._job is not None:
            self._commands.put(("pace", units_per_second))

    def wait_idle(self, timeout: float = 2.0) -> bool:
        """Block until the worker has served every queued command and is paused."""
        if self._job is None or self._running:
            return self._job is None
        done = threading.Event()
        self._commands.put(("sync", done))
        return done.wait(timeout) and self._idle.wait(timeout)

    def lock(self) -> threading.Lock:
        """The lock held while the job works (hold it to read the job's objects while paused)."""
        return self._lock

    # -- reports (GUI thread) ---------------------------------------------------------

    def deliver(self, report: Any) -> None:
        """Hand a report to the views (subclasses); runs on the GUI thread."""

    @Slot(object, object)
    def _on_reported(self, job: Job, item: tuple) -> None:
        if job is not self._job:
            return                                 # a late report of a job already replaced
        report, stopped_itself = item
        handled = True
        try:
            if stopped_itself:                     # diverged, finished, failed: it paused itself
                self._set_running(False)
            if isinstance(report, Failure):
                self.on_failure(report.message)
            else:
                self.deliver(report)
                handled = not self.paints_later
        finally:
            if handled:
                self.painted()

    def painted(self) -> None:
        """The views have handled the last report: the next one may come."""
        self._gate.set()
        self._commands.put(("wake",))

    def on_failure(self, message: str) -> None:
        """An error in the job (subclasses show it); the job is paused and keeps serving."""

    def _set_running(self, running: bool) -> None:
        if running != self._running:
            self._running = running
            self.runningChanged.emit(running)

    # -- the loop (worker thread) -----------------------------------------------------

    def _loop(self, job: Job, commands: "queue.Queue[tuple]", gate: threading.Event,
              idle: threading.Event, lock: threading.Lock, pace: float | None) -> Iterator[tuple]:
        """Serve commands and advance the job; yield (report, stopped by itself) when a report is
        due and the gate is open."""
        running, pending, stopped_itself = False, False, False
        last_report = due = 0.0
        while True:
            self.loop_running = running             # read-only for the GUI thread (tests, status)
            now = time.perf_counter()
            if pending and gate.is_set() and (not running or now - last_report >= self.min_interval):
                gate.clear()
                pending, last_report = False, now
                try:
                    with lock:                      # the GUI thread may change a paused job meanwhile
                        report = job.report(running)
                except Exception as error:          # never let a bug end the thread silently
                    running, report = False, self._failure(error)
                yield report, stopped_itself
                stopped_itself = False
                continue
            # wait for a command: paused, for ever; paced, until the next unit is due; else not at all
            wait = None if not running else max(due - now, 0.0) if pace else 0.0
            try:
                if wait is None:
                    idle.set()
                    command = commands.get()
                    idle.clear()
                else:
                    command = commands.get(timeout=wait) if wait > 0 else commands.get_nowait()
            except queue.Empty:
                command = None
            try:
                if command is not None:
                    name = command[0]
                    if name == "stop":
                        idle.set()
                        return
                    if name == "run" and not running:
                        with lock:
                            running = job.ready_to_run()
                        pending, stopped_itself = pending or not running, not running
                        due = time.perf_counter()
                    elif name == "pause":
                        running, pending = False, True
                        if command[1] is not None:
                            command[1].set()
                    elif name == "pace":
                        pace, due = command[1], time.perf_counter()
                    elif name == "do":
                        with lock:
                            command[1](job)
                        pending = pending or (command[2] and not running)
                    elif name == "sync":
                        command[1].set()
                elif running:
                    with lock:
                        keep_running = job.advance()
                    pending = True
                    if pace:
                        due = max(due + 1.0 / pace, time.perf_counter() - 0.25)
                    if not keep_running:
                        running, stopped_itself = False, True
            except Exception as error:              # report it, pause, keep serving
                running, pending = False, False
                yield self._failure(error), True

    @staticmethod
    def _failure(error: Exception) -> Failure:
        traceback.print_exc()
        return Failure(f"{type(error).__name__}: {error}")
