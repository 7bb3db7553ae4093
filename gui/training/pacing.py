"""Pacing the repaints of a live run so that painting never starves training."""
from __future__ import annotations

import time
from typing import Callable

from PySide6.QtCore import QObject, QTimer

#: Shortest time between two frames (≈ 30 per second).
MIN_INTERVAL = 1.0 / 30.0


class FramePacer(QObject):
    """Repaints as often as the GUI thread can afford: at most ``budget`` of its CPU time.

    Painting runs Python (pyqtgraph, the views), and Python holds the GIL the
    training thread needs, so every millisecond painted is a millisecond not
    trained. ``request()`` says a new frame is ready; ``paint()`` is called at
    once if the last frame is at least ``interval`` old, else once, later, by a
    timer (the newest frame always gets painted). The interval adapts:
    interval = clamp(cost / budget, 1/30 s, max_interval), where cost is the GUI
    thread's CPU time per frame (an exponential moving average).
    """

    def __init__(self, paint: Callable[[], None], budget: float = 0.15,
                 min_interval: float = MIN_INTERVAL, max_interval: float = 0.25,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.paint, self.budget = paint, budget
        self.min_interval, self.max_interval = min_interval, max_interval
        self.interval = min_interval
        self.cost = 0.0
        self._last_wall = -1e9
        self._last_cpu: float | None = None
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._fire)

    def request(self, immediate: bool = False) -> None:
        wait = self._last_wall + self.interval - time.perf_counter()
        if immediate or wait <= 0:
            self._fire()
        elif not self._timer.isActive():
            self._timer.start(int(wait * 1000) + 1)

    def cancel(self) -> None:
        """Drop a scheduled frame and forget the measurements (a new run starts afresh)."""
        self._timer.stop()
        self._last_cpu = None
        self.cost, self.interval = 0.0, self.min_interval

    def _fire(self) -> None:
        self._timer.stop()
        cpu, wall = time.thread_time(), time.perf_counter()
        # only frames that follow each other measure the cost of painting (not idle or other work)
        if self._last_cpu is not None and wall - self._last_wall <= 2 * self.interval + 0.05:
            self.cost = 0.7 * self.cost + 0.3 * (cpu - self._last_cpu)
            self.interval = min(max(self.cost / self.budget, self.min_interval), self.max_interval)
        self._last_cpu, self._last_wall = cpu, wall
        self.paint()
