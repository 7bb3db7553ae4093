"""What a comparison can vary, and the runs a choice of variations makes.

    variation = Variation.parse("learning_rate", "0.003,0.03,0.3")   # ValueError says what to fix
    runs = make_runs(base_config, [variation])     # one Run (index, label, values, config) each

``SETTINGS`` is the one table of varied settings — how each is parsed, shown
and applied to an ``ExperimentConfig`` — that the comparison window, the
``compare`` command and ``model.minima`` all read.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from .activations import ACTIVATIONS
from .config import MAX_SEED, ExperimentConfig
from .optimizers import OPTIMIZERS

MAX_RUNS = 16


# -- what can be varied --------------------------------------------------------

@dataclass(frozen=True)
class Setting:
    """A setting a comparison can vary: how to parse, show and apply one value."""

    name: str                 # its key (an ExperimentConfig field, or train_share)
    label: str                # for people
    option: str               # the command-line option
    default_values: str       # pre-filled text
    separator: str
    parse_one: Callable[[str], Any]
    format_one: Callable[[Any], str]
    apply: Callable[[ExperimentConfig, Any], ExperimentConfig]
    description: str


def _number(text: str) -> float:
    """The float ``text`` spells, or NaN (each caller's range check then says what to give)."""
    try:
        return float(text)
    except ValueError:
        return math.nan


def _activation(text: str) -> str:
    if text not in ACTIVATIONS:
        raise ValueError(f"unknown activation {text!r}; choose from {', '.join(ACTIVATIONS)}")
    return text


def _learning_rate(text: str) -> float:
    value = _number(text)
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"a learning rate must be a positive number such as 0.03, got {text!r}")
    return value


def _optimizer(text: str) -> str:
    if text not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {text!r}; choose from {', '.join(OPTIMIZERS)}")
    return text


def _batch_size(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"a batch size must be a whole number ≥ 1, got {text!r}")
    return int(text)


def _seed(text: str) -> int:
    if not text.isdigit() or int(text) > MAX_SEED:
        raise ValueError(f"a seed must be a whole number from 0 to {MAX_SEED}, got {text!r}")
    return int(text)


def _dropout_rate(text: str) -> float:
    value = _number(text)
    if not 0.0 <= value < 1.0:
        raise ValueError(f"a dropout rate is a number from 0 up to (not including) 1, got {text!r}")
    return value


def _switch(text: str) -> bool:
    words = {"1": True, "on": True, "true": True, "0": False, "off": False, "false": False}
    if text.lower() not in words:
        raise ValueError(f"batch norm is on or off (1 or 0), got {text!r}")
    return words[text.lower()]


def _rate(text: str) -> float:
    value = _number(text)
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"a regularisation rate is a number ≥ 0 such as 0.001, got {text!r}")
    return value


def _train_share(text: str) -> float:
    value = _number(text)
    if not 0.1 <= value <= 1.0:
        raise ValueError(f"a training share is a fraction from 0.1 to 1 (the rest is the test set), "
                         f"got {text!r}")
    return value


def _layers(text: str) -> tuple[int, ...]:
    if text.lower() in ("", "-", "none"):
        return ()
    parts = [p.strip() for p in text.split(",")]
    if not all(p.isdigit() and int(p) > 0 for p in parts):
        raise ValueError(f"a layer shape is neuron counts separated by commas, such as 8,8; got {text!r}")
    return tuple(int(p) for p in parts)


SETTINGS: dict[str, Setting] = {s.name: s for s in (
    Setting("activations", "activation", "--activation", "sigmoid,tanh,relu", ",", _activation,
            str, lambda c, v: c.replace(activations=(v,) * len(c.hidden_layers)),
            "the hidden layers' activation function"),
    Setting("learning_rate", "learning rate", "--lr", "0.003,0.03,0.3", ",", _learning_rate,
            lambda v: f"η={v:g}", lambda c, v: c.replace(learning_rate=v),
            "the step size η of gradient descent"),
    Setting("optimizer", "optimizer", "--optimizer", "sgd,momentum,adam", ",", _optimizer,
            str, lambda c, v: c.replace(optimizer=v), "the update rule"),
    Setting("batch_size", "batch size", "--batch-size", "1,10,50", ",", _batch_size,
            lambda v: f"batch {v}", lambda c, v: c.replace(batch_size=v),
            "samples per gradient step"),
    Setting("hidden_layers", "hidden layers", "--layers", "4;8,8;8,8,8", ";", _layers,
            lambda v: "×".join(map(str, v)) + " units" if v else "no hidden layer",
            lambda c, v: c.replace(hidden_layers=v), "the hidden layers' sizes (shape)"),
    Setting("dropout", "dropout rate", "--dropout", "0,0.2,0.5", ",", _dropout_rate,
            lambda v: f"dropout {v:g}", lambda c, v: c.replace(dropout=(v,)),
            "the share of hidden units switched off at random in each training step"),
    Setting("batch_norm", "batch norm", "--batch-norm", "0,1", ",", _switch,
            lambda v: "batch norm" if v else "no batch norm", lambda c, v: c.replace(batch_norm=(v,)),
            "batch normalisation of every hidden layer, on or off"),
    Setting("l2", "L2 rate", "--l2", "0,0.001,0.01", ",", _rate,
            lambda v: f"L2 {v:g}", lambda c, v: c.replace(l2=v), "the weight-decay penalty ½·l2·Σw²"),
    Setting("train_share", "training share", "--train-share", "0.2,0.5,0.8", ",", _train_share,
            lambda v: f"train {v:.0%}", lambda c, v: c.replace(test_ratio=round(1.0 - v, 6)),
            "the share of the data set used for training (the rest is the test set): "
            "more data is a cure for overfitting"),
    Setting("seed", "seed", "--seed", "0,1,2", ",", _seed, lambda v: f"seed {v}",
            lambda c, v: c.replace(seed=v),
            "the seed of the initial weights (the mini-batch order stays the base setting's)"),
)}
# Shapes first, so an activation, dropout rate or batch-norm switch varied alongside covers every
# hidden layer.
_APPLY_ORDER = ("hidden_layers", "activations", "dropout", "batch_norm", "learning_rate", "optimizer",
                "batch_size", "l2", "train_share", "seed")


@dataclass(frozen=True)
class Variation:
    """One varied setting and its values, e.g. learning_rate: (0.003, 0.03, 0.3)."""

    setting: str
    values: tuple

    @classmethod
    def parse(cls, setting: str, text: str) -> "Variation":
        """Parse ``text`` (values separated by the setting's separator); ValueError says what to fix."""
        if setting not in SETTINGS:
            raise ValueError(f"cannot vary {setting!r}; choose one of {', '.join(SETTINGS)}")
        spec = SETTINGS[setting]
        parts = [p.strip() for p in str(text).split(spec.separator) if p.strip()]
        if not parts:
            raise ValueError(f"give at least one {spec.label}, e.g. {spec.default_values}")
        values = tuple(spec.parse_one(p) for p in parts)
        repeated = [v for i, v in enumerate(values) if v in values[:i]]
        if repeated:
            raise ValueError(f"the {spec.label} {spec.format_one(repeated[0])} is listed twice")
        return cls(setting, values)

    @property
    def label(self) -> str:
        return SETTINGS[self.setting].label


@dataclass(frozen=True)
class Run:
    """One member of the comparison: its place, its label and its full setting."""

    index: int
    label: str
    values: dict
    config: ExperimentConfig


def make_runs(base: ExperimentConfig, variations: Sequence[Variation]) -> list[Run]:
    """All combinations of the variations' values (the first varies slowest)."""
    names = [v.setting for v in variations]
    if len(set(names)) != len(names):
        raise ValueError("each setting can be varied only once")
    count = math.prod(len(v.values) for v in variations)
    if count > MAX_RUNS:
        raise ValueError(f"{count} runs is too many to compare side by side; "
                         f"use at most {MAX_RUNS} (fewer values)")
    runs = []
    for index, combination in enumerate(itertools.product(*(v.values for v in variations))):
        values = dict(zip(names, combination))
        config = base
        for name in sorted(values, key=_APPLY_ORDER.index):
            config = SETTINGS[name].apply(config, values[name])
        label = " · ".join(SETTINGS[n].format_one(values[n]) for n in names) or "base setting"
        runs.append(Run(index, label, values, config))
    return runs
