"""Dropout and batch norm per hidden layer: control → config → network, and config → control."""
from model.config import ExperimentConfig


def test_dropout_and_batch_norm_controls_rebuild_the_network(make_window):
    window = make_window(ExperimentConfig(dataset="spiral", hidden_layers=(6, 5)))
    network = window.control_panel.network
    assert [spin.value() for spin in network.dropouts] == [0.0, 0.0]
    network.dropouts[0].setValue(0.3)
    assert window.config.dropout == (0.3, 0.0)
    assert window.experiment.net.dropout == [0.3, 0.0]
    network.batch_norms[1].setChecked(True)
    assert window.config.batch_norm == (False, True)
    net = window.experiment.net
    assert net.batch_norm == [False, True] and net.gammas[1] is not None and net.gammas[0] is None
    network.add_layer.click()                       # a new layer starts without either
    assert window.config.dropout == (0.3, 0.0, 0.0) and window.config.batch_norm == (False, True, False)
    assert len(network.dropouts) == 3 and not network.batch_norms[2].isChecked()


def test_a_loaded_setting_shows_in_the_controls(make_window):
    window = make_window()
    window.load_config(ExperimentConfig(dataset="xor", hidden_layers=(4, 4, 3), dropout=(0.5, 0.0, 0.2),
                                        batch_norm=(True, False, True)))
    network = window.control_panel.network
    assert [spin.value() for spin in network.dropouts] == [0.5, 0.0, 0.2]
    assert [box.isChecked() for box in network.batch_norms] == [True, False, True]


def test_batch_norm_with_a_batch_of_one_is_refused_and_the_network_kept(make_window, monkeypatch):
    window = make_window(ExperimentConfig(dataset="circle", hidden_layers=(4,), batch_size=1))
    before = window.config
    messages = []
    monkeypatch.setattr(window, "show_error", lambda title, text: messages.append(text), raising=False)
    window.control_panel.network.batch_norms[0].setChecked(True)
    assert window.config == before and window.experiment.net.batch_norm == [False]
    shown = " ".join(messages) + window.statusBar().currentMessage()
    assert "batch size of at least 2" in shown
    assert not window.control_panel.network.batch_norms[0].isChecked()    # the control shows the truth
