"""The whole setting of one experiment as one validated, immutable dataclass.

The GUI controls edit an ``ExperimentConfig`` (``config.replace(...)``); the
command line builds one from its arguments; ``model.experiment.build``
turns it into data, a network, an optimizer and a trainer. Invalid values
raise ``SettingError`` (a ``ValueError``) with a message a user can act on and
the field it is about, so the command line can name its option and a file
loader the file's field.

Validation is a table: ``SETTINGS`` has one row per field (what a message
calls it, and a check built from ``integer``, ``number``, ``choice``,
``sequence``, …). A new setting is a dataclass field with a default plus one
row (as ``dropout``, ``batch_norm`` and ``early_stopping`` are); files
saved before it existed open with the default. ``resolve_task_outputs`` /
``check_task_outputs`` are the one rule for which output activation and
loss suit a task (``TASK_OUTPUTS``), shared by the window and the command line.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import Callable

from .activations import ACTIVATIONS, OUTPUT_ACTIVATIONS
from .datasets import DATASETS
from .features import FEATURES
from .initializers import INITIALIZERS
from .losses import LOSSES
from .optimizers import OPTIMIZERS

#: Output activation and loss that suit each task (the first is the default).
TASK_OUTPUTS: dict[str, tuple[tuple[str, str], ...]] = {
    "binary": (("tanh", "mse"), ("sigmoid", "cross_entropy"), ("sigmoid", "mse"), ("linear", "mse")),
    "multiclass": (("softmax", "cross_entropy"), ("softmax", "mse")),
    "regression": (("linear", "mse"), ("tanh", "mse")),
}
MAX_LAYERS = 10
MAX_UNITS = 512
MAX_SAMPLES = 100_000
MAX_BATCH_SIZE = 100_000
MAX_SEED = 2**64 - 1          # NumPy seeds its generators with any 64-bit value


class SettingError(ValueError):
    """A setting out of range or of the wrong type; ``field`` names the ``ExperimentConfig`` field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


# -- checks: each takes (label, value) and returns the value in its stored form, or raises ValueError

Check = Callable[[str, object], object]


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def integer(low: int, high: int) -> Check:
    """A whole number (not a bool, not a float) in [low, high]."""
    def check(label: str, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, Integral) or not low <= value <= high:
            raise ValueError(f"the {label} must be a whole number from {low} to {high}, got {_shown(value)}")
        return int(value)
    return check


def number(low: float, high: float = math.inf, low_open: bool = False, high_open: bool = False) -> Check:
    """A finite real number (not a bool) from ``low`` to ``high``, either end open or closed."""
    def check(label: str, value: object) -> float:
        if (isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value)
                or not (low < value if low_open else low <= value)
                or not (value < high if high_open else value <= high)):
            if math.isinf(high):
                wanted = f"a finite number {'above' if low_open else 'of at least'} {low:g}"
            elif high_open:
                wanted = f"a number of at least {low:g} and below {high:g}"
            else:
                wanted = f"a number between {low:g} and {high:g}"
            raise ValueError(f"the {label} must be {wanted}, got {_shown(value)}")
        return value
    return check


def boolean(label: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"the {label} must be true or false, got {_shown(value)}")
    return value


def choice(table: dict) -> Check:
    """One of the keys of a registry."""
    def check(label: str, value: object) -> str:
        if not isinstance(value, str) or value not in table:
            raise ValueError(f"unknown {label} {_shown(value)}; choose one of {', '.join(table)}")
        return value
    return check


def optional(inner: Check) -> Check:
    """None, or what ``inner`` accepts."""
    def check(label: str, value: object) -> object:
        return None if value is None else inner(label, value)
    return check


def text(label: str, value: object) -> str:
    if not isinstance(value, str) or not value or "\x00" in value:
        raise ValueError(f"the {label} must be a non-empty text, got {_shown(value)}")
    return value


def text_or_index(label: str, value: object) -> str | int:
    if isinstance(value, str):
        return value
    return integer(-10**6, 10**6)(label, value)


def sequence(item: Check, most: int | None = None) -> Check:
    """A list or tuple (at most ``most`` long) of what ``item`` accepts; stored as a tuple."""
    def check(label: str, value: object) -> tuple:
        if isinstance(value, str) or not isinstance(value, (list, tuple)):
            raise ValueError(f"the {label} must be a list, got {_shown(value)}")
        if most is not None and len(value) > most:
            raise ValueError(f"at most {most} {label}, got {len(value)}")
        return tuple(item(label, v) for v in value)
    return check


def one_or_more(item: Check) -> Check:
    """One value (it applies to every hidden layer) or a list of them; stored as a tuple."""
    def check(label: str, value: object) -> tuple:
        return sequence(item)(label, value) if isinstance(value, (list, tuple)) else (item(label, value),)
    return check


def _hidden_layers(label: str, value: object) -> tuple[int, ...]:
    layers = sequence(lambda _, units: units, MAX_LAYERS)(label, value)
    for units in layers:
        if isinstance(units, bool) or not isinstance(units, Integral) or not 1 <= units <= MAX_UNITS:
            raise ValueError(f"a hidden layer needs 1 to {MAX_UNITS} neurons, got {list(layers)}")
    return tuple(int(units) for units in layers)


def _activations(label: str, value: object) -> tuple[str, ...]:
    return (choice(ACTIVATIONS)(label, value),) if isinstance(value, str) else \
        sequence(choice(ACTIVATIONS))(label, value)


#: field → (what a message calls it, its check). One row per setting: a new setting is one row
#: here and one field below.
SETTINGS: dict[str, tuple[str, Check]] = {
    "dataset": ("dataset", choice(DATASETS)),
    "csv_path": ("CSV file", optional(text)),
    "csv_target": ("target column", optional(text_or_index)),
    "noise": ("noise", number(0.0, 1.0)),
    "samples": ("number of samples", integer(4, MAX_SAMPLES)),
    "test_ratio": ("test ratio", number(0.0, 0.9)),
    "data_seed": ("data seed", integer(0, MAX_SEED)),
    "features": ("input feature", sequence(choice(FEATURES))),
    "hidden_layers": ("hidden layers", _hidden_layers),
    "activations": ("activation", _activations),
    "output_activation": ("output activation", choice(OUTPUT_ACTIVATIONS)),
    "loss": ("loss", choice(LOSSES)),
    "init": ("initialiser", choice(INITIALIZERS)),
    "optimizer": ("optimizer", choice(OPTIMIZERS)),
    "learning_rate": ("learning rate", number(0.0, low_open=True)),
    "batch_size": ("batch size", integer(1, MAX_BATCH_SIZE)),
    "l1": ("L1 rate", number(0.0)),
    "l2": ("L2 rate", number(0.0)),
    "seed": ("seed", integer(0, MAX_SEED)),
    "dropout": ("dropout rate", one_or_more(number(0.0, 1.0, high_open=True))),
    "batch_norm": ("batch-norm switch", one_or_more(boolean)),
    "early_stopping": ("early-stopping patience (epochs, 0 = off)", integer(0, 1_000_000)),
}
#: Settings a saved file must state (the others have defaults that suit every file).
REQUIRED = ("dataset", "learning_rate")


def check_setting(field: str, value: object) -> object:
    """``value`` in its stored form if it suits ``field``; else SettingError naming the field."""
    label, check = SETTINGS[field]
    try:
        return check(label, value)
    except ValueError as error:
        raise SettingError(field, str(error)) from None


def resolve_task_outputs(task: str, output_activation: str | None = None,
                         loss: str | None = None) -> tuple[str, str]:
    """The (output activation, loss) for ``task``: the one rule the window and the command line share.

    Given neither, the task's default; given one, the first pairing in
    ``TASK_OUTPUTS`` with it; given both, they must be a pairing the task allows.
    Raises SettingError otherwise.
    """
    pairs = TASK_OUTPUTS[task]
    if output_activation is not None:
        check_setting("output_activation", output_activation)
    if loss is not None:
        check_setting("loss", loss)
    fits = [(o, l) for o, l in pairs if output_activation in (None, o) and loss in (None, l)]
    if not fits:
        _refuse(task, output_activation, loss)
    return fits[0]


def check_task_outputs(task: str, output_activation: str, loss: str) -> None:
    """SettingError unless ``output_activation`` with ``loss`` is a pairing ``task`` allows."""
    if (output_activation, loss) not in TASK_OUTPUTS[task]:
        _refuse(task, output_activation, loss)


def _refuse(task: str, output_activation: str | None, loss: str | None) -> None:
    pairs = TASK_OUTPUTS[task]
    asked = " with ".join(part for part in (output_activation and f"{output_activation} output",
                                            loss and f"{loss} loss") if part)
    field = "output_activation" if output_activation is not None else "loss"
    choices = ", ".join(f"{o} + {l}" for o, l in pairs)
    raise SettingError(field, f"{asked} does not suit {task} data; choose one of: {choices}")


@dataclass(frozen=True)
class ExperimentConfig:
    """Data, network and training settings.

    ``activations`` ends up with one name per hidden layer; given one name (or
    none: tanh) it applies to every hidden layer.
    """

    dataset: str = "circle"
    csv_path: str | None = None          # when set, the data come from this CSV file
    csv_target: str | int | None = None  # column name or index (default: the last column)
    noise: float = 0.0                   # 0 … 1
    samples: int = 500
    test_ratio: float = 0.5
    data_seed: int = 0
    features: tuple[str, ...] = ("x1", "x2")
    hidden_layers: tuple[int, ...] = (4, 2)
    activations: tuple[str, ...] = ()    # one per hidden layer; one name or () applies to all
    output_activation: str = "tanh"
    loss: str = "mse"
    init: str = "xavier"
    optimizer: str = "sgd"
    learning_rate: float = 0.03
    batch_size: int = 10
    l1: float = 0.0
    l2: float = 0.0
    seed: int = 0
    dropout: tuple[float, ...] = ()      # one rate per hidden layer; one value or () (none) applies to all
    batch_norm: tuple[bool, ...] = ()    # one switch per hidden layer; one value or () (off) applies to all
    early_stopping: int = 0              # stop after this many epochs without a better test loss (0: never)
    extra: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name in SETTINGS:
            object.__setattr__(self, name, check_setting(name, getattr(self, name)))
        activations = self.activations
        if len(activations) <= 1:
            activations = tuple(activations or ("tanh",)) * len(self.hidden_layers)
        object.__setattr__(self, "activations", activations)
        for name, off in (("dropout", 0.0), ("batch_norm", False)):
            values = getattr(self, name)           # one value (or none) applies to every layer
            if len(values) <= 1:
                object.__setattr__(self, name, (values[0] if values else off,) * len(self.hidden_layers))
        self.validate()

    def validate(self) -> None:
        """Raise SettingError (a ValueError) for settings that do not fit together.

        Each setting on its own was checked (and stored as a tuple, int, …) by its
        row of ``SETTINGS`` in ``__post_init__``; the config is frozen after that.
        """
        if self.csv_path is None and not self.features:
            raise SettingError("features", "choose at least one input feature")
        if len(self.activations) != len(self.hidden_layers):
            raise SettingError("activations", f"one activation per hidden layer: "
                                              f"{len(self.hidden_layers)} layers, "
                                              f"{len(self.activations)} activations")
        for name in ("dropout", "batch_norm"):
            if len(getattr(self, name)) != len(self.hidden_layers):
                raise SettingError(name, f"one {SETTINGS[name][0]} per hidden layer: "
                                         f"{len(self.hidden_layers)} layers, got {list(getattr(self, name))}")
        if any(self.batch_norm) and self.batch_size < 2:
            raise SettingError("batch_size", "batch normalisation needs a batch size of at least 2 "
                                             "(the variance of one sample is 0)")

    def replace(self, **changes) -> "ExperimentConfig":
        """A validated copy with ``changes``; activations follow a changed layer count."""
        if "hidden_layers" in changes:
            layers = tuple(changes["hidden_layers"])
            if "activations" not in changes:
                old = self.activations or ("tanh",)
                changes["activations"] = tuple(old[min(i, len(old) - 1)] for i in range(len(layers)))
            for name, off in (("dropout", 0.0), ("batch_norm", False)):
                if name not in changes:
                    old = getattr(self, name)
                    changes[name] = tuple(old[i] if i < len(old) else off for i in range(len(layers)))
        return dataclasses.replace(self, **changes)

    def with_task_outputs(self, task: str) -> "ExperimentConfig":
        """Keep the output activation and loss if they suit ``task``, else use its default."""
        allowed = TASK_OUTPUTS[task]
        if (self.output_activation, self.loss) in allowed:
            return self
        output_activation, loss = allowed[0]
        return self.replace(output_activation=output_activation, loss=loss)

    def to_dict(self) -> dict:
        """JSON-ready dictionary (tuples become lists)."""
        return {f.name: (list(v) if isinstance(v, tuple) else v)
                for f in dataclasses.fields(self) if f.name != "extra"
                for v in [getattr(self, f.name)]}

    @classmethod
    def from_dict(cls, values: dict) -> "ExperimentConfig":
        """Build from ``to_dict`` output (a saved file's); SettingError naming the field on bad input.

        Unknown keys and missing ``REQUIRED`` settings are errors; other missing
        settings take their defaults (so files from before a setting existed open).
        """
        if not isinstance(values, dict):
            raise ValueError("a configuration must be a JSON object")
        known = {f.name for f in dataclasses.fields(cls)} - {"extra"}
        unknown = sorted(set(values) - known)
        if unknown:
            raise SettingError(unknown[0], f"unknown setting(s) {', '.join(map(_shown, unknown))}")
        for name in REQUIRED:
            if name not in values:
                raise SettingError(name, f"the {SETTINGS[name][0]} is missing")
        return cls(**values)
