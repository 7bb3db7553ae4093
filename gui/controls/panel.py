"""The control panel: every setting of the experiment, grouped, in a scroll area.

``set_config(config)`` shows a configuration in all groups (without echoing);
``changeRequested(dict)`` carries the user's edits as ExperimentConfig field →
value, for the main window to apply.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from model.config import ExperimentConfig

from gui.widgets.presentation import PRESENTATION

from gui.controls import (DataControls, FeatureControls, NetworkControls, RegularizationControls,
                       TrainingControls)
from gui.controls.restrictions import Restrictions


MINIMUM_WIDTH = 280


class ControlPanel(QScrollArea):
    """Data, input features, network, training and regularisation controls."""

    changeRequested = Signal(object)   # a dict; object keeps 64-bit seeds whole
    openCsvRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("controlPanel")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        self.data = DataControls()
        self.features = FeatureControls()
        self.network = NetworkControls()
        self.training = TrainingControls()
        self.regularization = RegularizationControls()
        self.groups = (self.data, self.features, self.network, self.training, self.regularization)
        for group in self.groups:
            layout.addWidget(group)
            group.changed.connect(self.changeRequested)
        layout.addStretch(1)
        self.setWidget(body)
        self.data.openCsvRequested.connect(self.openCsvRequested)
        self.restrictions = Restrictions(self)    # controls a lesson or the classroom hides or locks
        self._apply_presentation()
        PRESENTATION.changed.connect(self._apply_presentation)

    def _apply_presentation(self, *_) -> None:
        """Room for presenter mode's larger texts (the panel never scrolls sideways)."""
        body = self.widget()
        if body is None:
            return
        needed = body.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width() \
            + 2 * self.frameWidth()
        self.setMinimumWidth(max(round(MINIMUM_WIDTH * PRESENTATION.scale), needed))

    def set_config(self, config: ExperimentConfig, csv_name: str | None = None,
                   csv_columns: tuple[str, ...] | None = None) -> None:
        """Show ``config``; for CSV data also its file name and input columns."""
        self.data.set_csv_name(csv_name)
        self.features.set_csv_columns(csv_columns if config.csv_path else None)
        for group in self.groups:
            group.set_config(config, is_csv=bool(config.csv_path))
        self.restrictions.apply()

    def follow_live(self, config: ExperimentConfig) -> None:
        """``config`` is in force after a live change (the widgets already show it): the groups
        compare the next edits with it, so typing back the previous value is a change again."""
        for group in self.groups:
            group.config = config

    def show_config_again(self) -> None:
        """Show the config in force again (after controls were given back)."""
        for group in self.groups:
            if group.config is not None:
                group.set_config(group.config, is_csv=group.is_csv)

    def restrict(self, hidden=(), locked=()) -> None:
        """Hide the controls named in ``hidden`` and disable those in ``locked`` (names:
        ``model.lessons.CONTROLS``, see ``gui.controls.restrictions``); the others are given back."""
        self.restrictions.set(hidden, locked)


#: Fields applied to the running experiment between steps; every other field rebuilds it.
LIVE_FIELDS = frozenset({"learning_rate", "batch_size", "l1", "l2"})
#: Fields that need new data (the others reuse the loaded data set).
DATA_FIELDS = frozenset({"dataset", "csv_path", "csv_target", "noise", "samples", "data_seed"})
