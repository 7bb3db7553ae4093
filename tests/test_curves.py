"""model.curves: the smoothed loss curve and the softmax of one unit, against direct formulas."""
import math

import numpy as np
import pytest

from model.curves import DisplayCurve, nice_ceiling, smooth, smooth_continued, softmax_curve


def test_smooth_is_tensorboards_debiased_ema():
    def reference(values, w):
        out, last, count = [], 0.0, 0
        for v in values:
            if not math.isfinite(v):
                out.append(v)
                continue
            last = last * w + (1 - w) * v
            count += 1
            out.append(last / (1 - w ** count))
        return np.array(out)
    values = np.random.default_rng(0).normal(size=3000) + np.linspace(3, 0, 3000)
    values[[10, 2500]] = np.nan
    for w in (0.0, 0.3, 0.6, 0.9, 0.99):
        np.testing.assert_allclose(smooth(values, w), reference(values, w), rtol=1e-9, atol=1e-12)
    assert smooth(np.array([5.0]), 0.9)[0] == pytest.approx(5.0)   # debiased: no pull towards 0


def test_softmax_curve_is_the_softmax_of_one_unit():
    z = np.array([0.5, -1.0, 2.0])
    a, slope = softmax_curve(z, 2, np.array([2.0]))
    expected = np.exp(z) / np.exp(z).sum()
    assert a[0] == pytest.approx(expected[2]) and slope[0] == pytest.approx(expected[2] * (1 - expected[2]))


def test_softmax_curve_slope_is_its_derivative_and_it_never_overflows():
    z = np.array([800.0, -3.0, 1.0])               # e^800 overflows a plain softmax
    grid = np.linspace(-5, 5, 101)
    a, slope = softmax_curve(z, 1, grid)
    assert np.all(np.isfinite(a)) and np.all(a < 1e-300 + 1e-12)
    z = np.array([0.2, -1.0, 1.5])
    a, slope = softmax_curve(z, 0, grid)
    numeric = np.gradient(a, grid)
    np.testing.assert_allclose(slope[1:-1], numeric[1:-1], atol=2e-3)


def test_smooth_keeps_a_constant_curve_constant():
    values = np.full(500, 0.7)
    np.testing.assert_allclose(smooth(values, 0.95), values, rtol=1e-12)


def test_smoothing_in_pieces_equals_smoothing_whole():
    values = np.random.default_rng(1).normal(size=5000) + np.linspace(3, 0, 5000)
    values[[7, 4000]] = np.nan
    for w in (0.0, 0.5, 0.9, 0.99):
        pieces, carry = [], (0.0, 0)
        for part in np.split(values, [1, 3, 40, 41, 2000, 4999]):
            smoothed, carry = smooth_continued(part, w, carry)
            pieces.append(smoothed)
        np.testing.assert_allclose(np.concatenate(pieces), smooth(values, w), rtol=1e-9, atol=1e-12)


def test_display_curve_thins_to_a_bounded_size_and_keeps_the_latest_value():
    values = np.linspace(1.0, 0.0, 30_001)
    curve = DisplayCurve(0.0, points=100)
    for start in range(0, values.size, 37):
        curve.extend(values[start:start + 37])
        assert curve.x.size <= 2 * 100 + 1
    whole = smooth(values, 0.0)
    assert curve.length == values.size and curve.x[-1] == 30_000 and curve.y[-1] == whole[-1]
    np.testing.assert_array_equal(curve.y, whole[curve.x.astype(int)])    # the drawn points are the curve's
    assert curve.stride == 256 and np.all(curve.x[:-1] % curve.stride == 0)
    assert curve.value_at(300) == whole[256] and np.isnan(curve.value_at(30_001))


def test_nice_ceiling_is_the_first_of_1_2_5_times_a_power_of_ten_at_or_above():
    values = (37, 120, 2.5, 2.0000001, 0.02, 500, 9.9)
    assert [nice_ceiling(v) for v in values] == [50, 200, 5, 5, 0.02, 500, 10]
    assert nice_ceiling(0) == nice_ceiling(float("nan")) == 1.0       # no scale: one
