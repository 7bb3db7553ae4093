"""Hooks the comparison window into the main window.

    install_compare(main_window)   # Tools ▸ Compare side by side… (Ctrl+K) and a toolbar button

The comparison starts from the main window's current setting, varying
activation × learning rate by default. “Open” on a run (or a double-click in
the ranking) loads that run's setting and current weights into the main
window — to inspect it, or walk through one step of it. Closing the main
window closes the comparison (its worker thread is stopped and joined).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QStyle, QWidget

from model.config import ExperimentConfig

from gui.compare.window import CompareWindow

if TYPE_CHECKING:
    from gui.main_window import MainWindow


class CompareOpener(QObject):
    """Owns the (single) comparison window of one main window."""

    def __init__(self, main: "MainWindow"):
        super().__init__(main)
        self.setObjectName("compareOpener")
        self.main = main
        self.window: CompareWindow | None = None
        main.installEventFilter(self)

    def open(self) -> CompareWindow:
        """Show the comparison for the main window's current setting (rebuilt if it changed)."""
        config = self.main.config
        if self.window is None:
            self.window = CompareWindow(config, show_open=True, parent=self.main)
            self.window.setWindowFlag(Qt.WindowType.Window, True)
            self.window.openRequested.connect(self.load_into_main)
        elif self.window.config != config or not self.window.controller.active:
            self.window.set_base_config(config)
        self.window.show()
        bring_to_front(self.window)
        if self.window.train and not self.window.controller.is_running:
            self.window.run()
        return self.window

    def load_into_main(self, config: ExperimentConfig, params: np.ndarray) -> None:
        """The main window takes over one run: its setting and its weights."""
        try:
            self.main.load_config(config, params)
        except ValueError as error:
            if self.window is not None:
                self.window.statusBar().showMessage(f"Could not open the run: {error}", 8000)
            return
        bring_to_front(self.main)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:   # noqa: N802 (Qt)
        if watched is self.main and event.type() == QEvent.Type.Close and self.window is not None:
            self.window.close()
        return False


def bring_to_front(window: QWidget) -> None:
    """Raise and focus a window (the offscreen platform has no stacking and warns if asked)."""
    if QGuiApplication.platformName() != "offscreen":
        window.raise_()
        window.activateWindow()


def install_compare(window: "MainWindow") -> QAction:
    """Add “Compare side by side…” (Ctrl+K) to the Tools menu and the main toolbar."""
    opener = CompareOpener(window)
    action = QAction("Compare side by side…", window, objectName="actionCompare")
    action.setShortcut(QKeySequence("Ctrl+K"))
    action.setIconText("Compare")
    action.setIcon(window.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView))
    action.setToolTip("Train this setting with several activations or learning rates side by side, "
                      "from the same initial weights (Ctrl+K)")
    action.setStatusTip("Compare runs that differ in one or two settings")
    action.triggered.connect(opener.open)
    window.tools_menu.addAction(action)
    window.main_toolbar.addAction(action)
    window.compare_opener = opener
    return action
