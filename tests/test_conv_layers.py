"""Conv2D, MaxPool2D and Flatten against the formulas written out with loops, and every
gradient against central finite differences (hypothesis draws the shapes)."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.layers import ActivationLayer, Conv2D, Dense, Flatten, MaxPool2D
from model.networks import Sequential
from model.losses import get_loss


def conv_by_loops(x, kernel, bias, pad):
    """y[i, f, r, c] = b[f] + Σ K[f, ch, u, v]·x_p[i, ch, r + u, c + v], one position at a time."""
    n, channels, height, width = x.shape
    filters, _, k, _ = kernel.shape
    padded = np.zeros((n, channels, height + 2 * pad, width + 2 * pad))
    padded[:, :, pad:pad + height, pad:pad + width] = x
    out_h, out_w = padded.shape[2] - k + 1, padded.shape[3] - k + 1
    y = np.zeros((n, filters, out_h, out_w))
    for i in range(n):
        for f in range(filters):
            for r in range(out_h):
                for c in range(out_w):
                    total = bias[f]
                    for ch in range(channels):
                        for u in range(k):
                            for v in range(k):
                                total += kernel[f, ch, u, v] * padded[i, ch, r + u, c + v]
                    y[i, f, r, c] = total
    return y


def conv_gradients_by_loops(x, kernel, delta, pad):
    """Each output position adds δ·K to its input patch (∂L/∂x) and δ·patch to ∂L/∂K."""
    n, channels, height, width = x.shape
    filters, _, k, _ = kernel.shape
    padded = np.zeros((n, channels, height + 2 * pad, width + 2 * pad))
    padded[:, :, pad:pad + height, pad:pad + width] = x
    padded_gradient = np.zeros_like(padded)
    kernel_gradient = np.zeros_like(kernel)
    for i in range(n):
        for f in range(filters):
            for r in range(delta.shape[2]):
                for c in range(delta.shape[3]):
                    padded_gradient[i, :, r:r + k, c:c + k] += delta[i, f, r, c] * kernel[f]
                    kernel_gradient[f] += delta[i, f, r, c] * padded[i, :, r:r + k, c:c + k]
    return padded_gradient[:, :, pad:pad + height, pad:pad + width], kernel_gradient, delta.sum(axis=(0, 2, 3))


def max_pool_by_loops(x, size):
    n, channels, height, width = x.shape
    y = np.zeros((n, channels, height // size, width // size))
    gradient_of_sum = np.zeros_like(x)       # ∂(Σ y)/∂x: 1 at each window's first maximum
    for i in range(n):
        for ch in range(channels):
            for r in range(height // size):
                for c in range(width // size):
                    window = x[i, ch, r * size:(r + 1) * size, c * size:(c + 1) * size]
                    y[i, ch, r, c] = window.max()
                    u, v = np.unravel_index(np.argmax(window), window.shape)
                    gradient_of_sum[i, ch, r * size + u, c * size + v] = 1.0
    return y, gradient_of_sum


def conv_layer(rng, channels, filters, k, padding):
    layer = Conv2D(channels, filters, k, padding)
    layer.bind({"kernel": rng.normal(size=(filters, channels, k, k)), "bias": rng.normal(size=filters)})
    return layer


@pytest.mark.parametrize("padding, k, shape", [("valid", 3, (2, 2, 5, 6)), ("same", 3, (3, 3, 4, 4)),
                                               ("same", 5, (1, 1, 6, 5)), ("valid", 2, (2, 3, 3, 7)),
                                               ("valid", 1, (1, 2, 3, 3))])
def test_conv2d_matches_loops(padding, k, shape):
    rng = np.random.default_rng(k + shape[1])
    layer = conv_layer(rng, shape[1], 4, k, padding)
    x = rng.normal(size=shape)
    y, record = layer.forward(x)
    pad = (k - 1) // 2 if padding == "same" else 0
    np.testing.assert_allclose(y, conv_by_loops(x, layer.params["kernel"], layer.params["bias"], pad),
                               rtol=0, atol=1e-12)
    if padding == "same":
        assert y.shape[2:] == x.shape[2:]
    delta = rng.normal(size=y.shape)
    input_gradient, gradients = layer.backward(record, delta)
    expected_input, expected_kernel, expected_bias = conv_gradients_by_loops(x, layer.params["kernel"], delta, pad)
    np.testing.assert_allclose(input_gradient, expected_input, rtol=0, atol=1e-12)
    np.testing.assert_allclose(gradients["kernel"], expected_kernel, rtol=0, atol=1e-12)
    np.testing.assert_allclose(gradients["bias"], expected_bias, rtol=0, atol=1e-12)


def test_conv2d_is_cross_correlation_worked_by_hand():
    # a 3×3 image 1…9 and the kernel [[1, 0], [0, −1]]: y = x[r, c] − x[r+1, c+1] = −4 everywhere, + b
    layer = Conv2D(1, 1, 2)
    layer.bind({"kernel": np.array([[[[1.0, 0.0], [0.0, -1.0]]]]), "bias": np.array([0.5])})
    y, _ = layer.forward(np.arange(1.0, 10.0).reshape(1, 1, 3, 3))
    np.testing.assert_array_equal(y, np.full((1, 1, 2, 2), -3.5))


@pytest.mark.parametrize("size, shape", [(2, (2, 3, 4, 6)), (2, (1, 2, 5, 5)), (3, (2, 1, 7, 6))])
def test_max_pool_matches_loops_and_routes_to_the_max(size, shape):
    rng = np.random.default_rng(size)
    x = rng.normal(size=shape)
    layer = MaxPool2D(size)
    y, record = layer.forward(x)
    expected, gradient_of_sum = max_pool_by_loops(x, size)
    np.testing.assert_array_equal(y, expected)
    input_gradient, gradients = layer.backward(record, np.ones(y.shape))
    np.testing.assert_array_equal(input_gradient, gradient_of_sum)
    assert gradients == {}


def test_max_pool_sends_a_tie_to_the_first_maximum_only():
    x = np.array([[[[2.0, 2.0], [1.0, 2.0]]]])
    layer = MaxPool2D(2)
    y, record = layer.forward(x)
    input_gradient, _ = layer.backward(record, np.array([[[[5.0]]]]))
    np.testing.assert_array_equal(input_gradient, [[[[5.0, 0.0], [0.0, 0.0]]]])


def test_flatten_is_channel_major():
    x = np.random.default_rng(0).normal(size=(2, 3, 2, 4))
    y, record = Flatten().forward(x)
    for i in range(2):
        for ch in range(3):
            for r in range(2):
                for c in range(4):
                    assert y[i, (ch * 2 + r) * 4 + c] == x[i, ch, r, c]
    back, _ = Flatten().backward(record, y)
    np.testing.assert_array_equal(back, x)


def finite_difference(function, array, h=1e-6):
    """Central differences of the scalar ``function()`` with respect to each entry of ``array``."""
    gradient = np.empty_like(array)
    flat, out = array.reshape(-1), gradient.reshape(-1)
    for index in range(flat.size):
        original = flat[index]
        flat[index] = original + h
        plus = function()
        flat[index] = original - h
        minus = function()
        flat[index] = original
        out[index] = (plus - minus) / (2 * h)
    return gradient


def check_layer_gradients(layer, x, rng):
    """L = Σ G ⊙ y(x): the layer's ∂L/∂x and parameter gradients against finite differences."""
    y, record = layer.forward(x)
    upstream = rng.normal(size=y.shape)
    input_gradient, gradients = layer.backward(record, upstream)

    def loss():
        return float(np.sum(upstream * layer.forward(x)[0]))

    np.testing.assert_allclose(input_gradient, finite_difference(loss, x), rtol=1e-6, atol=1e-7)
    for name, view in layer.params.items():
        np.testing.assert_allclose(gradients[name], finite_difference(loss, view), rtol=1e-6, atol=1e-7)


@settings(max_examples=25, deadline=None)
@given(channels=st.integers(1, 3), filters=st.integers(1, 3), k=st.integers(1, 4),
       same=st.booleans(), height=st.integers(0, 3), width=st.integers(0, 3), n=st.integers(1, 2),
       seed=st.integers(0, 1000))
def test_conv2d_gradients_match_finite_differences(channels, filters, k, same, height, width, n, seed):
    padding = "same" if same and k % 2 else "valid"
    rng = np.random.default_rng(seed)
    layer = conv_layer(rng, channels, filters, k, padding)
    check_layer_gradients(layer, rng.normal(size=(n, channels, k + height, k + width)), rng)


@settings(max_examples=15, deadline=None)
@given(size=st.integers(1, 3), channels=st.integers(1, 2), height=st.integers(0, 4),
       width=st.integers(0, 4), seed=st.integers(0, 1000))
def test_max_pool_gradients_match_finite_differences(size, channels, height, width, seed):
    rng = np.random.default_rng(seed)
    # distinct values, far apart compared with h: no tie and no change of maximum under ±h
    values = rng.permutation(2 * channels * (size + height) * (size + width)).astype(float)
    x = values[:channels * (size + height) * (size + width)].reshape(1, channels, size + height, size + width)
    check_layer_gradients(MaxPool2D(size), x, rng)


def test_image_layers_carry_a_run_axis():
    """(Each run against the same network alone: tests/test_conv_comparison.py.)"""
    layers = [Conv2D(1, 2, 3), Flatten(), Dense(2 * 4 * 4, 2), ActivationLayer("softmax", output=True)]
    net = Sequential(layers, (1, 6, 6), get_loss("cross_entropy"), runs=3)
    assert net.predict(np.zeros((2, 1, 6, 6))).shape == (3, 2, 2)


@pytest.mark.parametrize("make, message", [
    (lambda: Conv2D(1, 2, 4, "same"), "odd kernel"),
    (lambda: Conv2D(1, 2, 3, "full"), "'valid' or 'same'"),
    (lambda: Conv2D(1, 0, 3), "positive"),
    (lambda: MaxPool2D(0), "positive integer"),
])
def test_bad_layer_settings_say_what_to_change(make, message):
    with pytest.raises(ValueError, match=message):
        make()
