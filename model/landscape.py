"""The loss landscape around a network's weights: a 2-D slice, a path on it, a 1-D line.

Every point of a landscape is a full set of weights θ (a flat vector of P
parameters); its height is the loss L(θ) = net.loss(X, Y) at those weights
(evaluation mode, regularisation included). A surface is the plane through the
current weights θ₀ spanned by two directions d₁, d₂:

    loss[i, j] = L(θ₀ + α_i·d₁ + β_j·d₂),   α, β = linspace(−span, span, resolution)

Directions (Li et al. 2018, "Visualizing the Loss Landscape of Neural Nets"):

- "random": two Gaussian directions drawn from ``seed``, filter-normalised: for
  each neuron, the block of its incoming weights is scaled to the norm that block
  has in θ₀; bias (and batch-norm γ, β) entries are 0;
- "pca": the top two principal directions of a trajectory (flat vectors
  θ_0 … θ_m, taken relative to the last), orthonormal, by decreasing variance;
- an explicit pair (d₁, d₂): e.g. two unit vectors of two weights — an exact slice.

Every grid point is evaluated in one batched pass: the network's layers are
built once more with a leading run axis R (``model.networks.Sequential``), the
grid's parameter vectors become its (R, P) parameters and one ``predict`` gives
every point's output (batch norm uses the network's running statistics for each
run); R is chunked so the buffers stay small.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from .layers import BatchNorm, Dense
from .networks import Sequential, layout, mlp_layers
from .optimizers import Optimizer, make_optimizer

Array = np.ndarray
#: about this many floats per activation buffer of a batched pass (R·n·units): 256 kB, so a
#: chunk's buffers stay in cache and are reused from chunk to chunk (fresh large buffers cost
#: more in page faults than the arithmetic on them)
CHUNK_FLOATS = 1 << 15


@dataclass(frozen=True)
class Surface:
    """The loss on a grid of the plane θ₀ + α·d₁ + β·d₂.

    ``origin`` (P,) θ₀; ``directions`` (d₁, d₂), each (P,); ``alphas``, ``betas``
    (resolution,); ``loss`` (resolution, resolution) with ``loss[i, j]`` at
    θ₀ + alphas[i]·d₁ + betas[j]·d₂; ``explained``: for PCA directions, the share of
    the trajectory's variance along d₁ and d₂ (else None); ``kind``: "random", "pca"
    or "given".
    """

    origin: Array
    directions: tuple[Array, Array]
    alphas: Array
    betas: Array
    loss: Array
    kind: str = "given"
    explained: tuple[float, float] | None = None

    def point(self, alpha: float, beta: float) -> Array:
        """The flat parameter vector θ₀ + α·d₁ + β·d₂."""
        return self.origin + alpha * self.directions[0] + beta * self.directions[1]


# -- evaluating many weight vectors at once -----------------------------------------------

def batched_network(net, runs: int) -> Sequential:
    """``net``'s layers with a run axis of ``runs``; batch norm's running statistics copied
    into every run."""
    config = net.config()
    hidden = len(net.sizes) - 2
    layers = mlp_layers(net.sizes, config["activation"], config["output_activation"],
                        config["dropout"] or [0.0] * hidden, config["batch_norm"] or [False] * hidden,
                        config["l1"], config["l2"])
    engine = Sequential(layers, net.sizes[0], net.loss_function, runs=runs)
    norms = [layer for layer in layers if isinstance(layer, BatchNorm)]
    for norm, statistics in zip(norms, [s for s in net.statistics if s is not None]):
        norm.statistics[...] = statistics          # (2, units) broadcast over the runs
    return engine


def losses_at(net, X: Array, Y: Array, points: Array, chunk: int | None = None) -> Array:
    """L(θ_r) = net.loss(X, Y) at each row θ_r of ``points`` (m, P): an (m,) array.

    One evaluation-mode pass per chunk of R rows, L = loss(ŷ_r, Y) + penalty(θ_r).
    """
    X = net.check_inputs(X)
    Y = net.check_targets(Y, X.shape[0])
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != net.params.size:
        raise ValueError(f"parameter vectors must have shape (m, {net.params.size}), got {points.shape}")
    if chunk is None:
        widest = max(net.sizes) + 1
        chunk = max(1, CHUNK_FLOATS // (X.shape[0] * widest))
    m = points.shape[0]
    chunk = min(chunk, m)
    losses = np.empty(m)
    engine = batched_network(net, chunk)
    with np.errstate(all="ignore"):
        for start in range(0, m, chunk):
            stop = min(start + chunk, m)
            engine.params[:stop - start] = points[start:stop]
            engine.params[stop - start:] = points[stop - 1]      # the last chunk: pad, drop after
            chunk_losses = net.loss_function.value(engine.predict(X), Y) + engine.penalty()
            losses[start:stop] = chunk_losses[:stop - start]
    return losses


# -- directions ---------------------------------------------------------------------------

def filter_normalized(net, direction: Array) -> Array:
    """``direction`` with each neuron's incoming-weight block scaled to that block's norm in
    ``net.params``: d[:, j] ← d[:, j]·‖θ[:, j]‖/‖d[:, j]‖ per weight layer and neuron j;
    biases, γ and β get 0."""
    normalized = np.zeros_like(net.params)
    for index, name, where, shape in layout(net.engine.layers):
        if not isinstance(net.engine.layers[index], Dense):
            continue
        weights = net.params[where].reshape(shape)[:-1]          # (fan_in, fan_out), bias row off
        raw = np.asarray(direction[where]).reshape(shape)[:-1]
        scaled = normalized[where].reshape(shape)                 # a view into ``normalized``
        raw_norms = np.linalg.norm(raw, axis=0)
        scale = np.linalg.norm(weights, axis=0) / np.where(raw_norms > 0, raw_norms, 1.0)
        scaled[:-1] = raw * scale
    return normalized


def random_directions(net, seed: int = 0) -> tuple[Array, Array]:
    """Two Gaussian directions from ``seed``, each filter-normalised."""
    rng = np.random.default_rng(seed)
    return tuple(filter_normalized(net, rng.standard_normal(net.params.size)) for _ in range(2))


def pca_directions(trajectory: Sequence[Array], reference: Array | None = None
                   ) -> tuple[tuple[Array, Array], tuple[float, float]]:
    """The top two principal directions of the trajectory relative to ``reference`` (default:
    its last vector θ_m).

    M = [θ_k − reference]_k (m × P); M = U·S·Vᵀ; d₁, d₂ = the first two rows of Vᵀ
    (orthonormal, by decreasing singular value); explained share s_i² / Σ s².
    """
    path = np.asarray(trajectory, dtype=np.float64)
    if path.ndim != 2 or path.shape[0] < 3:
        raise ValueError("PCA directions need a path of at least 3 weight vectors: train a few "
                         "epochs first, or use random directions")
    offsets = path - (path[-1] if reference is None else reference)
    _, singular, rows = np.linalg.svd(offsets, full_matrices=False)
    variance = singular ** 2
    total = variance.sum()
    if total == 0 or len(singular) < 2 or singular[1] == 0:
        raise ValueError("the path does not span a plane yet (the weights barely moved): "
                         "train a few more epochs, or use random directions")
    explained = (float(variance[0] / total), float(variance[1] / total))
    return (rows[0].copy(), rows[1].copy()), explained


def unit_direction(net, layer: int, source: int, target: int) -> Array:
    """The flat unit vector of the weight w[layer][source → target] (an exact slice axis)."""
    direction = np.zeros_like(net.params)
    weights, _ = net.split(direction)
    if not (0 <= layer < len(weights) and 0 <= source < weights[layer].shape[0]
            and 0 <= target < weights[layer].shape[1]):
        raise ValueError(f"there is no weight w[{layer}][{source}→{target}] in a {net.sizes} network")
    weights[layer][source, target] = 1.0
    return direction


# -- the public functions -----------------------------------------------------------------

def loss_surface(net, X: Array, Y: Array, directions: str | tuple[Array, Array] = "random",
                 span: float = 1.0, resolution: int = 41, trajectory: Sequence[Array] | None = None,
                 seed: int = 0, origin: Array | None = None) -> Surface:
    """The loss on a resolution × resolution grid around ``origin`` (default ``net.params``;
    see the module doc)."""
    if int(resolution) != resolution or resolution < 2:
        raise ValueError(f"the resolution must be a whole number ≥ 2, got {resolution}")
    if not (np.isfinite(span) and span > 0):
        raise ValueError(f"the span must be a positive number, got {span}")
    origin = (net.params if origin is None else np.asarray(origin, dtype=np.float64)).copy()
    if origin.shape != net.params.shape:
        raise ValueError(f"the origin must be a parameter vector of {net.params.size} values")
    explained = None
    if isinstance(directions, str):
        kind = directions
        if kind == "random":
            pair = random_directions(net, seed)
        elif kind == "pca":
            if trajectory is None:
                raise ValueError("PCA directions need the trajectory (the weights along the path)")
            pair, explained = pca_directions(trajectory)
        else:
            raise ValueError(f"unknown directions {kind!r}; use 'random', 'pca' or a pair of vectors")
    else:
        kind = "given"
        pair = tuple(np.asarray(d, dtype=np.float64).reshape(-1) for d in directions)
        if len(pair) != 2 or any(d.shape != origin.shape for d in pair):
            raise ValueError(f"give two direction vectors of {origin.size} values each")
    alphas = np.linspace(-span, span, int(resolution))
    betas = alphas.copy()
    # rows in (i, j) order: θ₀ + α_i·d₁ + β_j·d₂
    points = origin + alphas[:, None, None] * pair[0] + betas[None, :, None] * pair[1]
    loss = losses_at(net, X, Y, points.reshape(-1, origin.size)).reshape(len(alphas), len(betas))
    return Surface(origin, (pair[0].copy(), pair[1].copy()), alphas, betas, loss, kind, explained)


def project_onto(trajectory: Sequence[Array], origin: Array, directions: tuple[Array, Array]
                 ) -> tuple[Array, Array]:
    """Least-squares (α, β) of each θ_k in θ₀ + α·d₁ + β·d₂, and its distance from the plane.

    D = [d₁ d₂] (P × 2); (α, β)_k = argmin ‖D·c − (θ_k − θ₀)‖; returns (m, 2) and (m,).
    """
    path = np.atleast_2d(np.asarray(trajectory, dtype=np.float64))
    basis = np.stack(directions, axis=1)
    offsets = (path - origin).T                                   # (P, m)
    coords, *_ = np.linalg.lstsq(basis, offsets, rcond=None)      # (2, m)
    residual = offsets - basis @ coords
    return coords.T, np.linalg.norm(residual, axis=0)


def project(trajectory: Sequence[Array], surface: Surface) -> tuple[Array, Array]:
    """``project_onto`` the surface's plane: (m, 2) coordinates (α, β), (m,) distances."""
    return project_onto(trajectory, surface.origin, surface.directions)


def path_surface(net, X: Array, Y: Array, path: Sequence[Array], directions: str = "pca",
                 resolution: int = 41, seed: int = 0, margin: float = 1.25,
                 random_span: float = 1.0) -> tuple[Surface, Array, Array]:
    """The surface a training path is drawn on, and the path on it.

    "pca": the path's principal directions, the span ``margin`` × the path's widest
    projected coordinate; "random": filter-normalised directions spanning ±``random_span``.
    Returns the surface (around ``net.params``, the path's end) and ``project(path, surface)``.
    """
    span = random_span
    if directions == "pca":
        pair, _ = pca_directions(path)
        coords, _ = project_onto(path, net.params, pair)
        span = margin * float(np.max(np.abs(coords))) or random_span
    surface = loss_surface(net, X, Y, directions, span=span, resolution=resolution, trajectory=path,
                           seed=seed)
    return (surface, *project(path, surface))


@dataclass(frozen=True)
class SharedLandscape:
    """Several training paths on one surface: ``coords[r]`` (m_r, 2) the (α, β) of path r,
    ``distances[r]`` (m_r,) how far its points are from the plane."""

    surface: Surface
    coords: tuple[Array, ...]
    distances: tuple[Array, ...]


def shared_surface(net, X: Array, Y: Array, paths: Sequence[Array], resolution: int = 41,
                   margin: float = 1.25) -> SharedLandscape:
    """One surface for several paths (e.g. one per optimizer): the PCA of their union.

    All points θ of all paths, their mean θ̄; d₁, d₂ = ``pca_directions`` of the union
    relative to θ̄ (the least-squares best plane through every point). The grid is centred on
    the middle c of the paths' projected box, origin θ̄ + c₁·d₁ + c₂·d₂, and spans ``margin`` ×
    the box's larger half-width; ``surface.explained`` is the union's variance share.
    """
    paths = [np.atleast_2d(np.asarray(path, dtype=np.float64)) for path in paths]
    if not paths or any(path.ndim != 2 or path.shape[1] != net.params.size for path in paths):
        raise ValueError(f"give one or more paths of flat parameter vectors ({net.params.size} values)")
    union = np.vstack(paths)
    mean = union.mean(axis=0)
    pair, explained = pca_directions(union, reference=mean)
    coords, _ = project_onto(union, mean, pair)
    low, high = coords.min(axis=0), coords.max(axis=0)
    centre = (low + high) / 2
    span = margin * float(np.max(high - low)) / 2 or 1.0
    origin = mean + centre[0] * pair[0] + centre[1] * pair[1]
    surface = loss_surface(net, X, Y, pair, span=span, resolution=resolution, origin=origin)
    surface = replace(surface, kind="pca", explained=explained)
    projected = [project(path, surface) for path in paths]
    return SharedLandscape(surface, tuple(c for c, _ in projected), tuple(d for _, d in projected))


def loss_along(net, X: Array, Y: Array, start: Array, end: Array, points: int = 51) -> Array:
    """L((1 − t)·start + t·end) at ``points`` evenly spaced t in [0, 1], both ends included."""
    t = np.linspace(0.0, 1.0, int(points))[:, None]
    start, end = np.asarray(start, dtype=np.float64), np.asarray(end, dtype=np.float64)
    return losses_at(net, X, Y, (1.0 - t) * start + t * end)


@dataclass(frozen=True)
class StepLine:
    """The loss along the negative gradient: ``losses[k]`` = L(θ − t_k·∇L), t (points,) from 0
    to ``reach``·η; ``learning_rate`` η marks the step gradient descent takes."""

    t: Array
    losses: Array
    learning_rate: float
    gradient_norm: float


def full_gradient(net, X: Array, Y: Array) -> Array:
    """∇L (P,): the full-batch, evaluation-mode gradient of net.loss(X, Y) at ``net.params``."""
    return net.backward(net.forward(X), Y).flat


def step_line(net, X: Array, Y: Array, learning_rate: float, reach: float = 3.0,
              points: int = 61) -> StepLine:
    """L(θ − t·∇L) for t in [0, reach·η], ∇L the full-batch evaluation-mode gradient at θ."""
    gradient = full_gradient(net, X, Y)
    theta = net.params.copy()
    t = np.linspace(0.0, reach * learning_rate, int(points))
    losses = loss_along(net, X, Y, theta, theta - reach * learning_rate * gradient, points)
    return StepLine(t, losses, float(learning_rate), float(np.linalg.norm(gradient)))


@dataclass(frozen=True)
class SliceSteps:
    """At the current weights, in the coordinates (w₁, w₂) of an exact two-weight slice:
    ``gradient`` (2,) the components of ∇L, and ``steps`` — (name, (Δw₁, Δw₂)) pairs: the plain
    gradient step −η·∇L, a momentum optimizer's velocity v (its last step), the training
    optimizer's next step (momentum: μ·v − η·∇L; Adam: −η·m̂/(√v̂ + ε))."""

    gradient: Array
    steps: tuple[tuple[str, Array], ...]
    formula: str


def slice_steps(net, X: Array, Y: Array, directions: tuple[Array, Array], optimizer: Optimizer
                ) -> SliceSteps:
    """What each update rule would do to the two weights of the slice ``directions`` (unit
    vectors) now, with the full-batch gradient: each step is the optimizer's own
    ``proposed_step`` (its state untouched), read along d₁ and d₂."""
    gradient = full_gradient(net, X, Y)
    basis = np.stack(directions)                                        # (2, P)
    plain = make_optimizer("sgd", optimizer.learning_rate)
    steps = [("−η·∇L", plain.proposed_step(net.params, gradient))]
    velocity = optimizer.state().get("velocity_0")
    if velocity is not None:
        steps.append(("velocity v", velocity))
    if optimizer.name != "sgd":
        steps.append((f"{optimizer.name} step", optimizer.proposed_step(net.params, gradient)))
    return SliceSteps(basis @ gradient, tuple((name, basis @ step) for name, step in steps),
                      optimizer.formula)
