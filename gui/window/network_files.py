"""File ▸ Save network… / Open network…: a trained network with its setting, as JSON.

The file format is ``model.serialization``'s. The whole file is checked
before anything changes: one that is not ours, is damaged, names a CSV file
that is gone, or pairs an output and a loss its data's task does not allow
shows a message naming the file, and the current network is kept. The saved
epoch and step are the shown snapshot's, so they belong to the saved weights
even while training runs.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QWidget

from gui.workspace import WindowServices
from model import serialization
from model.config import SettingError, check_task_outputs
from model.csv_data import load_csv

FILTER = "Backprop Studio networks (*.json);;All files (*)"


def choose_save_path(parent: QWidget) -> str:
    """Ask where to save (tests replace this function)."""
    path, _ = QFileDialog.getSaveFileName(parent, "Save the network", "network.json", FILTER)
    return path


def choose_open_path(parent: QWidget) -> str:
    """Ask which network file to open (tests replace this function)."""
    path, _ = QFileDialog.getOpenFileName(parent, "Open a saved network", "", FILTER)
    return path


def save_network(services: WindowServices) -> None:
    """Write the current setting and the latest weights to a JSON file."""
    path = choose_save_path(services.widget())
    if not path:
        return
    network = services.current_network()
    snapshot = services.latest_snapshot()
    epoch, step = (snapshot.epoch, snapshot.step) if snapshot is not None else (0, 0)
    try:
        serialization.save(path, services.config, network, epoch=epoch, step=step)
    except OSError as error:          # its message names the chosen path
        services.show_error("Could not save the network", str(error))
        return
    services.show_status(f"Saved the network to {path}", 6000)


def open_network(services: WindowServices) -> None:
    """Rebuild the window from a saved file: its setting and its trained weights."""
    path = choose_open_path(services.widget())
    if not path:
        return
    try:
        config, params, info = serialization.load(path)
        if config.csv_path:
            # the window reads the CSV again when it rebuilds; this read checks the rule first
            task = load_csv(config.csv_path, target=config.csv_target).task
            check_task_outputs(task, config.output_activation, config.loss)
        services.load_config(config, params, info["statistics"])
    except (ValueError, OSError) as error:
        message = str(error)
        name = Path(path).name
        if isinstance(error, SettingError):
            message = f"{name}: {'config.' + error.field!r}: {message}"
        elif not message.startswith(name):
            message = f"{name}: {message}"
        services.show_error("Could not open the network", f"{message}\n\nThe current network is kept.")
        return
    services.show_status(
        f"Opened {path}: {info['sizes']}, trained {info['epoch']} epochs when saved", 6000)


class NetworkFiles:
    """Adds Open network… (Ctrl+Shift+O) and Save network… (Ctrl+S) to the top of File."""

    def __init__(self, services: WindowServices) -> None:
        self.actions: list[QAction] = []
        for name, text, shortcut, tip, command in (
                ("actionSaveNetwork", "Save network…", "Ctrl+S",
                 "Save the setting and the current weights to a JSON file", save_network),
                ("actionOpenNetwork", "Open network…", "Ctrl+Shift+O",
                 "Open a saved network with its setting and weights", open_network)):
            action = QAction(text, services.widget(), objectName=name)
            action.setShortcut(QKeySequence(shortcut))
            action.setToolTip(f"{tip} ({shortcut})")
            action.setStatusTip(tip)
            action.triggered.connect(lambda checked=False, command=command: command(services))
            services.add_action(action, menu="file", first=True)
            self.actions.append(action)
