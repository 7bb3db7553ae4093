"""The lesson file: TOML (stdlib ``tomllib``), one file per lesson, read into immutable objects.

    lesson = load_lesson("resources/lessons/07-learning-rate-too-high.toml")   # LessonError on a problem
    lessons, errors = load_lessons("resources/lessons")

The format is described in the README ("Writing a lesson") and in
``notes/LESSONS_SPEC.md``. Every problem is a ``LessonError(path, line, message)``
whose text is ``"<file>:<line>: <problem>"``: TOML syntax errors carry the line
``tomllib`` reports; for everything else the line of the key (or table) at fault is
found by ``_Lines``, a scan of the file's table headers and ``key =`` lines.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import ExperimentConfig, SettingError, check_task_outputs
from ..datasets import DATASETS
from .conditions import Condition, ConditionError, parse_condition
from .quantities import quantity_names
from .settings import ConvolutionSetting, SequenceSetting

#: The concepts, in the order a course meets them (the panel groups lessons by them).
CONCEPTS: dict[str, str] = {
    "weighted_sum": "The weighted sum and the activation",
    "activation_functions": "Activation functions",
    "forward_pass": "The forward pass",
    "loss": "The loss",
    "backpropagation": "Backpropagation",
    "gradient_descent": "Gradient descent",
    "learning_rate": "The learning rate",
    "local_minima": "Local minima",
    "overfitting": "Overfitting",
    "dropout": "Dropout",
    "batch_norm": "Batch normalisation",
    "early_stopping": "Early stopping",
    "convolution": "Convolutional networks",
    "recurrent": "Recurrent networks",
}
#: Where a lesson happens; the MLP workspaces take an ``ExperimentConfig`` setup.
WORKSPACES: tuple[str, ...] = ("main", "walkthrough", "compare", "landscape", "overfitting",
                               "convolution", "recurrent")
MLP_WORKSPACES = WORKSPACES[:5]
#: Controls a lesson may lock or hide, per workspace family: the fields of its setting.
FAMILY_CONTROLS: dict[str, tuple[str, ...]] = {
    "mlp": tuple(f.name for f in dataclasses.fields(ExperimentConfig) if f.name != "extra"),
    "convolution": tuple(f.name for f in dataclasses.fields(ConvolutionSetting)),
    "recurrent": tuple(f.name for f in dataclasses.fields(SequenceSetting)),
}
#: Every control name (one list; the GUI maps each to its widgets).
CONTROLS: tuple[str, ...] = tuple(dict.fromkeys(name for names in FAMILY_CONTROLS.values() for name in names))
TOP_KEYS = {"title", "concept", "workspace", "summary", "setup", "classroom", "prediction", "tasks"}
TASK_KEYS = {"text", "goal", "hints", "explanation", "solution"}
MAX_EPOCHS = 100_000


class LessonError(ValueError):
    """A problem with a lesson file; ``str()`` is ``"<file>:<line>: <problem>"`` (no line if unknown)."""

    def __init__(self, path: str | Path, line: int | None, message: str):
        self.path, self.line, self.message = Path(path), line, message
        where = f"{self.path}:{line}" if line else f"{self.path}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Choice:
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Prediction:
    """A multiple-choice question answered before the first task."""

    question: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class Task:
    """One goal: ``solution`` is the setting change (plus optional ``epochs``) that reaches it."""

    text: str
    goal: Condition
    hints: tuple[str, ...] = ()
    explanation: str = ""
    solution: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Lesson:
    id: str                     # the file's stem: a stable key for stored progress
    path: Path
    title: str
    concept: str
    workspace: str
    summary: str
    setup: dict                 # the [setup] table without ``epochs``
    epochs: int                 # how many epochs the reference solution trains
    locked: tuple[str, ...]
    hidden: tuple[str, ...]
    prediction: Prediction | None
    tasks: tuple[Task, ...]

    @property
    def family(self) -> str:
        """"mlp", "convolution" or "recurrent": which setting and quantities the workspace uses."""
        return "mlp" if self.workspace in MLP_WORKSPACES else self.workspace

    def config(self, changes: dict | None = None):
        """The setup (with ``changes``) as the workspace's setting: an ``ExperimentConfig`` for the
        MLP workspaces, a ``ConvolutionSetting`` or ``SequenceSetting`` otherwise. SettingError on
        a bad value."""
        return build_setting(self.family, {**self.setup, **(changes or {})})

    def setting_for(self, task_index: int):
        """(setting, epochs) task ``task_index``'s reference solution trains: the setup with the
        solutions of tasks 0 … task_index applied in order, and the task's epochs (its solution's
        ``epochs``, else the setup's). ``task_index`` −1: the setup itself."""
        changes: dict = {}
        for task in self.tasks[:task_index + 1]:
            changes.update({key: value for key, value in task.solution.items() if key != "epochs"})
        epochs = self.tasks[task_index].solution.get("epochs", self.epochs) if task_index >= 0 else self.epochs
        return self.config(changes), epochs


def build_setting(family: str, values: dict):
    """The workspace family's setting from ``values``: SettingError naming the field on a problem.
    MLP setups are checked by ``ExperimentConfig`` and against their data's task (output and loss)."""
    if family == "convolution":
        return ConvolutionSetting.from_dict(values)
    if family == "recurrent":
        return SequenceSetting.from_dict(values)
    unknown = sorted(set(values) - set(FAMILY_CONTROLS["mlp"]))
    if unknown:
        raise SettingError(unknown[0], f"unknown setting {unknown[0]!r}; choose from "
                                       f"{', '.join(FAMILY_CONTROLS['mlp'])}")
    config = ExperimentConfig(**values)
    if config.csv_path is None:
        check_task_outputs(DATASETS[config.dataset].task, config.output_activation, config.loss)
    return config


# -- where things are in the file -------------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[|\[)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\")\s*=")


class _Lines:
    """The line of each table header and ``key =`` line, by table path: ("tasks", 1, "solution")."""

    def __init__(self, text: str):
        self.keys: dict[tuple, int] = {}
        self.tables: dict[tuple, int] = {}
        counts: dict[tuple, int] = {}
        table: tuple = ()
        for number, line in enumerate(text.splitlines(), start=1):
            header = _HEADER.match(line)
            if header:
                names = [part.strip().strip('"') for part in header.group(2).split(".")]
                path: tuple = ()
                for name in names[:-1]:
                    path += (name,)
                    if path in counts:
                        path += (counts[path] - 1,)
                path += (names[-1],)
                if header.group(1) == "[[":
                    counts[path] = counts.get(path, 0) + 1
                    path += (counts[path] - 1,)
                table = path
                self.tables.setdefault(table, number)
                continue
            key = _KEY.match(line)
            if key:
                self.keys.setdefault(table + (key.group(1).strip('"'),), number)

    def of(self, *path) -> int | None:
        """The line of key ``path[-1]`` in table ``path[:-1]``, else of the nearest table above it."""
        if path in self.keys:
            return self.keys[path]
        while path:
            if path in self.tables:
                return self.tables[path]
            path = path[:-1]
        return None


# -- reading ------------------------------------------------------------------------------------

class _Reader:
    def __init__(self, path: Path, text: str):
        self.path, self.lines = path, _Lines(text)

    def error(self, message: str, *where) -> LessonError:
        return LessonError(self.path, self.lines.of(*where) if where else None, message)

    def text(self, table: dict, key: str, *where, required: bool = True, default: str = "") -> str:
        if key not in table:
            if required:
                raise self.error(f"missing {key!r}", *where[:-1] if where else ())
            return default
        value = table[key]
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.error(f"{key!r} must be a non-empty text, got {value!r}", *where)
        return value.strip()

    def table(self, value: Any, what: str, *where) -> dict:
        if not isinstance(value, dict):
            raise self.error(f"{what} must be a table ([{what}]), got {value!r}", *where)
        return value

    def unknown_keys(self, table: dict, allowed: set, what: str, *where) -> None:
        unknown = sorted(set(table) - allowed)
        if unknown:
            raise self.error(f"unknown key {unknown[0]!r} in {what}; allowed: {', '.join(sorted(allowed))}",
                             *where, unknown[0])

    def texts(self, value: Any, key: str, *where) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.error(f"{key!r} must be a list of texts, e.g. [\"first\", \"second\"]", *where)
        return tuple(v.strip() for v in value)


def parse_lesson(text: str, path: str | Path = "<lesson>") -> Lesson:
    """A ``Lesson`` from the TOML ``text`` of the file at ``path``; LessonError on any problem."""
    path = Path(path)
    try:
        import tomllib          # the standard library's from Python 3.11 (the app itself runs on 3.10)
    except ModuleNotFoundError:
        raise LessonError(path, None, "reading lessons needs Python 3.11 or newer (tomllib)") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"\(at line (\d+), column \d+\)", str(error))
        line = int(found.group(1)) if found else (
            max(1, len(text.splitlines())) if "end of document" in str(error) else None)
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(error))
        raise LessonError(path, line, f"not valid TOML: {message.lower()}") from None
    read = _Reader(path, text)
    read.unknown_keys(data, TOP_KEYS, "the lesson")
    title = read.text(data, "title", "title")
    concept = read.text(data, "concept", "concept")
    if concept not in CONCEPTS:
        raise read.error(f"unknown concept {concept!r}; choose one of {', '.join(CONCEPTS)}", "concept")
    workspace = read.text(data, "workspace", "workspace")
    if workspace not in WORKSPACES:
        raise read.error(f"unknown workspace {workspace!r}; choose one of {', '.join(WORKSPACES)}", "workspace")
    family = "mlp" if workspace in MLP_WORKSPACES else workspace
    summary = read.text(data, "summary", "summary", required=False)

    setup = dict(read.table(data.get("setup", {}), "setup", "setup"))
    epochs = _epochs(read, setup.pop("epochs", None), "setup", "epochs")
    _check_setting(read, family, setup, ("setup",))

    classroom = read.table(data.get("classroom", {}), "classroom", "classroom")
    read.unknown_keys(classroom, {"locked", "hidden"}, "[classroom]", "classroom")
    controls = {}
    for key in ("locked", "hidden"):
        names = read.texts(classroom.get(key, []), key, "classroom", key)
        for name in names:
            if name not in FAMILY_CONTROLS[family]:
                raise read.error(f"unknown control {name!r} in {key}; choose from "
                                 f"{', '.join(FAMILY_CONTROLS[family])}",
                                 "classroom", key)
        controls[key] = names

    prediction = _prediction(read, data["prediction"]) if "prediction" in data else None

    raw_tasks = data.get("tasks")
    if not raw_tasks:
        raise read.error("the lesson has no tasks: add at least one [[tasks]] table with text and goal")
    if not isinstance(raw_tasks, list) or not all(isinstance(t, dict) for t in raw_tasks):
        raise read.error("tasks must be [[tasks]] tables", "tasks")
    known = quantity_names(workspace)
    tasks, changes = [], dict(setup)
    for index, raw in enumerate(raw_tasks):
        where = ("tasks", index)
        read.unknown_keys(raw, TASK_KEYS, f"task {index + 1}", *where)
        text_ = read.text(raw, "text", *where, "text")
        if "goal" not in raw:
            raise read.error(f"task {index + 1} has no goal", *where)
        goal_text = raw["goal"]
        try:
            goal = parse_condition(goal_text, known.__contains__)
        except ConditionError as error:
            raise read.error(f"goal of task {index + 1}: {error} in {goal_text!r}"
                             + (f" (names in {workspace}: {', '.join(sorted(known))})"
                                if "unknown quantity" in error.message else ""), *where, "goal") from None
        if index == 0 and any(name.startswith("previous.") for name in goal.names):
            raise read.error("the first task's goal cannot use previous.: there is no previous task",
                             *where, "goal")
        hints = read.texts(raw.get("hints", []), "hints", *where, "hints")
        explanation = read.text(raw, "explanation", *where, "explanation", required=False)
        solution = dict(read.table(raw.get("solution", {}), "tasks.solution", *where, "solution"))
        if "epochs" in solution:
            _epochs(read, solution["epochs"], *where, "solution", "epochs")
        for key in solution:
            for kind in ("locked", "hidden"):
                if key in controls[kind]:
                    raise read.error(f"the solution of task {index + 1} changes {key!r}, which [classroom] "
                                     f"has {kind}: the student could not do the same", *where, "solution", key)
        changes.update({k: v for k, v in solution.items() if k != "epochs"})
        _check_setting(read, family, changes, where + ("solution",))
        tasks.append(Task(text_, goal, hints, explanation, solution))
    return Lesson(id=path.stem, path=path, title=title, concept=concept, workspace=workspace,
                  summary=summary, setup=setup, epochs=epochs, locked=controls["locked"],
                  hidden=controls["hidden"], prediction=prediction, tasks=tuple(tasks))


def _epochs(read: _Reader, value: Any, *where) -> int:
    if value is None:
        raise read.error("missing 'epochs' (how many epochs the reference solution trains)", *where[:-1])
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_EPOCHS:
        raise read.error(f"epochs must be a whole number from 1 to {MAX_EPOCHS}, got {value!r}", *where)
    return value


def _check_setting(read: _Reader, family: str, values: dict, where: tuple) -> None:
    """Validate by building the setting (``ExperimentConfig`` does the checking)."""
    try:
        build_setting(family, values)
    except SettingError as error:
        raise read.error(f"setting {error.field!r}: {error}" if error.field else str(error),
                         *where, error.field) from None
    except (TypeError, ValueError) as error:
        raise read.error(str(error), *where) from None


def _prediction(read: _Reader, raw: Any) -> Prediction:
    raw = read.table(raw, "prediction", "prediction")
    read.unknown_keys(raw, {"question", "choices"}, "[prediction]", "prediction")
    question = read.text(raw, "question", "prediction", "question")
    choices_raw = raw.get("choices")
    if not isinstance(choices_raw, list) or len(choices_raw) < 2:
        raise read.error("a prediction needs at least two [[prediction.choices]]", "prediction")
    choices = []
    for index, choice in enumerate(choices_raw):
        where = ("prediction", "choices", index)
        choice = read.table(choice, "prediction.choices", *where)
        read.unknown_keys(choice, {"text", "correct", "feedback"}, f"choice {index + 1}", *where)
        correct = choice.get("correct", False)
        if not isinstance(correct, bool):
            raise read.error(f"'correct' must be true or false, got {correct!r}", *where, "correct")
        choices.append(Choice(read.text(choice, "text", *where, "text"), correct,
                              read.text(choice, "feedback", *where, "feedback", required=False)))
    if not any(c.correct for c in choices):
        raise read.error("the prediction has no correct choice: mark one with correct = true", "prediction")
    return Prediction(question, tuple(choices))


def load_lesson(path: str | Path) -> Lesson:
    """The lesson in the file at ``path``; LessonError on any problem (an unreadable file included)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LessonError(path, None, f"cannot read the file: {error}") from None
    return parse_lesson(text, path)


def load_lessons(folder: str | Path) -> tuple[list[Lesson], list[LessonError]]:
    """Every ``*.toml`` lesson in ``folder``, in ``CONCEPTS`` order then by file name, and the
    errors of those that did not load."""
    folder = Path(folder)
    if not folder.is_dir():
        return [], [LessonError(folder, None, "no such folder")]
    lessons, errors = [], []
    for path in sorted(folder.glob("*.toml")):
        try:
            lessons.append(load_lesson(path))
        except LessonError as error:
            errors.append(error)
    order = list(CONCEPTS)
    lessons.sort(key=lambda lesson: (order.index(lesson.concept), lesson.path.name))
    return lessons, errors
