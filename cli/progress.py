"""A one-line text progress bar for the headless commands."""
from __future__ import annotations

import sys
import time


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
