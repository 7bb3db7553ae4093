"""Start the GUI: ``gui.app.run(argv)`` creates the QApplication, shows the main window, runs."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Sequence

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication


#: Names a file the app writes once its window is shown and its event loop runs.
READY_FILE_VARIABLE = "BACKPROP_STUDIO_READY_FILE"


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
    ready_file = os.environ.get(READY_FILE_VARIABLE)
    if ready_file:      # for scripts and tests that drive the app: the event loop is running
        QTimer.singleShot(0, lambda: Path(ready_file).write_text("ready\n"))
    return app.exec()


if __name__ == "__main__":
    sys.exit(run(sys.argv))
