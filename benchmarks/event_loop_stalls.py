"""The comparison window while it trains: how long does the GUI thread's event loop stall?

    python benchmarks/event_loop_stalls.py [--seconds 8] [--epochs 300,30000] [--speeds Fastest,30]

For each starting epoch E the default comparison (activation × learning rate,
9 runs, the circle data set, full-batch so that the history fills quickly) is
trained headless to epoch E, shown in a ``CompareWindow`` (offscreen, antialiased
as the app draws) and trained there at each speed for ``--seconds`` (a starved
event loop runs the timer that ends the measurement late: the stall shows in the
table and in the time the script takes). A 5 ms ``QTimer`` ticks in the GUI thread
throughout; the longest gap between two ticks is the longest time the event loop
could not react (a click, a repaint). The first row is a baseline: the same window,
paused — the stalls the (shared, noisy) machine causes by itself.

The longest stall depends on the machine's load (a GUI thread that waits for a
core, or for the GIL the training thread holds, stalls longer); the GUI thread's own
CPU time in its busiest turn (between two ticks) depends much less on it, so the
table gives both, and the load average. Also: the GUI thread's CPU time per report,
reports a second, how many panels were painted per report (9: every panel shows
every report) and epochs a second. Run it on two trees (before/after a change) in
the same session: the machine is noisy, compare rows of one run only.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pyqtgraph as pg  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gui.compare.panels import RunPanel  # noqa: E402
from gui.compare.window import SPEEDS, CompareWindow  # noqa: E402
from model.comparison import Comparison  # noqa: E402
from model.variations import SETTINGS, Variation  # noqa: E402
from model.config import ExperimentConfig  # noqa: E402


def measure(app: QApplication, start_epoch: int, seconds: float, speed: str | None) -> dict:
    """Train from ``start_epoch`` at ``speed`` (a label of ``SPEEDS``; None: paused) for ``seconds``."""
    config = ExperimentConfig().replace(batch_size=1000)
    variations = [Variation.parse(name, SETTINGS[name].default_values)
                  for name in ("activations", "learning_rate")]
    comparison = Comparison(config, variations)
    for _ in range(start_epoch):
        comparison.run_epoch()
    panels_painted = [0]
    original = RunPanel.show_state

    def counted(self, *args, **kwargs):
        panels_painted[0] += 1
        original(self, *args, **kwargs)

    RunPanel.show_state = counted
    try:
        window = CompareWindow(config, variations, comparison=comparison)
        window.max_epochs.setValue(100_000)
        window.speed.setCurrentIndex(window.speed.findText(speed or "Fastest"))
        window.show()
        app.processEvents()
        reports = [0]
        window.controller.snapshotReady.connect(lambda _: reports.__setitem__(0, reports[0] + 1))
        panels_painted[0] = 0
        ticks: list[tuple[float, float]] = []           # (wall, GUI-thread CPU) at every tick
        timer = QTimer(interval=5)
        timer.timeout.connect(lambda: ticks.append((time.perf_counter(), time.thread_time())))
        timer.start()
        if speed is not None:
            window.run()
        began, cpu = time.perf_counter(), time.thread_time()
        QTimer.singleShot(int(seconds * 1000), app.quit)   # a starved loop runs it late: that shows
        app.exec()
        elapsed, cpu = time.perf_counter() - began, time.thread_time() - cpu
        ticks.append((time.perf_counter(), time.thread_time()))   # the loop's last gap counts too
        timer.stop()
        window.pause()
        epochs = (window.latest.epoch if window.latest else start_epoch) - start_epoch
        window.close()
        app.processEvents()
    finally:
        RunPanel.show_state = original
    gaps = [(b[0] - a[0], b[1] - a[1]) for a, b in zip(ticks, ticks[1:])]
    return {"start": start_epoch, "speed": speed or "paused", "stall": max(g[0] for g in gaps),
            "busiest": max(g[1] for g in gaps), "cpu_per_report": cpu / max(reports[0], 1),
            "reports": reports[0] / elapsed, "panels": panels_painted[0] / max(reports[0], 1),
            "epochs": epochs / elapsed, "load": os.getloadavg()[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--epochs", default="300,30000", help="starting epochs, comma-separated")
    parser.add_argument("--speeds", default="Fastest,30 epochs/s",
                        help=f"comma-separated, of: {', '.join(label for label, _ in SPEEDS)}")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    pg.setConfigOptions(antialias=True)                 # as gui.app draws
    starts = [int(e) for e in args.epochs.split(",")]
    speeds = [label.strip() for label in args.speeds.split(",")]
    print(f"{'start epoch':>11} | {'speed':>13} | {'longest stall':>13} | {'GUI CPU, busiest turn':>21} | "
          f"{'GUI CPU/report':>14} | {'reports/s':>9} | {'panels/report':>13} | {'epochs/s':>8} | load")
    for start, speed in [(starts[0], None)] + [(e, v) for e in starts for v in speeds]:
        row = measure(app, start, args.seconds, speed)
        print(f"{row['start']:>11,} | {row['speed']:>13} | {1000 * row['stall']:>10.0f} ms | "
              f"{1000 * row['busiest']:>18.0f} ms | {1000 * row['cpu_per_report']:>11.1f} ms | "
              f"{row['reports']:>9.1f} | {row['panels']:>13.1f} | {row['epochs']:>8.0f} | {row['load']:.1f}",
              flush=True)


if __name__ == "__main__":
    main()
