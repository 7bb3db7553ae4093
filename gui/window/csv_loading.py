"""Big CSV files load on the background worker, with a progress dialog and Cancel.

    loading = CsvLoading(window, on_loaded=use_data, on_failed=show_error)
    loading.load("big.csv")      # returns at once; on_loaded(path, data) on the GUI thread later

``model.csv_data.csv_loading`` parses a file chunk by chunk; the job here
takes one chunk per unit of work, so Cancel (or closing the window) stops it
between two chunks and the previous data set stays. Small files load at once
(``BACKGROUND_BYTES``): a dialog flashing for a few milliseconds helps nobody.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable

from PySide6.QtWidgets import QProgressDialog, QWidget

from gui.training.background import Background
from model.csv_data import csv_loading
from model.datasets import Data

#: Files at least this big load in the background (about 25,000 rows of a few numbers).
BACKGROUND_BYTES = 1_000_000


def loads_in_background(path: str) -> bool:
    try:
        return os.path.getsize(path) >= BACKGROUND_BYTES
    except OSError:                # missing, unreadable: load_csv says why, at once
        return False


@dataclass(frozen=True)
class CsvProgress:
    """A report of the load: the share parsed, then the data or the problem."""

    path: str
    share: float
    data: Data | None = None
    error: str | None = None


class CsvLoadJob:
    """Worker-thread side: one chunk of the file per unit of work."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._loading = csv_loading(path)
        self._progress = CsvProgress(path, 0.0)

    def ready_to_run(self) -> bool:
        return self._progress.data is None and self._progress.error is None

    def advance(self) -> bool:
        try:
            self._progress = CsvProgress(self.path, next(self._loading))
        except StopIteration as done:
            self._progress = CsvProgress(self.path, 1.0, data=done.value)
        except (ValueError, OSError, MemoryError) as error:
            self._progress = CsvProgress(self.path, self._progress.share,
                                         error=str(error) if not isinstance(error, MemoryError) else
                                         "the file is too big for this computer's memory")
        return self.ready_to_run()

    def report(self, running: bool) -> CsvProgress:
        return self._progress


class CsvLoading(Background):
    """Loads one CSV at a time in the background behind a progress dialog with Cancel."""

    def __init__(self, parent: QWidget, on_loaded: Callable[[str, Data], None],
                 on_failed: Callable[[str, str], None], on_cancelled: Callable[[str], None]) -> None:
        super().__init__(parent, min_interval=1 / 10)
        self._on_loaded, self._on_failed, self._on_cancelled = on_loaded, on_failed, on_cancelled
        self.dialog = QProgressDialog(parent, objectName="csvProgress")
        self.dialog.setWindowTitle("Loading a CSV file")
        self.dialog.setRange(0, 100)
        self.dialog.setMinimumDuration(400)          # a quick load shows no dialog
        # not modal: a modal dialog's setValue re-enters the event loop; the window stays usable
        self.dialog.setAutoReset(False)              # reset (and hide) when the data is in use
        self.dialog.setMinimumWidth(360)
        self.dialog.canceled.connect(self.cancel)
        self.dialog.reset()

    def load(self, path: str) -> None:
        """Start loading ``path`` (a load under way is cancelled first)."""
        self.dialog.setLabelText(f"Reading {os.path.basename(path)}…")
        self.dialog.setValue(0)
        self.start_job(CsvLoadJob(path))
        self.run()

    @property
    def loading(self) -> bool:
        return self.job is not None

    def cancel(self) -> None:
        """Stop between two chunks; the previous data set stays."""
        job = self.job
        self.shutdown()
        self.dialog.reset()
        if job is not None:
            self._on_cancelled(job.path)

    def deliver(self, progress: CsvProgress) -> None:
        if progress.data is None and progress.error is None:
            self.dialog.setValue(round(100 * progress.share))
            return
        self.shutdown()
        self.dialog.reset()
        if progress.error is not None:
            self._on_failed(progress.path, progress.error)
        else:
            self._on_loaded(progress.path, progress.data)

    def on_failure(self, message: str) -> None:
        job = self.job
        self.shutdown()
        self.dialog.reset()
        self._on_failed(job.path if job else "", message)
