"""ConvNet against PyTorch: tests/data/torch_conv_reference.json, written by
tools/torch_conv_reference.py (torch is not a dependency; the file holds its numbers)."""
import json
from pathlib import Path

import numpy as np
import pytest

from model import ConvNet

CASES = json.loads((Path(__file__).parent / "data" / "torch_conv_reference.json").read_text())["cases"]


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_forward_loss_and_gradients_equal_torch(case):
    net = ConvNet(case["input_shape"], case["spec"], output_activation="softmax", loss="cross_entropy")
    assert list(net.parameters) == list(case["parameters"])
    for name, values in case["parameters"].items():
        net.parameters[name][...] = values
    X, Y = np.array(case["inputs"]), np.array(case["targets"])
    trace = net.forward(X)
    for ours, theirs in zip(trace.outputs, case["outputs"], strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(trace.output, case["probabilities"], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(net.loss(X, Y), case["loss"], rtol=1e-12)
    grads = net.backward(trace, Y).parameters
    for name, values in case["gradients"].items():
        np.testing.assert_allclose(grads[name], values, rtol=1e-10, atol=1e-14, err_msg=name)
