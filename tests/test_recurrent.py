"""The recurrent network against a plain unrolled loop and central finite differences."""
import math

import numpy as np
import pytest

from model import ACTIVATIONS, OUTPUT_ACTIVATIONS, RecurrentNetwork, make_optimizer
from model.data.sequences import make_sequence_task, scored_accuracy
from model.networks.recurrent import PARAMETER_NAMES, clip_by_global_norm, global_norm
from model.protocol import Model
from model.training import Trainer


def unrolled_loss(net: RecurrentNetwork, params: dict, X, Y, frozen_states=None, first=0) -> float:
    """The loss by the textbook loop, one sample and one step at a time.

    With ``frozen_states`` (n, T+1, hidden) the states h_0 … h_first are those constants
    (the truncated objective: nothing before step first + 1 depends on the parameters).
    """
    f, g = ACTIVATIONS[net.activation.name], OUTPUT_ACTIVATIONS[net.output_activation.name]
    W_xh, W_hh, b = params["input_weights"], params["recurrent_weights"], params["hidden_bias"]
    W_hy, b_y = params["output_weights"], params["output_bias"]
    n, T, _ = X.shape
    outputs = []
    for i in range(n):
        h = np.zeros(net.hidden)
        per_step = []
        for t in range(T):
            if frozen_states is not None and t < first:
                h = frozen_states[i, t + 1]
            else:
                h = f(X[i, t] @ W_xh + h @ W_hh + b)
            per_step.append(g(h @ W_hy + b_y))
        outputs.append(per_step if net.sequence_output else per_step[-1])
    prediction = np.array(outputs)
    if net.base_loss.name == "mse":
        return float(np.mean((prediction - Y) ** 2))
    p = prediction.reshape(-1, prediction.shape[-1])
    y = Y.reshape(p.shape)
    if p.shape[-1] == 1:
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    return float(-np.sum(y * np.log(p)) / len(p))


def finite_difference_gradient(net, X, Y, frozen_states=None, first=0, eps=1e-6):
    params = {name: view.copy() for name, view in net.parameters.items()}
    gradient = {}
    for name in PARAMETER_NAMES:
        found = np.zeros_like(params[name])
        for index in np.ndindex(found.shape):
            original = params[name][index]
            params[name][index] = original + eps
            up = unrolled_loss(net, params, X, Y, frozen_states, first)
            params[name][index] = original - eps
            down = unrolled_loss(net, params, X, Y, frozen_states, first)
            params[name][index] = original
            found[index] = (up - down) / (2 * eps)
        gradient[name] = found
    return gradient


def small_problem(sequence_output=True, outputs=1, loss="mse", T=6, n=3, inputs=2, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(0.0, 1.0, (n, T, inputs))
    shape = (n, T, outputs) if sequence_output else (n, outputs)
    if loss == "mse":
        Y = rng.normal(0.0, 1.0, shape)
    elif outputs == 1:
        Y = rng.integers(0, 2, shape).astype(float)
    else:
        Y = np.eye(outputs)[rng.integers(0, outputs, shape[:-1])]
    return X, Y


@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize("sequence_output", [True, False])
@pytest.mark.parametrize("truncation", [None, 3])
def test_gradient_matches_central_differences_of_the_unrolled_loop(activation, sequence_output, truncation):
    net = RecurrentNetwork(inputs=2, hidden=4, outputs=2, activation=activation, sequence_output=sequence_output,
                           recurrent_init="gaussian", recurrent_scale=0.8, truncation=truncation, seed=3)
    X, Y = small_problem(sequence_output, outputs=2)
    trace = net.forward(X)
    # the unrolled loop computes the same loss
    assert unrolled_loss(net, net.parameters, X, Y) == pytest.approx(net.loss(X, Y), rel=1e-12)
    grads = net.backward(trace, Y)
    first = 0 if truncation is None else X.shape[1] - truncation
    expected = finite_difference_gradient(net, X, Y, trace.h if truncation else None, first)
    for name in PARAMETER_NAMES:
        np.testing.assert_allclose(grads.parameters[name], expected[name], rtol=1e-5, atol=1e-8, err_msg=name)


def test_truncation_changes_the_gradient_and_zeroes_the_early_deltas():
    X, Y = small_problem(True, outputs=1, T=8)
    full = RecurrentNetwork(inputs=2, hidden=4, outputs=1, seed=1)
    truncated = RecurrentNetwork(inputs=2, hidden=4, outputs=1, seed=1, truncation=3)
    full_grads, truncated_grads = (net.backward(net.forward(X), Y) for net in (full, truncated))
    assert not np.allclose(full_grads.parameters["recurrent_weights"],
                           truncated_grads.parameters["recurrent_weights"])
    assert np.all(truncated_grads.hidden_deltas[:, :5] == 0.0)
    np.testing.assert_allclose(full_grads.hidden_deltas[:, -1], truncated_grads.hidden_deltas[:, -1])
    # the output layer sees every step either way
    np.testing.assert_allclose(full_grads.parameters["output_weights"], truncated_grads.parameters["output_weights"])
    # k ≥ T is full BPTT
    truncated.truncation = 8
    np.testing.assert_allclose(truncated.backward(truncated.forward(X), Y).flat, full_grads.flat)


@pytest.mark.parametrize("output_activation, outputs, sequence_output", [
    ("sigmoid", 1, True), ("softmax", 3, False)])
def test_cross_entropy_gradient_matches_finite_differences(output_activation, outputs, sequence_output):
    net = RecurrentNetwork(inputs=2, hidden=3, outputs=outputs, output_activation=output_activation,
                           loss="cross_entropy", sequence_output=sequence_output, seed=5)
    X, Y = small_problem(sequence_output, outputs=outputs, loss="cross_entropy", T=4)
    grads = net.backward(net.forward(X), Y)
    expected = finite_difference_gradient(net, X, Y)
    for name in PARAMETER_NAMES:
        np.testing.assert_allclose(grads.parameters[name], expected[name], rtol=1e-5, atol=1e-8, err_msg=name)


def test_contract_shapes_and_views():
    net = RecurrentNetwork(inputs=1, hidden=16, outputs=1, activation="tanh", output_activation="linear",
                           loss="mse", sequence_output=True, init="xavier", recurrent_init="orthogonal", seed=0)
    shapes = {name: view.shape for name, view in net.parameters.items()}
    assert list(shapes) == list(PARAMETER_NAMES)
    assert shapes == {"input_weights": (1, 16), "recurrent_weights": (16, 16), "hidden_bias": (16,),
                      "output_weights": (16, 1), "output_bias": (1,)}
    for view in net.parameters.values():
        assert np.shares_memory(view, net.params)
    assert net.params.size == sum(int(np.prod(s)) for s in shapes.values())
    X = np.random.default_rng(0).normal(size=(5, 7, 1))
    trace = net.forward(X)
    assert trace.h.shape == (5, 8, 16) and np.all(trace.h[:, 0] == 0)
    assert trace.z.shape == (5, 7, 16) and trace.output.shape == (5, 7, 1)
    np.testing.assert_allclose(trace.h[:, 1:], np.tanh(trace.z))
    grads = net.backward(trace, np.zeros((5, 7, 1)))
    assert grads.hidden_deltas.shape == (5, 7, 16)
    assert isinstance(net, Model)
    one = RecurrentNetwork(inputs=1, hidden=4, outputs=2, output_activation="softmax", loss="cross_entropy",
                           sequence_output=False)
    assert one.forward(X).output.shape == (5, 2)
    np.testing.assert_allclose(one.predict(X).sum(axis=1), 1.0)


def test_elman_formula_by_hand():
    """One unit, weights chosen so the numbers can be checked on paper."""
    net = RecurrentNetwork(inputs=1, hidden=1, outputs=1, activation="linear")
    for name, value in zip(PARAMETER_NAMES, (2.0, 0.5, 1.0, 3.0, -1.0)):
        net.parameters[name][...] = value
    trace = net.forward(np.array([[[1.0], [0.0], [2.0]]]))
    # z1 = 1·2 + 0·0.5 + 1 = 3; z2 = 0 + 3·0.5 + 1 = 2.5; z3 = 4 + 1.25 + 1 = 6.25
    np.testing.assert_allclose(trace.z[0, :, 0], [3.0, 2.5, 6.25])
    np.testing.assert_allclose(trace.output[0, :, 0], [8.0, 6.5, 17.75])


@pytest.mark.parametrize("gain", [1.0, 0.5])
def test_orthogonal_initialisation_is_orthogonal(gain):
    net = RecurrentNetwork(hidden=12, recurrent_init="orthogonal", recurrent_scale=gain, seed=4)
    W = net.parameters["recurrent_weights"]
    np.testing.assert_allclose(W.T @ W, gain ** 2 * np.eye(12), atol=1e-12)


def test_gaussian_initialisation_has_the_chosen_standard_deviation():
    net = RecurrentNetwork(hidden=64, recurrent_init="gaussian", recurrent_scale=0.3, seed=4)
    assert np.std(net.parameters["recurrent_weights"]) == pytest.approx(0.3, rel=0.05)


def test_gradients_vanish_through_time_with_small_recurrent_weights():
    """‖∂L/∂h_t‖ for a many-to-one tanh net: the error enters at T and shrinks at every step back."""
    task = make_sequence_task("adding", 64, steps=20, seed=1)
    def norms(recurrent_init, scale):
        net = RecurrentNetwork(inputs=2, hidden=16, sequence_output=False, recurrent_init=recurrent_init,
                               recurrent_scale=scale, seed=2)
        grads = net.backward(net.forward(task.inputs), task.targets)
        return np.linalg.norm(grads.state_gradients, axis=(0, 2))       # per step t = 1 … T
    small = norms("gaussian", 0.05)
    assert np.all(np.diff(small) > 0)                     # every step back shrinks it
    assert small[0] / small[-1] < 1e-10                   # twenty steps back: nothing arrives
    orthogonal = norms("orthogonal", 1.0)
    assert orthogonal[0] / orthogonal[-1] > 1e3 * small[0] / small[-1]


def test_clipping_caps_the_global_norm_at_the_update():
    gradient = np.array([3.0, 4.0])
    assert clip_by_global_norm(gradient, 1.0) == 5.0
    np.testing.assert_allclose(gradient, [0.6, 0.8])
    assert global_norm(gradient) == pytest.approx(1.0)
    untouched = np.array([0.3, 0.4])
    clip_by_global_norm(untouched, 1.0)
    np.testing.assert_allclose(untouched, [0.3, 0.4])

    X, Y = small_problem(True, outputs=1, T=10, n=4)
    net = RecurrentNetwork(inputs=2, hidden=5, recurrent_init="gaussian", recurrent_scale=2.0, clip=0.01, seed=0)
    before = net.params.copy()
    exact = net.backward(net.forward(X), Y).flat          # backward itself never clips
    assert global_norm(exact) > 0.01
    net.train_step(X, Y, make_optimizer("sgd", 1.0))
    assert net.last_gradient_norm == pytest.approx(global_norm(exact))
    np.testing.assert_allclose(net.params - before, -exact * 0.01 / global_norm(exact))
    assert global_norm(net.params - before) == pytest.approx(0.01)


def test_bad_configuration_messages():
    with pytest.raises(ValueError, match="hidden units"):
        RecurrentNetwork(hidden=0)
    with pytest.raises(ValueError, match="recurrent initialisation"):
        RecurrentNetwork(recurrent_init="identity")
    with pytest.raises(ValueError, match="k ≥ 1"):
        RecurrentNetwork(truncation=0)
    with pytest.raises(ValueError, match="clipping"):
        RecurrentNetwork(clip=-1.0)
    net = RecurrentNetwork(inputs=2)
    with pytest.raises(ValueError, match=r"\(n, T, 2\)"):
        net.forward(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="targets"):
        net.loss(np.zeros((3, 4, 2)), np.zeros((3, 5, 1)))


def test_copy_and_state_round_trip():
    net = RecurrentNetwork(inputs=1, hidden=5, truncation=4, clip=1.0, recurrent_init="gaussian",
                           recurrent_scale=0.2, seed=9)
    net.params += 0.01
    twin = net.copy()
    assert twin.config() == net.config()
    np.testing.assert_array_equal(twin.params, net.params)
    assert not np.shares_memory(twin.params, net.params)


def test_trainer_learns_the_sine_task():
    task = make_sequence_task("sine", 600, steps=20, seed=0, noise=0.05)
    split = task.split(0.25, seed=0)
    net = RecurrentNetwork(inputs=1, hidden=16, outputs=1, seed=0)
    trainer = Trainer(net, split.train_inputs, split.train_targets, split.test_inputs, split.test_targets,
                      optimizer=make_optimizer("adam", 0.01), batch_size=32, task="regression")
    first = trainer.snapshot()
    last = list(trainer.run(epochs=60))[-1]
    assert first.test_loss > 0.1
    assert last.test_loss < 0.015 and last.divergence is None
    assert len(last.weights) == 3 and last.weights[1].shape == (16, 16)


def test_trainer_learns_the_echo_task():
    task = make_sequence_task("echo", 600, steps=20, delay=3, seed=0)
    split = task.split(0.25, seed=0)
    net = RecurrentNetwork(inputs=1, hidden=16, outputs=1, output_activation="sigmoid", loss="cross_entropy",
                           seed=0)
    trainer = Trainer(net, split.train_inputs, split.train_targets, split.test_inputs, split.test_targets,
                      optimizer=make_optimizer("adam", 0.01), batch_size=32, task="binary")
    last = list(trainer.run(epochs=30))[-1]
    accuracy = scored_accuracy(net.predict(split.test_inputs), split.test_targets, task.scored_from)
    assert accuracy >= 0.95, accuracy
    assert math.isfinite(last.train_loss) and last.test_accuracy > 0.8


def test_trainer_reports_divergence_on_the_recurrent_network():
    task = make_sequence_task("sine", 64, steps=10, seed=0)
    net = RecurrentNetwork(inputs=1, hidden=8, activation="relu", recurrent_init="gaussian", recurrent_scale=3.0)
    trainer = Trainer(net, task.inputs, task.targets, optimizer=make_optimizer("sgd", 10.0), batch_size=16,
                      task="regression")
    last = list(trainer.run(epochs=20))[-1]
    assert last.divergence is not None
    assert "of 2" in last.divergence.message
    assert np.isfinite(net.params).all()
