"""Persistence between launches (QSettings): window layout, view toggles, the last configuration.

Tests pass their own ``QSettings(path, QSettings.IniFormat)``; only the real
application uses the user's settings (organisation "BackpropStudio").
"""
from __future__ import annotations

import json

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

from gui.training.pacing import CLASSROOM_PACE
from gui.window.actions import WindowActions
from model.config import ExperimentConfig

ORGANIZATION = "BackpropStudio"
APPLICATION = "Backprop Studio"


def user_settings() -> QSettings:
    return QSettings(ORGANIZATION, APPLICATION)


class AppSettings:
    """Typed access to the stored values; a corrupt value is ignored, never fatal."""

    def __init__(self, settings: QSettings | None = None):
        self.qsettings = settings if settings is not None else user_settings()

    # -- the last configuration -----------------------------------------------

    def last_config(self) -> ExperimentConfig | None:
        text = self.qsettings.value("experiment/config")
        if not text:
            return None
        try:
            return ExperimentConfig.from_dict(json.loads(str(text)))
        except (ValueError, TypeError):
            return None

    def save_config(self, config: ExperimentConfig) -> None:
        self.qsettings.setValue("experiment/config", json.dumps(config.to_dict()))

    # -- view toggles ---------------------------------------------------------

    def flag(self, key: str, default: bool) -> bool:
        value = self.qsettings.value(f"view/{key}", default)
        return value in (True, "true", "1", 1) if not isinstance(value, bool) else value

    def set_flag(self, key: str, value: bool) -> None:
        self.qsettings.setValue(f"view/{key}", bool(value))

    def text(self, key: str, default: str) -> str:
        return str(self.qsettings.value(f"view/{key}", default))

    def set_text(self, key: str, value: str) -> None:
        self.qsettings.setValue(f"view/{key}", value)

    # -- layout ---------------------------------------------------------------

    def save_layout(self, window: QMainWindow, splitters: dict[str, QSplitter]) -> None:
        self.qsettings.setValue("window/geometry", window.saveGeometry())
        self.qsettings.setValue("window/state", window.saveState())
        for name, splitter in splitters.items():
            self.qsettings.setValue(f"window/splitter_{name}", splitter.saveState())

    def restore_layout(self, window: QMainWindow, splitters: dict[str, QSplitter]) -> bool:
        """Restore what was saved; False if nothing was (the caller keeps its defaults)."""
        geometry = self.qsettings.value("window/geometry")
        if not isinstance(geometry, (QByteArray, bytes)):
            return False
        window.restoreGeometry(geometry)
        state = self.qsettings.value("window/state")
        if isinstance(state, (QByteArray, bytes)):
            window.restoreState(state)
        for name, splitter in splitters.items():
            saved = self.qsettings.value(f"window/splitter_{name}")
            if isinstance(saved, (QByteArray, bytes)):
                splitter.restoreState(saved)
        return True

    def sync(self) -> None:
        self.qsettings.sync()

    # -- the main window's toggles, layout and configuration --------------------

    def restore_window(self, window: QMainWindow, splitters: dict[str, QSplitter],
                       actions: WindowActions) -> None:
        """Layout, view toggles and the step unit of the main window."""
        self.restore_layout(window, splitters)
        actions.show_test.setChecked(self.flag("show_test", True))
        actions.log_y.setChecked(self.flag("log_y", False))
        actions.gradients.setChecked(self.flag("gradients", False))
        index = actions.step_unit.findData(self.text("step_unit", "batch"))
        actions.step_unit.setCurrentIndex(max(index, 0))
        actions.loss_steps.setChecked(self.flag("loss_steps", False))
        actions.discretize.setChecked(self.flag("discretize", False))
        index = actions.pace.findData(self.text("pace", CLASSROOM_PACE.name))
        actions.pace.setCurrentIndex(index if index >= 0 else
                                     actions.pace.findData(CLASSROOM_PACE.name))

    def save_window(self, window: QMainWindow, splitters: dict[str, QSplitter],
                    actions: WindowActions, config: ExperimentConfig) -> None:
        self.save_layout(window, splitters)
        self.save_config(config)
        self.set_flag("show_test", actions.show_test.isChecked())
        self.set_flag("log_y", actions.log_y.isChecked())
        self.set_flag("gradients", actions.gradients.isChecked())
        self.set_text("step_unit", actions.step_unit.currentData())
        self.set_flag("loss_steps", actions.loss_steps.isChecked())
        self.set_flag("discretize", actions.discretize.isChecked())
        self.set_text("pace", actions.pace.currentData())
        self.sync()
