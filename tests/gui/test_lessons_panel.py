"""The lessons dock as a student and a teacher use it: open a lesson, answer, reach the goal with the
reference solution through the controls, hints after failed tries, progress kept, bad files refused."""
import math
from html import escape
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QDialog, QWidget

from gui.lessons import LessonsWorkspace
from gui.lessons.progress import DONE, NEW, STARTED, LessonProgress
from model.lessons import load_lesson

LESSON = '''\
title = "Diverge, then train again"
concept = "learning_rate"
workspace = "main"
summary = "Too large a step overshoots; a sensible one trains."

[setup]
dataset = "circle"
samples = 200
hidden_layers = [4, 2]
output_activation = "linear"
optimizer = "sgd"
learning_rate = 0.03
epochs = 40

[classroom]
locked = ["dataset", "optimizer"]
hidden = ["features"]

[prediction]
question = "What does a learning rate of 30 do to the loss?"
[[prediction.choices]]
text = "It falls faster"
feedback = "Bigger steps jump out of the valley."
[[prediction.choices]]
text = "It blows up"
correct = true
feedback = "Each step overshoots further."

[[tasks]]
text = "Make training diverge."
goal = "diverged"
hints = ["Type 30 as the learning rate.", "Then press Run."]
explanation = "The updates grew until the numbers overflowed."
[tasks.solution]
learning_rate = 30.0

[[tasks]]
text = "Lower the learning rate, press Reset and train at least 20 epochs."
goal = "not diverged and epoch >= 20 and train_loss < previous.initial_train_loss"
hints = ["0.03 trains well here."]
explanation = "A step that stays in the valley brings the loss down."
[tasks.solution]
learning_rate = 0.03
epochs = 20
'''


@pytest.fixture
def lesson_file(tmp_path) -> Path:
    path = tmp_path / "course" / "diverge-then-train.toml"
    path.parent.mkdir()
    path.write_text(LESSON)
    return path


def lessons_of(window) -> LessonsWorkspace:
    return window.workspace(LessonsWorkspace)


def open_file(window, path) -> LessonsWorkspace:
    """File ▸ Open lesson… with ``path`` chosen in the dialog."""
    lessons = lessons_of(window)
    lessons.choose_lesson_path = lambda: str(path)
    window.findChild(QAction, "actionOpenLesson").trigger()
    return lessons


def type_learning_rate(window, value: str) -> None:
    combo = window.control_panel.training.learning_rate
    combo.setEditText(value)
    combo.lineEdit().editingFinished.emit()


def run_until(qtbot, window, condition, timeout=20000) -> None:
    if not window.is_running:
        window.findChild(QAction, "actionRun").trigger()
    qtbot.waitUntil(condition, timeout=timeout)


def test_a_lesson_sets_up_asks_checks_and_remembers(qtbot, make_window, settings, lesson_file):
    window = make_window()
    lessons = open_file(window, lesson_file)
    lesson = load_lesson(lesson_file)
    panel, controls = lessons.panel, window.control_panel
    # the setup is applied, its controls locked and hidden, the question asked before any task
    assert window.config == lesson.config()
    assert lessons.dock.isVisible() and panel.isVisible()
    assert not controls.data.dataset.isEnabled() and not controls.training.optimizer.isEnabled()
    assert not controls.features.isVisible() and controls.training.learning_rate.isEnabled()
    assert panel.question.isVisible() and not panel.task.isVisible()
    assert [button.description() for button in panel.choices] == ["It falls faster", "It blows up"]
    # a wrong answer gets its own feedback; the task follows
    panel.choices[0].click()
    assert panel.feedback.isVisible() and "jump out of the valley" in panel.feedback.text()
    assert panel.feedback.text().startswith("✗")
    assert panel.choices[0].isVisible() and not panel.choices[1].isVisible()     # the answer stays
    assert panel.task.isVisible() and panel.task_text.text() == "Make training diverge."
    assert not panel.hints.isVisible() and not panel.banner.isVisible()
    # "Check" before doing anything: not met, the first hint appears
    panel.check.click()
    qtbot.waitUntil(lambda: panel.hints.isVisible(), timeout=10000)
    assert panel.hints.text() == "Hint 1: Type 30 as the learning rate."
    assert "diverged" in panel.check_text.text()
    # the reference solution through the controls, then Run: the goal is met from the engine's numbers
    type_learning_rate(window, "30")
    assert window.config.learning_rate == 30.0
    run_until(qtbot, window, lambda: panel.banner.isVisible())
    assert window.latest_snapshot().diverged
    assert "The updates grew" in panel.banner.text() and panel.next.isVisible()
    assert LessonProgress(settings).tasks_done(lesson.id) == 1
    # task 2: its goal uses the quantities as they were when task 1 was met
    panel.next.click()
    assert panel.task.title() == "Task 2 of 2" and not panel.banner.isVisible()
    initial = lessons.attempt.previous["initial_train_loss"]
    assert math.isfinite(initial)
    type_learning_rate(window, "0.03")                     # back to the setup's rate: a change again
    assert window.config.learning_rate == 0.03
    window.findChild(QAction, "actionReset").trigger()
    run_until(qtbot, window, lambda: panel.banner.isVisible())
    window.pause_training()
    snapshot = window.latest_snapshot()
    assert not snapshot.diverged and snapshot.epoch >= 20 and snapshot.train_loss < initial
    panel.next.click()                                      # "Finish lesson"
    assert panel.done.isVisible() and not panel.task.isVisible()
    progress = LessonProgress(settings)
    assert progress.tasks_done(lesson.id) == 2 and progress.answered(lesson.id)
    assert progress.mark(lesson) == DONE
    # back to the list: the controls come back
    panel.back.click()
    assert controls.features.isVisible() and controls.data.dataset.isEnabled()
    assert controls.training.optimizer.isEnabled()


def test_training_that_stops_short_of_the_goal_reveals_a_hint(qtbot, make_window, lesson_file):
    window = make_window()
    lessons = open_file(window, lesson_file)
    panel = lessons.panel
    panel.choices[1].click()
    assert panel.feedback.text().startswith("✓")
    window.findChild(QAction, "actionRun").trigger()
    qtbot.waitUntil(lambda: window.latest_snapshot().epoch >= 3, timeout=10000)
    window.findChild(QAction, "actionRun").trigger()        # pause: a try that did not diverge
    qtbot.waitUntil(lambda: panel.hints.isVisible(), timeout=10000)
    assert not panel.banner.isVisible() and not lessons.attempt.met
    assert panel.hints.text() == "Hint 1: Type 30 as the learning rate."


def test_reset_lesson_sets_it_up_again(qtbot, make_window, lesson_file):
    window = make_window()
    lessons = open_file(window, lesson_file)
    lessons.panel.choices[1].click()
    type_learning_rate(window, "30")
    window.control_panel.changeRequested.emit({"hidden_layers": (3,)})
    assert window.config.hidden_layers == (3,)
    lessons.panel.reset.click()
    assert window.config == load_lesson(lesson_file).config()
    assert lessons.panel.question.isVisible() and not lessons.panel.task.isVisible()


def test_a_malformed_lesson_file_says_why_and_keeps_the_open_lesson(qtbot, make_window, lesson_file,
                                                                  tmp_path):
    window = make_window()
    lessons = open_file(window, lesson_file)
    config = window.config
    bad = tmp_path / "broken.toml"
    bad.write_text(LESSON.replace('goal = "diverged"', 'goal = "diverged and"'))
    messages = []
    window.show_error = lambda title, text: messages.append((title, text))
    assert not lessons.open_lesson_file(str(bad))
    assert len(messages) == 1
    first_line = messages[0][1].splitlines()[0]
    assert first_line.startswith(f"{bad}:") and "goal" in first_line
    assert lessons.lesson.path == lesson_file and window.config == config
    assert lessons.panel.title.text() == "Diverge, then train again"


def test_progress_marks_in_the_list_survive_a_restart(qtbot, make_window, settings, lesson_file):
    window = make_window()
    lessons = open_file(window, lesson_file)
    lesson = lessons.lesson
    assert LessonProgress(settings).mark(lesson) == NEW
    lessons.panel.choices[1].click()
    assert LessonProgress(settings).mark(lesson) == STARTED
    lessons.panel.back.click()
    rows = [(row.mark, row.lesson.title) for row in lessons.catalogue.rows()]
    assert (STARTED, "Diverge, then train again") in rows
    window.close()
    again = make_window()
    assert LessonProgress(settings).mark(lesson) == STARTED
    assert all(row.mark in (DONE, STARTED, NEW) for row in lessons_of(again).catalogue.rows())


def test_the_classroom_setting_hides_controls_and_is_remembered(qtbot, make_window, settings):
    window = make_window()
    window.findChild(QAction, "actionClassroomControls").trigger()
    dialog = window.findChild(QDialog, "classroomDialog")
    qtbot.waitUntil(dialog.isVisible)
    dialog.boxes["l1"].setChecked(True)
    dialog.boxes["seed"].setChecked(True)
    dialog.accept()
    controls = window.control_panel
    assert not controls.regularization.l1.isVisible() and controls.regularization.l2.isVisible()
    assert not controls.training.seed.isVisible() and controls.training.learning_rate.isVisible()
    window.close()
    again = make_window()
    assert not again.control_panel.regularization.l1.isVisible()
    assert not again.control_panel.training.seed.isVisible()
    assert LessonProgress(settings).classroom_hidden() == ["l1", "seed"]


RECURRENT_LESSON = '''\
title = "Memory over a few steps"
concept = "recurrent"
workspace = "recurrent"
summary = "An RNN repeats what it saw two steps ago."

[setup]
task = "echo"
sequences = 200
steps = 8
delay = 2
hidden = 8
learning_rate = 0.03
epochs = 40

[classroom]
locked = ["task"]
hidden = ["clip"]

[[tasks]]
text = "Train until the echo is right on most steps."
goal = "test_accuracy >= 0.9 and gradient_ratio > 0"
hints = ["Press Run."]
explanation = "The hidden state carried the input forward two steps."
'''

CONVOLUTION_LESSON = '''\
title = "Kernels find bars"
concept = "convolution"
workspace = "convolution"
summary = "A small CNN tells horizontal from vertical bars."

[setup]
images = "bars"
layers = "conv4x3,relu,pool2"
learning_rate = 0.01
epochs = 10

[[tasks]]
text = "Train until the test accuracy reaches 90 %."
goal = "test_accuracy >= 90 % and shifted_test_accuracy >= 0.5"
hints = ["Press Run."]
explanation = "The same kernel slides over every position."
'''


def test_a_recurrent_lesson_sets_up_the_recurrent_window_and_checks_it(qtbot, make_window, tmp_path):
    path = tmp_path / "memory.toml"
    path.write_text(RECURRENT_LESSON)
    window = make_window()
    lessons = open_file(window, path)
    recurrent = window.findChild(QWidget, "recurrentWindow")
    assert recurrent is not None and recurrent.isVisible()
    setting = load_lesson(path).config()
    assert recurrent.setting.network == setting.network(setting.data())      # as the headless check builds it
    assert (recurrent.task.currentText(), recurrent.hidden.value(), recurrent.steps.value(),
            recurrent.delay.value()) == ("echo", 8, 8, 2)
    assert not recurrent.task.isEnabled() and not recurrent.clip.isVisible() and recurrent.hidden.isEnabled()
    panel = lessons.panel
    assert panel.task.isVisible() and not panel.prediction.isVisible()       # no question: the task
    recurrent.run_button.click()
    qtbot.waitUntil(lambda: panel.banner.isVisible(), timeout=30000)
    recurrent.run_button.click()
    quantities = lessons.attempt.met_quantities
    assert quantities["test_accuracy"] >= 0.9 and quantities["gradient_ratio"] > 0
    assert quantities["steps"] == 8 and quantities["hidden_neurons"] == 8


def test_a_convolution_lesson_trains_its_setting_in_the_convolution_window(qtbot, make_window, tmp_path):
    path = tmp_path / "bars.toml"
    path.write_text(CONVOLUTION_LESSON)
    window = make_window()
    lessons = open_file(window, path)
    convolution = window.findChild(QWidget, "convolutionWindow")
    assert convolution is not None and convolution.isVisible()
    assert convolution.images.class_names == ("horizontal", "vertical")
    net, *_ = load_lesson(path).config().build()
    assert convolution.experiment.net.parameters.keys() == net.parameters.keys()
    assert convolution.experiment.net.params.size == net.params.size
    convolution.run_action.trigger()
    qtbot.waitUntil(lambda: lessons.panel.banner.isVisible(), timeout=30000)
    convolution.run_action.trigger()
    assert lessons.attempt.met_quantities["test_accuracy"] >= 0.9


def shipped_lessons():
    from gui.lessons.workspace import LESSONS_FOLDER
    from model.lessons import load_lessons
    lessons, errors = load_lessons(LESSONS_FOLDER)
    assert not errors
    return lessons


def pause(window, lessons) -> None:
    family = lessons.lesson.family
    if family == "mlp":
        window.pause_training()
    elif family == "convolution":
        lessons.source.window.run_action.setChecked(False)
    else:
        lessons.source.window.run_button.setChecked(False)


def first_of_each_family():
    firsts = {}
    for lesson in shipped_lessons():
        firsts.setdefault(lesson.family, lesson)
    return list(firsts.values())


def test_the_dock_lists_the_shipped_lessons_by_concept(qtbot, make_window):
    from model.lessons import CONCEPTS
    window = make_window()
    window.findChild(QAction, "actionLessons").trigger()
    lessons = lessons_of(window)
    assert lessons.dock.isVisible() and lessons.catalogue.isVisible()
    shipped = shipped_lessons()
    assert lessons.catalogue.headings() == [CONCEPTS[c] for c in dict.fromkeys(lesson.concept for lesson in shipped)]
    rows = lessons.catalogue.rows()
    assert [(row.mark, row.lesson.id) for row in rows] == [(NEW, lesson.id) for lesson in shipped]
    assert all(escape(lesson.title) in row.text() for row, lesson in zip(rows, shipped))
    qtbot.waitUntil(lambda: all(row.isVisible() for row in rows))
    assert not lessons.catalogue.errors.isVisible()


def apply_solution(window, lessons, task) -> None:
    """A task's reference solution as a student does it: the setting changes through the
    controls, Reset (fresh weights, the setup's seed), Run."""
    changes = {name: value for name, value in task.solution.items() if name != "epochs"}
    family = lessons.lesson.family
    if family == "mlp":
        if changes:              # the path every control's edit takes (live, or a rebuild)
            window.control_panel.changeRequested.emit(
                {name: tuple(value) if isinstance(value, list) else value for name, value in changes.items()})
        window.findChild(QAction, "actionReset").trigger()
        window.findChild(QAction, "actionRun").trigger()
    elif family == "convolution":
        convolution = lessons.source.window
        assert set(changes) <= {"layers"}
        if changes:
            convolution.layers.setText(changes["layers"])
            convolution.layers.editingFinished.emit()
            assert convolution.setting.layers == changes["layers"]
        convolution.run_action.trigger()
    else:
        recurrent = lessons.source.window
        for name, value in changes.items():
            control = recurrent.controls[name]
            if isinstance(control, QComboBox):
                control.setCurrentText(value)
            else:
                control.setValue(value)
                control.editingFinished.emit()
        assert all(recurrent.setting.network[name] == value for name, value in changes.items())
        recurrent.run_button.setChecked(True)


@pytest.mark.parametrize("lesson", first_of_each_family(), ids=lambda lesson: lesson.id)
def test_a_shipped_lesson_is_met_with_its_reference_solutions(qtbot, make_window, settings, lesson):
    window = make_window()
    window.findChild(QAction, "actionLessons").trigger()
    lessons = lessons_of(window)
    row = next(row for row in lessons.catalogue.rows() if row.lesson.id == lesson.id)
    row.linkActivated.emit("open")                           # a click on its title
    assert lessons.lesson.id == lesson.id and lessons.panel.title.text() == lesson.title
    if lesson.prediction is not None:
        correct = next(i for i, choice in enumerate(lesson.prediction.choices) if choice.correct)
        lessons.panel.choices[correct].click()
        assert lessons.panel.feedback.text().startswith("✓")
    for index, task in enumerate(lesson.tasks):
        assert lessons.panel.task.title() == f"Task {index + 1} of {len(lesson.tasks)}"
        apply_solution(window, lessons, task)
        qtbot.waitUntil(lambda: lessons.panel.banner.isVisible(), timeout=60000)
        assert task.explanation in lessons.panel.banner.text()
        pause(window, lessons)
        lessons.panel.next.click()
    assert lessons.panel.done.isVisible()
    assert LessonProgress(settings).mark(lesson) == DONE
    lessons.panel.back.click()
    assert any(row.mark == DONE and row.lesson.id == lesson.id for row in lessons.catalogue.rows())


def test_a_lesson_elsewhere_leaves_the_walkthrough_of_the_one_before(qtbot, make_window):
    from gui.walkthrough.mode import WalkthroughMode
    shipped = shipped_lessons()
    walkthrough_lesson = next(lesson for lesson in shipped if lesson.workspace == "walkthrough")
    main_lesson = next(lesson for lesson in shipped if lesson.workspace == "main")
    window = make_window()
    lessons, walkthrough = lessons_of(window), window.workspace(WalkthroughMode)
    assert lessons.open_lesson(walkthrough_lesson)
    assert walkthrough.active and walkthrough.dock.isVisible()
    assert lessons.open_lesson(main_lesson)
    assert not walkthrough.active and window.config == main_lesson.config()
