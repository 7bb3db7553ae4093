"""File ▸ Save network… / Open network… of a window of its own (convolution, recurrent).

The file format is ``model.serialization``'s (``save_model``/``load_model``): the network's
kind, its spec, its parameters and what it was trained on. The window supplies two
functions, ``save(path)`` and ``open(path)``, each returning the status text of success.
The whole file is checked before anything changes: a problem (not ours, damaged, another
kind of network, a folder that cannot be written) is one line in the status bar, and the
window keeps its network. The paths are asked for by ``gui.window.network_files``'s
``choose_save_path``/``choose_open_path`` (tests replace them).
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from gui.window import network_files

MESSAGE_MS = 10000


class ModelFileMenu:
    """A File menu with Save network… (Ctrl+S) and Open network… (Ctrl+Shift+O) on ``window``;
    the actions are named ``{prefix}ActionSave`` and ``{prefix}ActionOpen``."""

    def __init__(self, window: QMainWindow, prefix: str, save: Callable[[str], str],
                 open: Callable[[str], str]) -> None:
        self.window, self._save, self._open = window, save, open
        menu = window.menuBar().addMenu("&File")
        self.actions: list[QAction] = []
        for name, text, shortcut, tip, command in (
                ("Save", "Save network…", "Ctrl+S", "Save the network, its weights and its setting to a JSON file",
                 self.save),
                ("Open", "Open network…", "Ctrl+Shift+O", "Open a saved network with its weights and setting",
                 self.open)):
            action = QAction(text, window, objectName=f"{prefix}Action{name}")
            action.setShortcut(QKeySequence(shortcut))
            action.setToolTip(f"{tip} ({shortcut})")
            action.setStatusTip(tip)
            action.triggered.connect(command)
            menu.addAction(action)
            self.actions.append(action)

    def save(self) -> None:
        path = network_files.choose_save_path(self.window)
        if path:
            self._run(self._save, path, "Could not save the network")

    def open(self) -> None:
        path = network_files.choose_open_path(self.window)
        if path:
            self._run(self._open, path, "Could not open the network")

    def _run(self, command: Callable[[str], str], path: str, failure: str) -> None:
        try:
            done = command(path)
        except (ValueError, OSError) as error:
            self.window.statusBar().showMessage(f"{failure}: {error}. The current network is kept.", MESSAGE_MS)
            return
        self.window.statusBar().showMessage(done, MESSAGE_MS)
