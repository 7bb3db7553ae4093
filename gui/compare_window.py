"""Old address of ``CompareWindow``, kept for ``gui/compare_command.py`` until the command line
moves to ``cli/`` (which imports ``gui.compare.window`` directly)."""
from gui.compare.window import CompareWindow

__all__ = ["CompareWindow"]
