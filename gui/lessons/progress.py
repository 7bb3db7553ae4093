"""What a student has done in each lesson, and the teacher's classroom setting, kept between launches.

Stored in the app's settings (``QSettings``; tests pass their own file) under ``lessons/``:
per lesson id (the file stem), whether the prediction was answered and how many tasks were
completed; ``lessons/classroom_hidden`` the control names a teacher hides in every lesson.
"""
from __future__ import annotations

from PySide6.QtCore import QSettings

DONE, STARTED, NEW = "✓", "◐", "○"


def _int(value: object) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


def _names(value: object) -> list[str]:
    if not value:
        return []
    return [str(name) for name in ([value] if isinstance(value, str) else value)]


class LessonProgress:
    """Typed access to the stored progress; a corrupt value reads as "not started"."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    def tasks_done(self, lesson_id: str) -> int:
        return _int(self.settings.value(f"lessons/{lesson_id}/tasks_done", 0))

    def answered(self, lesson_id: str) -> bool:
        return self.settings.value(f"lessons/{lesson_id}/answered", False) in (True, "true", 1, "1")

    def record_answer(self, lesson_id: str) -> None:
        self.settings.setValue(f"lessons/{lesson_id}/answered", True)
        self.settings.sync()

    def record_task(self, lesson_id: str, tasks_done: int) -> None:
        """``tasks_done`` tasks met (the best so far is kept: replaying a lesson loses nothing)."""
        if tasks_done > self.tasks_done(lesson_id):
            self.settings.setValue(f"lessons/{lesson_id}/tasks_done", tasks_done)
            self.settings.sync()

    def mark(self, lesson) -> str:
        """✓ every task met, ◐ started, ○ not started."""
        done = self.tasks_done(lesson.id)
        if done >= len(lesson.tasks):
            return DONE
        return STARTED if done or self.answered(lesson.id) else NEW

    # -- the classroom setting ------------------------------------------------------------

    def classroom_hidden(self) -> list[str]:
        return _names(self.settings.value("lessons/classroom_hidden", []))

    def set_classroom_hidden(self, names: list[str]) -> None:
        self.settings.setValue("lessons/classroom_hidden", list(names))
        self.settings.sync()
