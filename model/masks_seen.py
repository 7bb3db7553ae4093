"""Which units the dropout masks of each training sample's latest step kept.

The network view shows the followed sample's mask (``Snapshot.dropout_mask_of``); the
``Trainer`` notes every step's masks here when ``remember_masks`` is on.
"""
from __future__ import annotations

import numpy as np

Array = np.ndarray


class _EpochMasks:
    """One epoch's masks in the order it visits the samples: row k is the k-th sample visited."""

    def __init__(self, order: Array, units: list[int | None]):
        self.order = order
        self.masks = [None if u is None else np.empty((len(order), u)) for u in units]
        self.steps = np.zeros(len(order), dtype=np.int64)
        self.filled = 0          # positions noted so far

    def scatter(self, kept: list, steps: Array) -> None:
        """Write the noted rows into ``kept`` (by sample row) and ``steps``."""
        rows = self.order[:self.filled]
        for mine, into in zip(self.masks, kept):
            if into is not None:
                into[rows] = mine[:self.filled] > 0
        steps[rows] = self.steps[:self.filled]


class MasksSeen:
    """Per training sample, which units the dropout masks of its latest step kept.

    Each step copies its masks into the epoch's buffer by position (``note``: a slice, the
    cheap part that runs every step); ``snapshot()`` scatters them to sample rows — the
    previous epoch's first, then this epoch's so far — and returns (kept, steps): kept[c]
    (n_train, units) bool for every node column c with dropout (None elsewhere), aligned
    with ``a``; steps (n_train,) the step that drew each row's masks (0: not trained on yet).
    """

    def __init__(self, masks, n_train: int):
        self._units = [None if m is None else m.shape[-1] for m in masks]
        self._columns = [c for c, m in enumerate(masks) if m is not None]     # with dropout
        self._n = n_train
        self._previous: _EpochMasks | None = None
        self._current: _EpochMasks | None = None

    def note(self, order: Array, start: int, stop: int, masks, step: int) -> None:
        """masks[c] (stop − start, units) of step ``step``, which trained on the samples at
        positions start … stop − 1 of the epoch's ``order``."""
        current = self._current
        if current is None or current.order is not order:       # a new epoch began
            self._previous, current = current, _EpochMasks(order, self._units)
            self._current = current
        for column in self._columns:
            current.masks[column][start:stop] = masks[column]
        current.steps[start:stop] = step
        current.filled = stop

    def snapshot(self) -> tuple[tuple[Array | None, ...], Array]:
        """(kept per column, steps) as read-only arrays."""
        kept = [None if u is None else np.ones((self._n, u), dtype=bool) for u in self._units]
        steps = np.zeros(self._n, dtype=np.int64)
        for epoch in (self._previous, self._current):
            if epoch is not None:
                epoch.scatter(kept, steps)
        for array in (*kept, steps):
            if array is not None:
                array.flags.writeable = False         # fresh arrays: no need to copy them again
        return tuple(kept), steps
