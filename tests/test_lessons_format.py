"""The lesson file format: a valid lesson read in full, and every malformed case named with its line."""
import sys
from pathlib import Path

import pytest

from model.config import ExperimentConfig
from model.lessons import (CONCEPTS, CONTROLS, QUANTITIES, WORKSPACES, LessonError, SequenceSetting,
                           load_lesson, load_lessons, parse_lesson)
from model.lessons.quantities import quantity_names

VALID = '''\
title = "Too high a learning rate"
concept = "learning_rate"
workspace = "main"
summary = "Big steps overshoot."

[setup]
dataset = "circle"
hidden_layers = [4]
learning_rate = 0.03
epochs = 30

[classroom]
locked = ["dataset"]
hidden = ["features", "l1"]

[prediction]
question = "What will the loss do?"
[[prediction.choices]]
text = "Fall faster"
feedback = "Not always."
[[prediction.choices]]
text = "Blow up"
correct = true
feedback = "Yes."

[[tasks]]
text = "Make it diverge."
goal = "diverged"
hints = ["Try 10.", "Use sgd."]
explanation = "It overflowed."
[tasks.solution]
learning_rate = 20.0
epochs = 5

[[tasks]]
text = "Train well again."
goal = "test_loss <= previous.test_loss * (1 - 30 %) and hidden_neurons <= 6"
[tasks.solution]
learning_rate = 0.03
'''


def lesson_error(text: str) -> LessonError:
    with pytest.raises(LessonError) as caught:
        parse_lesson(text, "lessons/07-too-high.toml")
    return caught.value


def test_a_valid_lesson_reads_in_full():
    lesson = parse_lesson(VALID, "lessons/07-too-high.toml")
    assert (lesson.id, lesson.title, lesson.concept, lesson.workspace) == \
        ("07-too-high", "Too high a learning rate", "learning_rate", "main")
    assert lesson.summary == "Big steps overshoot."
    assert lesson.setup == {"dataset": "circle", "hidden_layers": [4], "learning_rate": 0.03}
    assert lesson.epochs == 30
    assert lesson.locked == ("dataset",) and lesson.hidden == ("features", "l1")
    assert lesson.prediction.question == "What will the loss do?"
    assert [(c.text, c.correct, c.feedback) for c in lesson.prediction.choices] == \
        [("Fall faster", False, "Not always."), ("Blow up", True, "Yes.")]
    first, second = lesson.tasks
    assert first.text == "Make it diverge." and str(first.goal) == "diverged"
    assert first.hints == ("Try 10.", "Use sgd.") and first.explanation == "It overflowed."
    assert first.solution == {"learning_rate": 20.0, "epochs": 5}
    assert second.goal.names == {"test_loss", "previous.test_loss", "hidden_neurons"}
    assert second.hints == () and second.explanation == ""
    assert lesson.config() == ExperimentConfig(dataset="circle", hidden_layers=(4,), learning_rate=0.03)
    # each task's setting: the setup with the solutions so far; its own epochs or the setup's
    assert lesson.setting_for(0) == (lesson.config().replace(learning_rate=20.0), 5)
    assert lesson.setting_for(1) == (lesson.config(), 30)


def test_prediction_and_classroom_are_optional():
    text = VALID.split("[classroom]")[0] + "[[tasks]]" + VALID.split("[[tasks]]", 1)[1]
    lesson = parse_lesson(text, "x.toml")
    assert lesson.prediction is None and lesson.locked == () and lesson.hidden == ()


@pytest.mark.parametrize("old, new, line, words", [
    ('title = "Too high a learning rate"', 'title = "unterminated', 1, "not valid TOML"),
    ("epochs = 30", "epochs = = 30", 10, "not valid TOML"),
    ('title = "Too high a learning rate"\n', "", None, "missing 'title'"),
    ('concept = "learning_rate"', 'concept = "learning_rates"', 2, "unknown concept 'learning_rates'"),
    ('workspace = "main"', 'workspace = "lab"', 3, "unknown workspace 'lab'"),
    ("hidden_layers = [4]", "hidden_layer = [4]", 8, "unknown setting 'hidden_layer'"),
    ("learning_rate = 0.03\nepochs", "learning_rate = -1\nepochs", 9, "learning rate must be"),
    ('dataset = "circle"', 'dataset = "circles"', 7, "unknown dataset"),
    ('hidden = ["features", "l1"]', 'hidden = ["features", "l3"]', 14, "unknown control 'l3'"),
    ('goal = "diverged"', 'goal = "diverged and"', 28, "column 13"),
    ('goal = "diverged"', 'goal = "divergd"', 28, "unknown quantity 'divergd'"),
    ('goal = "diverged"\n', "", 26, "task 1 has no goal"),
    ('goal = "diverged"', 'goal = "previous.diverged"', 28, "first task"),
    ("correct = true\n", "", 16, "no correct choice"),
    ("correct = true", "correct = 1", 23, "'correct' must be true or false"),
    ("[tasks.solution]\nlearning_rate = 20.0", "[tasks.solution]\nlearning_rat = 20.0", 32,
     "unknown setting 'learning_rat'"),
    ("learning_rate = 20.0\nepochs = 5", "learning_rate = 20.0\nepochs = 0", 33, "epochs must be"),
    ("learning_rate = 0.03\nepochs = 30\n", "learning_rate = 0.03\n", 6, "missing 'epochs'"),
    ('hints = ["Try 10.", "Use sgd."]', 'hints = "Try 10."', 29, "list of texts"),
    ('explanation = "It overflowed."', 'explaination = "It overflowed."', 30, "unknown key 'explaination'"),
    ('summary = "Big steps overshoot."', 'sumary = "Big steps overshoot."', 4, "unknown key 'sumary'"),
    ('dataset = "circle"', 'dataset = "spiral"\noutput_activation = "softmax"', 8, "softmax"),
    ('locked = ["dataset"]', 'locked = ["dataset", "learning_rate"]', 32, "[classroom] has locked"),
])
def test_each_malformed_case_names_the_file_the_line_and_the_problem(old, new, line, words):
    assert old in VALID
    error = lesson_error(VALID.replace(old, new, 1))
    assert error.path == Path("lessons/07-too-high.toml") and error.line == line, str(error)
    assert words in error.message, str(error)
    assert str(error).startswith(f"lessons/07-too-high.toml:{line}: " if line else "lessons/07-too-high.toml: ")


def test_a_lesson_without_tasks():
    error = lesson_error(VALID.split("[[tasks]]")[0])
    assert "no tasks" in error.message


def test_lessons_in_a_folder_sort_by_concept_and_report_the_broken(tmp_path):
    (tmp_path / "b.toml").write_text(VALID.replace('"learning_rate"\n', '"weighted_sum"\n', 1))
    (tmp_path / "a.toml").write_text(VALID)
    (tmp_path / "c.toml").write_text(VALID.replace('"learning_rate"\n', '"loss"\n', 1))
    (tmp_path / "broken.toml").write_text("title = ")
    (tmp_path / "notes.txt").write_text("not a lesson")
    lessons, errors = load_lessons(tmp_path)
    assert [lesson.id for lesson in lessons] == ["b", "c", "a"]     # weighted_sum, loss, learning_rate
    assert [(e.path.name, e.line) for e in errors] == [("broken.toml", 1)]
    with pytest.raises(LessonError, match="cannot read"):
        load_lesson(tmp_path / "missing.toml")


def test_the_recurrent_and_convolution_workspaces_take_their_own_setting():
    text = (VALID.replace('workspace = "main"', 'workspace = "recurrent"')
            .replace('dataset = "circle"\nhidden_layers = [4]', 'task = "echo"\nhidden = 8')
            .replace('locked = ["dataset"]', 'locked = ["task"]').replace('"features", "l1"', '"clip"')
            .replace("hidden_neurons <= 6", "gradient_ratio >= 0.1"))
    lesson = parse_lesson(text, "r.toml")
    assert lesson.config() == SequenceSetting(task="echo", hidden=8, learning_rate=0.03)
    error = lesson_error(text.replace("hidden = 8", "hidden = 0"))
    assert error.line == 8 and "hidden units" in error.message
    error = lesson_error(text.replace("gradient_ratio", "dead_relu_share"))
    assert "unknown quantity 'dead_relu_share'" in error.message     # not a recurrent quantity


def test_the_tables_the_panel_uses():
    assert list(CONCEPTS)[0] == "weighted_sum" and list(CONCEPTS)[-1] == "recurrent" and len(CONCEPTS) == 14
    assert "convolution" in WORKSPACES and "learning_rate" in CONTROLS and "clip" in CONTROLS
    assert all(q.description and q.workspaces for q in QUANTITIES.values())
    assert {"epoch", "train_loss", "test_loss", "best_test_loss", "best_epoch", "gap", "train_accuracy",
            "test_accuracy", "diverged", "stalled", "hidden_neurons", "hidden_layers", "parameters",
            "learning_rate", "dropout", "batch_norm", "early_stopped", "dead_relu_share",
            "saturated_share"} <= quantity_names("main")
    assert {"shifted_test_accuracy", "test_accuracy", "parameters"} <= quantity_names("convolution")
    assert {"gradient_ratio", "steps", "test_accuracy"} <= quantity_names("recurrent")


def test_without_tomllib_python_3_10_gets_a_message_not_a_crash(monkeypatch):
    monkeypatch.setitem(sys.modules, "tomllib", None)       # as on Python 3.10: no tomllib
    error = lesson_error(VALID)
    assert "Python 3.11" in error.message
