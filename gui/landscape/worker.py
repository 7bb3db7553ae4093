"""Landscapes computed by the app's one background worker; results delivered on the GUI thread.

    controller = LandscapeController(parent)
    controller.resultReady.connect(panel.show_result)     # GUI thread
    controller.submit(request)                            # returns at once
    controller.submit(other_request, work)                # any other computation: work(request)
    controller.shutdown()                                 # stop + join

A ``gui.training.requests.RequestController`` computing ``gui.landscape.job.compute``:
the workspace submits again when a result came back (``busy`` is False), i.e. at the
rate the surfaces can be made, so no backlog builds up.
"""
from __future__ import annotations

from PySide6.QtCore import QObject

from gui.landscape.job import compute
from gui.training.requests import RequestController


class LandscapeController(RequestController):
    """``resultReady(LandscapeResult)``, ``failed(str)``; ``busy`` while a surface is being made."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(compute, parent)
