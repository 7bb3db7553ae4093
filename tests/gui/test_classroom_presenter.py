"""Issue 10.3: presenter mode scales every text and line; axis titles are dark; it is remembered."""
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import QApplication

from gui.network.items import ButtonItem
from gui.walkthrough.math_panel import FORMULA_POINT_SIZE, MathPanel
from gui.widgets.presentation import AXIS_INK, AXIS_POINT_SIZE, PRESENTATION
from gui.window.presenter import apply_scale


@pytest.fixture(autouse=True)
def normal_scale():
    yield
    apply_scale(1.0)                 # the scale is process-wide: leave it as found


def device_rect(view, item) -> QRectF:
    """Where an item that ignores the view's transform is drawn, in viewport pixels."""
    origin = view.mapFromScene(item.scenePos())
    return item.boundingRect().translated(origin.x(), origin.y())


def relative_luminance(colour: QColor) -> float:
    def linear(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * linear(colour.red()) + 0.7152 * linear(colour.green()) + \
        0.0722 * linear(colour.blue())


def test_presenter_scales_texts_lines_and_is_remembered(qtbot, make_window, settings):
    window = make_window()
    base = QApplication.font().pointSizeF()
    view, loss = window.network_view, window.loss_plot
    headers = [item for item, _ in view._diagram.headers]
    assert headers and all(h._font.pointSizeF() == 10.0 for h in headers)
    presenter = window.findChild(QAction, "actionPresenter")
    assert presenter in window.view_menu.actions()
    presenter.trigger()
    assert PRESENTATION.scale == 1.5 and presenter.isChecked()
    assert QApplication.font().pointSizeF() == pytest.approx(1.5 * base)
    status = window.status.labels["epoch"]            # widgets get the new font by event
    qtbot.waitUntil(lambda: status.font().pointSizeF() == pytest.approx(1.5 * base))
    assert all(h._font.pointSizeF() == 15.0 for h in headers)            # diagram labels
    axis = loss.getPlotItem().getAxis("left")
    assert axis.style["tickFont"].pointSizeF() == pytest.approx(1.5 * AXIS_POINT_SIZE)
    assert axis.labelStyle["font-size"] == f"{1.5 * AXIS_POINT_SIZE:g}pt"
    assert loss.train_curve.opts["pen"].widthF() == 3.0                    # line widths
    assert window.boundary_view.getPlotItem().getAxis("bottom").style["tickFont"].pointSizeF() \
        == pytest.approx(1.5 * AXIS_POINT_SIZE)
    panel = MathPanel()
    qtbot.addWidget(panel)
    assert panel.formula.font().pointSizeF() == pytest.approx(1.5 * FORMULA_POINT_SIZE)
    # larger texts do not run into the +/− buttons above the headers
    buttons = [i for i in view.scene().items() if isinstance(i, ButtonItem) and i.isVisible()]
    for header in headers:
        for button in buttons:
            assert not device_rect(view, header).intersects(device_rect(view, button))
    window.close()
    apply_scale(1.0)
    again = make_window(qsettings=settings)
    assert PRESENTATION.scale == 1.5 and again.findChild(QAction, "actionPresenter").isChecked()


def test_ctrl_plus_and_minus_step_the_scale(qtbot, make_window):
    window = make_window()
    bigger = window.findChild(QAction, "actionTextBigger")
    smaller = window.findChild(QAction, "actionTextSmaller")
    assert bigger.shortcut().toString() == "Ctrl+=" and smaller.shortcut().toString() == "Ctrl+-"
    bigger.trigger()
    bigger.trigger()
    assert PRESENTATION.scale == 1.5
    smaller.trigger()
    assert PRESENTATION.scale == 1.25
    for _ in range(5):
        smaller.trigger()
    assert PRESENTATION.scale == 1.0 and not smaller.isEnabled()
    assert not window.findChild(QAction, "actionPresenter").isChecked()


def test_axis_titles_are_dark_enough_to_project(make_window):
    window = make_window()
    assert relative_luminance(QColor(AXIS_INK)) < 0.05             # near black (white is 1)
    for plot in (window.loss_plot, window.boundary_view):
        for name in ("left", "bottom"):
            axis = plot.getPlotItem().getAxis(name)
            assert axis.labelStyle["color"] == AXIS_INK
            assert axis.textPen().color() == QColor(AXIS_INK)
            assert AXIS_INK in axis.label.toHtml() or "#202020" in axis.label.toHtml()


def test_the_workspaces_plots_follow_presenter_mode_too(qtbot, make_window):
    """The landscape, recurrent, comparison and walkthrough plots, not only the main window's."""
    from gui.compare.plot import ComparePlot
    from gui.landscape.views import HealthView, StepView, SurfaceView
    from gui.recurrent.plots import GradientMap, RecurrentLossPlot, SequencePlot
    from gui.walkthrough.activation_plot import ActivationPlot
    compare = ComparePlot()
    qtbot.addWidget(compare)
    compare.show()
    plots = [SurfaceView(), StepView(), HealthView(), GradientMap(), SequencePlot(), RecurrentLossPlot(),
             ActivationPlot()]
    for plot in plots:
        qtbot.addWidget(plot)
        plot.show()
    plots.append(compare.plot)
    tick_sizes = lambda: {plot.getPlotItem().getAxis("bottom").style["tickFont"].pointSizeF() for plot in plots}
    assert tick_sizes() == {AXIS_POINT_SIZE}
    apply_scale(2.0)
    assert tick_sizes() == {2 * AXIS_POINT_SIZE}
    for plot in plots:
        axis = plot.getPlotItem().getAxis("bottom")
        assert axis.labelStyle["color"] == AXIS_INK and axis.labelStyle["font-size"] == f"{2 * AXIS_POINT_SIZE:g}pt"
