"""The live check's numbers, measured off the GUI thread.

Each painted snapshot becomes a *measurement*: a function of no arguments closing over copies
(the setting, a network to load the snapshot's parameters into, the loss history, the data)
that calls ``model.lessons``' quantity function for the lesson's workspace — the same function
the headless ``lessons --check`` uses (``gui.lessons.sources`` makes them). ``LiveCheck`` runs
them on the app's background worker (``gui.training.requests``), one at a time: while one runs,
only the newest waiting measurement is kept, so checking never slows training or piles up.
``measured(serial, quantities)`` arrives on the GUI thread; ``serial`` is what ``submit``
returned.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from PySide6.QtCore import QObject, Signal

from gui.training.requests import RequestController

Measurement = Callable[[], dict]


@dataclass(frozen=True)
class _Request:
    serial: int
    measure: Measurement


def _run(request: _Request) -> tuple[int, dict]:
    with np.errstate(all="ignore"):              # a diverged run's numbers are part of the answer
        return request.serial, request.measure()


class LiveCheck(QObject):
    """``submit(measurement)`` → serial; ``measured(serial, quantities)``; ``failed(message)``."""

    measured = Signal(int, object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker = RequestController(_run, self)
        self._worker.resultReady.connect(self._on_result)
        self._worker.failed.connect(self._on_failed)
        self._serial = 0
        self._waiting: _Request | None = None

    @property
    def busy(self) -> bool:
        return self._worker.busy

    @property
    def next_serial(self) -> int:
        """The serial the next ``submit`` returns."""
        return self._serial + 1

    def submit(self, measure: Measurement) -> int:
        self._serial += 1
        request = _Request(self._serial, measure)
        if self._worker.busy:
            self._waiting = request                 # only the newest waits
        else:
            self._worker.submit(request)
        return self._serial

    def shutdown(self) -> None:
        self._waiting = None
        self._worker.shutdown()

    def _next(self) -> None:
        if self._waiting is not None and not self._worker.busy:
            request, self._waiting = self._waiting, None
            self._worker.submit(request)

    def _on_result(self, result: tuple[int, dict]) -> None:
        serial, quantities = result
        self.measured.emit(serial, quantities)
        self._next()

    def _on_failed(self, message: str) -> None:
        self.failed.emit(message)
        self._next()


def measurement(template, snapshot, quantities: Callable[[object], dict]) -> Measurement:
    """``quantities(net)`` for ``snapshot``: ``template`` (a network of the run's shape, never
    changed) is copied and given the snapshot's parameters in the worker thread."""
    def measure() -> dict:
        net = template.copy()
        net.load_state(snapshot.state())
        return quantities(net)
    return measure
