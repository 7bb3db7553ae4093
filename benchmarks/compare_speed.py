"""Cost of training 9 runs side by side against training one, measured in the same process.

Reference workload: the 2-class spiral, 500 points (250 train, 250 test),
2→8→8→1, tanh output, mse, plain SGD, batch 10, float64. The comparison is
3 activations (sigmoid, tanh, relu) × 3 learning rates (0.003, 0.03, 0.3).

One epoch, for every row: a fresh shuffle, 25 mini-batch steps per run with a
divergence check after each, then the train and test loss and accuracy of
every run (what the comparison's curves and table need).

    single   one model.network.Network through that same loop (the baseline)
    Trainer  one run through model.training.Trainer.run (the main window's loop)
    9 × seq  the 9 runs as 9 Networks, one after the other
    batched  model.comparison.Comparison: the 9 runs stacked along a run axis (model.networks.Sequential)

Each cell is the median of interleaved repeats (machine noise hits all rows alike).

    python benchmarks/compare_speed.py [--epochs 40] [--repeats 7]
"""
from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from model.comparison import Comparison  # noqa: E402
from model.variations import Variation  # noqa: E402
from model.config import ExperimentConfig  # noqa: E402
from model.experiment import build  # noqa: E402
from model.training import accuracy  # noqa: E402

BASE = ExperimentConfig(dataset="spiral", samples=500, test_ratio=0.5, hidden_layers=(8, 8),
                        activations=("tanh",), output_activation="tanh", loss="mse",
                        optimizer="sgd", learning_rate=0.03, batch_size=10, seed=0)
ACTIVATIONS = "sigmoid,tanh,relu"
RATES = "0.003,0.03,0.3"


class SingleLoop:
    """One Network trained as the comparison trains each run: shuffle, steps, check, evaluate."""

    def __init__(self, config: ExperimentConfig):
        experiment = build(config)
        trainer = experiment.trainer
        self.net, self.optimizer, self.task = experiment.net, experiment.optimizer, experiment.task
        self.train_inputs, self.test_inputs = trainer.train_inputs, trainer.test_inputs
        self.train_targets, self.test_targets = trainer.train_targets, trainer.test_targets
        self.with_ones = self.train_inputs
        self.batch_size = config.batch_size
        self.rng = np.random.default_rng(config.seed)
        self.history: list[tuple] = []

    def run_epoch(self) -> None:
        n = self.with_ones.shape[0]
        order = self.rng.permutation(n)
        inputs, targets = self.with_ones[order], self.train_targets[order]
        with np.errstate(all="ignore"):
            for start in range(0, n, self.batch_size):
                self.net.train_step(inputs[start:start + self.batch_size],
                                    targets[start:start + self.batch_size], self.optimizer)
                if not math.isfinite(np.add.reduce(self.net.params)):
                    raise RuntimeError("the reference workload diverged")
            loss = self.net.loss_function.value
            train, test = self.net.predict(self.train_inputs), self.net.predict(self.test_inputs)
            self.history.append((loss(train, self.train_targets), loss(test, self.test_targets),
                                 accuracy(train, self.train_targets, self.task),
                                 accuracy(test, self.test_targets, self.task)))


class TrainerLoop:
    def __init__(self, config: ExperimentConfig):
        self.trainer = build(config).trainer

    def run_epoch(self) -> None:
        for _ in self.trainer.run(epochs=1):
            pass


class Sequential:
    def __init__(self, configs):
        self.loops = [SingleLoop(c) for c in configs]

    def run_epoch(self) -> None:
        for loop in self.loops:
            loop.run_epoch()


def comparison(activations: str = ACTIVATIONS, rates: str = RATES) -> Comparison:
    return Comparison(BASE, [Variation.parse("activations", activations),
                             Variation.parse("learning_rate", rates)])


def time_epochs(factory, epochs: int) -> float:
    """Build a fresh trainer, run ``epochs`` epochs; µs per epoch (construction not timed)."""
    subject = factory()
    subject.run_epoch()   # warm-up: workspaces allocated
    start = time.perf_counter()
    for _ in range(epochs):
        subject.run_epoch()
    return (time.perf_counter() - start) / epochs * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=40, help="epochs per timed repeat")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    runs = comparison().runs
    configs = [run.config for run in runs]
    rows = {
        "single": ("1 run, one Network, same loop (baseline)", 1, lambda: SingleLoop(BASE)),
        "trainer": ("1 run, Trainer.run (main window's loop)", 1, lambda: TrainerLoop(BASE)),
        "sequential": ("9 runs as 9 sequential Networks", 9, lambda: Sequential(configs)),
        "batched": ("9 runs batched (3 activations × 3 η)", 9, comparison),
        "batched_lr": ("9 runs batched (tanh × 9 η)", 9, lambda: comparison(
            "tanh", "0.003,0.006,0.01,0.02,0.03,0.06,0.1,0.2,0.3")),
        "batched_3": ("3 runs batched (3 activations)", 3, lambda: comparison(ACTIVATIONS, "0.03")),
    }
    times: dict[str, list[float]] = {key: [] for key in rows}
    for _ in range(args.repeats):
        for key, (_, _, factory) in rows.items():
            times[key].append(time_epochs(factory, args.epochs))
    median = {key: statistics.median(values) for key, values in times.items()}

    print("Reference workload: spiral, 500 points (250 train / 250 test), 2→8→8→1, tanh output, "
          "mse, SGD, batch 10, float64")
    print(f"NumPy {np.__version__}, Python {sys.version.split()[0]}; median of {args.repeats} "
          f"repeats × {args.epochs} epochs (25 steps + evaluation per epoch)\n")
    header = f"{'what':<44} {'runs':>4} {'µs/epoch':>9} {'µs/run·epoch':>13} {'× single':>9}"
    print(header)
    print("-" * len(header))
    base = median["single"]
    for key, (label, count, _) in rows.items():
        print(f"{label:<44} {count:>4} {median[key]:>9.0f} {median[key] / count:>13.0f} "
              f"{median[key] / base:>8.2f}×")
    print(f"\nTarget: 9 runs (3 activations × 3 η) in at most 2× the wall time of one: "
          f"{median['batched'] / base:.2f}× "
          f"({'met' if median['batched'] <= 2 * base else 'not met'}); "
          f"sequential would be {median['sequential'] / base:.2f}×.")


if __name__ == "__main__":
    main()
