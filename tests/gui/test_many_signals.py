"""Regression test for the PySide6 6.12.0 / CPython 3.11 abort (QT_NOTES.md).

That release dropped a reference to ``True`` on every ``Signal.emit()`` made from
Python; after a few thousand emits the interpreter died with
``Fatal Python error: bool_dealloc``. These tests emit ~100,000 signals — in
this process, in a fresh interpreter that must also exit cleanly, and across
threads from the training worker — and check every one arrived.
"""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from gui.training.worker import TrainingController
from model.config import ExperimentConfig
from model.experiment import build

ROOT = Path(__file__).resolve().parents[2]
EMITS = 100_000


def test_100k_bool_and_object_emits_in_process(qtbot):
    controller = TrainingController()
    received = []
    controller.runningChanged.connect(received.append)
    controller.progress.connect(received.append)
    for i in range(EMITS // 2):
        controller.runningChanged.emit(i % 2 == 0)
        controller.progress.emit(None)
    assert len(received) == EMITS
    assert received[0] is True and received[2] is False


def test_100k_emits_in_a_fresh_interpreter_exit_cleanly():
    script = textwrap.dedent(f"""
        from PySide6.QtCore import QCoreApplication, QObject, Signal
        app = QCoreApplication([])
        class Emitter(QObject):
            flag = Signal(bool)
            number = Signal(int)
        emitter, count = Emitter(), [0]
        def seen(value):
            count[0] += 1
        emitter.flag.connect(seen)
        emitter.number.connect(seen)
        for i in range({EMITS // 2}):
            emitter.flag.emit(i % 3 == 0)
            emitter.number.emit(i)
        print(count[0])
    """)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == str(EMITS)


def test_thousands_of_cross_thread_reports(qtbot):
    controller = TrainingController(min_interval=0.0)     # one report per epoch
    reports = []
    controller.progress.connect(reports.append)
    try:
        controller.start(build(ExperimentConfig().replace(hidden_layers=(2,), samples=40)))
        controller.run()
        qtbot.waitUntil(lambda: len(reports) >= 3000, timeout=60000)
        controller.pause(wait=True)
    finally:
        controller.shutdown()
    epochs = [int(e) for r in reports for e in r.epochs]
    assert epochs[:3000] == list(range(1, 3001))
