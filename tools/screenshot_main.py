"""Screenshot of the main window training the spiral: docs/screenshot-main.png.

Run under a 1280×800 X server so the window gets its real size:

    xvfb-run -a -s "-screen 0 1280x800x24" python tools/screenshot_main.py [seconds]

The window opens with a temporary settings file, switches to the spiral with
an 8-8 network and all input features, trains for a few seconds (Run), clicks
a training point (so the nodes show its values) and grabs the screen.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtGui import QAction  # noqa: E402

from gui.app import application  # noqa: E402
from gui.main_window import MainWindow  # noqa: E402
from model.config import ExperimentConfig  # noqa: E402

CONFIG = ExperimentConfig(dataset="spiral", hidden_layers=(8, 8), noise=0.1,
                          features=("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin_x1", "sin_x2"))


def main(seconds: float = 6.0) -> None:
    app = application(sys.argv[:1])
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "screenshot.ini"), QSettings.IniFormat)
    window = MainWindow(CONFIG, settings=settings)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    window.findChild(QAction, "actionRun").trigger()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
    window.pause_training()
    trainer = window.experiment.trainer
    window.set_focused_sample(trainer.train_inputs[3], trainer.train_targets[3])
    for _ in range(20):
        app.processEvents()
        time.sleep(0.02)
    out = ROOT / "docs" / "screenshot-main.png"
    app.primaryScreen().grabWindow(0).save(str(out))
    print(f"wrote {out}")
    window.close()


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 6.0)
