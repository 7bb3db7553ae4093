"""Lessons as a workspace of the main window (see ``gui.workspace``).

    window.add_workspace(LessonsWorkspace)   # Tools ▸ Lessons (Ctrl+Shift+E), File ▸ Open lesson…,
                                             # View ▸ Classroom controls…

A dock lists the shipped lessons (``resources/lessons``, read by ``model.lessons.load_lessons``)
by concept with progress marks. Opening one applies its setup — the main window's config for
the MLP workspaces, the convolution or recurrent window's setting otherwise — hides and locks
the controls it names (with the teacher's classroom choice), opens its workspace and shows
its prediction question. Then each task's goal is checked live: every snapshot the workspace
paints is measured off the GUI thread (``gui.lessons.check``) with the same quantity functions
the headless check uses, and the goal is evaluated on those numbers — never on a timer. A
"Check" press, or training pausing, that does not meet the goal reveals the next hint.
Progress is kept in the app's settings (``gui.lessons.progress``).
"""
from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QStackedWidget

from gui.controls.restrictions import FIELD_GROUPS
from gui.lessons.attempt import Attempt
from gui.lessons.catalogue import LessonList, concept_title
from gui.lessons.check import LiveCheck
from gui.lessons.classroom import ClassroomDialog
from gui.lessons.panel import LessonPanel
from gui.lessons.progress import LessonProgress
from gui.lessons.sources import ConvolutionSource, RecurrentSource, Source, TrainingSource
from gui.workspace import WindowServices
from model.lessons import FAMILY_CONTROLS, QUANTITIES, LessonError, load_lesson, load_lessons

LESSONS_FOLDER = Path(__file__).resolve().parents[2] / "resources" / "lessons"
DOCK_WIDTH = (260, 0.26, 360)     # pixels: at least, share of the window, at most


class LessonsWorkspace(QObject):
    """The lessons dock, the open lesson and its live check."""

    lessonOpened = Signal(object)        # the Lesson just set up
    goalMet = Signal(int)                # the index of the task whose goal was just met

    def __init__(self, services: WindowServices, folder: Path = LESSONS_FOLDER) -> None:
        super().__init__(services.widget())
        self.setObjectName("lessonsWorkspace")
        self.services = services
        self.progress = LessonProgress(services.settings.qsettings)
        self.catalogue = LessonList()
        self.panel = LessonPanel()
        self.stack = QStackedWidget(objectName="lessonStack")
        self.stack.addWidget(self.catalogue)
        self.stack.addWidget(self.panel)
        self.dock = services.add_panel_dock("Lessons", self.stack, "lessonsDock", Qt.RightDockWidgetArea)
        self.check = LiveCheck(self)
        self.lesson = None
        self.attempt: Attempt | None = None
        self._opened: list = []              # lessons opened from files (File ▸ Open lesson…)
        self._first_counted = 0              # measurements before this serial are of an earlier task
        self._reading_only: set[int] = set()
        self._judge_from: float = math.inf   # a measurement from this serial on judges a try
        self._judge_next = False             # training paused: judge the next painted snapshot
        self._main_source = TrainingSource(services)
        self.source: Source = self._main_source     # where the open lesson's numbers come from
        self._sources: dict[object, Source] = {}
        self.lessons, self.errors = load_lessons(folder) if Path(folder).is_dir() else ([], [])
        self._build_actions()
        self.catalogue.lessonChosen.connect(self.open_lesson)
        self.panel.choiceClicked.connect(self.answer)
        self.panel.checkRequested.connect(self.check_now)
        self.panel.nextRequested.connect(self.next_task)
        self.panel.resetRequested.connect(self.reset_lesson)
        self.panel.backRequested.connect(self.close_lesson)
        self.check.measured.connect(self._on_measured)
        self.check.failed.connect(lambda message: self.panel.show_check(f"Cannot measure: {message}"))
        self._listen(self._main_source)
        services.closing.connect(self.check.shutdown)
        self._show_catalogue()
        self._restrict()

    def _build_actions(self) -> None:
        parent = self.services.widget()
        self.action = QAction("Lessons", parent, objectName="actionLessons")
        self.action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.action.setToolTip("Lessons: set-ups with a question and a task the app checks (Ctrl+Shift+E)")
        self.action.setStatusTip("Open the lessons: each sets the app up, asks, and checks your task")
        self.action.triggered.connect(self.open)
        self.services.add_action(self.action, menu="tools", toolbar=True)
        self.open_file_action = QAction("Open lesson…", parent, objectName="actionOpenLesson")
        self.open_file_action.setStatusTip("Open a lesson file (TOML) from any folder")
        self.open_file_action.triggered.connect(self.open_lesson_file)
        self.services.add_action(self.open_file_action, menu="file")
        self.classroom_action = QAction("Classroom controls…", parent, objectName="actionClassroomControls")
        self.classroom_action.setStatusTip("Choose the controls hidden from the class (remembered)")
        self.classroom_action.triggered.connect(self.choose_classroom_controls)
        self.services.add_action(self.classroom_action, menu="view")

    # -- the dock -----------------------------------------------------------------------

    def open(self) -> None:
        """Show the dock: a quarter of the window (the diagram keeps room on a 1024-pixel screen)."""
        least, share, most = DOCK_WIDTH
        width = self.services.widget().width()
        self.services.reveal_dock(self.dock, round(min(max(least, share * width), most)))

    def _show_catalogue(self) -> None:
        lessons = self.lessons + [lesson for lesson in self._opened if lesson not in self.lessons]
        self.catalogue.show_lessons(lessons, {lesson.id: self.progress.mark(lesson) for lesson in lessons},
                                    self.errors)

    def _restrict(self) -> None:
        """The classroom's hidden controls, and the open lesson's hidden and locked ones."""
        lesson = self.lesson if self.lesson is not None and self.lesson.family == "mlp" else None
        hidden = self.progress.classroom_hidden() + list(lesson.hidden if lesson else ())
        self.services.restrict_controls(hidden=hidden, locked=lesson.locked if lesson else ())

    # -- opening a lesson ---------------------------------------------------------------

    def open_lesson(self, lesson) -> bool:
        """Apply ``lesson``'s setup and show its first step; False (and nothing changed but a
        message) if its setting cannot be built."""
        try:
            setting = lesson.config()
            self.services.pause_training()
            if lesson.family == "mlp":
                self.services.load_config(setting)
                self.services.open_workspace(lesson.workspace)
                source = self._main_source
            else:
                window = self.services.open_workspace(lesson.workspace)
                window.apply_setting(setting)
                window.restrict(hidden=lesson.hidden, locked=lesson.locked)
                source = self._window_source(lesson.family, window)
        except (ValueError, OSError) as error:
            self.services.show_error("Could not set the lesson up", f"{lesson.path.name}: {error}")
            return False
        self.source = source
        self.lesson = lesson
        self.attempt = Attempt(lesson)
        self._restrict()
        self.panel.show_lesson(lesson, concept_title(lesson.concept))
        self.stack.setCurrentWidget(self.panel)
        self.open()
        self._start_task()
        self.lessonOpened.emit(lesson)
        return True

    def close_lesson(self) -> None:
        """Back to the list; the lesson's controls are given back."""
        self.lesson = self.attempt = None
        self._first_counted = math.inf
        self._restrict()
        self._show_catalogue()
        self.stack.setCurrentWidget(self.catalogue)

    def reset_lesson(self) -> None:
        if self.lesson is not None:
            self.open_lesson(self.lesson)

    def answer(self, index: int) -> None:
        if self.attempt is None:
            return
        first = self.attempt.stage == "predict"
        self.attempt.answer(index)
        if first:
            self.progress.record_answer(self.lesson.id)
            self._start_task()
        self._paint()

    def next_task(self) -> None:
        if self.attempt is None or not self.attempt.met:
            return
        self.attempt.next_task()
        self.progress.record_task(self.lesson.id, self.attempt.tasks_done)
        self._start_task()

    # -- the live check -----------------------------------------------------------------

    def _start_task(self) -> None:
        """A new step of the lesson: older measurements no longer count; the current numbers are
        read (not judged: the goal is met by what is done from now on)."""
        self._first_counted = self.check.next_serial
        self._judge_from, self._judge_next = math.inf, False
        self._reading_only.clear()
        self._paint()
        if self.attempt.stage == "task":
            snapshot = self.source.latest_snapshot()
            if snapshot is not None:
                self._reading_only.add(self._measure(snapshot))

    def _checking(self) -> bool:
        return self.attempt is not None and self.attempt.stage == "task" and not self.attempt.met

    def _listen(self, source: Source) -> None:
        source.shown.connect(lambda snapshot: self._on_snapshot(source, snapshot))
        source.paused.connect(lambda: self._on_paused(source))

    def _window_source(self, family: str, window) -> Source:
        """The source of a convolution or recurrent window (made once per window)."""
        if window not in self._sources:
            kind = ConvolutionSource if family == "convolution" else RecurrentSource
            self._sources[window] = source = kind(window)
            self._listen(source)
        return self._sources[window]

    def _on_snapshot(self, source: Source, snapshot) -> None:
        if source is not self.source or not self._checking():
            return
        serial = self._measure(snapshot)
        if self._judge_next:
            self._judge_from, self._judge_next = serial, False

    def _on_paused(self, source: Source) -> None:
        if source is self.source and self._checking():
            self._judge_next = True          # the snapshot it paused at is a try

    def check_now(self) -> None:
        """The "Check" button: judge the numbers shown now."""
        snapshot = self.source.latest_snapshot()
        if self._checking() and snapshot is not None:
            self._judge_from = self._measure(snapshot)

    def _measure(self, snapshot) -> int:
        return self.check.submit(self.source.measurement(snapshot))

    def _on_measured(self, serial: int, quantities: dict) -> None:
        if serial < self._first_counted or self.attempt is None or self.attempt.stage != "task":
            return
        attempt, task = self.attempt, self.attempt.task
        if serial in self._reading_only:
            met = attempt.met
        else:
            was_met = attempt.met
            met = attempt.check(quantities)
            if met and not was_met:
                self.progress.record_task(self.lesson.id, attempt.tasks_done)
                self.services.show_status(f"Goal met: {task.text}", 8000)
                self.goalMet.emit(attempt.task_index)
            elif not met and serial >= self._judge_from:
                self._judge_from = math.inf
                hint = attempt.fail()
                self.services.show_status("Not yet. " + (f"Hint: {hint}" if hint else
                                                         "Compare the numbers with the goal."), 8000)
        names = sorted(name.removeprefix("previous.") for name in task.goal.names)
        tooltip = "\n".join(f"{name}: {QUANTITIES[name].description}" for name in names if name in QUANTITIES)
        self.panel.show_check(task.goal.describe(quantities, attempt.previous), tooltip)
        self._paint()

    def _paint(self) -> None:
        if self.attempt is not None:
            self.panel.show_attempt(self.attempt)

    # -- for teachers --------------------------------------------------------------------

    def choose_lesson_path(self) -> str:
        """Ask for a lesson file (tests replace this method)."""
        path, _ = QFileDialog.getOpenFileName(self.services.widget(), "Open a lesson", "",
                                              "Lessons (*.toml);;All files (*)")
        return path

    def open_lesson_file(self, path: str | None = None) -> bool:
        """Open the lesson at ``path`` (asked for if None); a malformed file gets its one-line
        message and nothing else changes."""
        path = path or self.choose_lesson_path()
        if not path:
            return False
        try:
            lesson = load_lesson(path)
        except LessonError as error:
            self.services.show_error("Could not open the lesson", f"{error}\n\nNothing was changed.")
            return False
        self._opened = [known for known in self._opened if known.path != lesson.path] + [lesson]
        return self.open_lesson(lesson)

    def classroom_names(self) -> list[str]:
        """The main window's control names a teacher may hide (those with widgets)."""
        return [name for name in FAMILY_CONTROLS["mlp"] if name in _WIDGET_NAMES]

    def choose_classroom_controls(self) -> None:
        dialog = self.classroom_dialog = ClassroomDialog(self.classroom_names(),
                                                         self.progress.classroom_hidden(),
                                                         self.services.widget())
        dialog.accepted.connect(lambda: self.set_classroom_hidden(dialog.hidden()))
        dialog.open()

    def set_classroom_hidden(self, names: list[str]) -> None:
        self.progress.set_classroom_hidden(names)
        self._restrict()


_WIDGET_NAMES = {name for names in FIELD_GROUPS.values() for name in names} | {"features"}
