"""File ▸ Open recent: the last files opened or saved (sessions, CSVs), kept between launches."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu, QWidget

KEY = "files/recent"
LIMIT = 8


class RecentFiles:
    """A submenu of recent paths; choosing one calls ``open_path(path)``."""

    def __init__(self, settings: QSettings, open_path: Callable[[str], object],
                 parent: QWidget | None = None):
        self.settings, self.open_path = settings, open_path
        self.menu = QMenu("Open recent", parent, objectName="menuRecentFiles")
        self._fill()

    def paths(self) -> list[str]:
        stored = self.settings.value(KEY) or []
        return [str(p) for p in ([stored] if isinstance(stored, str) else stored)][:LIMIT]

    def add(self, path: str) -> None:
        """Put ``path`` first (once)."""
        path = str(Path(path).resolve())
        paths = [path] + [p for p in self.paths() if p != path]
        self.settings.setValue(KEY, paths[:LIMIT])
        self._fill()

    def _fill(self) -> None:
        self.menu.clear()
        paths = self.paths()
        for path in paths:
            action = self.menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda checked=False, p=path: self.open_path(p))
        self.menu.setEnabled(bool(paths))
