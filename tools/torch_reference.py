"""Write tests/data/torch_batchnorm_reference.json: what PyTorch computes for a
Dense → BatchNorm → activation → Dropout block, for tests/test_batch_norm_reference.py.

PyTorch is not a dependency of Backprop Studio. This script is run by hand,
in a developer's own environment, when the reference cases change:

    pip install torch            # in your own venv, never in pyproject.toml
    python tools/torch_reference.py

For each case (fixed seed, shapes, activation and dropout rate) it builds
``torch.nn.Sequential(Linear, BatchNorm1d, <activation>, Dropout)`` in float64,
gives BatchNorm1d a γ and β other than its defaults (1 and 0) so they show in
the numbers, and runs one training-mode forward on a batch X, then a backward
from a fixed upstream gradient G = ∂L/∂y. The Dropout is torch's own: its mask
is recovered by replaying the same random seed on a tensor of ones (Linear and
BatchNorm1d draw no random numbers in a forward pass), and the script checks
that the block's output is exactly the pre-dropout output times that mask, so
the mask in the file is the one torch applied (0 or 1/(1 − p)). Then the block
is put in evaluation mode and run on X again (running statistics, no dropout).

Recorded per case (weights in the engine's orientation, (fan_in, fan_out)):
inputs, weights, bias, gamma, beta, mask, upstream; torch's output, the input
gradient ∂L/∂X, the gradients of weights, bias, gamma and beta, the running
mean and (unbiased) running variance after that one training forward, and the
evaluation-mode output. Floats are written with ``repr`` precision, so the file
holds torch's float64 results exactly.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import torch

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "torch_batchnorm_reference.json"

# (name, seed, batch n, fan_in, units, activation, dropout p)
CASES = [
    ("tanh_p05", 0, 6, 3, 4, "tanh", 0.5),
    ("relu_p03", 1, 5, 2, 3, "relu", 0.3),
    ("sigmoid_p0", 2, 4, 3, 2, "sigmoid", 0.0),
    ("tanh_batch2_p02", 3, 2, 1, 5, "tanh", 0.2),
    ("relu_wide_p05", 4, 16, 4, 8, "relu", 0.5),
    ("sigmoid_p04", 5, 7, 5, 6, "sigmoid", 0.4),
]
ACTIVATIONS = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid}
EPS = 1e-5
MOMENTUM = 0.1


def as_list(tensor: torch.Tensor) -> list:
    return tensor.detach().cpu().double().tolist()


def case(name: str, seed: int, n: int, fan_in: int, units: int, activation: str, p: float) -> dict:
    torch.manual_seed(seed)
    linear = torch.nn.Linear(fan_in, units, dtype=torch.float64)
    batch_norm = torch.nn.BatchNorm1d(units, eps=EPS, momentum=MOMENTUM, dtype=torch.float64)
    with torch.no_grad():
        batch_norm.weight.copy_(torch.empty(units, dtype=torch.float64).uniform_(0.5, 2.0))
        batch_norm.bias.copy_(torch.empty(units, dtype=torch.float64).uniform_(-0.5, 0.5))
    dropout = torch.nn.Dropout(p)
    block = torch.nn.Sequential(linear, batch_norm, ACTIVATIONS[activation](), dropout)
    inputs = (torch.randn(n, fan_in, dtype=torch.float64) * 1.5 + 0.3).requires_grad_(True)
    upstream = torch.randn(n, units, dtype=torch.float64)

    block.train()
    captured = {}
    hook = dropout.register_forward_hook(lambda module, args, result: captured.update(x=args[0]))
    dropout_seed = 1000 + seed
    torch.manual_seed(dropout_seed)
    mask = dropout(torch.ones(n, units, dtype=torch.float64))      # torch's own draw, scaled
    torch.manual_seed(dropout_seed)
    output = block(inputs)                                           # the same draw again
    hook.remove()
    if not torch.equal(output, captured["x"] * mask):
        raise SystemExit(f"{name}: the recovered mask does not reproduce nn.Dropout's output")
    keep = 1.0 / (1.0 - p) if p < 1 else 0.0
    if not bool(((mask == 0) | (mask == keep)).all()):
        raise SystemExit(f"{name}: the mask holds values other than 0 and 1/(1 − p)")
    output.backward(upstream)

    block.eval()
    with torch.no_grad():
        evaluation_output = block(inputs)

    return {
        "name": name, "seed": seed, "activation": activation, "dropout": p,
        "eps": EPS, "momentum": MOMENTUM,
        "inputs": as_list(inputs),
        "weights": as_list(linear.weight.T),
        "bias": as_list(linear.bias),
        "gamma": as_list(batch_norm.weight),
        "beta": as_list(batch_norm.bias),
        "mask": as_list(mask),
        "upstream": as_list(upstream),
        "output": as_list(output),
        "input_gradient": as_list(inputs.grad),
        "weights_gradient": as_list(linear.weight.grad.T),
        "bias_gradient": as_list(linear.bias.grad),
        "gamma_gradient": as_list(batch_norm.weight.grad),
        "beta_gradient": as_list(batch_norm.bias.grad),
        "running_mean": as_list(batch_norm.running_mean),
        "running_var": as_list(batch_norm.running_var),
        "evaluation_output": as_list(evaluation_output),
    }


def main() -> None:
    torch.set_default_dtype(torch.float64)
    cases = [case(*spec) for spec in CASES]
    document = {
        "about": "torch.nn.Sequential(Linear, BatchNorm1d, activation, Dropout) in float64: one "
                 "training-mode forward and backward from 'upstream', then an evaluation-mode "
                 "forward. Written by tools/torch_reference.py; weights are (fan_in, fan_out).",
        "torch_version": torch.__version__,
        "python_version": sys.version.split()[0],
        "cases": cases,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
