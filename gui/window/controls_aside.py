"""The Controls dock steps aside while a mode needs the network diagram wider than it is.

    aside = ControlsAside(services, "Controls hidden to make room · Esc brings them back")
    aside.make_room(per_column=170)    # hides the Controls if the diagram has less room
    aside.give_back()                  # shows them again, if it hid them (True then)

The walkthrough asks for room for a number beside every node, a side dock (the batch-norm
distributions, the dropout ensemble) for a legible diagram beside it. The window's saved
layout is the plain one: the Controls come back when the window closes.
"""
from __future__ import annotations

from gui.widgets.presentation import PRESENTATION
from gui.workspace import WindowServices


class ControlsAside:
    """Hides the Controls while the network view is narrower than a width per node column."""

    def __init__(self, services: WindowServices, note: str) -> None:
        self._services, self._note = services, note
        self.hid = False
        services.closing.connect(self.give_back)

    def make_room(self, per_column: float) -> None:
        """Hide the Controls (and say so in the status bar) if the network view is narrower
        than ``per_column`` screen pixels a node column, presenter scale included."""
        services = self._services
        layout = services.network_view.layout
        needed = (layout.n_columns if layout is not None else 0) * per_column * PRESENTATION.scale
        if services.controls_shown() and services.network_view.width() < needed:
            services.show_controls(False)
            self.hid = True
            services.show_status(self._note, 8000)

    def give_back(self) -> bool:
        """Show the Controls again if ``make_room`` hid them; whether it did."""
        if not self.hid:
            return False
        self.hid = False
        self._services.show_controls(True)
        return True
