"""Landscapes computed in a thread of their own; results delivered on the GUI thread.

    controller = LandscapeController(parent)
    controller.resultReady.connect(panel.show_result)     # GUI thread
    controller.submit(request)                            # returns at once
    controller.shutdown()                                 # stop + join

The worker (a parentless ``QObject`` moved to a ``QThread``, QT_NOTES.md) takes
requests from a ``queue.Queue`` and computes only the newest one waiting, so a
slow surface never builds a backlog: the GUI submits again when a result came
back, i.e. at the rate the surfaces can be made. The controller lives in the
GUI thread and re-emits the worker's results there.
"""
from __future__ import annotations

import queue
import traceback

from PySide6.QtCore import QObject, QThread, Signal, Slot

from gui.landscape.job import LandscapeRequest, compute


class LandscapeWorker(QObject):
    """Computes ``LandscapeResult``s; never touches a widget. Create without a parent."""

    finished = Signal(object)      # LandscapeResult, or a one-line message (str) on bad input
    STOP = None

    def __init__(self) -> None:
        super().__init__()
        self.requests: "queue.Queue[LandscapeRequest | None]" = queue.Queue()

    @Slot()
    def work(self) -> None:
        try:
            while True:
                request = self.requests.get()
                while request is not self.STOP and not self.requests.empty():
                    request = self.requests.get()          # only the newest counts
                if request is self.STOP:
                    return
                try:
                    self.finished.emit(compute(request))
                except (ValueError, FloatingPointError) as error:
                    self.finished.emit(str(error))
                except Exception as error:                  # never end the thread silently
                    traceback.print_exc()
                    self.finished.emit(f"{type(error).__name__}: {error}")
        finally:
            QThread.currentThread().quit()


class LandscapeController(QObject):
    """GUI-thread owner of the worker thread. ``resultReady(LandscapeResult)``,
    ``failed(str)``; ``busy`` while a request is being computed."""

    resultReady = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker: LandscapeWorker | None = None
        self._thread: QThread | None = None
        self.busy = False

    def submit(self, request: LandscapeRequest) -> None:
        if self._worker is None:
            worker, thread = LandscapeWorker(), QThread()
            thread.setObjectName("landscapeThread")
            worker.moveToThread(thread)
            worker.finished.connect(self._on_finished)
            thread.started.connect(worker.work)
            self._worker, self._thread = worker, thread
            thread.start()
        self.busy = True
        self._worker.requests.put(request)

    def shutdown(self) -> None:
        """Stop the worker and join its thread (safe to call twice)."""
        worker, thread = self._worker, self._thread
        if worker is None:
            return
        worker.requests.put(LandscapeWorker.STOP)
        thread.quit()
        thread.wait()           # a surface takes well under a second; never destroy a running QThread
        worker.finished.disconnect(self._on_finished)
        self._worker = self._thread = None
        self.busy = False

    @property
    def thread(self) -> QThread | None:
        return self._thread

    @Slot(object)
    def _on_finished(self, result) -> None:
        self.busy = False
        if isinstance(result, str):
            self.failed.emit(result)
        else:
            self.resultReady.emit(result)
