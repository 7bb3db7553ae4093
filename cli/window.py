"""``python main.py`` / ``python main.py gui``: open the window, and end cleanly on signals.

Qt's event loop runs in C++, where Python's signal handlers never get a turn;
a timer gives them one a few times a second. Ctrl+C (SIGINT) and SIGTERM close
the windows — the main window saves its settings as it closes — and quit.
"""
from __future__ import annotations

import signal
import sys

SIGNAL_POLL_MS = 200


def run_gui(reset_settings: bool = False) -> int:
    from PySide6.QtCore import QTimer

    from gui.app import application, run

    app = application(sys.argv[:1])

    def close_all(signum, frame) -> None:
        app.closeAllWindows()
        app.quit()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, close_all)
    poll = QTimer(app)
    poll.timeout.connect(lambda: None)       # lets Python run the handlers above
    poll.start(SIGNAL_POLL_MS)
    return run(sys.argv[:1], reset_settings=reset_settings)
