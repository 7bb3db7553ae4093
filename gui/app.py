"""Start the GUI: ``gui.app.run(argv)`` creates the QApplication, shows the main window, runs."""
from __future__ import annotations

import sys
from typing import Sequence

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication


def application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication (created once), with the app's names and style sheet."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv) if argv is not None else sys.argv[:1])
        app.setApplicationName("Backprop Studio")
        app.setOrganizationName("BackpropStudio")
        app.setApplicationDisplayName("Backprop Studio")
    return app


def run(argv: Sequence[str] | None = None, reset_settings: bool = False) -> int:
    """Show the main window and run the event loop; returns the exit code.

    ``reset_settings`` forgets the saved layout and setting first.
    """
    app = application(argv if argv else None)
    if reset_settings:
        QSettings().clear()
    import pyqtgraph as pg
    pg.setConfigOptions(antialias=True)
    from gui.main_window import MainWindow
    window = MainWindow()
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(run(sys.argv))
