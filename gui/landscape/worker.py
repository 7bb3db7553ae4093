"""Landscapes computed by the app's one background worker; results delivered on the GUI thread.

    controller = LandscapeController(parent)
    controller.resultReady.connect(panel.show_result)     # GUI thread
    controller.submit(request)                            # returns at once
    controller.submit(other_request, work)                # any other computation: work(request)
    controller.shutdown()                                 # stop + join

The controller is a ``gui.training.background.Background`` whose job never
runs on its own: each request is a command the worker thread serves (the
surface is computed there) and reports when done. The workspace submits again
when a result came back (``busy`` is False), i.e. at the rate the surfaces can
be made, so no backlog builds up.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

from gui.landscape.job import compute
from gui.training.background import Background


class LandscapeJob:
    """The worker-thread side: computes a request; its report is the latest result or message."""

    def __init__(self) -> None:
        self.result: Any = None          # a result (e.g. ``LandscapeResult``) or a message

    def compute(self, request: Any, work: Callable[[Any], Any] = compute) -> None:
        try:
            self.result = work(request)
        except (ValueError, FloatingPointError) as error:   # bad input: a one-line message
            self.result = str(error)

    def ready_to_run(self) -> bool:
        return False                      # nothing to do between requests

    def advance(self) -> bool:
        return False

    def report(self, running: bool) -> Any:
        return self.result


class LandscapeController(Background):
    """GUI-thread owner of the landscape job. ``resultReady(result)``, ``failed(str)``;
    ``busy`` while a request is being computed."""

    resultReady = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.busy = False

    def submit(self, request: Any, work: Callable[[Any], Any] = compute) -> None:
        """Compute ``work(request)`` (default: a ``LandscapeRequest``'s surface) in the worker."""
        if self.job is None:
            self.start_job(LandscapeJob())
        self.busy = True
        self.send(lambda job: job.compute(request, work))

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        self.busy = False
        return super().shutdown(timeout_ms)

    def deliver(self, result: Any) -> None:
        self.busy = False
        if isinstance(result, str):
            self.failed.emit(result)
        elif result is not None:
            self.resultReady.emit(result)

    def on_failure(self, message: str) -> None:
        self.busy = False
        self.failed.emit(message)
