"""Write tests/data/torch_conv_reference.json: what PyTorch computes for small ConvNets,
for tests/test_conv_reference.py.

PyTorch is not a dependency of Backprop Studio. This script is run by hand, in a
developer's own environment, when the reference cases change:

    pip install torch            # in your own venv, never in pyproject.toml
    python tools/torch_conv_reference.py

Each case is a spec as ``model.ConvNet`` takes it, built in torch from
``torch.nn.functional`` (conv2d with padding "valid"/"same", max_pool2d, flatten,
linear) in float64, with parameters drawn from a fixed seed, a softmax output and
the mean categorical cross-entropy (``F.cross_entropy`` on the logits). Recorded:
the inputs X (n, C, H, W), the one-hot targets, every parameter under the engine's
name and orientation (kernels (F, C, k, k), dense weights (in, out)), the output of
every spec entry, the probabilities, the loss, and each parameter's gradient.
Floats are written with ``repr`` precision, so the file holds torch's results exactly.
"""
from __future__ import annotations

import json
from pathlib import Path

import torch
import torch.nn.functional as F

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "torch_conv_reference.json"

# (name, seed, n, input shape, spec)
CASES = [
    ("issue_default", 0, 4, (1, 8, 8),
     [["conv", 8, 3, "same"], ["relu"], ["maxpool", 2], ["conv", 16, 3, "same"], ["relu"],
      ["maxpool", 2], ["flatten"], ["dense", 10]]),
    ("valid_odd_sizes", 1, 3, (2, 7, 6),
     [["conv", 3, 3, "valid"], ["tanh"], ["maxpool", 2], ["conv", 4, 1, "same"], ["sigmoid"],
      ["flatten"], ["dense", 5], ["relu"], ["dense", 3]]),
    ("large_kernel", 2, 2, (1, 9, 9),
     [["conv", 2, 5, "same"], ["relu"], ["conv", 3, 2, "valid"], ["maxpool", 3], ["flatten"],
      ["dense", 4]]),
]
ACTIVATIONS = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid}


def run_case(name: str, seed: int, n: int, shape: tuple[int, int, int], spec: list) -> dict:
    generator = torch.Generator().manual_seed(seed)
    X = torch.rand((n,) + shape, generator=generator, dtype=torch.float64)
    parameters: dict[str, torch.Tensor] = {}
    channels = shape[0]
    convs = denses = 0
    for entry in spec:                                    # draw the parameters in spec order
        if entry[0] == "conv":
            filters, k = entry[1], entry[2]
            parameters[f"conv{convs}.kernel"] = torch.randn((filters, channels, k, k), generator=generator,
                                                            dtype=torch.float64) * 0.5
            parameters[f"conv{convs}.bias"] = torch.randn(filters, generator=generator, dtype=torch.float64) * 0.1
            channels, convs = filters, convs + 1
    for tensor in parameters.values():
        tensor.requires_grad_(True)
    outputs = []
    a, convs = X, 0
    for entry in spec:
        kind = entry[0]
        if kind == "conv":
            a = F.conv2d(a, parameters[f"conv{convs}.kernel"], parameters[f"conv{convs}.bias"],
                         padding=entry[3])
            convs += 1
        elif kind == "maxpool":
            a = F.max_pool2d(a, entry[1])
        elif kind == "flatten":
            a = torch.flatten(a, 1)
        elif kind == "dense":
            features = a.shape[1]
            weight = (torch.randn((features, entry[1]), generator=generator, dtype=torch.float64)
                      / features ** 0.5).requires_grad_(True)
            bias = (torch.randn(entry[1], generator=generator, dtype=torch.float64) * 0.1).requires_grad_(True)
            parameters[f"dense{denses}.weight"], parameters[f"dense{denses}.bias"] = weight, bias
            denses += 1
            a = a @ weight + bias
        else:
            a = ACTIVATIONS[kind](a)
        a.retain_grad()
        outputs.append((kind, a))
    logits = a
    labels = torch.randint(0, logits.shape[1], (n,), generator=generator)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    return {
        "name": name, "input_shape": list(shape), "spec": spec,
        "inputs": X.tolist(), "targets": F.one_hot(labels, logits.shape[1]).double().tolist(),
        "parameters": {key: parameters[key].detach().tolist() for key in parameters},
        "outputs": [output.detach().tolist() for _, output in outputs],
        "probabilities": torch.softmax(logits, dim=1).detach().tolist(),
        "loss": loss.item(),
        "gradients": {key: parameters[key].grad.tolist() for key in parameters},
    }


def main() -> None:
    torch.set_default_dtype(torch.float64)
    cases = [run_case(*case) for case in CASES]
    OUT.write_text(json.dumps({"torch": torch.__version__, "cases": cases}))
    print(f"wrote {OUT}: {len(cases)} cases, torch {torch.__version__}")


if __name__ == "__main__":
    main()
