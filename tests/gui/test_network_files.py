"""File ▸ Save network / Open network: a round trip, and files that are not ours."""
import json

import numpy as np
import pytest
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


def test_a_network_trained_with_a_64_bit_seed_opens(make_window, monkeypatch, tmp_path, capsys):
    """`train --seed 3000000000 --save f.json`, then File ▸ Open network: all of it is shown."""
    from cli import main
    path = tmp_path / "f.json"
    assert main(["train", "--seed", "3000000000", "--data-seed", str(2**64 - 1), "--epochs", "1",
                 "--layers", "3", "--quiet", "--save", str(path)]) == 0
    window = make_window()
    errors = []
    monkeypatch.setattr(window, "show_error", lambda title, text: errors.append(text))
    monkeypatch.setattr(network_files, "choose_open_path", lambda w: str(path))
    trigger(window, "actionOpenNetwork")
    assert errors == []
    assert window.config.seed == 3_000_000_000 and window.experiment.net.seed == 3_000_000_000
    assert window.control_panel.training.seed.value() == 3_000_000_000
    assert window.control_panel.training.seed.text() == "3000000000"
    assert window.control_panel.data.data_seed.value() == 2**64 - 1
    assert window.experiment.net.sizes == [2, 3, 1]


def test_the_seed_box_takes_typed_64_bit_seeds(make_window):
    window = make_window()
    box = window.control_panel.training.seed
    box.lineEdit().setText("12345678901234567890")
    box.editingFinished.emit()
    assert window.config.seed == 12345678901234567890
    box.stepBy(1)
    assert window.config.seed == 12345678901234567891
    box.setValue(2**70)                                  # clamped, as QSpinBox clamps
    assert box.value() == 2**64 - 1


def _document(**changes):
    config = ExperimentConfig().to_dict()
    config.update(changes.pop("config", {}))
    sizes = [2, *config["hidden_layers"], 1]
    document = {"format": "backprop-studio", "version": 1, "config": config, "sizes": sizes,
                "params": [0.1] * sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:])),
                "epoch": 3, "step": 9}
    document.update(changes)
    return document


@pytest.mark.parametrize("text, field", [
    ("[" * 100_000 + "]" * 100_000, "nested"),
    (json.dumps(_document(epoch=float("inf"))), "'epoch'"),
    (json.dumps(_document(epoch=None)), "'epoch'"),
    (json.dumps(_document(epoch=[1])), "'epoch'"),
    (json.dumps(_document(config={"seed": "0"})), "'config.seed'"),
    (json.dumps(_document(config={"seed": 2**64})), "'config.seed'"),
    (json.dumps(_document(config={"learning_rate": float("nan")})), "'config.learning_rate'"),
    (json.dumps(_document(config={"csv_path": "/dev/zero"})), "not a regular file"),
    (json.dumps(_document(config={"dataset": "sine", "output_activation": "sigmoid",
                                  "loss": "cross_entropy"})), "'config.output_activation'"),
])
def test_a_bad_file_names_itself_and_keeps_the_window_as_it_was(make_window, monkeypatch, tmp_path,
                                                                 text, field):
    path = tmp_path / "bad.json"
    path.write_text(text)
    window = make_window(ExperimentConfig(dataset="xor", seed=4))
    before, experiment = window.current_network().params.copy(), window.experiment
    errors = []
    monkeypatch.setattr(window, "show_error", lambda title, text: errors.append(text))
    monkeypatch.setattr(network_files, "choose_open_path", lambda w: str(path))
    trigger(window, "actionOpenNetwork")
    assert len(errors) == 1 and errors[0].startswith("bad.json") and field in errors[0]
    assert "kept" in errors[0]
    assert window.experiment is experiment and window.config == ExperimentConfig(dataset="xor", seed=4)
    np.testing.assert_array_equal(window.current_network().params, before)
    assert window.control_panel.training.seed.value() == 4


def test_opening_a_batch_norm_network_restores_its_running_statistics(make_window, monkeypatch, tmp_path):
    from model import serialization
    from model.experiment import build
    config = ExperimentConfig(dataset="spiral", hidden_layers=(5, 4), dropout=(0.2, 0.0),
                              batch_norm=(True, True), learning_rate=0.1)
    experiment = build(config)
    list(experiment.trainer.run(epochs=3))
    path = tmp_path / "bn.json"
    serialization.save(path, config, experiment.net, epoch=3)
    window = make_window()
    monkeypatch.setattr(network_files, "choose_open_path", lambda w: str(path))
    trigger(window, "actionOpenNetwork")
    net = window.current_network()
    assert window.config.batch_norm == (True, True) and window.config.dropout == (0.2, 0.0)
    np.testing.assert_array_equal(net.params, experiment.net.params)
    for shown, saved in zip(net.running_means + net.running_vars,
                            experiment.net.running_means + experiment.net.running_vars):
        if saved is not None:
            np.testing.assert_array_equal(shown, saved)
    assert not np.allclose(net.running_vars[0], 1.0)        # trained statistics, not the defaults
