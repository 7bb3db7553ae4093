"""File ▸ Save network / Open network: a round trip, and files that are not ours."""
import numpy as np
from PySide6.QtGui import QAction

from gui.window import network_files
from model.config import ExperimentConfig


def trigger(window, name):
    window.findChild(QAction, name).trigger()


def test_save_then_open_restores_setting_and_weights(make_window, monkeypatch, tmp_path):
    path = tmp_path / "spiral.json"
    window = make_window(ExperimentConfig(dataset="spiral", hidden_layers=(6, 3), learning_rate=0.1))
    trigger(window, "actionStep")
    window.controller.pause(wait=True)
    trained = window.current_network().params.copy()
    monkeypatch.setattr(network_files, "choose_save_path", lambda w: str(path))
    trigger(window, "actionSaveNetwork")
    assert path.exists()

    other = make_window(ExperimentConfig())          # a different window, default setting
    assert other.config.dataset == "circle"
    monkeypatch.setattr(network_files, "choose_open_path", lambda w: str(path))
    trigger(other, "actionOpenNetwork")
    assert other.config.dataset == "spiral" and other.config.hidden_layers == (6, 3)
    assert other.experiment.net.sizes == [2, 6, 3, 1]
    np.testing.assert_array_equal(other.current_network().params, trained)
    panel = other.control_panel                          # the controls show the loaded setting
    assert panel.data.dataset.currentData() == "spiral"
    assert panel.network.layer_count.text().startswith("2 hidden")


def test_a_file_that_is_not_ours_keeps_the_current_network(make_window, monkeypatch, tmp_path):
    foreign = tmp_path / "notes.json"
    foreign.write_text('{"shopping": ["milk"]}')
    window = make_window()
    before = window.current_network().params.copy()
    errors = []
    monkeypatch.setattr(window, "show_error", lambda title, text: errors.append(text))
    monkeypatch.setattr(network_files, "choose_open_path", lambda w: str(foreign))
    trigger(window, "actionOpenNetwork")
    assert errors and "not a Backprop Studio network file" in errors[0]
    assert "kept" in errors[0]
    np.testing.assert_array_equal(window.current_network().params, before)
    assert window.config == ExperimentConfig()


def test_cancelled_dialogs_change_nothing(make_window, monkeypatch):
    window = make_window()
    monkeypatch.setattr(network_files, "choose_open_path", lambda w: "")
    monkeypatch.setattr(network_files, "choose_save_path", lambda w: "")
    trigger(window, "actionOpenNetwork")
    trigger(window, "actionSaveNetwork")
    assert window.config == ExperimentConfig()
