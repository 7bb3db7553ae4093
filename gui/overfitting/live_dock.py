"""A panel in a dock, listed in the View menu, refreshed while visible at most twice a second."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QScrollArea, QWidget

from gui.workspace import WindowServices

REFRESH_MS = 500


class LiveDock:
    """``refresh()`` runs when the dock is shown, when the experiment changes, and — throttled
    to one call per ``REFRESH_MS`` — after painted snapshots, but only while it is visible."""

    def __init__(self, services: WindowServices, panel: QWidget, title: str, name: str,
                 tooltip: str, width: int, refresh: Callable[[], None]) -> None:
        scroll = QScrollArea(widgetResizable=True)       # fixed-size content scrolls, never overlaps
        scroll.setWidget(panel)
        self.dock = services.add_panel_dock(title, scroll, f"{name}Dock")
        self.dock.hide()                                  # until asked for (View menu)
        self._refresh = refresh
        self.dock.visibilityChanged.connect(self._shown)
        self._services, self._width = services, width
        self.action = self.dock.toggleViewAction()       # View ▸ <title>, listed by add_panel_dock
        self.action.setObjectName(f"action{name[0].upper()}{name[1:]}")
        self.action.setToolTip(tooltip)
        self._timer = QTimer(panel, singleShot=True, interval=REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        services.snapshotShown.connect(lambda _: self._timer.isActive() or self._timer.start())
        services.experimentChanged.connect(self.refresh)

    def _shown(self, visible: bool) -> None:
        if visible:
            self._services.reveal_dock(self.dock, self._width)
            self.refresh()

    def refresh(self) -> None:
        if self.dock.isVisible():
            self._refresh()
