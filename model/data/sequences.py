"""Sequence tasks for recurrent networks, generated and seeded (no downloads).

Shapes: ``inputs`` X (n, T, d); ``targets`` (n, T, k) when the task asks for an
output at every step (``sequence_output``), else (n, k) — an answer at the end.

| task   | input x_t                         | target                                   | memory it needs |
|--------|-----------------------------------|------------------------------------------|-----------------|
| sine   | s_t + noise, s a sum of sines     | s_{t+1} (noise-free), every step         | the phase and frequency so far |
| echo   | a random bit b_t                  | b_{t−k} for t > k, else 0, every step    | the last k bits |
| parity | a random bit b_t                  | b_1 ⊕ … ⊕ b_t, every step                | one bit, kept for ever |
| adding | (value u_t ~ U(0, 1), marker m_t) | Σ_t m_t·u_t at the end (two markers)     | two numbers from anywhere in the sequence |
| digits | row t of an 8 × 8 digit (8 pixels)| its class 0 … 9 (one-hot) at the end     | the shape of the rows read so far |

The digits are the shipped 8 × 8 images (``model.data.digits``) read top to bottom, T = 8
fixed; the first n of the 1,797 in file order, so with all of them a split with the same
seed holds the same images as ``Images.data().split`` (``train_test_rows``).

Steps are counted from 1 in the formulas; ``scored_from`` is the first step
(0-based) an accuracy counts — the echo's first k answers echo nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral, Real
from typing import Callable

import numpy as np

from ..datasets import _frozen_array as _frozen, train_test_rows

Array = np.ndarray


@dataclass(frozen=True, eq=False)
class SequenceData:
    """n labelled sequences; ``task`` is "binary", "multiclass" or "regression"."""

    name: str
    task: str
    inputs: Array
    targets: Array
    sequence_output: bool
    scored_from: int = 0
    description: str = ""

    def __post_init__(self) -> None:
        inputs, targets = _frozen(self.inputs), _frozen(self.targets)
        expected = 3 if self.sequence_output else 2
        if inputs.ndim != 3 or targets.ndim != expected or len(inputs) != len(targets) or (
                self.sequence_output and targets.shape[1] != inputs.shape[1]):
            raise ValueError(f"inputs must be (n, T, d) and targets {'(n, T, k)' if self.sequence_output else '(n, k)'}"
                             f", got {inputs.shape} and {targets.shape}")
        object.__setattr__(self, "inputs", inputs)
        object.__setattr__(self, "targets", targets)

    @property
    def n_samples(self) -> int:
        return self.inputs.shape[0]

    @property
    def steps(self) -> int:
        return self.inputs.shape[1]

    @property
    def n_features(self) -> int:
        return self.inputs.shape[2]

    @property
    def n_outputs(self) -> int:
        return self.targets.shape[-1]

    def split(self, test_ratio: float, seed: int) -> "SequenceSplit":
        """Shuffle with ``seed``; the first round(n·(1 − test_ratio)) sequences train."""
        train, test = train_test_rows(self.name, self.n_samples, test_ratio, seed)
        return SequenceSplit(self, self.inputs[train], self.targets[train], self.inputs[test], self.targets[test])

    def __repr__(self) -> str:
        return (f"SequenceData({self.name!r}, task={self.task!r}, n={self.n_samples}, T={self.steps}, "
                f"d={self.n_features}, outputs={self.n_outputs})")


@dataclass(frozen=True, eq=False)
class SequenceSplit:
    """A train/test partition of ``data`` (read-only copies)."""

    data: SequenceData
    train_inputs: Array
    train_targets: Array
    test_inputs: Array
    test_targets: Array

    def __post_init__(self) -> None:
        for name in ("train_inputs", "train_targets", "test_inputs", "test_targets"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))


def scored_accuracy(prediction: Array, targets: Array, scored_from: int = 0) -> float:
    """Fraction of outputs classified right on the steps t ≥ ``scored_from`` (ŷ > 0.5 for one
    output, argmax for several); prediction and targets (n, T, k) or (n, k)."""
    if prediction.ndim == 3:
        prediction, targets = prediction[:, scored_from:], targets[:, scored_from:]
    if prediction.shape[-1] > 1:
        return float(np.mean(prediction.argmax(axis=-1) == targets.argmax(axis=-1)))
    return float(np.mean((prediction > 0.5) == (targets > 0.5)))


#: The output activation and loss a recurrent network uses for each kind of task.
SEQUENCE_OUTPUTS = {"regression": ("linear", "mse"), "binary": ("sigmoid", "cross_entropy"),
                "multiclass": ("softmax", "cross_entropy")}


# --- generators: (n, steps, rng, option) -> SequenceData fields


def _sine(n: int, steps: int, rng: np.random.Generator, noise: float, components: int = 1) -> dict:
    """s_t = Σ_i a_i·sin(ω_i·t + φ_i), ω_i ~ U(0.15, 0.6) rad per step, φ_i ~ U(0, 2π)."""
    t = np.arange(steps + 1)
    frequencies = rng.uniform(0.15, 0.6, (n, 1, components))
    phases = rng.uniform(0.0, 2 * np.pi, (n, 1, components))
    signal = np.sin(frequencies * t[None, :, None] + phases).sum(axis=-1) / components     # (n, T+1)
    inputs = signal[:, :-1] + noise * rng.normal(0.0, 1.0, (n, steps))
    return dict(task="regression", inputs=inputs[..., None], targets=signal[:, 1:, None], sequence_output=True,
                description="Predict the next value of a noisy sine (the target is noise-free).")


def _bits(n: int, steps: int, rng: np.random.Generator) -> Array:
    return rng.integers(0, 2, (n, steps)).astype(np.float64)


def _echo(n: int, steps: int, rng: np.random.Generator, delay: int) -> dict:
    bits = _bits(n, steps, rng)
    echoed = np.zeros_like(bits)
    echoed[:, delay:] = bits[:, :steps - delay]
    return dict(task="binary", inputs=bits[..., None], targets=echoed[..., None], sequence_output=True,
                scored_from=delay,
                description=f"Output the bit seen {delay} steps ago: a memory of {delay} steps.")


def _parity(n: int, steps: int, rng: np.random.Generator, option: None = None) -> dict:
    bits = _bits(n, steps, rng)
    parity = np.cumsum(bits, axis=1) % 2
    return dict(task="binary", inputs=bits[..., None], targets=parity[..., None], sequence_output=True,
                description="Output whether an odd number of ones has been seen so far.")


def _adding(n: int, steps: int, rng: np.random.Generator, option: None = None) -> dict:
    """Two markers, one in each half (Hochreiter & Schmidhuber 1997); target u_i + u_j."""
    values = rng.uniform(0.0, 1.0, (n, steps))
    markers = np.zeros((n, steps))
    half = max(steps // 2, 1)
    rows = np.arange(n)
    first, second = rng.integers(0, half, n), rng.integers(half, steps, n)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    total = (values * markers).sum(axis=1, keepdims=True)
    return dict(task="regression", inputs=np.stack([values, markers], axis=-1), targets=total,
                sequence_output=False,
                description="Add the two numbers marked with a 1, answered at the last step.")


def _digit_rows(n: int, steps: int, rng: np.random.Generator, option: None = None) -> dict:
    """x_t = row t of image i (8 pixels in [0, 1]), t = 1 … 8; the target is the digit, one-hot."""
    from .digits import load_digits
    digits = load_digits()
    if n > len(digits.images):
        raise ValueError(f"the digits are {len(digits.images)} images; ask for at most that many sequences, got {n}")
    return dict(task="multiclass", inputs=digits.images[:n, 0], targets=digits.targets[:n], sequence_output=False,
                description="Read a handwritten digit row by row, top to bottom, and name it after the last row.")


@dataclass(frozen=True)
class SequenceTaskSpec:
    """A generated task: ``generate(n, steps, rng, option)``; ``option`` is the noise (sine)
    or the delay (echo). ``fixed_steps``: the length is ``default_steps``, always; ``available``: how
    many sequences a shipped set has (None: generated, any number)."""

    name: str
    generate: Callable[..., dict]
    option_name: str | None = None
    default_option: float | int | None = None
    default_steps: int = 20
    fixed_steps: bool = False
    available: int | None = None


SEQUENCE_TASKS: dict[str, SequenceTaskSpec] = {spec.name: spec for spec in (
    SequenceTaskSpec("sine", _sine, "noise", 0.05, 20),
    SequenceTaskSpec("echo", _echo, "delay", 5, 20),
    SequenceTaskSpec("parity", _parity, None, None, 10),
    SequenceTaskSpec("adding", _adding, None, None, 20),
    SequenceTaskSpec("digits", _digit_rows, None, None, 8, fixed_steps=True, available=1797),
)}


def _check_whole(what: str, value, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < least:
        raise ValueError(f"{what} must be an integer ≥ {least}, got {value!r}")
    return int(value)


def make_sequence_task(name: str, n_samples: int = 500, steps: int | None = None, seed: int = 0,
                       noise: float | None = None, delay: int | None = None) -> SequenceData:
    """Generate the sequence task ``name`` (a key of ``SEQUENCE_TASKS``)."""
    if not isinstance(name, str) or name not in SEQUENCE_TASKS:
        raise ValueError(f"unknown sequence task {name!r}; choose one of {', '.join(SEQUENCE_TASKS)}")
    spec = SEQUENCE_TASKS[name]
    n = _check_whole("the number of sequences", n_samples, 4)
    steps = spec.default_steps if steps is None else _check_whole("the sequence length", steps, 1)
    if spec.fixed_steps and steps != spec.default_steps:
        raise ValueError(f"the {name} task has sequences of {spec.default_steps} steps; set the sequence length "
                         f"to {spec.default_steps}, got {steps}")
    rng = np.random.default_rng(_check_whole("seed", seed, 0))
    option = None
    if name == "sine":
        option = spec.default_option if noise is None else noise
        if isinstance(option, bool) or not isinstance(option, Real) or not 0.0 <= option <= 1.0:
            raise ValueError(f"noise must be a number in [0, 1], got {option!r}")
    elif name == "echo":
        option = _check_whole("the echo delay", spec.default_option if delay is None else delay, 1)
        if option >= steps:
            raise ValueError(f"the echo delay ({option}) must be shorter than the sequence ({steps} steps)")
    elif name == "adding" and steps < 2:
        raise ValueError(f"the adding problem needs sequences of at least 2 steps, got {steps}")
    return SequenceData(name=name, **spec.generate(n, steps, rng, option))
