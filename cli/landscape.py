"""The headless ``landscape`` command: train, then draw the loss landscape with the path taken.

    python main.py landscape --dataset spiral --layers 8,8 --epochs 300 --directions pca \\
                             --out landscape.png --csv grid.csv

Trains as the ``train`` command does (same options), keeping the weights after
every epoch; then computes the surface around the final weights
(``model.landscape.path_surface``: PCA of the path, or filter-normalised random
directions), the path projected onto it, the loss along −∇L and the gradient
health — the landscape workspace's computation (``gui.landscape.job``) — and
writes the workspace's panel as a PNG (drawn offscreen with the same widgets)
and the grid as CSV (alpha, beta, loss). Outputs go to temporary files renamed
at the very end; bad input exits with status 2, a one-line message and nothing
written. Qt is imported only to draw the PNG.
"""
from __future__ import annotations

import argparse
import csv
import sys
import time

import numpy as np

from model.comparison import Comparison
from model.variations import MAX_RUNS
from model.experiment import build
from model.gradient_health import gradient_norms
from model.minima import barrier, group_solutions, train_from_seeds

from gui.landscape.job import LandscapeRequest, LandscapeResult, compute

from .compare import parse_size
from .offscreen import grab, offscreen_application, save_png
from .options import add_experiment_arguments, check_output, experiment_setup
from .outputs import write_outputs
from .progress import ProgressBar

DIRECTIONS = ("pca", "random")
DEFAULT_SIZE = "900x1100"


def add_landscape_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Train, then draw the loss landscape around the final weights with the path "
                          "training took, the loss along −∇L and the gradients' health.")
    parser.epilog = ("example: landscape --dataset spiral --layers 8,8 --epochs 300 --directions pca "
                     "--out landscape.png --csv grid.csv")
    add_experiment_arguments(parser)
    # --csv names the grid here (as the command line has it); the data file is --data-csv
    parser.conflict_handler = "resolve"
    surface = parser.add_argument_group("landscape")
    surface.add_argument("--directions", default="pca",
                         help="pca (the path's principal directions) or random (filter-normalised); "
                              "default pca")
    surface.add_argument("--resolution", type=int, default=41, help="grid points per side (default 41)")
    surface.add_argument("--seeds", type=int, default=0, metavar="N",
                         help="also train from N seeds (2 … 16) in lock-step: group the solutions and "
                              "print the loss barrier between the two best groups")
    output = parser.add_argument_group("output")
    output.add_argument("--out", metavar="PNG", help="write the surface, path, step and gradient health")
    output.add_argument("--csv", dest="grid_csv", metavar="CSV",
                        help="write the grid: one row per point, alpha, beta, loss")
    output.add_argument("--data-csv", dest="csv", metavar="FILE",
                        help="train on a CSV file instead of a built-in data set")
    output.add_argument("--size", default=DEFAULT_SIZE, metavar="WxH",
                        help=f"size of the PNG in pixels (default {DEFAULT_SIZE})")
    output.add_argument("--quiet", action="store_true", help="no progress bar")


def write_grid(result: LandscapeResult, stream) -> int:
    """One row per grid point: alpha, beta, loss (α = d₁ coordinate, β = d₂)."""
    surface = result.surface
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["alpha", "beta", "loss"])
    for i, alpha in enumerate(surface.alphas):
        for j, beta in enumerate(surface.betas):
            writer.writerow([repr(float(alpha)), repr(float(beta)), repr(float(surface.loss[i, j]))])
    return surface.loss.size


def render_png(result: LandscapeResult, norms: list[tuple[int, np.ndarray]], path: str,
               size: tuple[int, int]) -> None:
    """Draw the landscape workspace's panel offscreen into ``path``."""
    with offscreen_application() as app:
        from gui.landscape.panel import LandscapePanel

        panel = LandscapePanel()
        kind = result.surface.kind if result.surface.kind in DIRECTIONS else "pca"
        panel.directions.setCurrentIndex(panel.directions.findData(kind))
        for epoch, epoch_norms in norms:
            panel.add_gradient_norms(epoch, epoch_norms)
        panel.show_result(result)
        panel.resize(*size)
        panel.show()
        image = grab(app, panel)
    save_png(image, path)


def run_landscape(args: argparse.Namespace) -> int:
    """Validate, train with a progress bar keeping the path, print a summary, write the outputs."""
    try:
        if args.directions not in DIRECTIONS:
            raise ValueError(f"--directions must be pca or random, got {args.directions!r}")
        if not 2 <= args.resolution <= 201:
            raise ValueError(f"--resolution must be between 2 and 201, got {args.resolution}")
        if args.seeds and not 2 <= args.seeds <= MAX_RUNS:
            raise ValueError(f"--seeds must be between 2 and {MAX_RUNS}, got {args.seeds}")
        config, data = experiment_setup(args)
        size = parse_size(args.size)
        out, grid = check_output(args.out, "--out"), check_output(args.grid_csv, "--csv")
        experiment = build(config, data)
    except (ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    net, trainer = experiment.net, experiment.trainer
    path, norms = [net.params.copy()], []
    started = time.perf_counter()
    bar = None if args.quiet else ProgressBar(args.epochs)
    for snapshot in trainer.run(epochs=args.epochs):
        if snapshot.diverged:
            print(snapshot.divergence.message, file=sys.stderr)
            break
        path.append(net.params.copy())
        norms.append((snapshot.epoch, gradient_norms(snapshot.weight_gradients, snapshot.bias_gradients)))
        if bar:
            bar.update(snapshot.epoch, f"epoch {snapshot.epoch}  loss {snapshot.train_loss:.4f}")
    if bar:
        bar.finish()
    trained = time.perf_counter() - started
    started = time.perf_counter()
    request = LandscapeRequest(net=net, inputs=trainer.train_inputs, targets=trainer.train_targets,
                               path=np.array(path), directions=args.directions,
                               learning_rate=config.learning_rate, resolution=args.resolution,
                               seed=config.seed, epoch=trainer.epoch, step=trainer.step_count)
    result = compute(request)
    print(summary(result, trainer.epoch, trained, time.perf_counter() - started))
    if args.seeds:
        comparison = train_from_seeds(config, args.seeds, args.epochs, first_seed=config.seed, data=data)
        print(minima_text(comparison))
    return write_outputs(grid, lambda stream: write_grid(result, stream),
                         out, lambda path: render_png(result, norms, path, size))


def summary(result: LandscapeResult, epochs: int, train_seconds: float, surface_seconds: float) -> str:
    surface, line = result.surface, result.step_line
    loss = surface.loss
    centre = loss[len(surface.alphas) // 2, len(surface.betas) // 2]
    rows = [f"trained {epochs} epochs in {train_seconds:.2f} s; surface "
            f"{loss.shape[0]}×{loss.shape[1]} in {surface_seconds * 1e3:.0f} ms"]
    if surface.kind == "pca":
        rows.append(f"directions: PCA of the path ({len(result.path_coords)} points), explained "
                    f"variance {surface.explained[0]:.1%} + {surface.explained[1]:.1%}")
    else:
        rows.append(f"directions: random, filter-normalised ({result.note or 'as asked'})")
    rows.append(f"loss at the final weights {centre:.4g}; on the grid {np.nanmin(loss):.4g} … "
                f"{np.nanmax(loss):.4g}")
    landed = float(np.interp(line.learning_rate, line.t, line.losses))
    rows.append(f"one step of η = {line.learning_rate:g} along −∇L: {line.losses[0]:.4g} → {landed:.4g}")
    rows.append("dead / saturated units: " + "; ".join(
        f"layer {i + 1} {d:.0%} / {'—' if np.isnan(s) else f'{s:.0%}'}"
        for i, (d, s) in enumerate(zip(result.health.dead, result.health.saturated))))
    return "\n".join(rows)


def minima_text(comparison: Comparison) -> str:
    """The seeds' solutions grouped by the function they compute, and the barrier between the
    best runs of the two best groups (or the two best runs, if all ended as one)."""
    X, Y = comparison.train_inputs, comparison.train_targets
    losses = comparison.snapshot().history["train_loss"][:, -1]
    groups = sorted(group_solutions(comparison.predict(X)), key=lambda g: min(losses[r] for r in g))
    seeds = [run.config.seed for run in comparison.runs]
    rows = [f"{len(comparison.runs)} seeds ended in {len(groups)} solution(s) (same function: outputs "
            f"within an RMS of 0.05 on the training points):"]
    for number, group in enumerate(groups, 1):
        rows.append(f"  {number}. seeds {', '.join(str(seeds[r]) for r in group)}: training loss "
                    f"{min(losses[r] for r in group):.4g} … {max(losses[r] for r in group):.4g}")
    best = [min(g, key=lambda r: losses[r]) for g in groups[:2]]
    if len(best) < 2:
        best = sorted(range(len(losses)), key=lambda r: losses[r])[:2]
    line, height = barrier(comparison, best[0], best[1], X, Y)
    rows.append(f"straight line from seed {seeds[best[0]]} to seed {seeds[best[1]]}: loss "
                f"{line[0]:.4g} → max {line.max():.4g} → {line[-1]:.4g}; barrier {max(height, 0.0):.4g}")
    return "\n".join(rows)
