"""A workspace that opens its own top-level window from the Tools menu (convolution, recurrent):
one window per main window, made on first use; closing the main window closes it (and so
stops its training)."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from gui.workspace import WindowServices


class OwnWindowWorkspace(QObject):
    """Owns the action (Tools menu) and the single window it opens."""

    def __init__(self, services: WindowServices, make_window: Callable[[QWidget], QWidget], text: str,
                 name: str, tip: str) -> None:
        super().__init__(services.widget())
        self.setObjectName(f"{name}Opener")
        self.services = services
        self._make_window = make_window
        self.window = None
        self.action = QAction(text, services.widget(), objectName=f"action{name[0].upper()}{name[1:]}")
        self.action.setToolTip(tip)
        self.action.setStatusTip(tip)
        self.action.triggered.connect(self.open)
        services.add_action(self.action, menu="tools")
        services.closing.connect(self._close_window)
        services.add_opener(name, self.open)

    def open(self):
        if self.window is None:
            self.window = self._make_window(self.services.widget())
            self.window.setWindowFlag(Qt.WindowType.Window, True)
        self.window.show()
        return self.window

    def _close_window(self) -> None:
        if self.window is not None:
            self.window.close()
