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
    dropout: tuple[float, ...] = ()      # one rate per hidden layer; one value or () (none) applies to all
    batch_norm: tuple[bool, ...] = ()    # one switch per hidden layer; one value or () (off) applies to all
    early_stopping: int = 0              # stop after this many epochs without a better test loss (0: never)
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
        object.__setattr__(self, "dropout", _per_layer(self.dropout, 0.0, len(self.hidden_layers)))
        object.__setattr__(self, "batch_norm", _per_layer(self.batch_norm, False, len(self.hidden_layers)))
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
        if len(self.dropout) != len(self.hidden_layers) or len(self.batch_norm) != len(self.hidden_layers):
            raise ValueError(f"one dropout rate and one batch-norm switch per hidden layer: "
                             f"{len(self.hidden_layers)} layers, dropout {list(self.dropout)}, "
                             f"batch norm {list(self.batch_norm)}")
        for rate in self.dropout:
            if not isinstance(rate, (int, float)) or isinstance(rate, bool) or not 0.0 <= rate < 1.0:
                raise ValueError(f"a dropout rate must be at least 0 and below 1, got {rate!r}")
        if not all(isinstance(switch, bool) for switch in self.batch_norm):
            raise ValueError(f"batch norm is on or off (true/false) per layer, got {list(self.batch_norm)}")
        if any(self.batch_norm) and self.batch_size < 2:
            raise ValueError("batch normalisation needs a batch size of at least 2 (the variance "
                             "of one sample is 0)")
        if not isinstance(self.early_stopping, int) or isinstance(self.early_stopping, bool) \
                or self.early_stopping < 0:
            raise ValueError(f"early stopping takes a whole number of epochs ≥ 0 (0 = off), "
                             f"got {self.early_stopping!r}")

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
        """Build from ``to_dict`` output; unknown keys are a ValueError."""
        if not isinstance(values, dict):
            raise ValueError("a configuration must be a JSON object")
        known = {f.name for f in dataclasses.fields(cls)} - {"extra"}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown setting(s) {', '.join(unknown)}")
        return cls(**values)


def _per_layer(values, off, layers: int) -> tuple:
    """One value per hidden layer: () → off everywhere, one value → everywhere."""
    if isinstance(values, (int, float, bool)):
        values = (values,)
    values = tuple(values)
    if len(values) <= 1:
        return (values[0] if values else off,) * layers
    return values


def _member(what: str, name: str, table: dict) -> None:
    if name not in table:
        raise ValueError(f"unknown {what} {name!r}; choose one of {', '.join(table)}")


def _in_range(what: str, value: float, low: float, high: float) -> None:
    if not isinstance(value, (int, float)) or not (low <= value <= high):
        raise ValueError(f"the {what} must be between {low:g} and {high:g}, got {value!r}")
