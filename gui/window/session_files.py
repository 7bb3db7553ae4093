"""File ▸ Save session… / Open session…: the whole session, to be trained on where it stopped.

The file format is ``model.session``'s: the setting, the weights, the
optimizer's state, batch norm's statistics, the trainer's batch order and
dropout-mask generators, the data (a CSV's rows included) and the loss
history. Saving pauses training first, so the file holds one consistent
moment. Opening builds the whole session before anything changes: a damaged
or foreign file shows one line naming the file, and the current session is
kept.
"""
from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QWidget

from gui.workspace import WindowServices
from model.session import SUFFIX, open_session, save_session

FILTER = f"Backprop Studio sessions (*{SUFFIX});;All files (*)"


def choose_save_path(parent: QWidget) -> str:
    """Ask where to save (tests replace this function)."""
    path, _ = QFileDialog.getSaveFileName(parent, "Save the session", f"session{SUFFIX}", FILTER)
    return path


def choose_open_path(parent: QWidget) -> str:
    """Ask which session file to open (tests replace this function)."""
    path, _ = QFileDialog.getOpenFileName(parent, "Open a saved session", "", FILTER)
    return path


def save_session_to(services: WindowServices, path: str) -> bool:
    """Pause and write the session to ``path``; True if it was written."""
    services.pause_training()
    epochs, train, test = services.loss_plot.history.arrays()
    try:
        save_session(path, services.experiment, epochs, train, test)
    except OSError as error:          # its message names the chosen path
        services.show_error("Could not save the session", str(error))
        return False
    services.remember_file(path)
    services.show_status(f"Saved the session to {path}", 6000)
    return True


def open_session_from(services: WindowServices, path: str) -> bool:
    """Replace the session by the one in ``path``; on any problem say why and keep the current one."""
    try:
        session = open_session(path)
    except ValueError as error:
        services.show_error("Could not open the session", f"{error}. The current session is kept.")
        return False
    services.load_experiment(session.experiment, session.epochs, session.train_losses,
                             session.test_losses)
    services.remember_file(path)
    trainer = session.experiment.trainer
    services.show_status(f"Opened {path}: epoch {trainer.epoch}, step {trainer.step_count} — "
                         "Run trains on from there", 6000)
    return True


class SessionFiles:
    """Adds Save session… and Open session… to File."""

    def __init__(self, services: WindowServices) -> None:
        self.actions: list[QAction] = []
        for name, text, shortcut, tip, command in (
                ("actionSaveSession", "Save session…", "Ctrl+Alt+S",
                 "Save everything — setting, weights, optimizer, data, history — to train on later",
                 lambda: self._save(services)),
                ("actionOpenSession", "Open session…", "Ctrl+Alt+O",
                 "Open a saved session exactly where it stopped", lambda: self._open(services))):
            action = QAction(text, services.widget(), objectName=name)
            action.setShortcut(QKeySequence(shortcut))
            action.setToolTip(f"{tip} ({shortcut})")
            action.setStatusTip(tip)
            action.triggered.connect(lambda checked=False, command=command: command())
            services.add_action(action, menu="file")
            self.actions.append(action)

    @staticmethod
    def _save(services: WindowServices) -> None:
        path = choose_save_path(services.widget())
        if path:
            save_session_to(services, path)

    @staticmethod
    def _open(services: WindowServices) -> None:
        path = choose_open_path(services.widget())
        if path:
            open_session_from(services, path)
