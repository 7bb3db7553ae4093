"""The list of lessons, grouped by concept (in ``model.lessons.CONCEPTS`` order), each with its
progress mark (✓ done, ◐ started, ○ new); clicking a title opens the lesson.

Titles are links in word-wrapping labels, so a long title wraps in a narrow dock instead of
being cut off.
"""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from model.lessons import CONCEPTS

LINK_STYLE = "color: #0b4f8a; text-decoration: none;"


def concept_title(concept: str) -> str:
    """The concept's title ("learning_rate" → "The learning rate")."""
    return CONCEPTS.get(concept, concept)


class LessonRow(QLabel):
    """One lesson: its mark and its title as a link."""

    def __init__(self, lesson, mark: str) -> None:
        super().__init__(objectName=f"lessonRow_{lesson.id}", wordWrap=True)
        self.lesson, self.mark = lesson, mark
        self.setText(f'{mark}&nbsp; <a href="open" style="{LINK_STYLE}">{escape(lesson.title)}</a>')
        self.setTextInteractionFlags(Qt.LinksAccessibleByMouse | Qt.LinksAccessibleByKeyboard)
        self.setToolTip(lesson.summary)
        self.setContentsMargins(12, 1, 0, 1)


class LessonList(QScrollArea):
    """``lessonChosen(lesson)`` when a lesson's title is clicked (or activated with the keyboard)."""

    lessonChosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lessonList")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        body = QWidget()
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(6, 6, 6, 6)
        self._layout.setSpacing(3)
        self._layout.addWidget(QLabel("Each lesson sets the app up, asks you to predict, then gives you a "
                                      "task the app checks from the network's own numbers.", wordWrap=True))
        self.errors = QLabel(objectName="lessonListErrors", wordWrap=True)
        self.errors.setStyleSheet("QLabel { color: #8a1c1c; }")
        self.errors.hide()
        self._layout.addWidget(self.errors)
        self._layout.addStretch(1)
        self.setWidget(body)
        self._shown: list[QLabel] = []

    def show_lessons(self, lessons, marks: dict[str, str], errors=()) -> None:
        """``lessons`` in order (a heading whenever the concept changes), ``marks`` by lesson id; the
        files that could not be read (LessonErrors) are listed under the lessons."""
        for widget in self._shown:
            self._layout.removeWidget(widget)
            widget.deleteLater()
        self._shown = []
        concept = None
        for lesson in lessons:
            if lesson.concept != concept:
                concept = lesson.concept
                heading = QLabel(f"<b>{escape(concept_title(concept))}</b>", wordWrap=True)
                self._shown.append(heading)
            row = LessonRow(lesson, marks.get(lesson.id, ""))
            row.linkActivated.connect(lambda _, chosen=lesson: self.lessonChosen.emit(chosen))
            self._shown.append(row)
        for index, widget in enumerate(self._shown):
            self._layout.insertWidget(1 + index, widget)
        self.errors.setVisible(bool(errors))
        self.errors.setText("\n".join(f"Not loaded: {error}" for error in errors))

    def rows(self) -> list[LessonRow]:
        """The lesson rows, top to bottom."""
        return [widget for widget in self._shown if isinstance(widget, LessonRow)]

    def headings(self) -> list[str]:
        return [widget.text().removeprefix("<b>").removesuffix("</b>") for widget in self._shown
                if not isinstance(widget, LessonRow)]
