"""Training throughput of the layered engine against today's engine and a textbook MLP, same run.

Reference workload (DESIGN.md): the 2-class spiral, 500 points, 2→8→8→1,
tanh hidden and output, mse, plain SGD with learning rate 0.03, float64,
"uniform" initialisation. Batches are sliced from a pre-shuffled copy of the
data, so no shuffling cost is inside the timed loop. Rows are timed in turns
(interleaved repeats, the order rotating each repeat), all in one process; a
cell is the median over repeats, and a ratio is the median of the ratios taken
within one repeat, so a slow spell of a shared machine cancels out. Times are
the process's CPU time by default, so time spent waiting for a busy core is
not charged to whichever row was running (``--clock wall`` for elapsed time;
on a quiet machine the two agree). About 45 s of CPU time with the defaults.

    textbook   TextbookMLP: the straightforward tutorial version
    baseline   benchmarks/baseline_engine.py: the engine before the layered rewrite
               (commit dea1193), ``train_step`` on inputs with the ones column
               appended once beforehand, as that engine's trainer called it
    engine     ``net.train_step(X, Y, optimizer)``: the public one-step call, X plain
    Trainer    ``Trainer.step`` (adds batch slicing, the divergence check, epoch bookkeeping)

Then two cost ratios, measured the same way:

    dropout + batch norm   a 2-8-8-1 ReLU step with batch_norm=True and dropout=0.5 on both
                           hidden layers, against the plain 2-8-8-1 ReLU step
    9 compared runs        model.comparison.Comparison, sigmoid,tanh,relu × η 0.003,0.03,0.3,
                           one epoch, against one Trainer epoch of the base setting
                           (as benchmarks/compare_speed.py measures it)

    python benchmarks/train_speed.py [--seconds 0.2] [--repeats 11] [--epochs 100] [--clock cpu|wall]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.baseline_engine import BaselineNetwork, BaselineSGD, append_ones  # noqa: E402
from model import Network, make_optimizer  # noqa: E402
from model.comparison import Comparison  # noqa: E402
from model.variations import Variation  # noqa: E402
from model.config import ExperimentConfig  # noqa: E402
from model.datasets import make_dataset  # noqa: E402
from model.experiment import build  # noqa: E402
from model.training import Trainer  # noqa: E402

SIZES = [2, 8, 8, 1]
LEARNING_RATE = 0.03
BATCH_SIZES = (1, 10, 500)
AGREEMENT_TOLERANCE = 1e-12

# The comparison workload of benchmarks/compare_speed.py: 250 train / 250 test, batch 10.
COMPARE_BASE = ExperimentConfig(dataset="spiral", samples=500, test_ratio=0.5, hidden_layers=(8, 8),
                                activations=("tanh",), output_activation="tanh", loss="mse",
                                optimizer="sgd", learning_rate=LEARNING_RATE,
                                batch_size=10, seed=0)
COMPARE_ACTIVATIONS = "sigmoid,tanh,relu"
COMPARE_RATES = "0.003,0.03,0.3"

TARGET_SPEED = 0.95        # new engine ≥ 0.95× the baseline's speed at batch 10 and 500
TARGET_LAYERS = 2.5        # dropout + batch norm step ≤ 2.5× the plain step's time
TARGET_COMPARE = 2.0       # 9 compared runs ≤ 2× the time of one


class TextbookMLP:
    """The straightforward tutorial implementation: layer by layer, keeping z and a,
    activation and derivative as functions of z, the loss gradient on its own,
    bias added by broadcasting, one update per array."""

    def __init__(self, sizes, seed=0):
        rng = np.random.default_rng(seed)
        self.weights = [rng.uniform(-0.5, 0.5, (a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
        self.biases = [np.full(b, 0.1) for b in sizes[1:]]

    @staticmethod
    def activation(z):
        return np.tanh(z)

    @staticmethod
    def activation_derivative(z):
        return 1.0 - np.tanh(z) ** 2

    def forward(self, X):
        zs, activations = [], [X]
        for W, b in zip(self.weights, self.biases):
            zs.append(activations[-1] @ W + b)
            activations.append(self.activation(zs[-1]))
        return zs, activations

    def step(self, X, Y, lr):
        zs, activations = self.forward(X)
        loss_gradient = 2.0 * (activations[-1] - Y) / Y.size          # ∂/∂ŷ mean((ŷ − y)²)
        delta = loss_gradient * self.activation_derivative(zs[-1])
        weight_gradients, bias_gradients = [], []
        for l in range(len(self.weights) - 1, -1, -1):
            weight_gradients.insert(0, activations[l].T @ delta)
            bias_gradients.insert(0, np.sum(delta, axis=0))
            if l:
                delta = (delta @ self.weights[l].T) * self.activation_derivative(zs[l - 1])
        for l in range(len(self.weights)):
            self.weights[l] = self.weights[l] - lr * weight_gradients[l]
            self.biases[l] = self.biases[l] - lr * bias_gradients[l]


def reference_network(**layers) -> Network:
    return Network(SIZES, activation="tanh", output_activation="tanh", loss="mse", init="uniform",
                   seed=0, **layers)


CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}
clock = CLOCKS["cpu"]


def time_loop(step, batches, seconds):
    """Run ``step`` over the batches repeatedly for about ``seconds``; µs per step."""
    steps, start = 0, clock()
    while True:
        for batch in batches:
            step(*batch)
        steps += len(batches)
        elapsed = clock() - start
        if elapsed >= seconds:
            return elapsed / steps * 1e6


def shuffled(data):
    X, Y = data
    order = np.random.default_rng(0).permutation(len(X))
    return X[order], Y[order]


def batches_of(X, Y, batch_size):
    return [(X[i:i + batch_size], Y[i:i + batch_size]) for i in range(0, len(X), batch_size)]


def measure_steps(batch_size, data, seconds, repeats) -> "Timings":
    """µs per step of each implementation at one batch size."""
    X, Y = shuffled(data)
    plain_batches = batches_of(X, Y, batch_size)
    baseline_batches = batches_of(append_ones(X), Y, batch_size)

    textbook = TextbookMLP(SIZES)
    baseline, baseline_optimizer = BaselineNetwork(SIZES), BaselineSGD(LEARNING_RATE)
    net, optimizer = reference_network(), make_optimizer("sgd", LEARNING_RATE)
    trainer = Trainer(reference_network(), X, Y, optimizer=make_optimizer("sgd", LEARNING_RATE),
                      batch_size=batch_size, shuffle=False)
    subjects = {
        "textbook": (lambda x, y: textbook.step(x, y, LEARNING_RATE), plain_batches),
        "baseline": (lambda x, y: baseline.train_step(x, y, baseline_optimizer), baseline_batches),
        "engine": (lambda x, y: net.train_step(x, y, optimizer), plain_batches),
        "trainer": (trainer.step, [()] * len(plain_batches)),
    }
    return _interleaved(subjects, seconds, repeats)


def measure_layers(batch_size, data, seconds, repeats) -> "Timings":
    """µs per step: 2-8-8-1 ReLU plain, and with batch norm and dropout 0.5 on both hidden layers."""
    X, Y = shuffled(data)
    batches = batches_of(X, Y, batch_size)
    plain = Network(SIZES, activation="relu", output_activation="tanh", loss="mse", init="uniform")
    layered = Network(SIZES, activation="relu", output_activation="tanh", loss="mse", init="uniform",
                      batch_norm=True, dropout=0.5)
    plain_optimizer = make_optimizer("sgd", LEARNING_RATE)
    layered_optimizer = make_optimizer("sgd", LEARNING_RATE)
    subjects = {
        "plain": (lambda x, y: plain.train_step(x, y, plain_optimizer), batches),
        "layered": (lambda x, y: layered.train_step(x, y, layered_optimizer), batches),
    }
    with np.errstate(all="ignore"):   # lr 0.03 never diverges here, but timing must not warn
        return _interleaved(subjects, seconds, repeats)


def rotated(names: list[str], repeat: int) -> list[str]:
    """The names in turn, starting one further each repeat (no row always runs first)."""
    shift = repeat % len(names)
    return names[shift:] + names[:shift]


class Timings:
    """The times of every repeat, per row: medians for the table, ratios paired by repeat."""

    def __init__(self, names):
        self.runs: dict[str, list[float]] = {name: [] for name in names}

    def __getitem__(self, name: str) -> float:
        return statistics.median(self.runs[name])

    def ratio(self, numerator: str, denominator: str) -> float:
        """Median over repeats of numerator/denominator measured in the same repeat: a slow
        spell of a shared machine usually spans one repeat, so it cancels in the pair."""
        return statistics.median(a / b for a, b in zip(self.runs[numerator], self.runs[denominator]))


def _interleaved(subjects, seconds, repeats) -> Timings:
    timings = Timings(subjects)
    for repeat in range(repeats):   # interleaved, so machine noise hits all alike
        for name in rotated(list(subjects), repeat):
            step, batches = subjects[name]
            timings.runs[name].append(time_loop(step, batches, seconds))
    return timings


class TrainerEpochs:
    """One run of the base setting, one ``Trainer.run`` epoch at a time (the main window's loop)."""

    def __init__(self):
        self.trainer = build(COMPARE_BASE).trainer

    def run_epoch(self) -> None:
        for _ in self.trainer.run(epochs=1):
            pass


def compared_runs() -> Comparison:
    return Comparison(COMPARE_BASE, [Variation.parse("activations", COMPARE_ACTIVATIONS),
                                     Variation.parse("learning_rate", COMPARE_RATES)])


def time_epochs(factory, epochs: int) -> float:
    """Build a fresh subject, run ``epochs`` epochs; µs per epoch (construction not timed)."""
    subject = factory()
    subject.run_epoch()   # warm-up: workspaces allocated
    start = clock()
    for _ in range(epochs):
        subject.run_epoch()
    return (clock() - start) / epochs * 1e6


def measure_comparison(epochs: int, repeats: int) -> Timings:
    factories = {"single": TrainerEpochs, "compared": compared_runs}
    timings = Timings(factories)
    for repeat in range(repeats):
        for name in rotated(list(factories), repeat):
            timings.runs[name].append(time_epochs(factories[name], epochs))
    return timings


def check_agreement(data) -> float:
    """All implementations start from the same weights; after 20 steps of batch 10 they must agree."""
    X, Y = data
    textbook = TextbookMLP(SIZES)
    baseline, baseline_optimizer = BaselineNetwork(SIZES), BaselineSGD(LEARNING_RATE)
    net, optimizer = reference_network(), make_optimizer("sgd", LEARNING_RATE)
    trainer = Trainer(reference_network(), X[:200], Y[:200],
                      optimizer=make_optimizer("sgd", LEARNING_RATE), batch_size=10, shuffle=False)
    X1 = append_ones(X)
    for i in range(0, 200, 10):
        textbook.step(X[i:i + 10], Y[i:i + 10], LEARNING_RATE)
        baseline.train_step(X1[i:i + 10], Y[i:i + 10], baseline_optimizer)
        net.train_step(X[i:i + 10], Y[i:i + 10], optimizer)
        trainer.step()
    differences = []
    for l in range(len(SIZES) - 1):
        reference = (baseline.weights[l], baseline.biases[l])
        for weights, biases in ((textbook.weights[l], textbook.biases[l]),
                                (net.weights[l], net.biases[l]),
                                (trainer.net.weights[l], trainer.net.biases[l])):
            differences.append(np.abs(weights - reference[0]).max())
            differences.append(np.abs(biases - reference[1]).max())
    return float(max(differences))


def verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=0.2, help="length of one timed repeat (s)")
    parser.add_argument("--repeats", type=int, default=11)
    parser.add_argument("--epochs", type=int, default=100, help="epochs per compared-runs repeat")
    parser.add_argument("--clock", choices=CLOCKS, default="cpu",
                        help="cpu: the process's CPU time (time it waited for a busy core does not "
                             "count); wall: elapsed time")
    args = parser.parse_args()
    global clock
    clock = CLOCKS[args.clock]
    data = make_dataset("spiral", n_samples=500, seed=0)
    data = (np.array(data.points, dtype=np.float64), np.array(data.targets, dtype=np.float64))

    agreement = check_agreement(data)
    print(f"Reference workload: spiral, 500 points, {'→'.join(map(str, SIZES))}, tanh/tanh, mse, "
          f"SGD lr {LEARNING_RATE}, float64, uniform init; median of {args.repeats} × "
          f"{args.seconds:g} s {args.clock} time, interleaved")
    print(f"NumPy {np.__version__}, Python {sys.version.split()[0]}; after 20 steps of batch 10 "
          f"textbook, baseline, engine and Trainer agree to max |Δw| = {agreement:.1e}")
    if not agreement <= AGREEMENT_TOLERANCE:
        raise SystemExit(f"the implementations disagree (max |Δw| = {agreement:.3g} > "
                         f"{AGREEMENT_TOLERANCE:g}): the timings below would compare different maths")
    print()

    labels = {"textbook": "textbook NumPy", "baseline": "baseline engine",
              "engine": "net.train_step", "trainer": "Trainer.step"}
    header = (f"{'batch':>5}  {'implementation':<30} {'µs/step':>9} {'samples/s':>12} "
              f"{'× textbook':>10} {'× baseline':>10}")
    rule = "-" * len(header)
    print(header)
    print(rule)
    speed = {}
    for batch_size in BATCH_SIZES:
        t = measure_steps(batch_size, data, args.seconds, args.repeats)
        for name, label in labels.items():
            print(f"{batch_size:>5}  {label:<30} {t[name]:>9.2f} {batch_size / t[name] * 1e6:>12,.0f} "
                  f"{t.ratio('textbook', name):>9.2f}× {t.ratio('baseline', name):>9.2f}×")
        speed[batch_size] = t.ratio("baseline", "engine")
        print()

    layer_rows = {}
    for batch_size in (10, 500):
        t = measure_layers(batch_size, data, args.seconds, args.repeats)
        layer_rows[batch_size] = t.ratio("layered", "plain")
        for name, label in (("plain", "ReLU 2-8-8-1, plain"),
                            ("layered", "ReLU 2-8-8-1, BN + dropout 0.5")):
            print(f"{batch_size:>5}  {label:<30} {t[name]:>9.2f} {batch_size / t[name] * 1e6:>12,.0f} "
                  f"{'':>10} {'':>10}")
        print(f"{'':>5}  {'  time × plain':<30} {layer_rows[batch_size]:>9.2f}×")
        print()

    c = measure_comparison(args.epochs, args.repeats)
    compare_ratio = c.ratio("compared", "single")
    print(f"{'epoch':>5}  {'1 run, Trainer.run (batch 10)':<30} {c['single']:>9.0f} µs/epoch")
    print(f"{'epoch':>5}  {'9 runs, Comparison.run_epoch':<30} {c['compared']:>9.0f} µs/epoch"
          f"   time × one run {compare_ratio:.2f}×")
    print()
    print("× baseline = speed relative to the baseline engine (> 1 is faster); "
          "time × = ratio of times (> 1 is slower);\nevery ratio is the median of the ratios "
          "measured in the same repeat.")
    print(f"Targets: net.train_step ≥ {TARGET_SPEED}× baseline at batch 10: {speed[10]:.2f}× "
          f"({verdict(speed[10] >= TARGET_SPEED)}), at batch 500: {speed[500]:.2f}× "
          f"({verdict(speed[500] >= TARGET_SPEED)}) [batch 1: {speed[1]:.2f}×, no target];")
    print(f"         BN + dropout step ≤ {TARGET_LAYERS}× the plain step (batch 10): "
          f"{layer_rows[10]:.2f}× ({verdict(layer_rows[10] <= TARGET_LAYERS)}) "
          f"[batch 500: {layer_rows[500]:.2f}×];")
    print(f"         9 compared runs ≤ {TARGET_COMPARE}× one run: {compare_ratio:.2f}× "
          f"({verdict(compare_ratio <= TARGET_COMPARE)}).")


if __name__ == "__main__":
    main()
