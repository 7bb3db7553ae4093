"""A new setting loaded while the walkthrough is open: its network shows its node pictures."""
from PySide6.QtGui import QAction

from gui.network.items import NodeColumnItem
from model.config import ExperimentConfig


def test_a_setting_loaded_during_the_walkthrough_keeps_its_node_pictures(make_window, qtbot):
    window = make_window()
    window.findChild(QAction, "actionWalkthrough").trigger()
    qtbot.waitUntil(lambda: window.findChild(QAction, "actionWalkthrough").isChecked())
    window.load_config(ExperimentConfig(dataset="xor", hidden_layers=(3,)))
    view = window.network_view
    columns = lambda: [item for item in view.scene().items() if isinstance(item, NodeColumnItem)]  # noqa: E731
    qtbot.waitUntil(lambda: len(columns()) == 3 and all(item.has_heatmaps for item in columns()),
                    timeout=5000)
