"""Landscapes computed by the app's one background worker; results delivered on the GUI thread.

    controller = LandscapeController(parent)
    controller.resultReady.connect(panel.show_result)     # GUI thread
    controller.submit(request)                            # returns at once
    controller.shutdown()                                 # stop + join

The controller is a ``gui.training.background.Background`` whose job never
runs on its own: each request is a command the worker thread serves (the
surface is computed there) and reports when done. The workspace submits again
when a result came back (``busy`` is False), i.e. at the rate the surfaces can
be made, so no backlog builds up.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from gui.landscape.job import LandscapeRequest, LandscapeResult, compute
from gui.training.background import Background


class LandscapeJob:
    """The worker-thread side: computes a request; its report is the latest result or message."""

    def __init__(self) -> None:
        self.result: LandscapeResult | str | None = None

    def compute(self, request: LandscapeRequest) -> None:
        try:
            self.result = compute(request)
        except (ValueError, FloatingPointError) as error:   # bad input: a one-line message
            self.result = str(error)

    def ready_to_run(self) -> bool:
        return False                      # nothing to do between requests

    def advance(self) -> bool:
        return False

    def report(self, running: bool) -> LandscapeResult | str | None:
        return self.result


class LandscapeController(Background):
    """GUI-thread owner of the landscape job. ``resultReady(LandscapeResult)``, ``failed(str)``;
    ``busy`` while a request is being computed."""

    resultReady = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.busy = False

    def submit(self, request: LandscapeRequest) -> None:
        if self.job is None:
            self.start_job(LandscapeJob())
        self.busy = True
        self.send(lambda job: job.compute(request))

    def shutdown(self, timeout_ms: int = 2000) -> bool:
        self.busy = False
        return super().shutdown(timeout_ms)

    def deliver(self, result: LandscapeResult | str | None) -> None:
        self.busy = False
        if isinstance(result, str):
            self.failed.emit(result)
        elif result is not None:
            self.resultReady.emit(result)

    def on_failure(self, message: str) -> None:
        self.busy = False
        self.failed.emit(message)
