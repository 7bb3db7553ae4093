"""``landscape --optimizer sgd,momentum,adam``: several optimizers from the same initial weights,
all their paths on one landscape.

    python main.py landscape --dataset spiral --layers 8,8 --epochs 300 \\
                             --optimizer sgd,momentum,adam --out optimizers.png --csv grid.csv

The optimizers train in lock-step as a comparison (``model.comparison``, the
optimizer as the varied setting: same initial weights, data and mini-batch
order), which records each run's path; the surface is the PCA of the union of
the paths (``gui.compare.landscape_job.compute_shared``, as the comparison
window's Landscape tab). Prints one row per optimizer, writes the comparison
window's landscape view as a PNG and the grid as CSV — all or nothing.
"""
from __future__ import annotations

import argparse
import sys
import time
from typing import Callable, TextIO

import numpy as np

from model.comparison import Comparison
from model.landscape import Surface
from model.variations import Variation

from gui.compare.landscape_job import SharedResult, compute_shared, one_network, shared_request

from .compare import parse_size
from .offscreen import grab, offscreen_application, save_png
from .options import check_output, experiment_setup
from .outputs import write_outputs
from .progress import ProgressBar


def several_optimizers(args: argparse.Namespace) -> bool:
    return "," in str(args.optimizer)


def run_shared_landscape(args: argparse.Namespace, write_grid: Callable[[Surface, TextIO], int]) -> int:
    """Validate (``args`` passed ``check_landscape_options``), train the optimizers with a progress
    bar, print the table, write the outputs (``write_grid(surface, stream)`` for the CSV)."""
    try:
        if args.directions != "pca" or args.seeds:
            raise ValueError("several optimizers share one landscape, the PCA of their paths' union: "
                             "drop --directions random and --seeds")
        variation = Variation.parse("optimizer", args.optimizer)
        config, data = experiment_setup(args, optimizer=variation.values[0])
        size = parse_size(args.size)
        out, grid = check_output(args.out, "--out"), check_output(args.grid_csv, "--csv")
        comparison = Comparison(config, [variation], data=data)
        template = one_network(comparison)
    except (ValueError, OSError) as error:
        print(f"error: {str(error).splitlines()[0]}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    bar = None if args.quiet else ProgressBar(args.epochs)
    for epoch in comparison.run(args.epochs):
        if bar:
            bar.update(epoch, f"epoch {epoch}")
    if bar:
        bar.finish()
    trained = time.perf_counter() - started
    snapshot = comparison.snapshot()
    for state in snapshot.runs:
        if state.diverged:
            print(state.divergence.message, file=sys.stderr)
    started = time.perf_counter()
    try:
        result = compute_shared(shared_request(template, comparison.train_inputs,
                                               comparison.train_targets, snapshot, args.resolution))
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(shared_summary(result, comparison.epoch, trained, time.perf_counter() - started))
    return write_outputs(grid, lambda stream: write_grid(result.landscape.surface, stream),
                         out, lambda path: render_shared_png(result, path, size))


def shared_summary(result: SharedResult, epochs: int, train_seconds: float, surface_seconds: float) -> str:
    landscape = result.landscape
    surface = landscape.surface
    rows = [f"trained {len(landscape.coords)} optimizers {epochs} epochs in {train_seconds:.2f} s; "
            f"shared surface {surface.loss.shape[0]}×{surface.loss.shape[1]} in "
            f"{surface_seconds * 1e3:.0f} ms",
            f"directions: PCA of the union of the paths, explained variance {surface.explained[0]:.1%} "
            f"+ {surface.explained[1]:.1%}",
            f"{'optimizer':<12}{'loss now':>10}{'points':>8}{'end (α, β)':>22}{'off the plane':>15}"]
    for label, loss, coords, distances in zip(result.request.labels, result.final_losses,
                                              landscape.coords, landscape.distances):
        end = f"({coords[-1, 0]:.3g}, {coords[-1, 1]:.3g})"
        rows.append(f"{label:<12}{loss:>10.4g}{len(coords):>8}{end:>22}{float(np.max(distances)):>15.3g}")
    return "\n".join(rows)


def render_shared_png(result: SharedResult, path: str, size: tuple[int, int]) -> None:
    """Draw the comparison window's landscape view offscreen into ``path``."""
    with offscreen_application() as app:
        from gui.compare.landscape_view import SharedLandscapeView
        from gui.compare.plot import run_colours

        labels = result.request.labels
        view = SharedLandscapeView()
        view.set_runs(labels, run_colours([len(labels)], len(labels)))
        view.show_result(result)
        view.resize(*size)
        view.show()
        image = grab(app, view)
    save_png(image, path)
