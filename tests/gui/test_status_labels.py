"""Status-bar read-outs: a new number repaints its label alone, and the labels never jump."""
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QStatusBar

from gui.training.status import SteadyLabel


class LayoutRequests(QObject):
    def __init__(self):
        super().__init__()
        self.count = 0

    def eventFilter(self, obj, event):  # noqa: N802 (Qt)
        if event.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


def test_a_steady_label_grows_never_shrinks_and_does_not_lay_out_its_bar_again(qtbot):
    bar = QStatusBar()
    qtbot.addWidget(bar)
    label = SteadyLabel()
    bar.addPermanentWidget(label)
    bar.show()
    label.setText("Epoch 1,234")
    qtbot.wait(1)
    wide = label.width()
    assert wide >= label.fontMetrics().horizontalAdvance("Epoch 1,234")
    requests = LayoutRequests()
    bar.installEventFilter(requests)
    for text in ("Epoch 1,235", "Epoch 9", "Epoch 1,236"):     # shorter or as long: same size
        label.setText(text)
        qtbot.wait(1)
        assert label.width() == wide and label.text() == text
    assert requests.count == 0                  # the bar was not asked to lay out (and repaint)
    label.setText("Epoch 1,234,567")            # longer: it grows
    qtbot.wait(1)
    assert label.width() > wide


def test_a_steady_label_fits_a_new_font_larger_or_smaller(qtbot):
    label = SteadyLabel("Test loss 0.1234")
    qtbot.addWidget(label)
    small = label.maximumHeight(), label.maximumWidth()
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 2)          # presenter mode
    label.setFont(font)
    assert label.maximumHeight() > small[0] and label.maximumWidth() > small[1]
    font.setPointSizeF(font.pointSizeF() / 2)
    label.setFont(font)
    assert (label.maximumHeight(), label.maximumWidth()) == small
