"""The comparison as a workspace of the main window (see ``gui.workspace``).

    window.add_workspace(CompareMode)   # Tools ▸ Compare side by side… (Ctrl+K) and a toolbar button,
                                        # Tools ▸ Train from 9 seeds… (the Solutions tab)

The comparison starts from the main window's current setting, varying
activation × learning rate by default. “Open” on a run (or a double-click in
the ranking) loads that run's setting and current weights into the main
window — to inspect it, or walk through one step of it. Closing the main
window closes the comparison (its worker thread is stopped and joined).
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QStyle, QWidget

from gui.compare.window import CompareWindow
from gui.workspace import WindowServices
from model.config import ExperimentConfig
from model.minima import seeds
from model.variations import Variation

SEEDS = 9


class CompareMode(QObject):
    """Owns the (single) comparison window of one main window, and the action that opens it."""

    def __init__(self, services: WindowServices) -> None:
        super().__init__(services.widget())
        self.setObjectName("compareOpener")
        self.services = services
        self.window: CompareWindow | None = None
        action = self.action = QAction("Compare side by side…", services.widget(),
                                       objectName="actionCompare")
        action.setShortcut(QKeySequence("Ctrl+K"))
        action.setIconText("Compare")
        action.setIcon(services.widget().style().standardIcon(
            QStyle.StandardPixmap.SP_FileDialogDetailedView))
        action.setToolTip("Train this setting with several activations or learning rates side "
                          "by side, from the same initial weights (Ctrl+K)")
        action.setStatusTip("Compare runs that differ in one or two settings")
        action.triggered.connect(lambda: self.open())
        services.add_action(action, menu="tools", toolbar=True)
        seeds_action = self.seeds_action = QAction(f"Train from {SEEDS} seeds…", services.widget(),
                                                   objectName="actionTrainFromSeeds")
        seeds_action.setToolTip(f"Train this setting from {SEEDS} different initial weights side by "
                                "side: which solutions do they end in, and is there a barrier "
                                "between them?")
        seeds_action.triggered.connect(lambda: self.open_seeds())
        services.add_action(seeds_action, menu="tools")
        services.closing.connect(self._close_window)
        services.add_opener("compare", self.open)

    def open_seeds(self) -> CompareWindow:
        """The comparison of the current setting from ``SEEDS`` seeds, its Solutions tab shown."""
        window = self.open([seeds(SEEDS, self.services.config.seed)])
        window.tabs.setCurrentWidget(window.solutions)
        return window

    def open(self, variations: list[Variation] | None = None) -> CompareWindow:
        """Show the comparison for the main window's current setting (rebuilt if it or the asked
        ``variations`` changed)."""
        config = self.services.config
        if self.window is None:
            self.window = CompareWindow(config, variations, show_open=True, parent=self.services.widget())
            self.window.setWindowFlag(Qt.WindowType.Window, True)
            self.window.openRequested.connect(self.load_into_main)
        elif variations is not None and tuple(variations) != self.window.comparison.variations:
            self.window.build(config, variations)
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
            self.services.load_config(config, params)
        except ValueError as error:
            if self.window is not None:
                self.window.statusBar().showMessage(f"Could not open the run: {error}", 8000)
            return
        bring_to_front(self.services.widget())

    def _close_window(self) -> None:
        if self.window is not None:
            self.window.close()


def bring_to_front(window: QWidget) -> None:
    """Raise and focus a window (the offscreen platform has no stacking and warns if asked)."""
    if QGuiApplication.platformName() != "offscreen":
        window.raise_()
        window.activateWindow()
