"""Requests computed by the app's one background worker; results delivered on the GUI thread.

    controller = RequestController(compute, parent)
    controller.resultReady.connect(panel.show_result)     # GUI thread
    controller.submit(request)                            # returns at once
    controller.submit(other_request, work)                # any other computation: work(request)
    controller.shutdown()                                 # stop + join

The controller is a ``gui.training.background.Background`` whose job never runs on
its own: each request is a command the worker thread serves — ``compute(request)``
runs there, on immutable inputs or copies, never touching a widget — and reports
when done. The caller submits again when a result came back (``busy`` is False),
i.e. at the rate results can be made, so no backlog builds up. A ``ValueError`` or
``FloatingPointError`` from ``compute`` becomes ``failed(message)``. The loss
landscape (``gui.landscape.worker``) and the lessons' live check use it.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

from gui.training.background import Background


class _Failure(str):
    """A one-line message in place of a result."""


class RequestJob:
    """The worker-thread side: computes a request; its report is the latest result or message."""

    def __init__(self) -> None:
        self.result: Any = None

    def compute(self, request: Any, work: Callable[[Any], Any]) -> None:
        try:
            self.result = work(request)
        except (ValueError, FloatingPointError) as error:   # bad input: a one-line message
            self.result = _Failure(error)

    def ready_to_run(self) -> bool:
        return False                      # nothing to do between requests

    def advance(self) -> bool:
        return False

    def report(self, running: bool) -> Any:
        return self.result


class RequestController(Background):
    """GUI-thread owner of a request job. ``resultReady(result)``, ``failed(str)``; ``busy``
    while a request is being computed."""

    resultReady = Signal(object)
    failed = Signal(str)

    def __init__(self, compute: Callable[[Any], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._compute = compute
        self.busy = False

    def submit(self, request: Any, work: Callable[[Any], Any] | None = None) -> None:
        """Compute ``work(request)`` in the worker (default: the controller's ``compute``)."""
        if self.job is None:
            self.start_job(RequestJob())
        self.busy = True
        work = work or self._compute
        self.send(lambda job: job.compute(request, work))

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        self.busy = False
        return super().shutdown(timeout_ms)

    def deliver(self, result: Any) -> None:
        self.busy = False
        if isinstance(result, _Failure):
            self.failed.emit(str(result))
        elif result is not None:
            self.resultReady.emit(result)

    def on_failure(self, message: str) -> None:
        self.busy = False
        self.failed.emit(message)
