"""The comparison window at "Fastest": how long does the GUI thread's event loop stall?

    python benchmarks/event_loop_stalls.py [--seconds 8] [--epochs 300,30000]

For each starting epoch E the default comparison (activation × learning rate,
9 runs, the circle data set, full-batch so that the history fills quickly) is
trained headless to epoch E, shown in a ``CompareWindow`` (offscreen) and
trained there at "Fastest" for ``--seconds`` (a starved event loop runs the
timer that ends the measurement late: the stall shows in the table and in the
time the script takes; before the fix it took minutes). A 5 ms ``QTimer`` ticks in the
GUI thread throughout; the longest gap between two ticks is the longest time
the event loop could not react (a click, a repaint). The first row is a
baseline: the same window, paused — the stalls the (shared, noisy) machine
causes by itself. Also reported: the time
``show_snapshot`` takes per report (mean and max) and how many reports and
epochs the window got. Run it on two trees (before/after a change) in the same
session: the machine is noisy, compare rows of one run only.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gui.compare.window import CompareWindow  # noqa: E402
from model.comparison import Comparison  # noqa: E402
from model.variations import SETTINGS, Variation  # noqa: E402
from model.config import ExperimentConfig  # noqa: E402


def measure(app: QApplication, start_epoch: int, seconds: float, train: bool = True) -> dict:
    config = ExperimentConfig().replace(batch_size=1000)
    variations = [Variation.parse(name, SETTINGS[name].default_values)
                  for name in ("activations", "learning_rate")]
    comparison = Comparison(config, variations)
    for _ in range(start_epoch):
        comparison.run_epoch()
    paint_times: list[float] = []
    original = CompareWindow.show_snapshot

    def timed(self, snapshot):
        began = time.perf_counter()
        original(self, snapshot)
        paint_times.append(time.perf_counter() - began)

    CompareWindow.show_snapshot = timed
    try:
        window = CompareWindow(config, variations, comparison=comparison)
        window.max_epochs.setValue(100_000)
        window.speed.setCurrentIndex(0)                      # "Fastest"
        window.show()
        app.processEvents()
        paint_times.clear()
        ticks: list[float] = []
        timer = QTimer(interval=5)
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
        timer.start()
        if train:
            window.run()
        began = time.perf_counter()
        QTimer.singleShot(int(seconds * 1000), app.quit)   # a starved loop runs it late: that shows
        app.exec()
        elapsed = time.perf_counter() - began
        ticks.append(time.perf_counter())              # the loop's last gap counts too
        timer.stop()
        window.pause()
        epochs = (window.latest.epoch if window.latest else start_epoch) - start_epoch
        window.close()
        app.processEvents()
    finally:
        CompareWindow.show_snapshot = original
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    return {"start": start_epoch, "stall": max(gaps) if gaps else float("nan"),
            "paint_mean": sum(paint_times) / max(len(paint_times), 1), "paint_max": max(paint_times, default=0.0),
            "reports": len(paint_times) / elapsed, "epochs": epochs / elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--epochs", default="300,30000", help="starting epochs, comma-separated")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    print(f"{'start epoch':>11} | {'longest stall':>13} | {'show_snapshot mean':>18} | {'max':>8} | "
          f"{'reports/s':>9} | {'epochs/s':>8}")
    rows = [(int(e), True) for e in args.epochs.split(",")]
    for start, train in [(rows[0][0], False)] + rows:
        row = measure(app, start, args.seconds, train)
        label = f"{row['start']:>11,}" if train else "paused (baseline: the machine's own stalls)"
        print(f"{label} | {1000 * row['stall']:>10.0f} ms | {1000 * row['paint_mean']:>15.1f} ms | "
              f"{1000 * row['paint_max']:>5.0f} ms | {row['reports']:>9.1f} | {row['epochs']:>8.0f}", flush=True)


if __name__ == "__main__":
    main()
