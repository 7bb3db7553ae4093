"""ConvNets compared on the run axis (issue 14): a comparison of R default ConvNets (R learning
rates, ``model.comparison.Comparison`` with a ``ConvolutionSetting``) trained in lock-step against
the same R as comparisons of one run each, one after the other, on the 8 × 8 digits (Adam, batch
32, one epoch each, the evaluation after it included).

Rows are timed in turns within one process (CPU time by default; median over repeats);
the ratio is lock-step time over sequential time within the same repeat (< 1: the run
axis saves time).

    python benchmarks/conv_runs_speed.py [--runs 4] [--repeats 5] [--clock cpu|wall]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from model.comparison import Comparison  # noqa: E402
from model.data import load_digits  # noqa: E402
from model.lessons.settings import ConvolutionSetting  # noqa: E402
from model.variations import Variation  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu")
    args = parser.parse_args()
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    digits = load_digits()
    rates = [0.001 * 3 ** i for i in range(args.runs)]
    timings: dict[str, list[float]] = {"lock-step": [], "one by one": []}
    ratios = []
    for _ in range(args.repeats):
        base = ConvolutionSetting(images="digits")
        stacked = Comparison(base, [Variation("learning_rate", tuple(rates))], data=digits)
        singles = [Comparison(base.replace(learning_rate=rate), [], data=digits) for rate in rates]
        start = clock()
        stacked.run_epoch()
        together = clock() - start
        start = clock()
        for single in singles:
            single.run_epoch()
        apart = clock() - start
        timings["lock-step"].append(together)
        timings["one by one"].append(apart)
        ratios.append(together / apart)
    print(f"{args.runs} default ConvNets (learning rates {', '.join(f'{r:g}' for r in rates)}), digits, "
          f"Adam, batch 32, one epoch; {args.clock} time, median of {args.repeats}")
    print(f"{'row':12} {'s/epoch':>9}")
    for name, values in timings.items():
        print(f"{name:12} {statistics.median(values):9.3f}")
    print(f"lock-step / one by one: {statistics.median(ratios):.2f}×")


if __name__ == "__main__":
    main()
