"""Start the GUI: ``gui.app.run(argv)`` creates the QApplication, shows the main window, runs."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Sequence

from PySide6.QtWidgets import QApplication

STYLE = Path(__file__).resolve().parent.parent / "resources" / "style.qss"


def application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication (created once), with the app's names and style sheet."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv) if argv is not None else sys.argv[:1])
        app.setApplicationName("Backprop Studio")
        app.setOrganizationName("BackpropStudio")
        app.setApplicationDisplayName("Backprop Studio")
        if STYLE.is_file():
            app.setStyleSheet(STYLE.read_text(encoding="utf-8"))
    return app


def run(argv: Sequence[str] | None = None) -> int:
    """Show the main window and run the event loop; returns the exit code."""
    app = application(argv if argv else None)
    import pyqtgraph as pg
    pg.setConfigOptions(antialias=True)
    from .main_window import MainWindow
    window = MainWindow()
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(run(sys.argv))
