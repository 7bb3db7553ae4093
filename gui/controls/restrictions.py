"""Hiding and locking controls by name (a lesson's ``[classroom]``, a teacher's classroom setting).

The names are ``model.lessons.CONTROLS``: the ``ExperimentConfig`` fields the controls edit, and a
few groups of them. ``control_widgets(panel)`` is the one mapping from a name to the widgets that
edit it; ``Restrictions`` applies a set of hidden and a set of locked names to a panel and applies
them again after the panel rebuilt rows (a changed layer count) or re-enabled widgets (CSV data).
"""
from __future__ import annotations

from typing import Iterable

from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

FIELD_GROUPS = {
    "data": ("dataset", "noise", "samples", "test_ratio", "data_seed"),
    "network": ("hidden_layers", "activations", "dropout", "batch_norm", "output_activation", "loss",
                "init"),
    "training": ("optimizer", "learning_rate", "batch_size", "seed"),
    "regularization": ("l1", "l2"),
}


def control_widgets(panel) -> dict[str, list[QWidget]]:
    """Name → the widgets of ``panel`` (a ``ControlPanel``) that edit it, as the panel is now."""
    data, network, training, regularization = (panel.data, panel.network, panel.training,
                                               panel.regularization)
    widgets: dict[str, list[QWidget]] = {
        "dataset": [data.dataset, data.open_csv],
        "noise": [data.noise],
        "samples": [data.samples],
        "test_ratio": [data.train_percent],
        "data_seed": [data.data_seed, data.regenerate],
        "features": [panel.features],
        "hidden_layers": [network.add_layer, network.remove_layer, network.layer_count,
                          *network.neurons],
        "activations": list(network.activations),
        "dropout": list(network.dropouts),
        "batch_norm": list(network.batch_norms),
        "output_activation": [network.output_activation],
        "loss": [network.loss],
        "init": [network.init],
        "optimizer": [training.optimizer],
        "learning_rate": [training.learning_rate],
        "batch_size": [training.batch_size],
        "seed": [training.seed],
        "l1": [regularization.l1],
        "l2": [regularization.l2],
    }
    for group, names in FIELD_GROUPS.items():
        widgets[group] = [widget for name in names for widget in widgets[name]]
    return widgets


def expand(names: Iterable[str]) -> set[str]:
    """The field names ``names`` stand for (a group stands for its fields)."""
    fields: set[str] = set()
    for name in names:
        fields.update(FIELD_GROUPS.get(name, (name,)))
    return fields


def set_shown(widget: QWidget, shown: bool) -> None:
    """Show or hide ``widget``; in a form, its whole row (the label too); elsewhere with the
    labels whose buddy it is."""
    parent = widget.parentWidget()
    form = parent.layout() if parent is not None else None
    if isinstance(form, QFormLayout):
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.FieldRole)
            if item is not None and (item.widget() is widget or _holds(item.layout(), widget)):
                form.setRowVisible(row, shown)
                return
    widget.setVisible(shown)
    if parent is not None:
        for label in parent.findChildren(QLabel):
            if label.buddy() is widget:
                label.setVisible(shown)


def _holds(layout, widget: QWidget) -> bool:
    return layout is not None and any(layout.itemAt(i).widget() is widget for i in range(layout.count()))


class Restrictions:
    """The hidden and locked control names of one panel; ``apply()`` after the panel changed."""

    def __init__(self, panel) -> None:
        self.panel = panel
        self.hidden: frozenset[str] = frozenset()
        self.locked: frozenset[str] = frozenset()

    def set(self, hidden: Iterable[str], locked: Iterable[str]) -> None:
        """Hide ``hidden``, disable ``locked``, and give every other control back."""
        hidden, locked = frozenset(expand(hidden)), frozenset(expand(locked))
        released = (self.hidden | self.locked) - hidden - locked
        self.hidden, self.locked = hidden, locked
        if released:
            widgets = control_widgets(self.panel)
            for name in released:
                for widget in widgets.get(name, ()):
                    set_shown(widget, True)
                    widget.setEnabled(True)
            self.panel.show_config_again()       # the panel's own disabling (CSV data) comes back
        self.apply()

    def apply(self) -> None:
        widgets = control_widgets(self.panel)
        for name, members in widgets.items():
            if name in FIELD_GROUPS:
                continue
            for widget in members:
                set_shown(widget, name not in self.hidden)
                if name in self.locked:
                    widget.setEnabled(False)
        # A group box whose every control is hidden goes too (no empty frames in the dock).
        for box, names in ((self.panel.data, FIELD_GROUPS["data"]),
                           (self.panel.network, FIELD_GROUPS["network"]),
                           (self.panel.training, FIELD_GROUPS["training"]),
                           (self.panel.regularization, FIELD_GROUPS["regularization"]),
                           (self.panel.features, ("features",))):
            box.setVisible(not set(names) <= self.hidden)

    def is_locked(self, name: str) -> bool:
        return name in self.locked or name in self.hidden
