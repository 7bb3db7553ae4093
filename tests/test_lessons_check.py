"""`python main.py lessons --check`: every shipped lesson's reference solution meets every goal, and
no goal holds before training; broken lessons and failed references exit 1 without a traceback."""
import subprocess
import sys
from pathlib import Path

import pytest

from model.lessons import CONCEPTS, load_lessons, run_reference

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "resources" / "lessons"
LESSON = '''\
title = "A lesson"
concept = "learning_rate"
workspace = "main"
[setup]
dataset = "gaussian"
samples = 60
hidden_layers = [2]
learning_rate = 0.03
epochs = 20
[[tasks]]
text = "Reach it."
goal = "{goal}"
'''


def run(*args):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "lessons", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_the_shipped_lessons_pass_the_check():
    result = run("--check")
    assert result.returncode == 0, result.stdout + result.stderr
    lessons, errors = load_lessons(SHIPPED)
    assert errors == []
    rows = [line.split() for line in result.stdout.splitlines()[1:-1]]
    assert len(rows) == sum(len(lesson.tasks) for lesson in lessons)
    assert all(row[2] == "yes" for row in rows)
    assert "Traceback" not in result.stderr


def test_the_shipped_lessons_cover_every_concept_each_with_a_reference():
    lessons, _ = load_lessons(SHIPPED)
    assert len(lessons) >= 14
    assert {lesson.concept for lesson in lessons} == set(CONCEPTS)
    assert all(task.solution for lesson in lessons for task in lesson.tasks)
    assert all(lesson.prediction and lesson.summary for lesson in lessons)
    for lesson in lessons:      # a reference may only change what the student can reach
        changed = {key for task in lesson.tasks for key in task.solution} - {"epochs"}
        assert not changed & set(lesson.locked + lesson.hidden), lesson.id


def test_a_malformed_lesson_fails_the_check_with_its_line(tmp_path):
    (tmp_path / "good.toml").write_text(LESSON.format(goal="test_accuracy >= 0.9"))
    (tmp_path / "bad.toml").write_text(LESSON.format(goal="test_acuracy >= 0.9"))
    result = run("--check", str(tmp_path))
    assert result.returncode == 1
    assert f"{tmp_path / 'bad.toml'}:12: goal of task 1: column 1: unknown quantity 'test_acuracy'" in result.stderr
    assert "good" in result.stdout and "Traceback" not in result.stderr


@pytest.mark.parametrize("goal, problem", [
    ("test_accuracy >= 0.9 and hidden_neurons >= 3", "did not meet the goal"),   # the net has 2 neurons
    ("epoch >= 0", "already holds before any training"),
])
def test_a_reference_that_misses_or_a_goal_met_untrained_fails_the_check(tmp_path, goal, problem):
    (tmp_path / "lesson.toml").write_text(LESSON.format(goal=goal))
    result = run("--check", str(tmp_path))
    assert result.returncode == 1 and problem in result.stderr and "Traceback" not in result.stderr


def test_previous_is_what_the_previous_task_reached(tmp_path):
    text = LESSON.format(goal="test_accuracy >= 0.9") + '''\
[[tasks]]
text = "Do better with fewer epochs: a larger step."
goal = "test_accuracy >= previous.test_accuracy and epoch < previous.epoch"
[tasks.solution]
learning_rate = 0.3
'''
    (tmp_path / "lesson.toml").write_text(text)
    lessons, errors = load_lessons(tmp_path)
    first, second = run_reference(lessons[0])
    assert first.passed and second.passed
    assert second.quantities["epoch"] < first.quantities["epoch"]
    assert second.quantities["test_accuracy"] >= first.quantities["test_accuracy"]


def test_without_check_the_command_lists_the_lessons_by_concept():
    result = run()
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["lesson", "concept", "workspace", "tasks", "title"]
    lessons, _ = load_lessons(SHIPPED)
    assert [line.split()[0] for line in lines[1:]] == [lesson.id for lesson in lessons]
    assert [line.split()[1] for line in lines[1:]][0] == "weighted_sum"


def test_a_folder_without_lessons_is_an_error(tmp_path):
    result = run("--check", str(tmp_path))
    assert result.returncode == 1 and "no lesson files (*.toml)" in result.stderr


def test_a_lesson_whose_data_cannot_be_read_fails_its_task_not_the_check(tmp_path):
    (tmp_path / "csv.toml").write_text(LESSON.format(goal="test_accuracy >= 0.9").replace(
        'dataset = "gaussian"', f'csv_path = "{tmp_path / "missing.csv"}"'))
    (tmp_path / "good.toml").write_text(LESSON.format(goal="test_accuracy >= 0.9"))
    result = run("--check", str(tmp_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "missing.csv" in result.stderr
    assert [line.split()[:3] for line in result.stdout.splitlines()[1:3]] == [["csv", "1", "NO"], ["good", "1", "yes"]]
