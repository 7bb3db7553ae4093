"""Recurrent training throughput (issue 15): samples per second at batch 32, T = 20, hidden 16.

Rows, timed in turns within one process (median over repeats; CPU time by
default so a busy shared machine's waiting is not charged to a row):

    textbook   a plain NumPy Elman step: forward and BPTT loops written out with fresh arrays
    engine     ``RecurrentNetwork.train_step`` (prebuilt calls on reused buffers), SGD
    pytorch    ``torch.nn.RNN`` + ``nn.Linear``, MSE, SGD, same shapes — only when PyTorch is
               installed (it is not a dependency)

Each ratio is taken against ``engine`` within the same repeat. Target: engine ≥ 1.0× pytorch.

    python benchmarks/rnn_speed.py [--seconds 0.3] [--repeats 7] [--clock cpu|wall]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from model import RecurrentNetwork, make_optimizer  # noqa: E402

BATCH, STEPS, INPUTS, HIDDEN, OUTPUTS = 32, 20, 1, 16, 1


def textbook_step(params: dict, X: np.ndarray, Y: np.ndarray, rate: float) -> None:
    """One SGD step the tutorial way (many-to-many, tanh, linear output, MSE)."""
    n, T, _ = X.shape
    h = [np.zeros((n, HIDDEN))]
    for t in range(T):
        h.append(np.tanh(X[:, t] @ params["W_xh"] + h[-1] @ params["W_hh"] + params["b"]))
    H = np.stack(h[1:], axis=1)
    prediction = H @ params["W_hy"] + params["b_y"]
    error = 2 * (prediction - Y) / prediction.size
    grads = {"W_hy": np.einsum("nth,ntk->hk", H, error), "b_y": error.sum(axis=(0, 1))}
    dh_next = np.zeros((n, HIDDEN))
    grads.update(W_xh=np.zeros_like(params["W_xh"]), W_hh=np.zeros_like(params["W_hh"]),
                 b=np.zeros_like(params["b"]))
    for t in reversed(range(T)):
        dh = error[:, t] @ params["W_hy"].T + dh_next
        delta = dh * (1 - h[t + 1] ** 2)
        grads["W_xh"] += X[:, t].T @ delta
        grads["W_hh"] += h[t].T @ delta
        grads["b"] += delta.sum(axis=0)
        dh_next = delta @ params["W_hh"].T
    for name in params:
        params[name] -= rate * grads[name]


def rows() -> dict:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(BATCH, STEPS, INPUTS))
    Y = rng.normal(size=(BATCH, STEPS, OUTPUTS))
    net = RecurrentNetwork(INPUTS, HIDDEN, OUTPUTS, seed=0)
    optimizer = make_optimizer("sgd", 0.01)
    params = {"W_xh": rng.normal(size=(INPUTS, HIDDEN)) * 0.3, "W_hh": np.eye(HIDDEN),
              "b": np.zeros(HIDDEN), "W_hy": rng.normal(size=(HIDDEN, OUTPUTS)) * 0.3, "b_y": np.zeros(OUTPUTS)}
    found = {"textbook": lambda: textbook_step(params, X, Y, 0.01),
             "engine": lambda: net.train_step(X, Y, optimizer)}
    try:
        import torch
    except ImportError:
        return found
    torch.set_num_threads(1)
    rnn = torch.nn.RNN(INPUTS, HIDDEN, batch_first=True).double()
    linear = torch.nn.Linear(HIDDEN, OUTPUTS).double()
    torch_optimizer = torch.optim.SGD(list(rnn.parameters()) + list(linear.parameters()), lr=0.01)
    tX, tY = torch.from_numpy(X), torch.from_numpy(Y)
    loss_function = torch.nn.MSELoss()

    def torch_step() -> None:
        torch_optimizer.zero_grad()
        loss = loss_function(linear(rnn(tX)[0]), tY)
        loss.backward()
        torch_optimizer.step()
    found["pytorch"] = torch_step
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=0.3)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu")
    args = parser.parse_args()
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    steps = rows()
    names = list(steps)
    per_step: dict[str, list[float]] = {name: [] for name in names}
    ratios: dict[str, list[float]] = {name: [] for name in names}
    for repeat in range(args.repeats):
        order = names[repeat % len(names):] + names[:repeat % len(names)]
        timed = {}
        for name in order:
            step, count, start = steps[name], 0, clock()
            while clock() - start < args.seconds:
                step()
                count += 1
            timed[name] = (clock() - start) / count
            per_step[name].append(timed[name])
        for name in names:
            ratios[name].append(timed[name] / timed["engine"])   # > 1: slower than the engine
    print(f"batch {BATCH}, T = {STEPS}, hidden {HIDDEN}, {args.clock} time, median of {args.repeats}")
    print(f"{'row':10} {'µs/step':>9} {'samples/s':>11} {'engine speed-up':>16}")
    for name in names:
        seconds = statistics.median(per_step[name])
        print(f"{name:10} {seconds * 1e6:9.1f} {BATCH / seconds:11.0f} {statistics.median(ratios[name]):15.2f}×")
    if "pytorch" not in steps:
        print("PyTorch is not installed: no pytorch row (pip install torch to compare)")


if __name__ == "__main__":
    main()
