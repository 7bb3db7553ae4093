"""The walkthrough of a network with dropout and batch norm: a training step on a mini-batch.

Its numbers are checked against the engine: the update equals ``train_step`` on the same
batch drawing the same masks, the masks are the engine's, the batch statistics are the
batch's, and the gradients it shows agree with finite differences of the training-mode
loss with those masks. Every formula's arithmetic holds at display precision.
"""
import numpy as np
import pytest

from model import Network
from model.optimizers import SGD
from model.walkthrough import walkthrough
from model.walkthrough_text import fmt
from test_walkthrough import formulas_of

SETTINGS = {
    "dropout": dict(dropout=[0.5, 0.2], batch_norm=False),
    "batch norm": dict(dropout=0.0, batch_norm=[True, True]),
    "both": dict(dropout=[0.5, 0.0], batch_norm=[True, False]),
    "both, softmax": dict(dropout=[0.3, 0.3], batch_norm=[False, True], output="softmax"),
}


def make(setting, seed=0, n=5, activation="tanh"):
    options = dict(SETTINGS[setting])
    output = options.pop("output", "tanh")
    k = 3 if output == "softmax" else 1
    net = Network([2, 5, 4, k], activation=activation, output_activation=output,
                  loss="cross_entropy" if output == "softmax" else "mse", seed=seed, l2=0.01, **options)
    rng = np.random.default_rng(seed + 7)
    X = rng.normal(size=(n, 2))
    Y = np.eye(k)[rng.integers(k, size=n)] if k > 1 else rng.uniform(-1, 1, (n, 1))
    return net, X, Y


def tour_of(net, X, Y, learning_rate=0.1, seed=3, granularity="layer"):
    return walkthrough(net, X[0], Y[0], learning_rate, granularity, batch=(X[1:], Y[1:]), seed=seed)


@pytest.mark.parametrize("setting", SETTINGS)
def test_the_update_is_the_engines_training_step_with_the_same_masks(setting):
    net, X, Y = make(setting)
    params = net.params.copy()
    statistics = [None if s is None else s.copy() for s in net.statistics]
    tour = tour_of(net, X, Y)
    assert np.array_equal(net.params, params), "the walkthrough changed the network"
    assert all(s is None or np.array_equal(s, t) for s, t in zip(net.statistics, statistics))
    assert tour.training and tour.batch_size == len(X)
    engine = net.copy()
    engine.engine.masks.generator = np.random.default_rng(3)       # the engine draws the masks
    engine.train_step(X, Y, SGD(0.1))
    for l in range(net.depth):
        np.testing.assert_allclose(tour.weights_after[l], engine.weights[l], rtol=0, atol=1e-12)
        np.testing.assert_allclose(tour.biases_after[l], engine.biases[l], rtol=0, atol=1e-12)
    engine_masks = engine.training_masks(len(X))          # None: no dropout
    assert (engine_masks is None) == (not any(net.dropout))
    for column, mask in enumerate(engine_masks or [None] * (net.depth + 1)):
        if mask is None:
            assert tour.trace.masks[column] is None
        else:
            np.testing.assert_array_equal(tour.trace.masks[column], mask)
            np.testing.assert_array_equal(tour.dropout_kept(column), mask[0] > 0)
    masks = tour.trace.masks
    assert tour.loss_before == pytest.approx(net.loss(X, Y, training=True, masks=masks), abs=1e-12)
    assert tour.loss_after == pytest.approx(engine.loss(X, Y, training=True, masks=masks), abs=1e-12)
    assert tour.loss_after < tour.loss_before


@pytest.mark.parametrize("granularity", ("layer", "neuron"))
@pytest.mark.parametrize("setting", SETTINGS)
def test_every_number_shown_is_a_value_of_its_step_and_every_equation_holds(setting, granularity):
    net, X, Y = make(setting, seed=1)
    tour = tour_of(net, X, Y, granularity=granularity)
    for step in tour.steps:
        assert list(formulas_of(step)) and step.explanation.endswith(".")


def _step(tour, phase, kind, layer):
    return next(s for s in tour.steps if (s.phase, s.kind, s.layer) == (phase, kind, layer))


def test_dropout_steps_show_the_mask_the_zeroed_outputs_and_delta_stopping():
    net, X, Y = make("dropout", seed=2)
    tour = tour_of(net, X, Y, seed=5)
    kinds = [(s.phase, s.kind, s.layer) for s in tour.steps if s.layer == 0]
    assert kinds.index(("forward", "dropout", 0)) == kinds.index(("forward", "activation", 0)) + 1
    assert kinds.index(("backward", "dropout", 0)) == kinds.index(("backward", "delta", 0)) - 1
    dropped_anywhere = 0
    for l, rate in enumerate(net.dropout):
        forward = _step(tour, "forward", "dropout", l)
        mask = tour.trace.masks[l + 1][0]
        assert set(np.unique(mask)) <= {0.0, 1 / (1 - rate)}
        np.testing.assert_allclose(forward.values["outputs"], forward.values["activations"] * mask)
        for j, m in enumerate(mask):
            text = forward.formula_for(j)
            assert ("dropped" in text and "× 0 = 0" in text) if m == 0 else \
                (f"1/(1 − {fmt(rate)}) = {fmt(m)}" in text and "kept" in text)
        backward = _step(tour, "backward", "dropout", l)
        expected = net.weights[l + 1] @ tour.gradients.deltas[l + 1][0]      # Σₖ w·δₖ, by hand
        np.testing.assert_allclose(backward.values["backpropagated"], expected, atol=1e-14)
        np.testing.assert_allclose(backward.values["gated"], mask * expected, atol=1e-14)
        dropped = np.flatnonzero(mask == 0)
        dropped_anywhere += len(dropped)
        for j in dropped:
            assert "δ stops here" in backward.formula_for(j)
            assert tour.gradients.deltas[l][0, j] == 0                     # no BN: δ is 0 there
            # the weights into a dropped unit get nothing from this sample: a·0
            gradients = _step(tour, "backward", "weight_gradients", l)
            assert not gradients.values["data_gradients"][:, j].any()
            assert "× 0 + " in gradients.formula_for(j)
    assert dropped_anywhere, "the seed should drop a unit of the followed sample"
    assert dropped_anywhere, "the seed should drop a unit of the followed sample"


def test_batch_norm_steps_show_the_batch_statistics_and_gradients_that_finite_differences_confirm():
    net, X, Y = make("batch norm", seed=4)
    tour = tour_of(net, X, Y)
    masks = tour.trace.masks
    for l in range(2):
        forward = _step(tour, "forward", "batch_norm", l)
        z = tour.trace.z[l]
        np.testing.assert_allclose(forward.values["mean"], z.mean(axis=0), atol=1e-14)
        np.testing.assert_allclose(forward.values["var"], z.var(axis=0), atol=1e-14)
        normalized = (z[0] - z.mean(axis=0)) / np.sqrt(z.var(axis=0) + 1e-5)
        np.testing.assert_allclose(forward.values["normalized"], normalized, atol=1e-12)
        np.testing.assert_allclose(forward.values["u"], net.gammas[l] * normalized + net.betas[l], atol=1e-12)
        assert "μ_B" in forward.formula and "σ²_B" in forward.formula and "γ₁·ẑ₁ + β₁" in forward.formula
        activation = _step(tour, "forward", "activation", l)
        assert "tanh(u₁)" in activation.formula
        backward = _step(tour, "backward", "batch_norm", l)

        def loss_with(vector, index, value):
            twin = net.copy()
            vector(twin)[l][index] = value
            return twin.data_loss(X, Y, training=True, masks=masks)
        for vector, name in ((lambda n: n.gammas, "gamma_gradient"), (lambda n: n.betas, "beta_gradient")):
            for j in range(net.sizes[l + 1]):
                h, value = 1e-6, vector(net)[l][j]
                numeric = (loss_with(vector, j, value + h) - loss_with(vector, j, value - h)) / (2 * h)
                assert backward.values[name][j] == pytest.approx(numeric, abs=1e-7)
    # ∂L/∂w of the first layer, whose δ went back through batch norm, by finite differences
    gradients = _step(tour, "backward", "weight_gradients", 0).values["weight_gradients"]
    for i in range(2):
        for j in range(5):
            twins = [net.copy(), net.copy()]
            twins[0].weights[0][i, j] += 1e-6
            twins[1].weights[0][i, j] -= 1e-6
            numeric = (twins[0].loss(X, Y, True, masks) - twins[1].loss(X, Y, True, masks)) / 2e-6
            assert gradients[i, j] == pytest.approx(numeric, abs=1e-7)


def test_batch_norm_with_one_sample_says_to_raise_the_batch_size():
    net, X, Y = make("batch norm")
    with pytest.raises(ValueError, match="batch size to 2 or more"):
        walkthrough(net, X[0], Y[0], 0.1)


def test_dropout_alone_works_on_a_batch_of_one():
    net, X, Y = make("dropout")
    tour = walkthrough(net, X[0], Y[0], 0.1, seed=3)
    engine = net.copy()
    engine.engine.masks.generator = np.random.default_rng(3)
    engine.train_step(X[:1], Y[:1], SGD(0.1))
    np.testing.assert_allclose(tour.weights_after[0], engine.weights[0], rtol=0, atol=1e-12)
    assert tour.batch_size == 1 and tour.training
