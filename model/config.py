"""The whole setting of one experiment as one validated, immutable dataclass.

The GUI controls edit an ``ExperimentConfig`` (``config.replace(...)``); the
command line builds one from its arguments; ``model.experiment.build``
turns it into data, a network, an optimizer and a trainer. Invalid values
raise ``ValueError`` with a message a user can act on.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

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
    extra: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "features", tuple(self.features))
        object.__setattr__(self, "hidden_layers", tuple(self.hidden_layers))
        activations = self.activations
        if isinstance(activations, str):
            activations = (activations,)
        if len(activations) <= 1:
            activations = tuple(activations or ("tanh",)) * len(self.hidden_layers)
        object.__setattr__(self, "activations", tuple(activations))
        self.validate()

    def validate(self) -> None:
        """Raise ValueError naming the first setting that is out of range."""
        if self.csv_path is None:
            _member("dataset", self.dataset, DATASETS)
            if not self.features:
                raise ValueError("choose at least one input feature")
            for name in self.features:
                _member("input feature", name, FEATURES)
        _in_range("noise", self.noise, 0.0, 1.0)
        if not isinstance(self.samples, int) or not 4 <= self.samples <= 100_000:
            raise ValueError(f"the number of samples must be an integer from 4 to 100000, got {self.samples}")
        _in_range("test ratio", self.test_ratio, 0.0, 0.9)
        if len(self.hidden_layers) > MAX_LAYERS:
            raise ValueError(f"at most {MAX_LAYERS} hidden layers, got {len(self.hidden_layers)}")
        for units in self.hidden_layers:
            if not isinstance(units, int) or not 1 <= units <= MAX_UNITS:
                raise ValueError(f"a hidden layer needs 1 to {MAX_UNITS} neurons, got {list(self.hidden_layers)}")
        if len(self.activations) != len(self.hidden_layers):
            raise ValueError(f"one activation per hidden layer: {len(self.hidden_layers)} layers, "
                             f"{len(self.activations)} activations")
        for name in self.activations:
            _member("activation", name, ACTIVATIONS)
        _member("output activation", self.output_activation, OUTPUT_ACTIVATIONS)
        _member("loss", self.loss, LOSSES)
        _member("initialiser", self.init, INITIALIZERS)
        _member("optimizer", self.optimizer, OPTIMIZERS)
        if not (isinstance(self.learning_rate, (int, float)) and math.isfinite(self.learning_rate)
                and self.learning_rate > 0):
            raise ValueError(f"the learning rate must be a positive number, got {self.learning_rate}")
        if not isinstance(self.batch_size, int) or self.batch_size < 1:
            raise ValueError(f"the batch size must be a positive integer, got {self.batch_size}")
        _in_range("L1 rate", self.l1, 0.0, math.inf)
        _in_range("L2 rate", self.l2, 0.0, math.inf)

    def replace(self, **changes) -> "ExperimentConfig":
        """A validated copy with ``changes``; activations follow a changed layer count."""
        if "hidden_layers" in changes and "activations" not in changes:
            layers = tuple(changes["hidden_layers"])
            old = self.activations or ("tanh",)
            changes["activations"] = tuple(old[min(i, len(old) - 1)] for i in range(len(layers)))
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
        """Build from ``to_dict`` output; unknown keys are a ValueError."""
        if not isinstance(values, dict):
            raise ValueError("a configuration must be a JSON object")
        known = {f.name for f in dataclasses.fields(cls)} - {"extra"}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown setting(s) {', '.join(unknown)}")
        return cls(**values)


def _member(what: str, name: str, table: dict) -> None:
    if name not in table:
        raise ValueError(f"unknown {what} {name!r}; choose one of {', '.join(table)}")


def _in_range(what: str, value: float, low: float, high: float) -> None:
    if not isinstance(value, (int, float)) or not (low <= value <= high):
        raise ValueError(f"the {what} must be between {low:g} and {high:g}, got {value!r}")
