"""One student's way through one open lesson: prediction, tasks, hints, met goals (no Qt).

    attempt = Attempt(lesson)
    attempt.stage                       # "predict" (a question waits), "task", or "done"
    attempt.answer(1)                   # the Choice picked; the first task follows
    attempt.check(quantities)           # True once the current task's goal holds
    attempt.fail()                      # a failed try: the next hint, if any, is revealed
    attempt.next_task()                 # after a met goal

``check`` evaluates the task's goal (``model.lessons`` conditions) with ``previous``: the
quantities as they were when the previous task's goal was met.
"""
from __future__ import annotations

from typing import Mapping


class Attempt:
    def __init__(self, lesson, answered: bool = False) -> None:
        self.lesson = lesson
        self.restart(answered)

    def restart(self, answered: bool = False) -> None:
        """Back to the start: the question (unless ``answered`` or there is none), task 1."""
        self.choice: int | None = None
        self.stage = "predict" if self.lesson.prediction is not None and not answered else "task"
        self.task_index = 0
        self.hints_shown = 0
        self.met = False
        self.previous: Mapping | None = None
        self.quantities: Mapping | None = None     # the last quantities checked

    @property
    def task(self):
        return self.lesson.tasks[self.task_index] if self.stage != "predict" else None

    @property
    def tasks_done(self) -> int:
        return len(self.lesson.tasks) if self.stage == "done" else self.task_index + int(self.met)

    def answer(self, index: int):
        """Pick choice ``index`` of the prediction; returns it (its feedback is shown)."""
        choice = self.lesson.prediction.choices[index]
        self.choice = index
        if self.stage == "predict":
            self.stage = "task"
        return choice

    def check(self, quantities: Mapping) -> bool:
        """Whether the current task's goal holds for ``quantities`` (it stays met once met)."""
        if self.stage != "task":
            return self.stage == "done"
        self.quantities = quantities
        if not self.met and self.task.goal.evaluate(quantities, self.previous):
            self.met = True
            self.met_quantities = dict(quantities)
        return self.met

    def fail(self) -> str | None:
        """A try that did not meet the goal: reveal the next hint (returned), if any is left."""
        if self.stage != "task" or self.met or self.hints_shown >= len(self.task.hints):
            return None
        self.hints_shown += 1
        return self.task.hints[self.hints_shown - 1]

    @property
    def hints(self) -> list[str]:
        return list(self.task.hints[:self.hints_shown]) if self.task is not None else []

    def next_task(self) -> None:
        """After a met goal: the next task (its ``previous`` is this one's quantities), or done."""
        if self.stage != "task" or not self.met:
            return
        self.previous = self.met_quantities
        if self.task_index + 1 >= len(self.lesson.tasks):
            self.stage = "done"
            return
        self.task_index += 1
        self.hints_shown, self.met, self.quantities = 0, False, None
