"""``python main.py`` / ``python main.py gui``: open the window, and end cleanly on signals.

Qt's event loop runs in C++, where Python's signal handlers never get a turn;
a timer gives them one a few times a second. Ctrl+C (SIGINT) and SIGTERM close
the windows — the main window saves its settings as it closes — and quit.

Before Qt is loaded, ``cli.display_check`` looks for a display and for the
system libraries Qt needs: without them the command says in one line what is
missing and how to install it (exit status 1) instead of Qt's abort.
"""
from __future__ import annotations

import signal
import sys

SIGNAL_POLL_MS = 200


def run_gui(reset_settings: bool = False) -> int:
    from .display_check import import_problem, window_problem

    problem = window_problem()
    if problem is None:
        try:
            from PySide6.QtCore import QTimer

            from gui.app import application, run
        except ImportError as error:
            problem = import_problem(error)
    if problem is not None:
        print(f"error: {problem}", file=sys.stderr)
        return 1

    app = application(sys.argv[:1])

    def finish() -> None:
        app.closeAllWindows()
        app.quit()

    def close_all(signum, frame) -> None:
        # through the event loop: a signal that arrives while the window is still being built
        # (before app.exec) would otherwise be lost, and the window would stay open
        QTimer.singleShot(0, app, finish)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, close_all)
    poll = QTimer(app)
    poll.timeout.connect(lambda: None)       # lets Python run the handlers above
    poll.start(SIGNAL_POLL_MS)
    return run(sys.argv[:1], reset_settings=reset_settings)
