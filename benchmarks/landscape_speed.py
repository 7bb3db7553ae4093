"""Cost of a 41 × 41 loss surface, batched against a loop of net.loss calls, in the same process.

Reference workload: the 2-class spiral, 500 points (250 train), 2→8→8→1 tanh,
tanh output, mse, trained 50 epochs (SGD 0.03, batch 10); the surface is taken
around the trained weights along two filter-normalised random directions,
span 1, every point's loss over the 250 training points.

    loop      for every grid point: set net.params, call net.loss(X, Y) (the baseline)
    batched   model.landscape.loss_surface: the grid points along a run axis, one pass per chunk
    chunk R   losses_at with R runs per pass (the default picks R from the buffer budget);
              R = all grid points is one batched matrix product per layer over the whole grid
    one GEMM per layer   (tried, not used) the plane's structure: every grid point's weights are
              W₀ + α·D₁ + β·D₂, so a layer's pre-activations for all points come from ONE matrix
              product a @ [W₀ | D₁ | D₂] over all points' inputs (n·m rows), then z = Z₀ + α·Z₁ + β·Z₂

Each cell is the median of interleaved repeats (machine noise hits all rows alike).

Why not 20×: a net.loss call already runs a prebuilt list of NumPy calls
(≈ 35 µs for 250 points), most of it arithmetic — 16 tanh and ≈ 90 multiply-adds
per point and sample. Batching removes the per-call overhead, not that
arithmetic (float64 tanh alone is ≈ 8 µs per grid point here: the "floor" row
times nothing but the activation functions of every point), so the ratio is
bounded near 4× on this engine; the chunk size keeps the buffers in cache.
Going the other way — one batched product per layer over all 1,681 points
(chunk R = 1681), or one plain GEMM per layer over all points' inputs (the
plane trick above) — measured 0.2–0.6× the loop against 2.2× for the default
chunks on a loaded machine (same run): the activations of every point at once
(27 MB a layer) leave the cache, and the plane trick triples the products.

    python benchmarks/landscape_speed.py [--repeats 7] [--resolution 41]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from model.activations import ACTIVATIONS  # noqa: E402
from model.config import ExperimentConfig  # noqa: E402
from model.experiment import build  # noqa: E402
from model.landscape import loss_surface, losses_at  # noqa: E402

REFERENCE = ExperimentConfig(dataset="spiral", samples=500, test_ratio=0.5, hidden_layers=(8, 8),
                             activations=("tanh",), output_activation="tanh", loss="mse",
                             optimizer="sgd", learning_rate=0.03, batch_size=10, seed=0)
TARGET_RATIO, TARGET_MS = 20.0, 60.0


def loop_surface(net, X, Y, surface) -> np.ndarray:
    """The same grid, one net.loss call per point."""
    twin = net.copy()
    d1, d2 = surface.directions
    loss = np.empty(surface.loss.shape)
    for i, alpha in enumerate(surface.alphas):
        for j, beta in enumerate(surface.betas):
            twin.params[:] = surface.origin + alpha * d1 + beta * d2
            loss[i, j] = twin.loss(X, Y)
    return loss


def one_product_per_layer(net, X, Y, surface, chunk: int) -> np.ndarray:
    """The grid's losses with one matrix product per layer over ``chunk`` grid points at a time:
    z_r = a_r @ W₀ + α_r·(a_r @ D₁) + β_r·(a_r @ D₂) + b₀ + α_r·δb₁ + β_r·δb₂ (a plain MLP)."""
    alphas, betas = np.meshgrid(surface.alphas, surface.betas, indexing="ij")
    coefficients = np.column_stack([np.ones(alphas.size), alphas.ravel(), betas.ravel()])   # (m, 3)
    parts = [net.split(v) for v in (surface.origin, *surface.directions)]     # (weights, biases) each
    activations = [ACTIVATIONS[name] for name in net.activation_names] + [net.output_activation]
    losses = np.empty(alphas.size)
    for start in range(0, alphas.size, chunk):
        c = coefficients[start:start + chunk]
        a = X[None]
        for layer, activation in enumerate(activations):
            stacked = np.concatenate([weights[layer] for weights, _ in parts], axis=1)   # (in, 3·out)
            out = stacked.shape[1] // 3
            Z = (a.reshape(-1, a.shape[-1]) @ stacked).reshape(a.shape[0], -1, 3, out)
            z = Z[:, :, 0] * c[:, 0, None, None]
            for k in (1, 2):
                z += Z[:, :, k] * c[:, k, None, None]
            z += (c @ np.stack([biases[layer] for _, biases in parts]))[:, None, :]
            a = activation.function(z, z)
        losses[start:start + len(c)] = net.loss_function.value(a, Y)
    return losses.reshape(alphas.shape)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--resolution", type=int, default=41)
    args = parser.parse_args()

    experiment = build(REFERENCE)
    list(experiment.trainer.run(epochs=50))
    net, trainer = experiment.net, experiment.trainer
    X, Y = trainer.train_inputs, trainer.train_targets
    surface = loss_surface(net, X, Y, "random", resolution=args.resolution)
    reference = loop_surface(net, X, Y, surface)
    assert np.allclose(surface.loss, reference, rtol=1e-12, atol=0), "batched ≠ loop"
    assert np.allclose(one_product_per_layer(net, X, Y, surface, 64), reference, rtol=1e-12, atol=0)
    points = surface.origin + (surface.alphas[:, None, None] * surface.directions[0]
                               + surface.betas[None, :, None] * surface.directions[1])
    points = points.reshape(-1, net.params.size)

    rows = {
        "loop of net.loss": lambda: loop_surface(net, X, Y, surface),
        "batched (loss_surface)": lambda: loss_surface(net, X, Y, "random", resolution=args.resolution),
    }
    for chunk in (4, 16, 64, 256, len(points)):
        rows[f"chunk R = {chunk}"] = lambda chunk=chunk: losses_at(net, X, Y, points, chunk=chunk)
    for chunk in (16, len(points)):
        rows[f"one GEMM/layer, {chunk} pts"] = (
            lambda chunk=chunk: one_product_per_layer(net, X, Y, surface, chunk))
    # The floor: only the activation functions of every grid point (no products, no loss), over
    # cache-sized chunks of pre-activations as the batched path uses them.
    widths = [weights.shape[1] for weights in net.weights]
    chunk_z = [np.random.default_rng(0).standard_normal((64, X.shape[0], width)) for width in widths]
    rows["floor: tanh alone"] = lambda: [np.tanh(z, out=z) for _ in range(0, len(points), 64)
                                         for z in chunk_z]
    times: dict[str, list[float]] = {name: [] for name in rows}
    for _ in range(args.repeats):
        for name, work in rows.items():
            start = time.perf_counter()
            work()
            times[name].append(time.perf_counter() - start)

    grid = f"{args.resolution} × {args.resolution}"
    print(f"loss surface {grid} = {len(points)} points, 2-8-8-1 tanh, {X.shape[0]} training points, "
          f"median of {args.repeats}")
    print(f"{'':26s} {'ms':>9s} {'µs/point':>9s} {'× loop':>8s}")
    base = statistics.median(times["loop of net.loss"])
    for name, measured in times.items():
        median = statistics.median(measured)
        print(f"{name:26s} {median * 1e3:9.1f} {median / len(points) * 1e6:9.1f} {base / median:8.1f}")
    batched = statistics.median(times["batched (loss_surface)"])
    floor = statistics.median(times["floor: tanh alone"])
    print(f"target: ≥ {TARGET_RATIO:g}× the loop and ≤ {TARGET_MS:g} ms — measured "
          f"{base / batched:.1f}× and {batched * 1e3:.1f} ms")
    print(f"ceiling for any exact float64 surface: the loop / the tanh floor = {base / floor:.1f}×")


if __name__ == "__main__":
    main()
