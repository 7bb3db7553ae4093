"""Training throughput of the default ConvNet on the digits, against the same network in PyTorch.

Workload (issue 14): the 8 × 8 digits, batch 32, the default spec
conv8x3 same → ReLU → pool2 → conv16x3 same → ReLU → pool2 → flatten → dense10,
softmax + cross-entropy, plain SGD (learning rate 0.05), float64 in both. A row
times ``steps`` training steps on batches sliced from a pre-shuffled copy of the
training images (no shuffling in the timed loop). Rows are timed in turns,
repeated, and a cell is the median; the ratio is the median of the ratios
within one repeat, so a slow spell of the shared machine cancels out. Times are
the process's CPU time by default, as in ``train_speed.py`` (time spent waiting for
a busy core is not charged; ``--clock wall`` for elapsed time). Torch runs on one
thread (``torch.set_num_threads(1)``), as NumPy's calls here do.

PyTorch is not a dependency: without it the table has the engine's row only.

    python benchmarks/cnn_speed.py [--steps 200] [--repeats 7] [--batch 32] [--clock cpu|wall]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from model import ConvNet, make_optimizer  # noqa: E402
from model.data import load_digits  # noqa: E402
from model.networks.conv import DEFAULT_SPEC  # noqa: E402

LEARNING_RATE = 0.05
TARGET = 1.0        # engine samples/s ≥ 1.0 × PyTorch's


def batches(batch: int, steps: int) -> list[tuple[np.ndarray, np.ndarray]]:
    digits = load_digits()
    order = np.random.default_rng(0).permutation(len(digits.images))
    images, targets = digits.images[order], digits.targets[order]
    starts = [(step * batch) % (len(images) - batch) for step in range(steps)]
    return [(np.ascontiguousarray(images[s:s + batch]), np.ascontiguousarray(targets[s:s + batch]))
            for s in starts]


def engine_runner(data):
    net = ConvNet((1, 8, 8), DEFAULT_SPEC, seed=0)
    optimizer = make_optimizer("sgd", LEARNING_RATE)

    def run() -> None:
        for X, Y in data:
            net.train_step(X, Y, optimizer)
    return run, net


def torch_runner(data, net: ConvNet):
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(1)
    parameters = {name: torch.tensor(np.array(view), requires_grad=True) for name, view in net.parameters.items()}
    optimizer = torch.optim.SGD(list(parameters.values()), lr=LEARNING_RATE)
    tensors = [(torch.tensor(X), torch.tensor(Y.argmax(1))) for X, Y in data]
    p = parameters

    def forward(X):
        a = F.max_pool2d(torch.relu(F.conv2d(X, p["conv0.kernel"], p["conv0.bias"], padding="same")), 2)
        a = F.max_pool2d(torch.relu(F.conv2d(a, p["conv1.kernel"], p["conv1.bias"], padding="same")), 2)
        return torch.flatten(a, 1) @ p["dense0.weight"] + p["dense0.bias"]

    def run() -> None:
        for X, labels in tensors:
            optimizer.zero_grad()
            F.cross_entropy(forward(X), labels).backward()
            optimizer.step()
    return run, torch.__version__


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu")
    args = parser.parse_args()
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    data = batches(args.batch, args.steps)
    rows = {}
    engine, net = engine_runner(data)
    rows["Backprop Studio engine"] = engine
    try:
        rows["PyTorch (CPU, 1 thread)"], torch_version = torch_runner(data, net.copy())
    except ImportError:
        torch_version = None
    times = {name: [] for name in rows}
    for repeat in range(args.repeats):
        names = list(rows)
        for name in names[repeat % len(names):] + names[:repeat % len(names)]:
            start = clock()
            rows[name]()
            times[name].append(clock() - start)
    samples = args.steps * args.batch
    print(f"Default ConvNet on the 8×8 digits, batch {args.batch}, SGD lr {LEARNING_RATE}, float64; "
          f"{args.steps} steps × {args.repeats} repeats, interleaved, {args.clock} time")
    print(f"NumPy {np.__version__}" + (f", torch {torch_version}" if torch_version else ", torch not installed"))
    print(f"{'implementation':26} {'µs/step':>10} {'samples/s':>12}")
    for name, measured in times.items():
        median = statistics.median(measured)
        print(f"{name:26} {1e6 * median / args.steps:10.1f} {samples / median:12,.0f}")
    if torch_version:
        ratios = [t / e for e, t in zip(times["Backprop Studio engine"], times["PyTorch (CPU, 1 thread)"])]
        ratio = statistics.median(ratios)
        print(f"engine speed × PyTorch: {ratio:.2f}× (target ≥ {TARGET:.1f}×: {'met' if ratio >= TARGET else 'NOT MET'})")


if __name__ == "__main__":
    main()
