"""The open lesson: title, summary, the prediction question, the task with its live check, hints,
the "goal met" banner with the explanation.

A view: ``show_attempt(attempt)`` paints a ``gui.lessons.attempt.Attempt``; ``show_check(text)``
the goal's live reading (``Condition.describe``). The buttons only emit signals — the lessons
workspace decides what they do.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (QCommandLinkButton, QGroupBox, QHBoxLayout, QLabel, QPushButton,
                               QScrollArea, QVBoxLayout, QWidget)

LETTERS = "ABCDEFGHIJ"
MET_STYLE = ("QLabel { background: #e6f4ea; color: #14532d; border: 1px solid #86c79a;"
             " border-radius: 4px; padding: 6px 10px; }")
FEEDBACK_STYLES = {
    True: "QLabel { background: #e6f4ea; color: #14532d; border-radius: 4px; padding: 4px 8px; }",
    False: "QLabel { background: #fff4e0; color: #6b3d00; border-radius: 4px; padding: 4px 8px; }",
}
HINT_STYLE = "QLabel { background: #eef4fb; color: #12395c; border-radius: 4px; padding: 4px 8px; }"


def _label(name: str, bold: bool = False) -> QLabel:
    label = QLabel(objectName=name, wordWrap=True)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    return label


class LessonPanel(QScrollArea):
    """One lesson, top to bottom; scrolls vertically, never sideways."""

    choiceClicked = Signal(int)
    checkRequested = Signal()
    nextRequested = Signal()
    resetRequested = Signal()
    backRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lessonPanel")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)

        buttons = QHBoxLayout()
        self.back = QPushButton("← All lessons", objectName="lessonBackButton")
        self.back.setToolTip("The list of lessons (this lesson's controls are given back)")
        self.reset = QPushButton("Reset lesson", objectName="lessonResetButton")
        self.reset.setToolTip("Set the lesson up again and start from its first step")
        buttons.addWidget(self.back)
        buttons.addStretch(1)
        buttons.addWidget(self.reset)
        layout.addLayout(buttons)

        self.title = _label("lessonTitle", bold=True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.title.setFont(font)
        self.concept = _label("lessonConcept")
        self.concept.setStyleSheet("QLabel { color: #555; }")
        self.summary = _label("lessonSummary")
        for widget in (self.title, self.concept, self.summary):
            layout.addWidget(widget)

        self.prediction = QGroupBox("Predict first", objectName="lessonPrediction")
        prediction = QVBoxLayout(self.prediction)
        self.question = _label("lessonQuestion")
        prediction.addWidget(self.question)
        self.choices: list[QCommandLinkButton] = []
        self._choice_layout = QVBoxLayout()
        prediction.addLayout(self._choice_layout)
        self.feedback = _label("lessonFeedback")
        prediction.addWidget(self.feedback)
        layout.addWidget(self.prediction)

        self.task = QGroupBox("Task", objectName="lessonTask")
        task = QVBoxLayout(self.task)
        self.task_text = _label("lessonTaskText")
        task.addWidget(self.task_text)
        self.check_text = _label("lessonCheck")
        self.check_text.setStyleSheet("QLabel { color: #333; font-family: monospace; }")
        task.addWidget(self.check_text)
        row = QHBoxLayout()
        self.check = QPushButton("Check", objectName="lessonCheckButton")
        self.check.setToolTip("Check the goal against the numbers shown now; if it is not met "
                              "yet, the next hint appears")
        row.addWidget(self.check)
        row.addStretch(1)
        task.addLayout(row)
        self.hints = _label("lessonHints")
        self.hints.setStyleSheet(HINT_STYLE)
        task.addWidget(self.hints)
        self.banner = _label("lessonGoalBanner")
        self.banner.setStyleSheet(MET_STYLE)
        task.addWidget(self.banner)
        self.next = QPushButton("Next task →", objectName="lessonNextButton")
        task.addWidget(self.next, 0, Qt.AlignRight)
        layout.addWidget(self.task)

        self.done = _label("lessonDone")
        self.done.setStyleSheet(MET_STYLE)
        layout.addWidget(self.done)
        layout.addStretch(1)
        self.setWidget(body)

        self.back.clicked.connect(self.backRequested)
        self.reset.clicked.connect(self.resetRequested)
        self.check.clicked.connect(self.checkRequested)
        self.next.clicked.connect(self.nextRequested)

    # -- painting -------------------------------------------------------------------------

    def show_lesson(self, lesson, concept_title: str) -> None:
        """A newly opened lesson: its texts and its choice buttons."""
        self.title.setText(lesson.title)
        self.concept.setText(f"{concept_title} · in the {lesson.workspace} workspace")
        self.summary.setText(lesson.summary)
        self.summary.setVisible(bool(lesson.summary))
        for button in self.choices:
            self._choice_layout.removeWidget(button)
            button.deleteLater()
        self.choices = []
        if lesson.prediction is not None:
            self.question.setText(lesson.prediction.question)
            for index, choice in enumerate(lesson.prediction.choices):
                button = QCommandLinkButton(LETTERS[index], choice.text,
                                            objectName=f"lessonChoice{index}")
                button.setIcon(QIcon())          # no arrow: room for the text
                button.clicked.connect(lambda _=False, i=index: self.choiceClicked.emit(i))
                self._choice_layout.addWidget(button)
                self.choices.append(button)
        self.verticalScrollBar().setValue(0)

    def show_attempt(self, attempt) -> None:
        """Paint where the student is: the question (and the feedback of the answer picked),
        the current task, the revealed hints, the banner of a met goal, the end."""
        lesson = attempt.lesson
        prediction = lesson.prediction
        self.prediction.setVisible(prediction is not None)
        if prediction is not None:
            for index, button in enumerate(self.choices):     # once answered, only the answer
                button.setCheckable(True)                        # stays: the task needs the room
                button.setChecked(index == attempt.choice)
                button.setVisible(attempt.choice in (None, index))
            if attempt.choice is None:
                self.feedback.hide()
            else:
                choice = prediction.choices[attempt.choice]
                right = bool(choice.correct)
                self.feedback.setText(f"{'✓' if right else '✗'}  {choice.feedback}")
                self.feedback.setStyleSheet(FEEDBACK_STYLES[right])
                self.feedback.show()
        working = attempt.stage == "task"
        self.task.setVisible(working)
        self.done.setVisible(attempt.stage == "done")
        if attempt.stage == "done":
            self.done.setText(f"✓ Lesson complete: all {len(lesson.tasks)} "
                              f"task{'s' if len(lesson.tasks) != 1 else ''} done.")
        if not working:
            return
        task = attempt.task
        self.task.setTitle(f"Task {attempt.task_index + 1} of {len(lesson.tasks)}")
        self.task_text.setText(task.text)
        hints = attempt.hints
        self.hints.setText("\n".join(f"Hint {i + 1}: {hint}" for i, hint in enumerate(hints)))
        self.hints.setVisible(bool(hints))
        self.check.setEnabled(not attempt.met)
        self.banner.setVisible(attempt.met)
        self.next.setVisible(attempt.met)
        if attempt.met:
            self.banner.setText(f"✓ Goal met!  {task.explanation}")
            last = attempt.task_index + 1 >= len(lesson.tasks)
            self.next.setText("Finish lesson ✓" if last else "Next task →")
        self._show_at_the_end(self.next if attempt.met else self.task)

    def _show_at_the_end(self, widget: QWidget) -> None:
        """Scroll so ``widget`` is in sight once the layout has placed it."""
        QTimer.singleShot(0, lambda: self.ensureWidgetVisible(widget, 0, 0) if widget.isVisible() else None)

    def show_check(self, text: str, tooltip: str = "") -> None:
        """The goal's live reading, e.g. "test_loss 0.134 (goal ≤ 0.1)"."""
        self.check_text.setText(text)
        self.check_text.setToolTip(tooltip)
