"""Presenter mode: View ▸ Presenter, Ctrl+= and Ctrl+− scale every text and line of the window.

One scale (``gui.widgets.presentation.PRESENTATION``) for the application font —
menus, controls, status bar, walkthrough — and for what views draw themselves:
the diagram's labels and buttons, the plots' axis titles, ticks and curves, the
walkthrough's formulas. The scale is remembered between launches.
"""
from __future__ import annotations

from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu

from gui.widgets.presentation import PRESENTATION, PRESENTER_SCALE, SCALES
from gui.window.actions import make_action
from gui.window.settings import AppSettings

_BASE_FONT: QFont | None = None       # the application font at scale 1, captured once


def apply_scale(scale: float) -> None:
    """Set the application font and every view's scale to ``scale`` (clamped to SCALES)."""
    global _BASE_FONT
    app = QApplication.instance()
    if _BASE_FONT is None:
        _BASE_FONT = QFont(app.font())
    scale = min(max(float(scale), SCALES[0]), SCALES[-1])
    font = QFont(_BASE_FONT)
    font.setPointSizeF(_BASE_FONT.pointSizeF() * scale)
    app.setFont(font)                 # first: views that read the application font follow
    PRESENTATION.set_scale(scale)


class PresenterCommands:
    """The Presenter toggle and the larger/smaller text actions of ``window``'s View menu."""

    def __init__(self, window: QMainWindow, settings: AppSettings, view_menu: QMenu) -> None:
        self._settings = settings
        self.presenter = make_action(window, "actionPresenter", "Presenter", "F11",
                                     "Large texts and lines for a projector at the back of "
                                     "the room", self._toggled, checkable=True)
        self.bigger = make_action(window, "actionTextBigger", "Larger text", "Ctrl+=",
                                  "Every text and line one step larger",
                                  lambda: self.set_scale(self._next(+1)))
        self.bigger.setShortcuts([QKeySequence("Ctrl+="), QKeySequence("Ctrl++")])
        self.smaller = make_action(window, "actionTextSmaller", "Smaller text", "Ctrl+-",
                                   "Every text and line one step smaller",
                                   lambda: self.set_scale(self._next(-1)))
        view_menu.addSeparator()
        view_menu.addActions([self.presenter, self.bigger, self.smaller])
        try:
            remembered = float(settings.text("text_scale", "1"))
        except ValueError:
            remembered = 1.0
        self.set_scale(remembered)

    @property
    def scale(self) -> float:
        return PRESENTATION.scale

    def set_scale(self, scale: float) -> None:
        apply_scale(scale)
        self.presenter.blockSignals(True)
        self.presenter.setChecked(PRESENTATION.scale > 1.0)
        self.presenter.blockSignals(False)
        self.smaller.setEnabled(PRESENTATION.scale > SCALES[0])
        self.bigger.setEnabled(PRESENTATION.scale < SCALES[-1])
        self._settings.set_text("text_scale", f"{PRESENTATION.scale:g}")

    def _toggled(self, on: bool) -> None:
        self.set_scale(PRESENTER_SCALE if on else 1.0)

    def _next(self, direction: int) -> float:
        larger = [s for s in SCALES if s > PRESENTATION.scale]
        smaller = [s for s in SCALES if s < PRESENTATION.scale]
        if direction > 0:
            return larger[0] if larger else SCALES[-1]
        return smaller[-1] if smaller else SCALES[0]
