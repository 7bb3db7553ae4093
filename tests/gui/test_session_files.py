"""File ▸ Save session / Open session: the reopened window trains on exactly as the original."""
import numpy as np
from PySide6.QtGui import QAction

from gui.window import session_files
from model.config import ExperimentConfig


def trigger(window, name):
    window.findChild(QAction, name).trigger()


def test_a_reopened_session_trains_on_as_the_original(make_window, monkeypatch, tmp_path, qtbot):
    path = tmp_path / "lesson.bpsession"
    config = ExperimentConfig(dataset="spiral", optimizer="adam", learning_rate=0.01, dropout=(0.1,))
    window = make_window(config)
    for _ in range(3):
        trigger(window, "actionStep")
    window.controller.pause(wait=True)
    window.controller.step("epoch")
    qtbot.waitUntil(lambda: window.loss_plot.history.arrays()[0][-1] == 1)
    assert window.controller.wait_idle()
    monkeypatch.setattr(session_files, "choose_save_path", lambda w: str(path))
    trigger(window, "actionSaveSession")
    other = make_window(ExperimentConfig())
    monkeypatch.setattr(session_files, "choose_open_path", lambda w: str(path))
    trigger(other, "actionOpenSession")
    assert other.config == window.config
    np.testing.assert_array_equal(other.loss_plot.history.arrays()[1], window.loss_plot.history.arrays()[1])
    for target in (window, other):                 # N more steps in each window
        for _ in range(25):
            target.controller.step("batch")
        assert target.controller.wait_idle(10.0)
    np.testing.assert_array_equal(other.current_network().params, window.current_network().params)
    assert other.experiment.trainer.step_count == window.experiment.trainer.step_count


def test_a_damaged_session_keeps_the_current_one(make_window, monkeypatch, tmp_path):
    damaged = tmp_path / "damaged.bpsession"
    damaged.write_bytes(b"PK\x03\x04 not really a zip")
    window = make_window()
    before = window.current_network().params.copy()
    errors = []
    monkeypatch.setattr(window, "show_error", lambda title, text: errors.append(text))
    monkeypatch.setattr(session_files, "choose_open_path", lambda w: str(damaged))
    trigger(window, "actionOpenSession")
    assert len(errors) == 1 and "\n" not in errors[0]
    assert errors[0].startswith("damaged.bpsession is not a Backprop Studio session file")
    np.testing.assert_array_equal(window.current_network().params, before)
    assert window.config == ExperimentConfig()


def test_a_dropped_session_opens_and_is_listed_in_recent_files(make_window, tmp_path, qtbot):
    from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    path = tmp_path / "dropped.bpsession"
    source = make_window(ExperimentConfig(dataset="xor", hidden_layers=(5,)))
    session_files.save_session_to(source, str(path))
    window = make_window()
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    drag = (QPoint(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(*drag)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()                                         # the window takes the file
    QApplication.sendEvent(window, QDropEvent(*drag))                 # and opens it when dropped
    assert window.config.dataset == "xor" and window.experiment.net.sizes == [2, 5, 1]
    recent = window.file_opening.recent_files.menu.actions()
    assert recent and recent[0].text() == "dropped.bpsession"
    window.load_config(ExperimentConfig())
    recent[0].trigger()                             # File ▸ Open recent opens it again
    assert window.config.dataset == "xor"
