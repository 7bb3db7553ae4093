"""The list of lessons, grouped by concept (in ``model.lessons.CONCEPTS`` order), each with its
progress mark (✓ done, ◐ started, ○ new); clicking one opens it."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from model.lessons import CONCEPTS

LESSON_ROLE = Qt.UserRole


def concept_title(concept: str) -> str:
    """The concept's title ("learning_rate" → "The learning rate")."""
    return CONCEPTS.get(concept, concept)


class LessonList(QWidget):
    """``lessonChosen(lesson)`` when a lesson is clicked (or activated with the keyboard)."""

    lessonChosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        intro = QLabel("Each lesson sets the app up, asks you to predict, then gives you a task the "
                       "app checks from the network's own numbers.", wordWrap=True)
        layout.addWidget(intro)
        self.tree = QTreeWidget(objectName="lessonList")
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.tree.itemClicked.connect(self._chosen)
        self.tree.itemActivated.connect(self._chosen)
        layout.addWidget(self.tree, 1)
        self.errors = QLabel(objectName="lessonListErrors", wordWrap=True)
        self.errors.setStyleSheet("QLabel { color: #8a1c1c; }")
        self.errors.hide()
        layout.addWidget(self.errors)

    def show_lessons(self, lessons, marks: dict[str, str], errors=()) -> None:
        """``lessons`` in order (grouped by concept as they come), ``marks`` by lesson id; the
        files that could not be read (LessonErrors) are listed under the lessons."""
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        for lesson in lessons:
            group = groups.get(lesson.concept)
            if group is None:
                group = groups[lesson.concept] = QTreeWidgetItem([concept_title(lesson.concept)])
                group.setFlags(Qt.ItemIsEnabled)
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                self.tree.addTopLevelItem(group)
            item = QTreeWidgetItem([f"{marks.get(lesson.id, '')}  {lesson.title}"])
            item.setData(0, LESSON_ROLE, lesson)
            item.setToolTip(0, lesson.summary)
            group.addChild(item)
        self.tree.expandAll()
        self.errors.setVisible(bool(errors))
        self.errors.setText("\n".join(f"Not loaded: {error}" for error in errors))

    def items(self) -> list[QTreeWidgetItem]:
        """The lesson rows, top to bottom."""
        return [self.tree.topLevelItem(g).child(i) for g in range(self.tree.topLevelItemCount())
                for i in range(self.tree.topLevelItem(g).childCount())]

    def _chosen(self, item: QTreeWidgetItem) -> None:
        lesson = item.data(0, LESSON_ROLE)
        if lesson is not None:
            self.lessonChosen.emit(lesson)
