"""Opening a data file: File ▸ Open CSV…, File ▸ Open recent, and a file dropped on the window.

    opening = FileOpening(services)     # adds Open CSV… (Ctrl+O) and Open recent to File
    opening.open_path("iris.csv")       # a CSV trains; a session file (``model.session``) opens

A small CSV loads at once; a big one (``csv_loading.BACKGROUND_BYTES``) loads in the background
behind a progress dialog with Cancel. A file that cannot be read, or whose task the setting
cannot train, shows a message naming the problem, and the previous data set stays. Every file
opened (or saved, through ``WindowServices.remember_file``) is listed first in Open recent.
"""
from __future__ import annotations

import os

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QFileDialog

from gui.window.actions import make_action
from gui.window.csv_loading import CsvLoading, loads_in_background
from gui.window.recent import RecentFiles
from gui.window.session_files import open_session_from
from gui.workspace import WindowServices
from model.csv_data import load_csv
from model.datasets import Data
from model.session import SUFFIX as SESSION_SUFFIX


class FileOpening(QObject):
    """Opens CSV and session files for the window: the Open CSV… action, Open recent, drops."""

    def __init__(self, services: WindowServices) -> None:
        window = services.widget()
        super().__init__(window)
        self._services = services
        self.action = make_action(window, "actionOpenCsv", "Open CSV…", "Ctrl+O",
                                  "Train on a numeric CSV file", self.open_csv)
        services.add_action(self.action, menu="file")
        self.recent_files = RecentFiles(services.settings.qsettings, self.open_path, window)
        services.add_action(self.recent_files.menu.menuAction(), menu="file")
        self.csv_loading = CsvLoading(
            window, on_loaded=self._use_csv, on_failed=self._csv_failed,
            on_cancelled=lambda path: services.show_status(
                f"Loading {os.path.basename(path)} cancelled: the previous data set is kept.", 6000))
        window.setAcceptDrops(True)                 # a CSV or session dropped on the window opens
        window.installEventFilter(self)
        services.closing.connect(self.csv_loading.shutdown)

    def choose_csv_path(self) -> str:
        """Ask for a CSV file (tests replace this method)."""
        path, _ = QFileDialog.getOpenFileName(self._services.widget(), "Open a CSV file", "",
                                              "CSV files (*.csv *.txt);;All files (*)")
        return path

    def open_csv(self) -> None:
        path = self.choose_csv_path()
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        """Open a session file (by its suffix) or a CSV file; True if it opened (or, for a big
        CSV, started loading)."""
        if not path.endswith(SESSION_SUFFIX):
            return self.open_csv_file(path)
        opened = open_session_from(self._services, path)
        if opened:
            self.remember(path)
        return opened

    def remember(self, path: str) -> None:
        """List ``path`` first in File ▸ Open recent."""
        self.recent_files.add(path)

    def open_csv_file(self, path: str) -> bool:
        """Train on the CSV at ``path``; on a problem say why and keep the data (False). A big
        file loads in the background behind a progress dialog with Cancel (True: it started)."""
        if loads_in_background(path):
            self.csv_loading.load(path)
            return True
        try:
            data = load_csv(path)
        except (ValueError, OSError) as error:
            self._csv_failed(path, str(error))
            return False
        return self._use_csv(path, data)

    def _use_csv(self, path: str, data: Data) -> bool:
        services = self._services
        try:
            config = services.config.replace(csv_path=path, csv_target=None).with_task_outputs(data.task)
            services.load_config(config, data=data)
        except (ValueError, OSError) as error:
            self._csv_failed(path, str(error))
            return False
        self.remember(path)
        services.show_status(f"Loaded {data.name}: {data.n_samples:,} samples, "
                             f"{data.n_features} inputs, {data.task}", 6000)
        return True

    def _csv_failed(self, path: str, message: str) -> None:
        self._services.show_error("Could not load the CSV file",
                                  f"{message}\n\nThe previous data set is kept.")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:   # noqa: N802 (Qt)
        """A CSV or session file dropped on the window opens (the first of several)."""
        if event.type() == QEvent.Type.DragEnter:
            urls = event.mimeData().urls()
            if event.mimeData().hasUrls() and all(url.isLocalFile() for url in urls):
                event.acceptProposedAction()
            else:
                event.ignore()
            return True
        if event.type() == QEvent.Type.Drop:
            urls = event.mimeData().urls()
            if urls and urls[0].isLocalFile():
                event.acceptProposedAction()
                self.open_path(urls[0].toLocalFile())
            return True
        return False
