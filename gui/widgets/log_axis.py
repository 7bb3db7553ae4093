"""An axis whose logarithmic scale labels 1, 2 and 5 of each decade, not all nine.

pyqtgraph labels every minor tick of a log axis that has room by its fill rule; with
log spacing 0.6, 0.7, 0.8 and 0.9 crowd the top of each decade and their labels run into
each other on a short plot. The tick marks stay; only their labels thin out.
"""
from __future__ import annotations

import math

import pyqtgraph as pg

LABELLED_MANTISSAS = (1, 2, 5)


class LogAxis(pg.AxisItem):
    """``pg.AxisItem`` that, in log mode, writes only the 1-2-5 ticks of each decade."""

    def logTickStrings(self, values, scale, spacing):   # noqa: N802 (pyqtgraph's name)
        strings = super().logTickStrings(values, scale, spacing)
        return [text if round(10 ** (value - math.floor(value)), 6) in LABELLED_MANTISSAS else ""
                for value, text in zip(values, strings)]
