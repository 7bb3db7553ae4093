"""Pacing a live run: repaints that never starve training (``FramePacer``), and the pace
of training itself — steps a second a class can follow (``Pace``, ``StepClock``)."""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QObject, QTimer

#: Shortest time between two frames (≈ 30 per second).
MIN_INTERVAL = 1.0 / 30.0


def share_interval(cost: float, share: float, shortest: float,
                   longest: float = math.inf) -> float:
    """Seconds from the start of one piece of work to the start of the next so that work
    costing ``cost`` seconds takes at most ``share`` of a thread's time:
    clamp(cost / share, ``shortest``, ``longest``)."""
    return min(max(cost / share, shortest), longest)


class FramePacer(QObject):
    """Repaints as often as the GUI thread can afford: at most ``budget`` of its CPU time.

    Painting runs Python (pyqtgraph, the views), and Python holds the GIL the
    training thread needs — so does Qt's own drawing when Python calls it (an
    item's ``paint``, a view's Python ``paintEvent``: PySide6 keeps the GIL
    through the C++ call; benchmarks/gil_paint.py) — so every millisecond
    painted is a millisecond not trained. ``request()`` says a new frame is ready; ``paint()`` is called at
    once if the last frame is at least ``interval`` old, else once, later, by a
    timer (the newest frame always gets painted). The interval adapts:
    interval = clamp(cost / budget, 1/30 s, max_interval), where cost is the GUI
    thread's CPU time per frame (an exponential moving average from the run's first frame).
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
            measured = cpu - self._last_cpu
            # the first measurement of a run is the estimate: averaged up from 0, the first
            # frames of every run came at 30 a second and took twice the budget for a second
            self.cost = measured if self.cost == 0.0 else 0.7 * self.cost + 0.3 * measured
            self.interval = share_interval(self.cost, self.budget, self.min_interval, self.max_interval)
        self._last_cpu, self._last_wall = cpu, wall
        self.paint()


# -- the pace of training: how many steps a second "Run" makes ------------------------------

@dataclass(frozen=True)
class Pace:
    """How fast Run trains: ``per_second`` steps of ``unit`` ("batch": one mini-batch,
    "epoch": one pass over the training set) a second; ``per_second`` None: as fast as
    the machine can (the worker trains epoch after epoch without waiting)."""

    name: str
    label: str
    unit: str = "epoch"
    per_second: float | None = None

    @property
    def fastest(self) -> bool:
        return self.per_second is None


PACES = (
    Pace("1-step", "1 step/s (slow motion)", "batch", 1.0),
    Pace("5-steps", "5 steps/s", "batch", 5.0),
    Pace("1-epoch", "1 epoch/s", "epoch", 1.0),
    Pace("5-epochs", "5 epochs/s", "epoch", 5.0),
    Pace("20-epochs", "20 epochs/s", "epoch", 20.0),
    Pace("100-epochs", "100 epochs/s", "epoch", 100.0),
    Pace("fastest", "as fast as possible"),
)
FASTEST = PACES[-1]
#: The window starts where the boundary and the loss can be followed by eye.
CLASSROOM_PACE = PACES[4]


def pace_named(name: str) -> Pace:
    """The pace called ``name``; ValueError naming the choices otherwise."""
    for pace in PACES:
        if pace.name == name:
            return pace
    raise ValueError(f"no pace {name!r}; choose one of {', '.join(p.name for p in PACES)}")


class StepClock(QObject):
    """Sends ``send(unit)`` at ``pace.per_second`` steps a second while started.

    A timer ticks every ``MIN_INTERVAL`` (≈ 30 a second) and sends the steps
    that are due: due(t) = ⌊rate · t⌋ + 1 after t seconds (the first at once), minus
    those sent. At most ``backlog`` = max(1, ⌈rate / 10⌉) may wait unanswered
    (``answered()``: a step's report came back); steps that fall due while the
    backlog is full are skipped, never piled up, so a slow machine trains slower
    instead of lagging behind the clicks.
    """

    def __init__(self, send: Callable[[str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._send = send
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self.pace: Pace | None = None
        self._start = 0.0
        self._sent = 0
        self.unanswered = 0

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def start(self, pace: Pace) -> None:
        if pace.fastest:
            raise ValueError("the clock paces a finite rate; run the worker freely instead")
        self.pace, self._start, self._sent, self.unanswered = pace, time.perf_counter(), 0, 0
        self._timer.start(round(1000 * MIN_INTERVAL))
        self._tick()

    def stop(self) -> None:
        self._timer.stop()

    def answered(self) -> None:
        self.unanswered = max(self.unanswered - 1, 0)

    def _tick(self) -> None:
        rate = self.pace.per_second
        backlog = max(1, math.ceil(rate / 10))
        due = math.floor(rate * (time.perf_counter() - self._start)) + 1
        self._sent = max(self._sent, due - backlog)         # skip what a full backlog missed
        while self._sent < due and self.unanswered < backlog and self._timer.isActive():
            self._sent += 1
            self.unanswered += 1
            self._send(self.pace.unit)
