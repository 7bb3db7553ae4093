"""Screenshot of the main window training the spiral: docs/screenshot-main.png.

Run under an X server with a window manager (the window fits its screen, title bar
included), e.g. Xvfb at 1280×800 with openbox:

    Xvfb :95 -screen 0 1280x800x24 & DISPLAY=:95 openbox &
    DISPLAY=:95 python tools/screenshot_main.py [seconds] [output.png] [text scale]

The window opens with a temporary settings file, switches to the spiral with
an 8-8 network and all input features, trains for a few seconds as fast as
possible (Run), clicks a training point (so the nodes show its values) and grabs
the screen. A text scale above 1 shows presenter mode.
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


def main(seconds: float = 6.0, name: str = "screenshot-main.png", scale: float = 1.0) -> None:
    app = application(sys.argv[:1])
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "screenshot.ini"), QSettings.IniFormat)
    window = MainWindow(CONFIG, settings=settings)
    window.set_pace("fastest")
    window.presenter.set_scale(scale)
    window.show()
    for _ in range(30):                    # let the window manager frame and place it
        app.processEvents()
        time.sleep(0.02)
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
    out = ROOT / "docs" / name
    app.primaryScreen().grabWindow(0).save(str(out))
    print(f"wrote {out}")
    window.close()


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 6.0,
         sys.argv[2] if len(sys.argv) > 2 else "screenshot-main.png",
         float(sys.argv[3]) if len(sys.argv) > 3 else 1.0)
