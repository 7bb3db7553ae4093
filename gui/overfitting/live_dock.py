"""A panel in a dock, listed in the View menu, refreshed while visible at most twice a second."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QScrollArea, QWidget

from gui.window.controls_aside import ControlsAside
from gui.workspace import WindowServices

REFRESH_MS = 500
#: Opening the dock hides the Controls when it leaves the network diagram fewer screen pixels a
#: node column (presenter scale included): at 1024 × 768 the distributions dock left three
#: layers of 16 an 80-px diagram. Closing the dock gives them back.
MIN_COLUMN_WIDTH = 70
SETTLE_MS = 150     # the diagram's width is judged this long after its last resize


class _Settled(QObject):
    """Calls ``then`` once ``widget`` has gone SETTLE_MS without a resize after ``start()``
    (a debounce; it lives and dies with ``widget``)."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self.timer = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self.timer.timeout.connect(then)
        widget.installEventFilter(self)

    def start(self) -> None:
        self.timer.start()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt)
        if event.type() == QEvent.Type.Resize and self.timer.isActive():
            self.timer.start()
        return False


class LiveDock:
    """``refresh()`` runs when the dock is shown, when the experiment changes, and — throttled
    to one call per ``REFRESH_MS`` — after painted snapshots, but only while it is visible.
    A dock that leaves the diagram too little room hides the Controls while it is open."""

    def __init__(self, services: WindowServices, panel: QWidget, title: str, name: str,
                 tooltip: str, width: int, refresh: Callable[[], None]) -> None:
        scroll = QScrollArea(widgetResizable=True)       # fixed-size content scrolls, never overlaps
        scroll.setWidget(panel)
        self.dock = services.add_panel_dock(title, scroll, f"{name}Dock")
        self.dock.hide()                                  # until asked for (View menu)
        self._refresh = refresh
        self.dock.visibilityChanged.connect(self._shown)
        self._services, self._width = services, width
        self._controls_aside = ControlsAside(services, "Controls hidden to make room (View ▸ Controls)")
        # the room is judged once the diagram's width has settled after the dock opened
        self._settled = _Settled(services.network_view, self._make_room)
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
            self._settled.start()
            self.refresh()
        else:
            self._controls_aside.give_back()

    def _make_room(self) -> None:
        """Hide the Controls if the open dock leaves the diagram less than MIN_COLUMN_WIDTH a
        column."""
        if self.dock.isVisible():
            self._controls_aside.make_room(MIN_COLUMN_WIDTH)

    def refresh(self) -> None:
        if self.dock.isVisible():
            self._refresh()
