"""Cost of a 41 × 41 loss surface, batched against a loop of net.loss calls, in the same process.

Reference workload: the 2-class spiral, 500 points (250 train), 2→8→8→1 tanh,
tanh output, mse, trained 50 epochs (SGD 0.03, batch 10); the surface is taken
around the trained weights along two filter-normalised random directions,
span 1, every point's loss over the 250 training points.

    loop      for every grid point: set net.params, call net.loss(X, Y) (the baseline)
    batched   model.landscape.loss_surface: the grid points along a run axis, one pass per chunk
    chunk R   losses_at with R runs per pass (the default picks R from the buffer budget)

Each cell is the median of interleaved repeats (machine noise hits all rows alike).

Why not 20×: a net.loss call already runs a prebuilt list of NumPy calls
(≈ 35 µs for 250 points), most of it arithmetic — 16 tanh and ≈ 90 multiply-adds
per point and sample. Batching removes the per-call overhead, not that
arithmetic (float64 tanh alone is ≈ 8 µs per grid point here), so the ratio is
bounded near 4× on this engine; the chunk size keeps the buffers in cache.

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
    points = surface.origin + (surface.alphas[:, None, None] * surface.directions[0]
                               + surface.betas[None, :, None] * surface.directions[1])
    points = points.reshape(-1, net.params.size)

    rows = {
        "loop of net.loss": lambda: loop_surface(net, X, Y, surface),
        "batched (loss_surface)": lambda: loss_surface(net, X, Y, "random", resolution=args.resolution),
    }
    for chunk in (4, 16, 64, 256, len(points)):
        rows[f"chunk R = {chunk}"] = lambda chunk=chunk: losses_at(net, X, Y, points, chunk=chunk)
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
    print(f"target: ≥ {TARGET_RATIO:g}× the loop and ≤ {TARGET_MS:g} ms — measured "
          f"{base / batched:.1f}× and {batched * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
