"""File ▸ Save network… / Open network…: a trained network with its setting, as JSON.

The file format is ``model.serialization``'s. The whole file is checked
before anything changes: one that is not ours, is damaged, names a CSV file
that is gone, or pairs an output and a loss its data's task does not allow
shows a message naming the file, and the current network is kept.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog

from model import serialization
from model.config import SettingError, check_task_outputs
from model.csv_data import load_csv

if TYPE_CHECKING:
    from gui.main_window import MainWindow

FILTER = "Backprop Studio networks (*.json);;All files (*)"


def choose_save_path(window: "MainWindow") -> str:
    """Ask where to save (tests replace this function)."""
    path, _ = QFileDialog.getSaveFileName(window, "Save the network", "network.json", FILTER)
    return path


def choose_open_path(window: "MainWindow") -> str:
    """Ask which network file to open (tests replace this function)."""
    path, _ = QFileDialog.getOpenFileName(window, "Open a saved network", "", FILTER)
    return path


def save_network(window: "MainWindow") -> None:
    """Write the current setting and the latest weights to a JSON file."""
    path = choose_save_path(window)
    if not path:
        return
    trainer = window.experiment.trainer
    try:
        serialization.save(path, window.config, window.current_network(),
                           epoch=trainer.epoch, step=trainer.step_count)
    except OSError as error:          # its message names the chosen path
        window.show_error("Could not save the network", str(error))
        return
    window.statusBar().showMessage(f"Saved the network to {path}", 6000)


def open_network(window: "MainWindow") -> None:
    """Rebuild the window from a saved file: its setting and its trained weights."""
    path = choose_open_path(window)
    if not path:
        return
    try:
        config, params, info = serialization.load(path)
        if config.csv_path:
            # the window reads the CSV again when it rebuilds; this read checks the rule first
            task = load_csv(config.csv_path, target=config.csv_target).task
            check_task_outputs(task, config.output_activation, config.loss)
        window.load_config(config, params)
    except (ValueError, OSError) as error:
        message = str(error)
        name = Path(path).name
        if isinstance(error, SettingError):
            message = f"{name}: {'config.' + error.field!r}: {message}"
        elif not message.startswith(name):
            message = f"{name}: {message}"
        window.show_error("Could not open the network", f"{message}\n\nThe current network is kept.")
        return
    window.statusBar().showMessage(
        f"Opened {path}: {info['sizes']}, trained {info['epoch']} epochs when saved", 6000)


def install_network_files(window: "MainWindow") -> None:
    """Add Save network… (Ctrl+S) and Open network… (Ctrl+Shift+O) to the File menu."""
    first = window.file_menu.actions()[0] if window.file_menu.actions() else None
    for name, text, shortcut, tip, slot in (
            ("actionOpenNetwork", "Open network…", "Ctrl+Shift+O",
             "Open a saved network with its setting and weights", open_network),
            ("actionSaveNetwork", "Save network…", "Ctrl+S",
             "Save the setting and the current weights to a JSON file", save_network)):
        action = QAction(text, window, objectName=name)
        action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(f"{tip} ({shortcut})")
        action.setStatusTip(tip)
        action.triggered.connect(lambda checked=False, slot=slot: slot(window))
        window.file_menu.insertAction(first, action)
        window.addAction(action)
