"""Make the README's screenshots from the running app, the way a user sees it.

    Xvfb :90 -screen 0 1280x800x24 & DISPLAY=:90 openbox &
    DISPLAY=:90 python tools/screenshots.py [scene …]      # all scenes by default

Each scene opens the main window with fresh settings (a temporary folder),
sets it up through its actions and controls, lets it train for a few seconds
and grabs the whole screen with ImageMagick's ``import -window root`` (so the
window manager's frame and any dialogs are in the picture) into docs/<scene>.png.
Needs a real X server with a window manager, ImageMagick, and the app's
dependencies; it writes nothing else. The main window's own picture (and presenter mode)
comes from ``tools/screenshot_main.py``, which also follows a clicked training point.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtGui import QAction  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gui.main_window import MainWindow  # noqa: E402
from model.config import ExperimentConfig  # noqa: E402

SPIRAL = ExperimentConfig(dataset="spiral", hidden_layers=(8, 8), learning_rate=0.03)


def trigger(window, name: str) -> None:
    action = window.findChild(QAction, name)
    if action is None:
        raise SystemExit(f"no action {name!r} in the window")
    action.trigger()


def fastest(window) -> None:
    window.window_actions.pace.setCurrentIndex(window.window_actions.pace.count() - 1)


def compare_optimizers(window) -> None:
    from gui.compare.mode import CompareMode
    from model.variations import Variation
    compare = window.workspace(CompareMode).open([Variation.parse("optimizer", "sgd,momentum,adam")])
    compare.tabs.setCurrentWidget(compare.landscape)


def lesson(name: str, answer: int):
    def go(window) -> None:
        from gui.lessons.workspace import LessonsWorkspace
        workspace = window.workspace(LessonsWorkspace)
        trigger(window, "actionLessons")
        workspace.open_lesson(next(item for item in workspace.lessons if item.id == name))
        workspace.answer(answer)
        fastest(window)
        window.controller.run()
    return go


def walk(steps: int):
    def go(window) -> None:
        trigger(window, "actionWalkthrough")
        for _ in range(steps):
            trigger(window, "actionWalkthroughNext")
    return go


CIRCLE = ExperimentConfig(dataset="circle", hidden_layers=(4, 2))
DROPOUT_BN = ExperimentConfig(dataset="circle", hidden_layers=(6, 4), dropout=(0.5, 0.5),
                              batch_norm=(True, True), batch_size=4, activations=("relu",))

#: scene → (config, [(seconds after start, step)], seconds until the picture)
SCENES = {
    "walkthrough-forward": (CIRCLE, [(1.0, walk(3))], 3.0),
    "walkthrough-loss": (CIRCLE, [(1.0, walk(9))], 3.0),
    "walkthrough-backward": (CIRCLE, [(1.0, walk(14))], 3.0),
    "walkthrough-update": (CIRCLE, [(1.0, walk(30))], 3.0),
    "walkthrough-dropout": (DROPOUT_BN, [(1.0, walk(6))], 3.0),
    "lessons": (SPIRAL, [(0.5, lesson("12-overfitting", 1))], 8.0),
    "compare-optimizers": (SPIRAL, [(0.5, compare_optimizers)], 14.0),
    "seeds": (ExperimentConfig(dataset="xor", hidden_layers=(3,), learning_rate=0.1),
              [(0.5, lambda w: trigger(w, "actionTrainFromSeeds"))], 14.0),
    "compare": (SPIRAL, [(0.5, lambda w: trigger(w, "actionCompare"))], 8.0),
    "landscape": (SPIRAL, [(0.5, fastest), (0.6, lambda w: w.controller.run()),
                           (1.0, lambda w: trigger(w, "actionLandscape"))], 8.0),
    "recurrent": (SPIRAL, [(0.5, lambda w: trigger(w, "actionRecurrent")),
                           (1.5, lambda w: w.workspace_window("actionRecurrent").controller.run())], 8.0),
    "architectures": (SPIRAL, [(0.5, lambda w: trigger(w, "actionArchitectures")),
                               (1.5, lambda w: w.workspace_window("actionArchitectures").run_button.click())],
                      14.0),
    "convolution": (SPIRAL, [(0.5, lambda w: trigger(w, "actionConvolution")),
                             (1.5, lambda w: w.workspace_window("actionConvolution").controller.run())], 10.0),
    "convolution-compare": (SPIRAL, [(0.5, lambda w: trigger(w, "actionConvolution")),
                                     (1.5, lambda w: w.workspace_window("actionConvolution").compare_action.trigger())],
                            16.0),
}


def shoot(app: QApplication, name: str) -> None:
    config, steps, after = SCENES[name]
    with tempfile.TemporaryDirectory() as folder:
        settings = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(config=config, settings=settings)
        window.workspace_window = lambda action: _window_of(window, action)
        window.show()
        for seconds, step in steps:
            QTimer.singleShot(int(seconds * 1000), lambda step=step: step(window))
        out = ROOT / "docs" / f"{name}.png"
        QTimer.singleShot(int(after * 1000), lambda: (subprocess.run(["import", "-window", "root", str(out)],
                                                                      check=True), app.quit()))
        app.exec()
        window.close()
        app.processEvents()
        print(f"wrote {out.relative_to(ROOT)}")


def _window_of(window, action_name: str):
    """The top-level window a Tools-menu workspace opened."""
    for workspace in window._workspaces.values():
        if getattr(getattr(workspace, "action", None), "objectName", lambda: "")() == action_name:
            return workspace.window
    raise SystemExit(f"no workspace opened by {action_name!r}")


def main() -> None:
    if not os.environ.get("DISPLAY"):
        raise SystemExit("run under an X server with a window manager, e.g. Xvfb :90 & openbox (see the doc)")
    scenes = sys.argv[1:] or list(SCENES)
    unknown = [scene for scene in scenes if scene not in SCENES]
    if unknown:
        raise SystemExit(f"unknown scene(s) {', '.join(unknown)}; choose from {', '.join(SCENES)}")
    app = QApplication.instance() or QApplication([])
    for scene in scenes:
        shoot(app, scene)


if __name__ == "__main__":
    main()
