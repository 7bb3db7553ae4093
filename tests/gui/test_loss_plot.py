"""The loss plot: bounded history with even decimation, curves, log-y, hover read-out."""
import numpy as np
import pytest
from PySide6.QtCore import QPointF

from gui.widgets.loss_plot import LossHistory, LossPlot


def feed(history, n, start=0, chunk=37):
    for s in range(start, start + n, chunk):
        e = np.arange(s, min(s + chunk, start + n)) + 1.0
        history.extend(e, 1.0 / e, 2.0 / e)


def test_history_keeps_everything_below_capacity():
    history = LossHistory(capacity=100)
    feed(history, 80)
    epochs, train, test = history.arrays()
    assert np.array_equal(epochs, np.arange(1, 81))
    assert np.allclose(train, 1 / epochs) and np.allclose(test, 2 / epochs)


def test_history_is_bounded_and_evenly_decimated():
    history = LossHistory(capacity=100)
    feed(history, 1_000_000, chunk=997)
    assert history.size <= 100
    epochs, train, _ = history.arrays()
    stored = epochs[:history.size]
    gaps = np.diff(stored)
    assert np.all(gaps == gaps[0]) and gaps[0] == history.stride   # evenly spaced
    assert stored[0] == 1 and stored[-1] > 1_000_000 - 2 * history.stride
    assert epochs[-1] == 1_000_000                                  # the newest point is shown
    assert np.allclose(train, 1 / epochs)


def test_history_rejects_tiny_capacity():
    with pytest.raises(ValueError):
        LossHistory(capacity=2)


@pytest.fixture
def plot(qtbot):
    plot = LossPlot(capacity=1000)
    qtbot.addWidget(plot)
    plot.resize(500, 300)
    plot.show()
    qtbot.waitExposed(plot)
    return plot


def test_curves_show_the_appended_losses(plot):
    epochs = np.arange(1, 51.0)
    plot.append(epochs, 1 / epochs, 1.5 / epochs)
    x, y = plot.train_curve.getData()
    assert np.array_equal(x, epochs) and np.allclose(y, 1 / epochs)
    x, y = plot.test_curve.getData()
    assert np.allclose(y, 1.5 / epochs)
    assert plot.objectName() == "lossPlot"
    assert plot.getPlotItem().getAxis("bottom").labelText == "epoch"


def test_the_curves_are_drawn_as_thin_strokes_with_their_data_pen_and_legend(plot):
    """The lines the plot paints are WideCurves (2 px at the cost of 1-px strokes) holding
    the plotted losses and the 2-px pen; the legend still names them."""
    from gui.widgets.wide_curve import WideCurve
    epochs = np.arange(1, 51.0)
    plot.append(epochs, 1 / epochs, 1.5 / epochs)
    for item, values in ((plot.train_curve, 1 / epochs), (plot.test_curve, 1.5 / epochs)):
        line = item.curve
        assert isinstance(line, WideCurve) and line.parentItem() is item
        assert np.array_equal(line.xData, epochs) and np.allclose(line.yData, values)
        assert line.opts["pen"].widthF() == 2
        assert line.isVisible() and line.scene() is plot.scene()
    names = [label.text for _, label in plot.legend.items]
    assert names == ["train loss", "test loss"]


def test_missing_test_set_hides_the_test_curve(plot):
    plot.append(np.arange(1, 5.0), np.ones(4), np.full(4, np.nan))
    assert not plot.test_curve.isVisible()
    assert plot.describe(0) == "epoch 1 · train 1"


def test_log_y_toggle_and_zero_loss(plot):
    plot.append(np.arange(1, 4.0), np.array([1.0, 0.1, 0.0]), np.array([1.0, 0.1, 0.01]))
    plot.set_log_y(True)
    assert plot.getPlotItem().ctrl.logYCheck.isChecked()
    assert "log" in plot.getPlotItem().getAxis("left").labelText
    _, y = plot.train_curve.getData()
    assert np.all(np.isfinite(y))
    plot.set_log_y(False)
    assert not plot.getPlotItem().ctrl.logYCheck.isChecked()


def test_hover_reads_out_the_nearest_epoch(plot, qtbot):
    epochs = np.arange(1, 101.0)
    plot.append(epochs, 1 / epochs, 2 / epochs)
    plot.getPlotItem().vb.setRange(xRange=(1, 100), yRange=(0, 2), padding=0)
    scene_pos = plot.getPlotItem().vb.mapViewToScene(QPointF(40.2, 0.5))
    plot.scene().sigMouseMoved.emit(scene_pos)
    assert plot.readout.isVisible()
    assert plot.readout.textItem.toPlainText() == "epoch 40 · train 0.025 · test 0.05"
    plot.clear_history()
    assert not plot.readout.isVisible()
    assert plot.train_curve.getData()[0] is None or plot.train_curve.getData()[0].size == 0


def test_the_gap_is_shaded_between_the_two_curves_on_either_axis(plot):
    """The shaded polygon runs along the training loss and back along the test loss, in the
    axis' coordinates (log10 on a log axis)."""
    epochs = np.arange(1, 6, dtype=float)
    train, test = np.array([0.5, 0.3, 0.2, 0.1, 0.05]), np.array([0.6, 0.4, 0.35, 0.3, 0.3])
    plot.append(epochs, train, test)
    def polygon():
        path = plot.generalisation.gap.path()
        return np.array([(path.elementAt(i).x, path.elementAt(i).y) for i in range(path.elementCount())])
    points = polygon()
    expected = np.column_stack([np.r_[epochs, epochs[::-1]], np.r_[train, test[::-1]]])
    assert np.allclose(points[:10], expected)
    plot.set_log_y(True)
    assert np.allclose(polygon()[:10, 1], np.log10(expected[:, 1]))


def test_a_log_axis_labels_1_2_and_5_of_each_decade():
    """All nine labels of a decade crowd its top on a short plot (0.6 0.7 0.8 0.9 ran together)."""
    import numpy as np
    from gui.widgets.log_axis import LogAxis
    axis = LogAxis("left")
    axis.setLogMode(False, True)
    values = [np.log10(v) for v in (0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.2, 0.4, 0.5, 0.9, 1.0)]
    labels = axis.tickStrings(values, 1.0, None)
    shown = [label for label in labels if label]
    assert len(labels) == len(values)
    assert len(shown) == 7 and labels[2] == labels[4] == labels[7] == labels[9] == ""


def test_a_narrow_plot_shortens_the_overfitting_title_and_hides_its_legend(plot, qtbot):
    """At 500 px the title says since which epoch the run overfits and the legend shows; at
    170 px the title keeps what fits ("overfitting since 99" or "overfitting") and the legend,
    which would cover the curves, hides."""
    epochs = np.arange(1, 401.0)
    test = 0.5 + 1e-5 * (epochs - 99.0) ** 2           # lowest at epoch 99, then rising
    plot.append(epochs, 1 / epochs, test)
    assert plot.generalisation.message                   # the model calls it overfitting
    title = plot.getPlotItem().titleLabel
    assert title.text == "overfitting since epoch 99" and plot.legend.isVisible()
    plot.resize(170, 300)
    qtbot.waitUntil(lambda: not plot.legend.isVisible())
    assert title.text in ("overfitting since 99", "overfitting")
    plot.resize(500, 300)
    qtbot.waitUntil(lambda: plot.legend.isVisible())
    assert title.text == "overfitting since epoch 99"


def test_epoch_labels_never_run_into_each_other_on_a_narrow_plot(plot, qtbot):
    """At 170 px an axis from 0 to 8,000 epochs labels ticks at least a label's width apart
    (pyqtgraph wrote 2000, 4000, 6000 and 8000 into one another); at 500 px every 2,000."""
    from PySide6.QtGui import QFontMetrics
    from gui.widgets.spaced_axis import LABEL_GAP
    epochs = np.arange(1, 8001.0)
    plot.append(epochs, 1 / epochs, 2 / epochs)
    axis = plot.getPlotItem().getAxis("bottom")
    for width in (170, 500):
        plot.resize(width, 300)
        qtbot.waitUntil(lambda: abs(axis.width() - (width - plot.getPlotItem().getAxis("left").width()))
                        < 40)
        low, high = plot.getPlotItem().vb.viewRange()[0]
        (major, _), *_ = axis.tickSpacing(low, high, axis.width())
        metrics = QFontMetrics(axis.style["tickFont"])
        label = max(metrics.horizontalAdvance(t) for t in axis.tickStrings([low, high], 1, major))
        assert major / (high - low) * axis.width() >= label + LABEL_GAP - 1e-9
        if width == 500:
            assert major == 2000


def test_a_redraw_that_moves_the_axes_paints_the_plot_once(plot, qtbot):
    """pyqtgraph applies a new view range inside the next paint; the curves and the best-epoch
    line then changed their geometry mid-paint and asked for a second paint of the plot."""
    from PySide6.QtCore import QEvent, QObject

    class Paints(QObject):
        count = 0

        def eventFilter(self, obj, event):  # noqa: N802 (Qt)
            if event.type() == QEvent.Type.Paint:
                Paints.count += 1
            return False

    plot.resize(400, 300)
    plot.show()
    qtbot.waitExposed(plot)
    epochs = np.arange(1.0, 201.0)
    plot.append(epochs, 1 / np.sqrt(epochs), 1.2 / np.sqrt(epochs) + 0.0001 * epochs)
    qtbot.wait(50)
    paints = Paints()
    plot.viewport().installEventFilter(paints)
    more = np.arange(201.0, 2001.0)      # the epoch axis grows past 1,000 (the loss axis stays)
    (x_before, y_before) = plot.getPlotItem().vb.viewRange()
    plot.append(more, 1 / np.sqrt(more), 1.2 / np.sqrt(more) + 0.0001 * more)
    x_after, y_after = plot.getPlotItem().vb.viewRange()
    assert x_after != x_before and y_after == y_before
    qtbot.wait(100)
    assert Paints.count == 1
