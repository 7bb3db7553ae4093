"""The recurrent workspace joins the main window (``gui.workspace``): Tools ▸ Recurrent network….

    window.add_workspace(RecurrentMode)

It opens its own window (the main window's data are points in a plane, not
sequences); closing the main window closes it and stops its training thread.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction

from gui.recurrent.window import RecurrentWindow
from gui.workspace import WindowServices


class RecurrentMode(QObject):
    def __init__(self, services: WindowServices) -> None:
        super().__init__(services.widget())
        self.setObjectName("recurrentOpener")
        self.services = services
        self.window: RecurrentWindow | None = None
        self.action = QAction("Recurrent network…", services.widget(), objectName="actionRecurrent")
        self.action.setStatusTip("Train an RNN on a sequence, unrolled through time, and watch gradients vanish")
        self.action.triggered.connect(self.open)
        services.add_action(self.action, menu="tools")
        services.closing.connect(self._close_window)

    def open(self) -> RecurrentWindow:
        if self.window is None:
            self.window = RecurrentWindow(self.services.widget())
            self.window.setWindowFlag(Qt.WindowType.Window, True)
        self.window.show()
        return self.window

    def _close_window(self) -> None:
        if self.window is not None:
            self.window.close()
