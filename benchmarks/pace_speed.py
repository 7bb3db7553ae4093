"""The speed box (issue 10.2): does each pace train at its rate, and does "as fast as
possible" keep the throughput of the window before the speed box existed?

    python benchmarks/pace_speed.py [--seconds 3]

Runs offscreen with the main window shown and every view live, on the default setting
(circle, 2-4-2-1, 250 training points, batch 10 → 25 steps an epoch), and prints a table:
the rate each pace asks for, the rate measured (epochs or mini-batch steps a second over
``seconds`` of Run) and their ratio. The last rows compare "as fast as possible" with
the worker's loop without any window, measured in the same run (gui_speed.py's headless
baseline), alternating the two three times and taking medians.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings

from gui_speed import headless, live, make_window   # noqa: E402  (also sets up offscreen Qt)
from gui.app import application                      # noqa: E402
from gui.training.pacing import PACES                 # noqa: E402
from model.config import ExperimentConfig             # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    application([])
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "pace.ini"), QSettings.IniFormat)
    window = make_window(settings)
    config = ExperimentConfig()
    print(f"{'pace':<24} {'asked':>10} {'measured':>10} {'ratio':>7}")
    for pace in PACES[:-1]:
        window.set_pace(pace.name)
        steps, epochs, _, _ = live(window, config, args.seconds)
        measured = steps if pace.unit == "batch" else epochs
        unit = "steps/s" if pace.unit == "batch" else "epochs/s"
        print(f"{pace.label:<24} {pace.per_second:>7g} {unit[:-2]:<2} {measured:>10.2f} "
              f"{measured / pace.per_second:>7.2f}")
    window.set_pace("fastest")
    fast, free = [], []
    for _ in range(3):
        free.append(headless(config, args.seconds)[1])
        fast.append(live(window, config, args.seconds)[1])
    fast_median, free_median = statistics.median(fast), statistics.median(free)
    print(f"{'as fast as possible':<24} {'—':>10} {fast_median:>10.0f} epochs/s")
    print(f"{'  no window (baseline)':<24} {'—':>10} {free_median:>10.0f} epochs/s")
    print(f"{'  window / no window':<24} {'':>10} {fast_median / free_median:>10.0%}")
    window.close()


if __name__ == "__main__":
    main()
