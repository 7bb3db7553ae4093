"""Lessons in the window: the dock listing them, the open lesson's question, task, live check and
hints (``LessonsWorkspace``). The format, conditions and quantities are ``model.lessons``."""
from gui.lessons.workspace import LessonsWorkspace

__all__ = ["LessonsWorkspace"]
