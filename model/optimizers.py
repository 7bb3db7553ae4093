"""Optimizers: one ``step(params, grads)`` interface, state kept per parameter.

``params`` and ``grads`` are one array or a list of arrays of equal shapes;
``step`` updates ``params`` in place. A network keeps all its parameters in
one flat vector (P,), so a step there is a few NumPy calls; R runs trained as
one stack keep theirs in an (R, P) array and the learning rate may then be an
(R, 1) array, one rate per run. ``learning_rate`` may be changed between steps
(the GUI does so live).
"""
from __future__ import annotations

import copy
from typing import Sequence

import numpy as np

Array = np.ndarray


def _as_list(arrays: Array | Sequence[Array]) -> list[Array]:
    return [arrays] if isinstance(arrays, np.ndarray) else list(arrays)


class Optimizer:
    """Base class: subclasses implement ``_update(index, param, grad)``."""

    name = "base"
    formula = ""

    def __init__(self, learning_rate: float = 0.03):
        self.learning_rate = learning_rate
        self.steps = 0

    @property
    def learning_rate(self) -> float:
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float | Array) -> None:
        rates = np.asarray(value, dtype=np.float64)
        if not (np.isfinite(rates).all() and (rates > 0).all()):
            raise ValueError(f"the learning rate must be a positive number, got {value}")
        self._learning_rate = float(rates) if rates.ndim == 0 else rates.copy()
        self._spread_rates: Array | None = None     # per-run rates spread over (R, P), made on use

    def step(self, params: Array | Sequence[Array], grads: Array | Sequence[Array]) -> None:
        """Update every parameter in place from its gradient."""
        self.steps += 1
        for index, (param, grad) in enumerate(zip(_as_list(params), _as_list(grads))):
            self._update(index, param, grad)

    def reset(self) -> None:
        """Forget all state (velocities, moments, step count)."""
        self.steps = 0

    def proposed_step(self, params: Array, grads: Array) -> Array:
        """The change ``step`` would make to ``params`` with ``grads`` now, Δθ = θ' − θ, computed
        on copies: this optimizer's state and ``params`` are left as they are."""
        twin = copy.deepcopy(self)
        moved = np.array(params, dtype=np.float64)
        twin.step(moved, np.asarray(grads, dtype=np.float64))
        return moved - params

    def state(self) -> dict[str, Array]:
        """Copies of what ``step`` carries from one step to the next, as named arrays."""
        return {"steps": np.array(self.steps)}

    def load_state(self, state: dict[str, Array]) -> None:
        """Put back a ``state()`` (ValueError if it is not one of this optimizer)."""
        self.steps = int(state["steps"])

    def select(self, rows: Sequence[int]) -> "Optimizer":
        """For runs stacked along a leading axis: a twin for ``rows`` only, keeping their
        learning rates, their state and the step count."""
        twin = copy.copy(self)
        rates = self._learning_rate
        twin._learning_rate = rates[rows] if isinstance(rates, np.ndarray) else rates
        twin._keep_rows(rows)
        return twin

    def _keep_rows(self, rows: Sequence[int]) -> None:
        """Replace the state arrays by their ``rows`` (subclasses with state)."""

    def _update(self, index: int, param: Array, grad: Array) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(learning_rate={self.learning_rate})"


class SGD(Optimizer):
    """w ← w − η·g"""

    name = "sgd"
    formula = "w ← w − η·∂L/∂w"

    def __init__(self, learning_rate: float = 0.03):
        super().__init__(learning_rate)
        self._scaled: Array | None = None     # η·g, reused: no temporary array per step

    def step(self, params: Array | Sequence[Array], grads: Array | Sequence[Array]) -> None:
        if isinstance(params, np.ndarray):      # a network's flat vector: straight to the update
            self.steps += 1
            self._update(0, params, grads)
        else:
            super().step(params, grads)

    def _update(self, index: int, param: Array, grad: Array) -> None:
        scaled = self._scaled
        if scaled is None or scaled.shape != grad.shape:
            scaled = self._scaled = np.empty_like(grad)
        rates = self._learning_rate
        if isinstance(rates, np.ndarray):
            rates = self._spread(rates, grad.shape)
        np.multiply(grad, rates, out=scaled)
        np.subtract(param, scaled, out=param)

    def _spread(self, rates: Array, shape: tuple[int, ...]) -> Array:
        """Per-run rates (R, 1) spread over (R, P), made once: a call costs less without
        broadcasting."""
        spread = self._spread_rates
        if spread is None or spread.shape != shape:
            spread = self._spread_rates = np.ascontiguousarray(np.broadcast_to(rates, shape))
        return spread

    def _keep_rows(self, rows: Sequence[int]) -> None:
        self._scaled = self._spread_rates = None


class Momentum(Optimizer):
    """v ← μ·v − η·g;  w ← w + v  (classical momentum, μ = 0.9)."""

    name = "momentum"
    formula = "v ← μ·v − η·∂L/∂w;  w ← w + v"

    def __init__(self, learning_rate: float = 0.03, momentum: float = 0.9):
        super().__init__(learning_rate)
        self.momentum = float(momentum)
        self._velocity: dict[int, Array] = {}

    def reset(self) -> None:
        super().reset()
        self._velocity.clear()

    def state(self) -> dict[str, Array]:
        return {**super().state(), **{f"velocity_{i}": v.copy() for i, v in self._velocity.items()}}

    def load_state(self, state: dict[str, Array]) -> None:
        super().load_state(state)
        self._velocity = {int(key.split("_")[1]): np.array(value, dtype=np.float64)
                          for key, value in state.items() if key.startswith("velocity_")}

    def _keep_rows(self, rows: Sequence[int]) -> None:
        self._velocity = {index: velocity[rows] for index, velocity in self._velocity.items()}

    def _update(self, index: int, param: Array, grad: Array) -> None:
        velocity = self._velocity.get(index)
        if velocity is None or velocity.shape != param.shape:
            velocity = self._velocity[index] = np.zeros_like(param)
        velocity *= self.momentum
        velocity -= self._learning_rate * grad
        param += velocity


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015): bias-corrected moving averages of g and g².

    m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;
    w ← w − η·m̂ / (√v̂ + ε)  with m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ).
    """

    name = "adam"
    formula = "w ← w − η·m̂ / (√v̂ + ε)"

    def __init__(self, learning_rate: float = 0.001, beta1: float = 0.9,
                 beta2: float = 0.999, epsilon: float = 1e-8):
        super().__init__(learning_rate)
        self.beta1, self.beta2, self.epsilon = float(beta1), float(beta2), float(epsilon)
        self._moments: dict[int, tuple[Array, Array]] = {}

    def reset(self) -> None:
        super().reset()
        self._moments.clear()

    def state(self) -> dict[str, Array]:
        moments = {}
        for i, (m, v) in self._moments.items():
            moments[f"m_{i}"], moments[f"v_{i}"] = m.copy(), v.copy()
        return {**super().state(), **moments}

    def load_state(self, state: dict[str, Array]) -> None:
        super().load_state(state)
        indices = sorted(int(key.split("_")[1]) for key in state if key.startswith("m_"))
        self._moments = {i: (np.array(state[f"m_{i}"], dtype=np.float64),
                             np.array(state[f"v_{i}"], dtype=np.float64)) for i in indices}

    def _keep_rows(self, rows: Sequence[int]) -> None:
        self._moments = {index: (m[rows], v[rows]) for index, (m, v) in self._moments.items()}

    def _update(self, index: int, param: Array, grad: Array) -> None:
        moments = self._moments.get(index)
        if moments is None or moments[0].shape != param.shape:
            moments = self._moments[index] = (np.zeros_like(param), np.zeros_like(param))
        m, v = moments
        m *= self.beta1
        m += (1.0 - self.beta1) * grad
        v *= self.beta2
        v += (1.0 - self.beta2) * grad * grad
        t = self.steps
        step_size = self._learning_rate * np.sqrt(1.0 - self.beta2 ** t) / (1.0 - self.beta1 ** t)
        param -= step_size * m / (np.sqrt(v) + self.epsilon)


OPTIMIZERS: dict[str, type[Optimizer]] = {cls.name: cls for cls in (SGD, Momentum, Adam)}


def make_optimizer(name: str, learning_rate: float) -> Optimizer:
    """Build an optimizer by name; ValueError lists the valid names."""
    try:
        cls = OPTIMIZERS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}") from None
    return cls(learning_rate)
