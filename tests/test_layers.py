"""The layered engine's contract (issue 8): dropout, batch normalisation, training and evaluation mode.

Every expected number here comes from a formula written in the test, from
central finite differences, or from a second run of the engine under a
condition the contract says must give the same result — never from the
engine's own intermediate values taken on trust.
"""
from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from model import Network, make_optimizer
from model.layers.batch_norm import SMALL_BATCH
from model.losses import EPSILON

EPS = 1e-5           # batch norm's ε (as torch.nn.BatchNorm1d)
MOMENTUM = 0.1       # running statistics: r ← (1 − 0.1)·r + 0.1·batch statistic

# (output activation, loss, output units, target kind) that make sense together
OUTPUTS = [
    ("tanh", "mse", 2, "real"),
    ("linear", "mse", 1, "real"),
    ("sigmoid", "cross_entropy", 1, "binary"),
    ("softmax", "cross_entropy", 3, "onehot"),
]
SMOOTH = ["tanh", "sigmoid", "softplus", "swish", "sine", "linear", "elu"]
KINKED = ["relu", "leaky_relu"]


def make_targets(rng, kind: str, n: int, k: int) -> np.ndarray:
    if kind == "real":
        return rng.uniform(-1, 1, (n, k))
    if kind == "binary":
        return rng.integers(0, 2, (n, k)).astype(float)
    return np.eye(k)[rng.integers(0, k, n)]


def activation_function(name: str):
    """f for the few activations the hand-worked tests use, written out here."""
    return {"tanh": np.tanh, "linear": lambda u: u, "relu": lambda u: np.maximum(u, 0.0),
            "sigmoid": lambda u: 1.0 / (1.0 + np.exp(-u))}[name]


def batch_norm_by_hand(z, gamma, beta):
    """Training-mode batch norm from the formula: returns μ_B, σ²_B (biased), ẑ, u."""
    mean = z.sum(axis=0) / z.shape[0]
    var = ((z - mean) ** 2).sum(axis=0) / z.shape[0]
    normalized = (z - mean) / np.sqrt(var + EPS)
    return mean, var, normalized, gamma * normalized + beta


# -- finite differences over every parameter ------------------------------------------

def numerical_gradient(net: Network, X, Y, masks, h: float = 1e-6) -> np.ndarray:
    """Central differences of the training-mode loss with fixed masks, for every entry of params."""
    params = net.params
    gradient = np.empty_like(params)
    for i in range(params.size):
        original = params[i]
        params[i] = original + h
        plus = net.loss(X, Y, training=True, masks=masks)
        params[i] = original - h
        minus = net.loss(X, Y, training=True, masks=masks)
        params[i] = original
        gradient[i] = (plus - minus) / (2 * h)
    return gradient


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    return float(np.max(np.abs(analytic - numeric)) / max(np.max(np.abs(numeric)), 1e-8))


@st.composite
def layered_networks(draw):
    """A network with batch norm and dropout on random hidden layers, data, and a mask seed."""
    hidden = draw(st.lists(st.integers(1, 5), min_size=1, max_size=3))
    inputs = draw(st.integers(1, 3))
    output, loss, outputs, kind = draw(st.sampled_from(OUTPUTS))
    activation = draw(st.lists(st.sampled_from(SMOOTH + KINKED), min_size=len(hidden),
                               max_size=len(hidden)))
    batch_norm = draw(st.lists(st.booleans(), min_size=len(hidden), max_size=len(hidden)))
    dropout = draw(st.lists(st.sampled_from([0.0, 0.2, 0.5]), min_size=len(hidden),
                            max_size=len(hidden)))
    if not any(batch_norm) and not any(dropout):      # every example exercises a new layer
        batch_norm[draw(st.integers(0, len(hidden) - 1))] = True
    l1, l2 = draw(st.sampled_from([(0.0, 0.0), (0.0, 0.01), (0.01, 0.0)]))
    batch = draw(st.integers(2, 6))
    seed = draw(st.integers(0, 2**16))
    net = Network([inputs, *hidden, outputs], activation=activation, output_activation=output,
                  loss=loss, batch_norm=batch_norm, dropout=dropout, seed=seed, init="xavier",
                  l1=l1, l2=l2)
    rng = np.random.default_rng(seed)
    # Move every parameter off its initial value (γ off 1, β and biases off 0), so each shows.
    net.params += rng.normal(0.0, 0.3, net.params.size)
    X = rng.uniform(-2, 2, (batch, inputs))
    Y = make_targets(rng, kind, batch, outputs)
    return net, X, Y, seed


@settings(max_examples=80, deadline=None)
@given(case=layered_networks())
def test_backward_matches_finite_differences_with_batch_norm_and_dropout(case):
    net, X, Y, seed = case
    trace = net.forward(X, training=True, rng=np.random.default_rng(seed + 1))
    # Kinked activations: central differences are wrong within h of the kink.
    for l, name in enumerate(net.activation_names):
        if name in KINKED:
            pre_activation = trace.z[l] if trace.batch_norm[l] is None else trace.batch_norm[l].output
            assume(np.min(np.abs(pre_activation)) > 1e-4)
    if net.l1:          # |w| has its kink at 0: central differences are wrong within h of it
        assume(min(np.min(np.abs(w)) for w in net.weights) > 1e-4)
    # A batch variance near 0 (two samples with almost equal z) curves the loss like 1/σ³_B:
    # central differences lose digits there (σ²_B = 3e-6 gave 2e-6, both engines alike).
    assume(all(record is None or np.min(record.var) > 1e-4 for record in trace.batch_norm))
    # Cross-entropy keeps p ≥ EPSILON inside its logarithm: where a saturated output sits at
    # the clip the loss is flat and the analytic (ŷ − y)/n is not its derivative (softmax gave
    # exactly [1, 0, 0] for a sample of another class).
    if net.loss_function.name == "cross_entropy":
        assume(np.min(trace.output) > 1e3 * EPSILON and np.max(trace.output) < 1.0 - 1e3 * EPSILON)
    grads = net.backward(trace, Y)
    numeric = numerical_gradient(net, X, Y, trace.masks)
    assert grads.flat.shape == net.params.shape
    assert relative_error(grads.flat, numeric) < 1e-6, (net, grads.flat, numeric)   # worst seen: 4e-8


def test_finite_differences_cover_gamma_beta_and_the_batch_statistics():
    """A fixed case where ∂L/∂γ, ∂L/∂β and the μ_B, σ²_B paths are all far from zero."""
    rng = np.random.default_rng(7)
    net = Network([3, 4, 3, 2], activation=["tanh", "sigmoid"], output_activation="linear",
                  loss="mse", batch_norm=True, dropout=[0.5, 0.0], seed=3)
    net.params += rng.normal(0.0, 0.3, net.params.size)
    X, Y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    trace = net.forward(X, training=True, rng=np.random.default_rng(11))
    grads = net.backward(trace, Y)
    numeric = numerical_gradient(net, X, Y, trace.masks)
    assert relative_error(grads.flat, numeric) < 1e-6
    # the named gradients are the flat one's pieces, at the gammas'/betas' own places in params
    for l in range(net.depth):
        for values, gradient in ((net.gammas[l], grads.gammas[l]), (net.betas[l], grads.betas[l])):
            if values is None:
                assert gradient is None
                continue
            offset = _offset_in_params(net, values)
            np.testing.assert_array_equal(grads.flat[offset:offset + values.size], gradient)
            assert np.max(np.abs(gradient)) > 1e-4
    # Batch norm subtracts the batch mean, so the bias before it has no effect on the loss: its
    # gradient is 0 only when the gradient flows through μ_B (without that path it is Σ γ·δ_u/σ).
    np.testing.assert_allclose(grads.biases[0], 0.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(grads.biases[1], 0.0, rtol=0, atol=1e-12)
    assert np.max(np.abs(grads.biases[2])) > 1e-4


@pytest.mark.parametrize("batch", [2, SMALL_BATCH, SMALL_BATCH + 1, 45])
def test_finite_differences_on_both_sides_of_the_small_batch_size(batch):
    """Up to SMALL_BATCH samples batch norm computes its means on every row (an n × n product),
    beyond on one broadcast row: the gradient, the running statistics and the step are right
    either way."""
    rng = np.random.default_rng(batch)
    net = Network([2, 3, 3, 1], activation=["tanh", "sigmoid"], output_activation="linear",
                  loss="mse", batch_norm=True, dropout=[0.3, 0.5], seed=1)
    net.params += rng.normal(0.0, 0.3, net.params.size)
    X, Y = rng.normal(size=(batch, 2)), rng.normal(size=(batch, 1))
    trace = net.forward(X, training=True, rng=np.random.default_rng(2))
    grads = net.backward(trace, Y)
    numeric = numerical_gradient(net, X, Y, trace.masks)
    assert relative_error(grads.flat, numeric) < 1e-6
    # one training forward from the start (0, 1): r = 0.1·μ_B and 0.9 + 0.1·σ²_B·n/(n − 1)
    for l in range(2):
        z = trace.z[l]
        np.testing.assert_allclose(net.running_means[l], 0.1 * z.mean(axis=0), rtol=0, atol=1e-14)
        np.testing.assert_allclose(net.running_vars[l], 0.9 + 0.1 * z.var(axis=0, ddof=1),
                                   rtol=1e-13, atol=0)
    # train_step (its own prebuilt pass) takes the step backward() computes, with those masks
    stepped = net.copy()
    stepped.engine.masks.generator = np.random.default_rng(2)
    before = net.params.copy()
    stepped.train_step(X, Y, make_optimizer("sgd", 0.1))
    np.testing.assert_allclose(stepped.params, before - 0.1 * grads.flat, rtol=0, atol=1e-13)


def _offset_in_params(net: Network, view: np.ndarray) -> int:
    """Where a view into ``net.params`` starts, in entries."""
    assert np.shares_memory(view, net.params), "expected a view into params"
    offset = (view.__array_interface__["data"][0] - net.params.__array_interface__["data"][0])
    return offset // net.params.itemsize


# -- the parameter layout -----------------------------------------------------------

def test_a_big_batch_costs_batch_norm_memory_in_proportion_to_its_size():
    """The n × n product (I − J) is for mini-batches only: evaluating a 10,000-point boundary grid
    built one of 800 MB and took the window's training from 10,000 to 250 steps a second."""
    from model.layers.batch_norm import BatchNorm
    layer = BatchNorm(8)
    for n in (SMALL_BATCH, 10_000):
        record = layer.allocate((n, 8))
        held = sum(array.nbytes for array in record.arrays.values() if isinstance(array, np.ndarray))
        assert held <= 64 * n * 8 * 8 + 8 * SMALL_BATCH ** 2 * 3, n      # a few (n, units) arrays


def test_parameter_layout_puts_gamma_and_beta_after_their_dense_block():
    net = Network([2, 3, 4, 1], activation="relu", batch_norm=[True, False], seed=0)
    # [W0; b0] (3×3 = 9), γ0 (3), β0 (3), [W1; b1] (4×4 = 16), [W2; b2] (5×1 = 5)
    assert net.params.size == 9 + 3 + 3 + 16 + 5
    assert _offset_in_params(net, net.weights[0]) == 0
    assert _offset_in_params(net, net.biases[0]) == 6
    assert _offset_in_params(net, net.gammas[0]) == 9
    assert _offset_in_params(net, net.betas[0]) == 12
    assert _offset_in_params(net, net.weights[1]) == 15
    assert _offset_in_params(net, net.weights[2]) == 31
    assert len(net.gammas) == len(net.betas) == net.depth == 3
    assert net.gammas[1] is None and net.betas[1] is None
    assert net.gammas[2] is None and net.betas[2] is None      # never on the output
    np.testing.assert_array_equal(net.gammas[0], np.ones(3))   # as BatchNorm1d starts
    np.testing.assert_array_equal(net.betas[0], np.zeros(3))
    net.params[9:12] = [1.5, 2.5, 3.5]
    np.testing.assert_array_equal(net.gammas[0], [1.5, 2.5, 3.5])


def test_layout_without_batch_norm_is_todays():
    net = Network([2, 3, 1], activation="tanh", dropout=0.5, seed=0)
    assert net.params.size == 3 * 3 + 4 * 1
    block = net.params[:9].reshape(3, 3)
    np.testing.assert_array_equal(block[:-1], net.weights[0])
    np.testing.assert_array_equal(block[-1], net.biases[0])
    assert len(net.gammas) == len(net.betas) == 2
    assert all(g is None for g in net.gammas) and all(b is None for b in net.betas)


# -- evaluation mode with running statistics, by hand ---------------------------------

def test_running_statistics_and_evaluation_output_worked_out_by_hand():
    # 1 input → 2 hidden units with batch norm and tanh → 1 linear output
    net = Network([1, 2, 1], activation="tanh", output_activation="linear", loss="mse",
                  batch_norm=True, seed=0)
    net.weights[0][...] = [[1.0, 2.0]]
    net.biases[0][...] = [0.0, 1.0]
    net.gammas[0][...] = [2.0, 0.5]
    net.betas[0][...] = [0.1, -1.0]
    net.weights[1][...] = [[1.0], [-3.0]]
    net.biases[1][...] = [0.25]
    assert net.running_means[1] is None and net.running_vars[1] is None
    np.testing.assert_array_equal(net.running_means[0], [0.0, 0.0])
    np.testing.assert_array_equal(net.running_vars[0], [1.0, 1.0])

    # First training forward: X = 1, 2, 3 → z = [[1, 3], [2, 5], [3, 7]]
    # μ_B = [2, 5]; σ²_B (biased) = [2/3, 8/3]; unbiased = [1, 4]
    net.forward(np.array([[1.0], [2.0], [3.0]]), training=True)
    np.testing.assert_allclose(net.running_means[0], [0.2, 0.5], rtol=0, atol=1e-14)
    np.testing.assert_allclose(net.running_vars[0], [0.9 + 0.1 * 1.0, 0.9 + 0.1 * 4.0],
                               rtol=0, atol=1e-14)

    # Second training forward: X = 0, 4 → z = [[0, 1], [4, 9]]
    # μ_B = [2, 5]; σ²_B (biased) = [4, 16]; unbiased (n = 2) = [8, 32]
    net.forward(np.array([[0.0], [4.0]]), training=True)
    running_mean = [0.9 * 0.2 + 0.1 * 2.0, 0.9 * 0.5 + 0.1 * 5.0]        # [0.38, 0.95]
    running_var = [0.9 * 1.0 + 0.1 * 8.0, 0.9 * 1.3 + 0.1 * 32.0]        # [1.7, 4.37]
    np.testing.assert_allclose(net.running_means[0], running_mean, rtol=0, atol=1e-14)
    np.testing.assert_allclose(net.running_vars[0], running_var, rtol=0, atol=1e-14)

    # Evaluation mode at x = 1 and x = −2: z = [x, 2x + 1], normalised with the running statistics
    def by_hand(x):
        u1 = 2.0 * (x - 0.38) / math.sqrt(1.7 + EPS) + 0.1
        u2 = 0.5 * (2 * x + 1 - 0.95) / math.sqrt(4.37 + EPS) - 1.0
        return 1.0 * math.tanh(u1) - 3.0 * math.tanh(u2) + 0.25

    X = np.array([[1.0], [-2.0]])
    expected = np.array([[by_hand(1.0)], [by_hand(-2.0)]])
    trace = net.forward(X)
    np.testing.assert_allclose(trace.output, expected, rtol=0, atol=1e-12)
    # evaluation mode does not move the statistics, and one sample alone gives the same answer
    np.testing.assert_allclose(net.running_means[0], running_mean, rtol=0, atol=1e-14)
    np.testing.assert_allclose(net.forward(X[:1]).output, expected[:1], rtol=0, atol=1e-12)
    # the loss in evaluation mode is of that output
    Y = np.array([[0.5], [-1.0]])
    assert net.loss(X, Y) == pytest.approx(float(np.mean((expected - Y) ** 2)), abs=1e-12)
    np.testing.assert_allclose(net.running_means[0], running_mean, rtol=0, atol=1e-14)
    np.testing.assert_allclose(net.running_vars[0], running_var, rtol=0, atol=1e-14)


def test_training_trace_batch_norm_record_follows_the_formula():
    rng = np.random.default_rng(2)
    net = Network([3, 4, 2], activation="tanh", output_activation="linear", batch_norm=True,
                  dropout=0.5, seed=4)
    net.params += rng.normal(0.0, 0.3, net.params.size)
    X = rng.normal(size=(6, 3))
    trace = net.forward(X, training=True, rng=np.random.default_rng(0))
    z = X @ net.weights[0] + net.biases[0]
    np.testing.assert_allclose(trace.z[0], z, rtol=0, atol=1e-12)
    mean, var, normalized, output = batch_norm_by_hand(z, net.gammas[0], net.betas[0])
    record = trace.batch_norm[0]
    np.testing.assert_allclose(record.mean, mean, rtol=0, atol=1e-12)
    np.testing.assert_allclose(record.var, var, rtol=0, atol=1e-12)
    np.testing.assert_allclose(record.normalized, normalized, rtol=0, atol=1e-12)
    np.testing.assert_allclose(record.output, output, rtol=0, atol=1e-12)
    # a[1] is what the layer passes on: f(u) after the mask
    np.testing.assert_allclose(trace.a[1], np.tanh(output) * trace.masks[1], rtol=0, atol=1e-12)
    np.testing.assert_allclose(trace.z[1], trace.a[1] @ net.weights[1] + net.biases[1],
                               rtol=0, atol=1e-12)
    assert trace.batch_norm[1] is None


# -- dropout masks ------------------------------------------------------------------

def test_share_of_dropped_units_is_close_to_p():
    rates = [0.1, 0.5, 0.8]
    net = Network([3, 40, 30, 20, 2], activation="relu", dropout=rates, seed=0)
    X = np.random.default_rng(0).normal(size=(25, 3))
    rng = np.random.default_rng(123)
    dropped = np.zeros(3)
    total = np.zeros(3)
    for _ in range(40):
        trace = net.forward(X, training=True, rng=rng)
        for i, l in enumerate((1, 2, 3)):
            mask = trace.masks[l]
            dropped[i] += np.count_nonzero(mask == 0)
            total[i] += mask.size
    for i, p in enumerate(rates):
        share = dropped[i] / total[i]
        sigma = math.sqrt(p * (1 - p) / total[i])          # binomial standard deviation of the share
        assert abs(share - p) < 5 * sigma, (p, share, sigma)


def test_share_of_dropped_units_is_per_unit_not_per_row_or_column():
    """Each unit of each sample is dropped on its own: no whole rows or columns at p = 0.5."""
    net = Network([2, 50, 1], activation="tanh", dropout=0.5, seed=0)
    trace = net.forward(np.zeros((60, 2)), training=True, rng=np.random.default_rng(5))
    kept = trace.masks[1] != 0
    assert 0 < kept.sum(axis=1).min() and kept.sum(axis=1).max() < 50
    assert 0 < kept.sum(axis=0).min() and kept.sum(axis=0).max() < 60


@pytest.mark.parametrize("p", [0.2, 0.5, 0.75])
def test_masks_are_zero_or_inverse_keep_probability(p):
    net = Network([2, 30, 30, 1], activation="tanh", dropout=p, seed=1)
    trace = net.forward(np.random.default_rng(0).normal(size=(20, 2)), training=True)
    for l in (1, 2):
        mask = trace.masks[l]
        assert mask.shape == (20, 30)
        assert set(np.unique(mask)) <= {0.0, 1.0 / (1.0 - p)}
        assert np.any(mask == 0) and np.any(mask != 0)


def test_masks_are_none_where_no_dropout_applies():
    net = Network([2, 4, 5, 3, 1], activation="tanh", dropout=[0.5, 0.0, 0.3], seed=0)
    trace = net.forward(np.ones((4, 2)), training=True)
    assert len(trace.masks) == len(trace.a) == 5
    assert trace.masks[0] is None          # the inputs
    assert trace.masks[1] is not None and trace.masks[1].shape == (4, 4)
    assert trace.masks[2] is None          # p = 0
    assert trace.masks[3] is not None and trace.masks[3].shape == (4, 3)
    assert trace.masks[4] is None          # the output
    # evaluation mode: no masks at all
    assert all(mask is None for mask in net.forward(np.ones((4, 2))).masks)


def test_dropout_applies_the_mask_to_what_the_layer_passes_on():
    rng = np.random.default_rng(3)
    net = Network([2, 6, 1], activation="sigmoid", output_activation="linear", dropout=0.4, seed=0)
    X = rng.normal(size=(7, 2))
    trace = net.forward(X, training=True, rng=np.random.default_rng(9))
    z = X @ net.weights[0] + net.biases[0]
    np.testing.assert_allclose(trace.z[0], z, rtol=0, atol=1e-12)
    np.testing.assert_allclose(trace.a[1], activation_function("sigmoid")(z) * trace.masks[1],
                               rtol=0, atol=1e-12)
    np.testing.assert_allclose(trace.output, trace.a[1] @ net.weights[1] + net.biases[1],
                               rtol=0, atol=1e-12)
    # evaluation mode: no dropout, no rescaling (inverted dropout scaled at training time)
    np.testing.assert_allclose(net.forward(X).a[1], activation_function("sigmoid")(z),
                               rtol=0, atol=1e-12)


def test_same_seed_same_masks_different_seed_different_masks():
    X = np.random.default_rng(0).normal(size=(8, 2))

    def masks_of(seed=0, rng=None):
        net = Network([2, 10, 10, 1], activation="relu", dropout=0.5, seed=seed)
        return net.forward(X, training=True, rng=rng).masks

    def same(a, b):
        return all((x is None and y is None) or (x is not None and y is not None and np.array_equal(x, y))
                   for x, y in zip(a, b))

    # the network's own generator, seeded by seed
    assert same(masks_of(seed=3), masks_of(seed=3))
    assert not same(masks_of(seed=3), masks_of(seed=4))
    # a generator passed in
    assert same(masks_of(rng=np.random.default_rng(1)), masks_of(rng=np.random.default_rng(1)))
    assert not same(masks_of(rng=np.random.default_rng(1)), masks_of(rng=np.random.default_rng(2)))
    # the own generator moves on: two calls on one network draw different masks
    net = Network([2, 10, 10, 1], activation="relu", dropout=0.5, seed=3)
    first, second = net.forward(X, training=True).masks, net.forward(X, training=True).masks
    assert not same(first, second)


def test_one_draw_for_all_masks_gives_the_numbers_of_one_draw_per_layer():
    """A pass draws every dropout mask with one call; the numbers are those of drawing the
    layers' masks one after another from the same generator: m = [u ≥ p]/(1 − p)."""
    X = np.random.default_rng(0).normal(size=(7, 2))
    net = Network([2, 5, 4, 3, 1], activation="relu", dropout=[0.2, 0.0, 0.6], seed=0)
    trace = net.forward(X, training=True, rng=np.random.default_rng(9))
    reference = np.random.default_rng(9)
    for l, (units, p) in ((1, (5, 0.2)), (3, (3, 0.6))):
        expected = (reference.random((7, units)) >= p) / (1.0 - p)
        np.testing.assert_array_equal(trace.masks[l], expected)
    assert trace.masks[2] is None
    # train_step draws the same way from the network's own generator
    stepped = Network([2, 5, 4, 3, 1], activation="relu", dropout=[0.2, 0.0, 0.6], seed=0)
    stepped.engine.masks.generator = np.random.default_rng(9)
    stepped.train_step(X, np.zeros((7, 1)), make_optimizer("sgd", 0.1))
    for l, mask in zip((1, 3), stepped.training_masks(7)[1::2]):
        np.testing.assert_array_equal(mask, trace.masks[l])


def test_given_masks_are_replayed():
    rng = np.random.default_rng(0)
    net = Network([2, 6, 6, 1], activation="tanh", dropout=[0.5, 0.3], batch_norm=[True, False],
                  seed=0)
    X = rng.normal(size=(9, 2))
    first = net.forward(X, training=True, rng=np.random.default_rng(1))
    again = net.forward(X, training=True, masks=first.masks)
    for a, b in zip(first.a, again.a):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(first.masks, again.masks):
        assert (a is None and b is None) or np.array_equal(a, b)
    # and hand-made masks are used as given
    chosen = [None, np.zeros((9, 6)), np.full((9, 6), 1 / 0.7), None]
    trace = net.forward(X, training=True, masks=chosen)
    np.testing.assert_array_equal(trace.a[1], np.zeros((9, 6)))
    np.testing.assert_allclose(trace.z[1], np.broadcast_to(net.biases[1], (9, 6)), rtol=0, atol=0)


# -- training and evaluation mode -----------------------------------------------------

@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_plain_network_is_the_same_in_both_modes(activation):
    rng = np.random.default_rng(1)
    net = Network([3, 5, 4, 2], activation=activation, output_activation="linear", seed=2)
    X = rng.normal(size=(6, 3))
    evaluation, training = net.forward(X), net.forward(X, training=True)
    for a, b in zip(evaluation.z, training.z):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(evaluation.a, training.a):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(evaluation.output, training.output)
    assert all(m is None for m in training.masks)
    assert all(b is None for b in training.batch_norm)
    # and forward(X) is the textbook pass
    a = X
    f = activation_function(activation)
    for l in range(net.depth):
        z = a @ net.weights[l] + net.biases[l]
        a = f(z) if l < net.depth - 1 else z
    np.testing.assert_allclose(evaluation.output, a, rtol=0, atol=1e-12)
    Y = rng.normal(size=(6, 2))
    assert net.loss(X, Y) == net.loss(X, Y, training=True)


def test_training_batch_of_one_through_batch_norm_is_a_value_error_saying_why():
    net = Network([2, 4, 1], activation="relu", batch_norm=True, seed=0)
    x = np.array([[0.5, -0.5]])
    for call in (lambda: net.forward(x, training=True),
                 lambda: net.loss(x, np.array([[1.0]]), training=True)):
        with pytest.raises(ValueError) as caught:
            call()
        message = str(caught.value)
        assert re.search(r"(?i)batch.?norm", message), message
        assert re.search(r"(?i)(one|1|single)\b.*sample|sample.*\b(one|1|single)\b|at least (2|two)"
                         r"|more than one|variance", message), message
    # evaluation mode is fine with one sample: it uses the running statistics
    assert net.forward(x).output.shape == (1, 1)


def test_training_loss_leaves_running_statistics_unchanged():
    rng = np.random.default_rng(0)
    net = Network([2, 5, 4, 1], activation="tanh", batch_norm=True, dropout=0.3, seed=0)
    X, Y = rng.normal(size=(8, 2)), rng.normal(size=(8, 1))
    trace = net.forward(X, training=True, rng=np.random.default_rng(1))   # statistics move off 0, 1
    means = [None if m is None else np.array(m) for m in net.running_means]
    variances = [None if v is None else np.array(v) for v in net.running_vars]
    assert not np.array_equal(means[0], np.zeros(5)) and not np.array_equal(variances[1], np.ones(4))

    training_loss = net.loss(X, Y, training=True, masks=trace.masks)
    net.loss(X, Y, training=True)
    net.loss(X, Y)
    for before, after in zip(means + variances, list(net.running_means) + list(net.running_vars)):
        assert (before is None and after is None) or np.array_equal(before, after)
    # and the training loss is the loss of the training-mode output with those masks
    output = net.forward(X, training=True, masks=trace.masks).output
    assert training_loss == pytest.approx(float(np.mean((output - Y) ** 2)), rel=1e-13, abs=1e-15)


def test_training_mode_forward_updates_running_statistics_of_every_batch_norm_layer():
    rng = np.random.default_rng(4)
    net = Network([3, 4, 5, 1], activation="relu", batch_norm=[True, True], seed=1)
    X = rng.normal(size=(10, 3))
    trace = net.forward(X, training=True)
    for l in (0, 1):
        n = X.shape[0]
        z = trace.z[l]
        np.testing.assert_allclose(net.running_means[l], 0.1 * z.mean(axis=0), rtol=0, atol=1e-14)
        np.testing.assert_allclose(net.running_vars[l], 0.9 + 0.1 * z.var(axis=0) * n / (n - 1),
                                   rtol=0, atol=1e-14)


# -- train_step is backward plus an SGD step ---------------------------------------

@pytest.mark.parametrize("layers", [
    {},
    {"dropout": 0.5},
    {"batch_norm": True},
    {"batch_norm": [True, False], "dropout": [0.0, 0.4], "l2": 0.01},
])
def test_train_step_equals_backward_and_a_hand_sgd_step(layers):
    rng = np.random.default_rng(6)
    X, Y = rng.normal(size=(12, 2)), rng.uniform(-1, 1, size=(12, 1))
    stepped = Network([2, 6, 5, 1], activation="tanh", seed=9, **layers)
    by_hand = Network([2, 6, 5, 1], activation="tanh", seed=9, **layers)
    np.testing.assert_array_equal(stepped.params, by_hand.params)
    optimizer = make_optimizer("sgd", 0.1)
    for start in (0, 4, 8, 0):
        batch = slice(start, start + 4)
        stepped.train_step(X[batch], Y[batch], optimizer)
        # the same masks: both networks draw from their own generator, seeded alike
        trace = by_hand.forward(X[batch], training=True)
        grads = by_hand.backward(trace, Y[batch])
        by_hand.params[...] = by_hand.params - 0.1 * grads.flat
        np.testing.assert_allclose(stepped.params, by_hand.params, rtol=0, atol=1e-14)
        for a, b in zip(list(stepped.running_means) + list(stepped.running_vars),
                        list(by_hand.running_means) + list(by_hand.running_vars)):
            assert (a is None and b is None) or np.allclose(a, b, rtol=0, atol=1e-14)
    assert not np.allclose(stepped.params, Network([2, 6, 5, 1], activation="tanh", seed=9,
                                                   **layers).params)


def test_train_step_takes_inputs_as_the_data_set_holds_them():
    """No ones column to append: X is (n, sizes[0]), as forward takes it."""
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(10, 2)), rng.normal(size=(10, 1))
    net = Network([2, 3, 1], activation="tanh", seed=0)
    reference = Network([2, 3, 1], activation="tanh", seed=0)
    net.train_step(X, Y, make_optimizer("sgd", 0.5))
    grads = reference.backward(reference.forward(X), Y)
    np.testing.assert_allclose(net.params, reference.params - 0.5 * grads.flat, rtol=0, atol=1e-14)


@pytest.mark.parametrize("n", [3, 40])
def test_per_run_activations_give_each_run_its_own_function_bit_for_bit(n):
    """Runs with sigmoid, tanh and ReLU along the run axis: sigmoid and tanh share one slice in
    mini-batches and keep their own on larger arrays; either way each run gets exactly what its
    activation (and derivative) gives alone."""
    from model.activations import get_activation
    from model.layers import ActivationLayer
    names = ["sigmoid", "sigmoid", "tanh", "relu"]
    z = np.random.default_rng(n).normal(size=(len(names), n, 3))
    layer = ActivationLayer(names)
    a, record = layer.forward(z)
    upstream = np.random.default_rng(1).normal(size=z.shape)
    delta, _ = layer.backward(record, upstream)
    for run, name in enumerate(names):
        f = get_activation(name)
        np.testing.assert_array_equal(a[run], f(z[run]))
        expected = upstream[run] * f.derivative(z[run], f(z[run]), np.empty_like(z[run]))
        np.testing.assert_array_equal(delta[run], expected)


@pytest.mark.parametrize("batch", [5, 40])
def test_evaluation_mode_backward_through_batch_norm_follows_the_formula(batch):
    """backward() of an evaluation-mode trace: batch norm's backward formula with the running
    statistics in place of the batch's, ∂L/∂z = γ/√(σ² + ε)·(g − ḡ − ẑ·(g·ẑ)‾) — every number
    defined (the evaluation pass fills everything the backward pass reads)."""
    rng = np.random.default_rng(batch)
    net = Network([2, 4, 1], activation="tanh", output_activation="linear", loss="mse",
                  batch_norm=True, seed=0)
    net.params += rng.normal(0.0, 0.3, net.params.size)
    X, Y = rng.normal(size=(batch, 2)), rng.normal(size=(batch, 1))
    net.forward(rng.normal(size=(8, 2)), training=True)          # running statistics off 0, 1
    trace = net.forward(X)
    grads = net.backward(trace, Y)
    parts = net.parts(0)
    g = grads.layer_deltas[parts["batch_norm"]]                     # ∂L/∂u
    z_hat = (trace.z[0] - net.running_means[0]) / np.sqrt(net.running_vars[0] + EPS)
    np.testing.assert_allclose(trace.batch_norm[0].normalized, z_hat, rtol=0, atol=1e-13)
    np.testing.assert_allclose(grads.betas[0], g.sum(axis=0), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(grads.gammas[0], (g * z_hat).sum(axis=0), rtol=1e-13, atol=1e-15)
    expected = net.gammas[0] / np.sqrt(net.running_vars[0] + EPS) * (
        g - g.mean(axis=0) - z_hat * (g * z_hat).mean(axis=0))
    np.testing.assert_allclose(grads.layer_deltas[parts["dense"]], expected, rtol=1e-12, atol=1e-14)
