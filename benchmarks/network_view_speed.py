"""How long one full repaint of the network view takes, offscreen.

One "frame" = ``show_parameters`` with fresh weights and gradients (what the
main window does for each training snapshot, ≤ 30 per second) followed by a
forced synchronous repaint of the whole viewport (``viewport().repaint()``).
Rows: [2, 8, 8, 1] (Playground's default, 88 edges) and [2, 64×6, 1]
(≈ 20,800 edges), with and without node heatmaps (40 × 40 per node), at the
fitted zoom and zoomed in 3×. The baseline is the small network's frame in
the same run; the budget for a smooth view is 16 ms (60 frames per second),
so 33 ms (the 30-per-second snapshot rate) is the hard limit.

    python benchmarks/network_view_speed.py [--repeats 30] [--size 1000x640]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication  # noqa: E402

from gui.network.view import NetworkView  # noqa: E402

RESOLUTION = 40


def parameters(sizes: list[int], rng: np.random.Generator):
    """Random He-scaled weights, small biases and gradients of the right shapes."""
    weights = [rng.normal(0, np.sqrt(2 / a), (a, b)) for a, b in zip(sizes, sizes[1:])]
    biases = [rng.normal(0, 0.1, b) for b in sizes[1:]]
    return weights, biases, [w * 0.01 for w in weights], [b * 0.01 for b in biases]


def heatmaps(sizes: list[int], rng: np.random.Generator) -> list[np.ndarray]:
    return [np.tanh(rng.normal(size=(n, RESOLUTION, RESOLUTION))) for n in sizes]


def time_frames(view: NetworkView, sizes: list[int], repeats: int, seed: int = 0) -> dict:
    """Median and 90th-percentile ms of show_parameters + repaint, and of each part."""
    rng = np.random.default_rng(seed)
    frames = [parameters(sizes, rng) for _ in range(4)]
    app = QApplication.instance()
    total, update, paint = [], [], []
    for k in range(repeats + 3):
        start = time.perf_counter()
        view.show_parameters(*frames[k % len(frames)])
        middle = time.perf_counter()
        view.viewport().repaint()
        end = time.perf_counter()
        app.processEvents()
        if k >= 3:   # warm-up frames
            total.append(end - start)
            update.append(middle - start)
            paint.append(end - middle)
    ms = lambda xs: 1000 * statistics.median(xs)  # noqa: E731
    return {"median": ms(total), "p90": 1000 * float(np.percentile(total, 90)),
            "update": ms(update), "paint": ms(paint)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--size", default="1000x640", help="viewport size WxH (default 1000x640)")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.lower().split("x"))
    app = QApplication.instance() or QApplication([])
    cases = [("[2, 8, 8, 1]", [2, 8, 8, 1]), ("[2, 64×6, 1]", [2] + [64] * 6 + [1])]
    rows = []
    for label, sizes in cases:
        edges = sum(a * b for a, b in zip(sizes, sizes[1:]))
        for with_heatmaps in (False, True):
            for zoom in (1.0, 3.0):
                view = NetworkView()
                view.resize(width, height)
                view.show()
                view.set_structure(sizes, [f"X{i + 1}" for i in range(sizes[0])],
                                   ["tanh"] * (len(sizes) - 2) + ["sigmoid"])
                if with_heatmaps:
                    view.show_heatmaps(heatmaps(sizes, np.random.default_rng(1)))
                if zoom != 1.0:
                    view.zoom_by(zoom)
                app.processEvents()
                result = time_frames(view, sizes, args.repeats)
                drawn = sum(item.last_drawn for item in view.edge_items)
                rows.append((label, edges, drawn, with_heatmaps, zoom, result))
                view.close()
                view.deleteLater()
                app.processEvents()
    baseline = rows[0][5]["median"]
    print(f"NetworkView frame = show_parameters + viewport().repaint(), viewport {width}×{height}, "
          f"offscreen, median of {args.repeats}")
    header = (f"{'network':<14}{'edges':>7}{'drawn':>7}{'heatmaps':>10}{'zoom':>6}"
              f"{'update ms':>11}{'paint ms':>10}{'frame ms':>10}{'p90 ms':>8}{'× base':>8}")
    print(header)
    print("-" * len(header))
    for label, edges, drawn, with_heatmaps, zoom, r in rows:
        print(f"{label:<14}{edges:>7}{drawn:>7}{'yes' if with_heatmaps else 'no':>10}{zoom:>6.0f}"
              f"{r['update']:>11.2f}{r['paint']:>10.2f}{r['median']:>10.2f}{r['p90']:>8.2f}"
              f"{r['median'] / baseline:>8.1f}")
    wide = [r for label, _, _, _, zoom, r in rows if "64" in label and zoom == 1.0]
    worst = max(r["median"] for r in wide)
    print(f"\n6 × 64 at the fitted zoom: worst median frame {worst:.1f} ms "
          f"({'within' if worst < 16 else 'OVER'} the 16 ms target)")


if __name__ == "__main__":
    main()
