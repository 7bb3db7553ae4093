"""Screenshots of walkthrough mode at four moments: docs/walkthrough-{forward,loss,backward,update}.png.

Run under a 1280×800 X server so the window gets its real size:

    xvfb-run -a -s "-screen 0 1280x800x24" python tools/screenshots_walkthrough.py

The window first trains for a few epochs (Run), so the numbers are those of a
network that has started to learn; entering the walkthrough pauses it. The
walkthrough runs on one training sample and the window grabs itself at each moment.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtGui import QAction  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gui.main_window import MainWindow  # noqa: E402
from gui.walkthrough.mode import WalkthroughMode  # noqa: E402
from model.config import ExperimentConfig  # noqa: E402

CONFIG = ExperimentConfig(dataset="circle", hidden_layers=(4, 3), activations=("tanh",),
                          output_activation="sigmoid", loss="cross_entropy", learning_rate=0.1)
EPOCHS = 40
SAMPLE_ROW = 7
MOMENTS = {   # file name → (phase, kind, layer): the first step that matches
    "forward": ("forward", "sum", 1),
    "loss": ("loss", "loss", None),
    "backward": ("backward", "weight_gradients", 1),
    "update": ("update", "update", 1),
}


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "screenshots.ini"), QSettings.IniFormat)
    window = MainWindow(CONFIG, settings=settings)
    mode = window.workspace(WalkthroughMode)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    window.findChild(QAction, "actionRun").trigger()
    while window.experiment.trainer.epoch < EPOCHS:
        app.processEvents()
    trainer = window.experiment.trainer
    window.set_focused_sample(trainer.train_inputs[SAMPLE_ROW], trainer.train_targets[SAMPLE_ROW])
    mode.enter()
    out = ROOT / "docs"
    out.mkdir(exist_ok=True)
    for name, (phase, kind, layer) in MOMENTS.items():
        step = next(s for s in mode.tour.steps
                    if (s.phase, s.kind) == (phase, kind) and (layer is None or s.layer == layer))
        mode.panel.player.set_index(step.index)
        app.processEvents()
        while window.network_view.is_animating():      # let the update animation finish
            app.processEvents()
        path = out / f"walkthrough-{name}.png"
        window.grab().save(str(path))
        print(f"{path.relative_to(ROOT)}: step {step.index + 1} of {len(mode.tour)} — {step.title}")
    mode.exit()
    window.close()


if __name__ == "__main__":
    main()
