"""A one-line text progress bar for the headless commands."""
from __future__ import annotations

import sys
import time
from typing import Any


class ProgressBar:
    """[#####.....]  40%  text — one line on stderr, redrawn at most 10 times a second."""

    def __init__(self, total: int, width: int = 30, stream=None):
        self.total, self.width = max(total, 1), width
        self.stream = stream if stream is not None else sys.stderr
        self._last = 0.0

    def update(self, done: int, text: str) -> None:
        now = time.perf_counter()
        if done < self.total and now - self._last < 0.1:
            return
        self._last = now
        filled = int(self.width * done / self.total)
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] "
                          f"{100 * done // self.total:3d}%  {text}   ")
        self.stream.flush()

    def finish(self) -> None:
        """End the line, so what follows starts on a fresh one."""
        self.stream.write("\n")
        self.stream.flush()


def train_with_progress(trainer: Any, epochs: int, quiet: bool) -> tuple[Any, float]:
    """Run ``trainer`` for ``epochs`` with a bar (unless ``quiet``); the last snapshot and the
    seconds it took. A divergence is printed to stderr."""
    started = time.perf_counter()
    snapshot = trainer.snapshot()
    bar = None if quiet else ProgressBar(epochs)
    for snapshot in trainer.run(epochs=epochs):
        if bar:
            bar.update(snapshot.epoch, f"epoch {snapshot.epoch}  loss {snapshot.train_loss:.4f}")
    if bar:
        bar.finish()
    if snapshot.diverged:
        print(snapshot.divergence.message, file=sys.stderr)
    return snapshot, time.perf_counter() - started
