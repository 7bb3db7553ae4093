"""Training with the loss landscape open and refreshing, against the same training headless.

Issue 13 asks the surface to be cheap enough to "refresh several times a second during
training without slowing training below 70 % of headless". The landscape dock computes a
41 × 41 surface of the network being trained on the one background worker, between
training chunks, as often as a surface is done; this script measures what that costs
training: steps/s with the main window shown, every view live and the landscape dock open
(its surfaces refreshing), against the same setting trained headless, in alternating pairs
(medians), plus how many surfaces a second arrive.

Reference setting (benchmarks/landscape_speed.py): spiral, 500 points (250 train),
2→8→8→1 tanh, tanh output, mse, SGD 0.03, batch 10.

    python benchmarks/landscape_live.py [--seconds 3] [--pairs 3]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gui_speed import headless, live, make_window  # noqa: E402
from landscape_speed import REFERENCE  # noqa: E402

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gui.app import application  # noqa: E402

TARGET = 0.70


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--pairs", type=int, default=3)
    args = parser.parse_args()
    application([])
    window = make_window(QSettings(f"/tmp/backprop_landscape_{os.getpid()}.ini", QSettings.IniFormat))
    from gui.landscape.workspace import LandscapeWorkspace
    landscape = window.add_workspace(LandscapeWorkspace)
    surfaces = [0]
    landscape.controller.resultReady.connect(lambda *_: surfaces.__setitem__(0, surfaces[0] + 1))

    def open_landscape(window) -> None:
        landscape.open()
        QApplication.processEvents()

    rows = {"headless": [], "plain": [], "landscape": [], "surfaces/s": []}
    for _ in range(args.pairs):
        rows["headless"].append(headless(REFERENCE, args.seconds)[0])
        landscape.dock.hide()
        rows["plain"].append(live(window, REFERENCE, args.seconds)[0])
        surfaces[0] = 0
        rows["landscape"].append(live(window, REFERENCE, args.seconds, open_landscape)[0])
        rows["surfaces/s"].append(surfaces[0] / args.seconds)
    window.close()
    median = {name: statistics.median(values) for name, values in rows.items()}
    print(f"reference setting (spiral 2-8-8-1, 250 training points), {args.pairs} pairs of "
          f"{args.seconds:g} s, medians; load average {os.getloadavg()[0]:.1f}")
    print(f"{'':44s} {'steps/s':>10s} {'× headless':>11s}")
    print(f"{'headless (Trainer.run, no GUI)':44s} {median['headless']:10,.0f} {1:11.0%}")
    print(f"{'window, every view live':44s} {median['plain']:10,.0f} "
          f"{median['plain'] / median['headless']:11.0%}")
    print(f"{'window + landscape dock refreshing':44s} {median['landscape']:10,.0f} "
          f"{median['landscape'] / median['headless']:11.0%}")
    print(f"surfaces a second while training: {median['surfaces/s']:.1f}; "
          f"target: ≥ {TARGET:.0%} of headless with the landscape refreshing")


if __name__ == "__main__":
    main()
