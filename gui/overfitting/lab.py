"""Training ▸ Restore best, Training ▸ Overfitting presets, and the status bar's overfitting note."""
from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence

from gui.workspace import WindowServices
from model.overfitting import PRESETS, Preset


class OverfittingLab:
    """Joins the window through ``WindowServices`` (see ``gui.workspace``)."""

    def __init__(self, services: WindowServices) -> None:
        self.services = services
        parent = services.widget()
        self.restore_best = QAction("Restore best", parent, objectName="actionRestoreBest")
        self.restore_best.setShortcut(QKeySequence("B"))
        tip = ("Pause and go back to the weights of the epoch with the lowest test loss (the dotted "
               "line on the loss plot): early stopping, after the fact")
        self.restore_best.setToolTip(f"{tip} (B)")
        self.restore_best.setStatusTip(tip)
        self.restore_best.triggered.connect(self.rewind)
        services.add_action(self.restore_best, menu="training", toolbar=True)
        self.presets: dict[str, QAction] = {}
        for preset in PRESETS.values():
            action = QAction(f"{preset.label}", parent, objectName=f"actionPreset_{preset.name}")
            action.setToolTip(preset.explanation)
            action.setStatusTip(preset.explanation)
            action.triggered.connect(lambda _=False, p=preset: self.apply_preset(p))
            services.add_action(action, menu="training")
            self.presets[preset.name] = action
        self._note = ""                                   # the overfitting note on the status bar
        services.loss_plot.overfittingChanged.connect(self._show_note)
        services.add_opener("overfitting", lambda: services.open_workspace("main"))   # its views are
        # the training views (gap, best epoch) and its commands the Training menu

    def rewind(self) -> None:
        snapshot = self.services.latest_snapshot()
        if snapshot is None or not snapshot.test_loss == snapshot.test_loss:    # NaN: no test set
            self.services.show_status("Restore best needs a test set (raise the test ratio).", 6000)
            return
        epoch = self.services.restore_best_weights()
        self.services.show_status(f"Restored the weights of epoch {epoch}, the lowest test loss so far "
                                  f"(early stopping with rewind). Run goes on from there.", 8000)

    def apply_preset(self, preset: Preset) -> None:
        """Rebuild with the preset's setting (keeps the current one if it is refused)."""
        try:
            self.services.load_config(preset.apply(self.services.config))
        except ValueError as error:
            self.services.show_status(f"{preset.label} not applied: {error}", 8000)
            return
        self.services.show_status(f"{preset.label}: {preset.explanation}", 12000)

    def _show_note(self, message: str) -> None:
        """The model's sentence while the run overfits; gone when it no longer does (unless
        something else was said since)."""
        if message:
            self.services.show_status(message, 0)      # stays until something else is said
        elif self._note and self.services.status_message() == self._note:
            self.services.show_status("", 0)
        self._note = message
