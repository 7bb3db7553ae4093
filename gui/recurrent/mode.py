"""The recurrent workspace joins the main window (``gui.workspace``): Tools ▸ Recurrent network….

    window.add_workspace(RecurrentMode)

It opens its own window (the main window's data are points in a plane, not
sequences); closing the main window closes it and stops its training thread.
"""
from __future__ import annotations

from gui.own_window import OwnWindowWorkspace
from gui.recurrent.window import RecurrentWindow
from gui.workspace import WindowServices


class RecurrentMode(OwnWindowWorkspace):
    def __init__(self, services: WindowServices) -> None:
        super().__init__(services, RecurrentWindow, "Recurrent network…", "recurrent",
                         "Train an RNN on a sequence, unrolled through time, and watch gradients vanish")
