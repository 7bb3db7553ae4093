"""The walkthrough of one sample: its update is one SGD step, its formulas state true numbers."""
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import ACTIVATIONS, Network, make_optimizer
from model.training import Trainer
from model.walkthrough import GRANULARITIES, PHASES, walkthrough
from model.walkthrough_text import fmt, sub

# (output activation, loss, outputs): binary, binary, 3 classes, 3 classes via the Jacobian, regression
OUTPUTS = {
    "tanh+mse": ("tanh", "mse", 1),
    "sigmoid+cross_entropy": ("sigmoid", "cross_entropy", 1),
    "softmax+cross_entropy": ("softmax", "cross_entropy", 3),
    "softmax+mse": ("softmax", "mse", 3),
    "linear+mse": ("linear", "mse", 1),
}
FORWARD_KINDS = ("weighted_inputs", "sum", "activation")
BACKWARD_KINDS = ("delta", "weight_gradients")
NUMBER = re.compile(r"(?<![\w.])−?\d+(?:\.\d+)?(?:e−?\d+)?")
EXPRESSION = re.compile(r"[\d.\s+\-*/()e]+")


def evaluate(segment, magnitude=False):
    """The value of a numeric formula segment like "2 × (0.73 − 1) × 0.467", or None.

    With ``magnitude`` every number counts positive and every − as +: a bound
    on how much display rounding of the inputs can move the result.
    """
    if "…" in segment or "(softmax" in segment:
        return None
    expression = (segment.replace("−", "-").replace("×", "*").replace("·", "*").replace("²", "**2")
                  .replace("[", "(").replace("]", ")"))
    expression = re.sub(r"e\^(-?[\d.]+(?:e-?\d+)?)", r"exp(\1)", expression)
    expression = re.sub(r"ln\s*([\d.]+(?:e-?\d+)?)", r"log(\1)", expression)
    expression = expression.replace("ln(", "log(")
    if not EXPRESSION.fullmatch(expression.replace("exp", "").replace("log", "")):
        return None
    if magnitude:
        expression = expression.replace("-", "+").replace("e+", "e-")
    try:
        return eval(expression, {"exp": math.exp, "log": math.log, "__builtins__": {}})
    except (SyntaxError, ZeroDivisionError, ValueError, OverflowError):
        return None


def check_arithmetic(formula, title):
    """Every "= <numbers and operators> = <number>" in the formula is true at display precision."""
    for line in formula.splitlines():
        segments = [s.strip() for s in line.split(" = ")]
        for left, right in zip(segments, segments[1:]):
            if not NUMBER.fullmatch(right) or NUMBER.fullmatch(left):
                continue
            value, bound = evaluate(left), evaluate(left, magnitude=True)
            if value is None:
                continue
            tolerance = 0.03 * abs(bound) + 0.006 * abs(number(right)) + 0.01 * left.count("ln") + 1e-9
            assert abs(value - number(right)) <= tolerance, (title, line, value)


def number(text):
    return float(text.strip("()").replace("−", "-"))


def make(hidden, activations, output, seed=0, l1=0.0, l2=0.0, inputs=2):
    output_activation, loss, k = OUTPUTS[output]
    net = Network([inputs, *hidden, k], activation=activations, output_activation=output_activation,
                  loss=loss, seed=seed, l1=l1, l2=l2)
    rng = np.random.default_rng(seed + 1)
    x = rng.uniform(-2, 2, inputs)
    if output_activation == "softmax":
        y = np.eye(k)[rng.integers(k)]
    elif loss == "cross_entropy":
        y = np.array([float(rng.integers(2))])
    else:
        y = rng.uniform(-1, 1, k)
    return net, x, y


def one_sgd_step_by_the_trainer(net, x, y, learning_rate):
    twin = net.copy()
    trainer = Trainer(twin, x[None], y[None], optimizer=make_optimizer("sgd", learning_rate),
                      batch_size=1, shuffle=False)
    assert trainer.step()
    return twin


def close_to_a_shown_value(shown, values):
    """``shown`` is some value of the step rounded to 3 or 4 significant digits (or 1, 2)."""
    if shown in (1.0, 2.0):
        return True
    for array in values.values():
        flat = np.ravel(array)
        if np.any(np.abs(flat - shown) <= 0.0051 * np.abs(flat) + 1e-300):
            return True
    return False


def check_walkthrough(net, x, y, learning_rate, granularity):
    params = net.params.copy()
    tour = walkthrough(net, x, y, learning_rate, granularity)
    assert np.array_equal(net.params, params), "the walkthrough modified the network"

    # the update is exactly one plain SGD step of the trainer on this sample
    reference = one_sgd_step_by_the_trainer(net, x, y, learning_rate)
    for l in range(net.depth):
        np.testing.assert_allclose(tour.weights_after[l], reference.weights[l], rtol=0, atol=1e-12)
        np.testing.assert_allclose(tour.biases_after[l], reference.biases[l], rtol=0, atol=1e-12)
    assert tour.loss_after == pytest.approx(reference.loss(x[None], y[None]), abs=1e-12)
    assert tour.loss_before == pytest.approx(net.loss(x[None], y[None]), abs=1e-12)

    check_order_and_coverage(tour, net, granularity)
    check_numbers(tour, net, x, y)
    return tour


def check_order_and_coverage(tour, net, granularity):
    phases = [s.phase for s in tour.steps]
    assert phases == sorted(phases, key=PHASES.index), "phases out of order"
    assert [s.index for s in tour.steps] == list(range(len(tour)))
    layers = range(net.depth)
    forward = [(s.layer, s.kind) for s in tour.steps if s.phase == "forward"]
    backward = [(s.layer, s.kind) for s in tour.steps if s.phase == "backward"]
    # forward goes input → output, backward output → input
    assert [l for l, _ in forward] == sorted(l for l, _ in forward)
    assert [l for l, _ in backward] == sorted((l for l, _ in backward), reverse=True)
    for l in layers:
        units = net.sizes[l + 1]
        for kinds, phase in ((FORWARD_KINDS, "forward"), (BACKWARD_KINDS, "backward")):
            for kind in kinds:
                steps = [s for s in tour.steps if (s.phase, s.kind, s.layer) == (phase, kind, l)]
                if granularity == "neuron":
                    assert [s.neuron for s in steps] == list(range(units))
                else:
                    assert len(steps) == 1 and steps[0].neuron is None
                    assert len(steps[0].formulas) == units
        assert [s.layer for s in tour.steps if s.kind == "update"] == list(layers)
    assert [s.kind for s in tour.steps if s.phase == "loss"] == ["loss"]
    assert tour.steps[-1].kind == "loss_after"


def formulas_of(step):
    """(unit, formula) for every formula of a step, each checked: every number shown is one of
    the step's values (rounded) and every "= … =" holds at display precision."""
    units = [step.neuron] if step.neuron is not None else range(len(step.formulas))
    for unit in units:
        formula = step.formula_for(unit)
        for shown in NUMBER.findall(formula):
            assert close_to_a_shown_value(number(shown), step.values), (step.title, shown, formula)
        check_arithmetic(formula, step.title)
        yield unit, formula


def check_numbers(tour, net, x, y):
    trace = net.forward(x[None])
    gradients = net.backward(trace, y[None])
    for step in tour.steps:
        for unit, formula in formulas_of(step):
            j, l = unit, step.layer
            expected = {
                "sum": lambda: fmt(trace.z[l][0, j]),
                "activation": lambda: fmt(trace.a[l + 1][0, j]),
                "delta": lambda: fmt(gradients.deltas[l][0, j]),
                "weight_gradients": lambda: fmt(gradients.biases[l][j]),
                "update": lambda: fmt(tour.biases_after[l][j], 4),
                "loss": lambda: fmt(tour.loss_before),
                "loss_after": lambda: fmt(tour.loss_after),
            }.get(step.kind)
            if expected:
                assert expected() in formula, (step.title, expected(), formula)
        if step.kind in ("sum", "activation", "delta", "weight_gradients", "update") and step.neuron is None:
            assert f"{sub(0)}" in step.formula and f"{sub(len(step.formulas) - 1)}" in step.formulas[-1]
        assert step.explanation.endswith(".") and step.title


@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_every_hidden_activation_with_every_output(activation, output):
    net, x, y = make([3, 4], activation, output, seed=3)
    check_walkthrough(net, x, y, 0.1, "layer")


@pytest.mark.parametrize("output", OUTPUTS)
def test_neuron_mode_covers_every_neuron(output):
    net, x, y = make([3, 2], ["relu", "sigmoid"], output, seed=5)
    tour = check_walkthrough(net, x, y, 0.05, "neuron")
    layer_mode = walkthrough(net, x, y, 0.05)
    assert len(tour) > len(layer_mode)
    np.testing.assert_array_equal(np.concatenate([w.ravel() for w in tour.weights_after]),
                                  np.concatenate([w.ravel() for w in layer_mode.weights_after]))


@settings(max_examples=60, deadline=None)
@given(hidden=st.lists(st.integers(1, 5), min_size=0, max_size=6),
       activation=st.sampled_from(sorted(ACTIVATIONS)), output=st.sampled_from(sorted(OUTPUTS)),
       seed=st.integers(0, 1000), granularity=st.sampled_from(GRANULARITIES),
       regularised=st.booleans(), inputs=st.integers(1, 7))
def test_any_network_up_to_six_hidden_layers(hidden, activation, output, seed, granularity,
                                             regularised, inputs):
    rates = (0.001, 0.002) if regularised else (0.0, 0.0)
    net, x, y = make(hidden, activation, output, seed=seed, l1=rates[0], l2=rates[1], inputs=inputs)
    check_walkthrough(net, x, y, 0.03, granularity)


def test_regularisation_appears_in_the_gradient_and_the_update_matches_train_step():
    net, x, y = make([4, 3], "tanh", "tanh+mse", seed=2, l1=0.01, l2=0.05)
    tour = check_walkthrough(net, x, y, 0.2, "layer")
    gradients = next(s for s in tour.steps if s.kind == "weight_gradients")
    assert "λ₂·w" in gradients.formula and "λ₁·sign(w" in gradients.formula
    assert "penalty" in next(s for s in tour.steps if s.kind == "loss").formula
    twin = net.copy()
    twin.train_step(x[None], y[None], make_optimizer("sgd", 0.2))
    np.testing.assert_allclose(np.concatenate([w.ravel() for w in tour.weights_after]),
                               np.concatenate([w.ravel() for w in twin.weights]), rtol=0, atol=1e-12)


@pytest.mark.parametrize("output", OUTPUTS)
def test_a_small_step_lowers_the_loss_on_that_sample(output):
    for seed in range(5):
        net, x, y = make([4, 4], "tanh", output, seed=seed)
        tour = walkthrough(net, x, y, 1e-3)
        assert tour.loss_after < tour.loss_before
        assert "went down" in tour.steps[-1].explanation


def test_a_huge_step_is_reported_as_an_overshoot():
    net, x, y = make([4], "tanh", "linear+mse", seed=1)
    tour = walkthrough(net, x, y, 50.0)
    assert tour.loss_after > tour.loss_before
    assert "overshot" in tour.steps[-1].explanation


def test_parameters_at_switch_layer_by_layer_during_the_update():
    net, x, y = make([3, 3], "tanh", "sigmoid+cross_entropy", seed=4)
    tour = walkthrough(net, x, y, 0.5)
    updates = [s.index for s in tour.steps if s.kind == "update"]
    weights, _ = tour.parameters_at(updates[0] - 1)
    assert all(np.array_equal(w, b) for w, b in zip(weights, tour.weights_before))
    weights, biases = tour.parameters_at(updates[0])
    assert np.array_equal(weights[0], tour.weights_after[0])
    assert np.array_equal(weights[1], tour.weights_before[1])
    weights, biases = tour.parameters_at(len(tour) - 1)
    assert all(np.array_equal(w, a) for w, a in zip(weights, tour.weights_after))
    assert all(np.array_equal(b, a) for b, a in zip(biases, tour.biases_after))


def test_layer_mode_formulas_focus_on_the_asked_neuron():
    net, x, y = make([3], "sigmoid", "softmax+cross_entropy", seed=0)
    tour = walkthrough(net, x, y, 0.1)
    step = next(s for s in tour.steps if s.kind == "sum" and s.layer == 0)
    assert step.formula_for(2).startswith("z₃ =")
    assert fmt(step.values["z"][2]) in step.formula_for(2)
    assert step.formula_for(None) == step.formula_for(99) == step.formula
    softmax = next(s for s in tour.steps if s.kind == "activation" and s.layer == 1)
    assert "Σₖ e^zₖ" in softmax.formula
    fused = next(s for s in tour.steps if s.kind == "delta" and s.layer == 1)
    assert "ŷ₁ − y₁" in fused.formula


def test_saturated_and_dead_units_are_pointed_out():
    net = Network([2, 2, 1], activation="sigmoid", output_activation="tanh", seed=0)
    net.weights[0] = np.array([[30.0, -30.0], [30.0, -30.0]])
    tour = walkthrough(net, np.array([1.0, 1.0]), np.array([0.5]), 0.1)
    assert "almost flat" in tour.steps[2].explanation
    net = Network([2, 2, 1], activation="relu", output_activation="tanh", seed=0)
    net.weights[0] = np.array([[-1.0, 1.0], [-1.0, 1.0]])
    tour = walkthrough(net, np.array([1.0, 1.0]), np.array([0.5]), 0.1)
    assert "outputs 0" in tour.steps[2].explanation


def test_steps_are_immutable():
    net, x, y = make([2], "tanh", "tanh+mse")
    step = walkthrough(net, x, y, 0.1).steps[1]
    with pytest.raises(ValueError):
        step.values["z"][0] = 1.0
    with pytest.raises(TypeError):
        step.values["z"] = np.zeros(2)
    with pytest.raises(AttributeError):
        step.formula = "z = 0"


@pytest.mark.parametrize("x, y, granularity, message", [
    (np.zeros(2), np.zeros(1), "edge", "granularity"),
    (np.zeros(3), np.zeros(1), "layer", "sample x"),
    (np.zeros((1, 2)), np.zeros(1), "layer", "sample x"),
    (np.zeros(2), np.zeros(2), "layer", "target y"),
    (np.array([np.nan, 0.0]), np.zeros(1), "layer", "finite"),
])
def test_bad_arguments_raise_value_errors_that_say_what_is_wrong(x, y, granularity, message):
    net = Network([2, 3, 1])
    with pytest.raises(ValueError, match=message):
        walkthrough(net, x, y, 0.1, granularity)


def test_a_scalar_target_is_accepted_for_one_output_and_a_bad_rate_is_refused():
    net = Network([2, 3, 1])
    assert len(walkthrough(net, np.zeros(2), 0.5, 0.1)) > 0
    with pytest.raises(ValueError, match="learning rate"):
        walkthrough(net, np.zeros(2), 0.5, -1.0)


def test_numbers_are_formatted_consistently():
    assert fmt(-0.081234) == "−0.0812"
    assert fmt(1234.5) == "1.23e3"
    assert fmt(0.0) == "0" and fmt(2.0) == "2" and fmt(1.5e-5) == "1.5e−5"
    assert fmt(math.inf) == "∞" and fmt(0.12345, 4) == "0.1235"


def test_neuron_mode_follows_one_neuron_at_a_time_but_softmax_sums_come_first():
    net, x, y = make([2], "tanh", "softmax+cross_entropy", seed=0)
    tour = walkthrough(net, x, y, 0.1, "neuron")
    kinds = lambda phase, layer: [(s.neuron, s.kind) for s in tour.steps  # noqa: E731
                                  if s.phase == phase and s.layer == layer]
    assert kinds("forward", 0) == [(j, k) for j in range(2) for k in FORWARD_KINDS]
    assert kinds("forward", 1) == ([(j, k) for j in range(3) for k in ("weighted_inputs", "sum")]
                                   + [(j, "activation") for j in range(3)])
    assert kinds("backward", 0) == [(j, k) for j in range(2) for k in BACKWARD_KINDS]
