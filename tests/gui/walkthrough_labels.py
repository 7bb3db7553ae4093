"""Walk through every step of a walkthrough in a main window on a screen of a given size and
print, as JSON, each label that covers another label or a node (run in its own process: the
screen size of Qt's offscreen platform is fixed when the application starts)."""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from gui.main_window import MainWindow
from gui.network.items import LabelItem
from gui.walkthrough.mode import WalkthroughMode
from model.config import ExperimentConfig

CONFIGS = {
    "plain": ExperimentConfig(dataset="circle", hidden_layers=(4, 2)),
    "dropout-batch-norm": ExperimentConfig(dataset="circle", hidden_layers=(6, 4), dropout=(0.5, 0.5),
                                           batch_norm=(True, True), batch_size=4, activations=("relu",)),
}


def covered(view) -> list[str]:
    """'text covers text' and 'text covers node (c, u)' for the diagram as shown (dropout marks
    sit inside their nodes and are left out)."""
    labels = [(item.text, item.boundingRect().adjusted(1, 1, -1, -1).translated(view.mapFromScene(item.pos())))
              for item in view.scene().items()
              if isinstance(item, LabelItem) and item.isVisible() and item.text and not item.text.startswith("×")]
    found = [f"{a!r} covers {b!r}" for k, (a, box_a) in enumerate(labels) for b, box_b in labels[k + 1:]
             if box_a.intersects(box_b)]
    layout = view.layout
    for column, units in enumerate(layout.sizes):
        for unit in range(units):
            x, y, s, _ = layout.node_rect(column, unit)
            node = QRectF(view.mapFromScene(QPointF(x, y)), view.mapFromScene(QPointF(x + s, y + s)))
            found += [f"{text!r} covers node {(column, unit)}" for text, box in labels
                      if box.intersects(node.adjusted(1, 1, -1, -1))]
    return found


def main(name: str) -> None:
    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(CONFIGS[name], settings=settings)
    window.show()
    app.processEvents()
    window.findChild(QAction, "actionWalkthrough").trigger()
    mode = window.workspace(WalkthroughMode)
    report = {"controls": window.control_dock.isVisible(), "steps": len(mode.tour.steps), "covered": []}
    for step in range(len(mode.tour.steps)):
        for _ in range(3):
            app.processEvents()
        report["covered"] += [f"step {step + 1}: {text}" for text in covered(window.network_view)]
        window.findChild(QAction, "actionWalkthroughNext").trigger()
    window.close()
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1])
