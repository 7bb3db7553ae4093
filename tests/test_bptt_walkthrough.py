"""The BPTT walkthrough shows the engine's numbers and ends in the engine's update."""
import numpy as np
import pytest

from model import RecurrentNetwork, make_optimizer
from model.bptt import bptt_walkthrough


@pytest.mark.parametrize("sequence_output, truncation, clip", [(True, None, None), (False, None, None),
                                                               (True, 2, 0.05)])
def test_walkthrough_numbers_are_the_engines(sequence_output, truncation, clip):
    net = RecurrentNetwork(inputs=2, hidden=3, outputs=1, sequence_output=sequence_output, truncation=truncation,
                           clip=clip, recurrent_init="gaussian", recurrent_scale=0.9, seed=2)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5, 2))
    y = rng.normal(size=(5, 1)) if sequence_output else rng.normal(size=(1,))
    before = net.params.copy()
    steps = bptt_walkthrough(net, x, y, learning_rate=0.1)
    np.testing.assert_array_equal(net.params, before)                 # the walkthrough changes nothing
    phases = [s.phase for s in steps]
    assert phases[:5] == ["forward"] * 5 and phases[-1] == "update"
    assert phases.count("loss") == (5 if sequence_output else 1)

    trace = net.forward(x[np.newaxis])
    target = y[np.newaxis]
    grads = net.backward(trace, target)
    for step in steps[:5]:
        np.testing.assert_array_equal(step.values["h"], trace.h[0, step.time])
    backward = [s for s in steps if s.phase == "backward" and s.values]
    assert [s.time for s in backward] == list(range(5, 5 - (truncation or 5), -1))
    # the last partial sum of ∂L/∂W_hh is the engine's gradient
    np.testing.assert_allclose(backward[-1].values["recurrent_gradient"], grads.parameters["recurrent_weights"],
                               atol=1e-15)
    # the error from ŷ_t is the output delta sent back through W_hy, worked out here by hand (MSE, linear output)
    W_hy = net.parameters["output_weights"]
    for step in backward:
        t = step.time
        if sequence_output:
            expected = 2 * (trace.output[0, t - 1] - target[0, t - 1]) / 5 @ W_hy.T
        else:
            expected = (2 * (trace.output[0] - target[0]) @ W_hy.T) if t == 5 else np.zeros(3)
        np.testing.assert_allclose(step.values["from_output"], expected, atol=1e-14)
        np.testing.assert_allclose(step.values["from_output"] + step.values["carried"],
                                   step.values["state_gradient"], atol=1e-15)
    # the update is one training step of the engine (SGD, the same clipping)
    twin = net.copy()
    twin.train_step(x[np.newaxis], target, make_optimizer("sgd", 0.1))
    np.testing.assert_allclose(steps[-1].values["params_after"], twin.params, atol=1e-15)
    assert steps[-1].values["loss_after"] < steps[-1].values["loss_before"]
