"""What every control group shares: config in, changes out.

A group shows part of an ``ExperimentConfig`` (``set_config``) and, when the
user edits a widget, emits ``changed`` with a dict of ``ExperimentConfig``
field → new value. It never builds anything itself: the main window decides
how to apply the change (live, or by rebuilding the experiment). Setting a
config does not echo a ``changed`` signal back.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterable, Iterator

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QGroupBox, QWidget

from model.config import ExperimentConfig


class ControlGroup(QGroupBox):
    """A titled box of controls bound to some fields of the experiment config."""

    changed = Signal(object)        # {config field: new value}; object keeps 64-bit seeds whole

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(title, parent)
        self._updating = False
        self.config: ExperimentConfig | None = None
        self.is_csv = False

    def set_config(self, config: ExperimentConfig, is_csv: bool = False) -> None:
        """Show ``config`` in the widgets without emitting ``changed``."""
        self.config, self.is_csv = config, is_csv
        with self.updating():
            self._show(config)

    def _show(self, config: ExperimentConfig) -> None:
        raise NotImplementedError

    @contextmanager
    def updating(self) -> Iterator[None]:
        previous, self._updating = self._updating, True
        try:
            yield
        finally:
            self._updating = previous

    def emit_change(self, **changes) -> None:
        """Emit ``changed`` unless the widgets are being set from a config."""
        if not self._updating and self.config is not None:
            changes = {k: v for k, v in changes.items() if getattr(self.config, k, None) != v}
            if changes:
                self.changed.emit(changes)


def fill_combo(combo: QComboBox, items: Iterable[tuple[str, str, str]]) -> None:
    """Fill ``combo`` with (name stored as data, shown text, tooltip) rows."""
    combo.blockSignals(True)
    combo.clear()
    for name, text, tooltip in items:
        combo.addItem(text, name)
        combo.setItemData(combo.count() - 1, tooltip, Qt.ToolTipRole)
    combo.blockSignals(False)


def select_data(combo: QComboBox, name: object) -> None:
    """Select the row whose data is ``name`` and show its tooltip on the combo itself."""
    index = combo.findData(name)
    if index >= 0:
        combo.setCurrentIndex(index)
        tip = combo.itemData(index, Qt.ToolTipRole)
        if tip:
            combo.setToolTip(tip)
