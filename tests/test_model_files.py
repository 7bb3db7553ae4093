"""Saving and opening convolutional and recurrent networks: the file records the kind and the
spec, the opened network computes what the saved one did, and a bad file is one line."""
import json

import numpy as np
import pytest

from model import ConvNet, RecurrentNetwork, make_optimizer, serialization
from model.config import ExperimentConfig
from model.data import make_bars
from model.experiment import build
from model.training import Trainer

SPEC = [("conv", 4, 3, "valid"), ("tanh",), ("maxpool", 2), ("flatten",), ("dense", 2)]
BARS = {"images": "bars", "data_seed": 1, "test_ratio": 0.25, "learning_rate": 0.02}
ECHO = {"task": "echo", "sequences": 64, "steps": 8, "delay": 2, "batch_size": 16}


def _trained_conv() -> ConvNet:
    images = make_bars(64, seed=1)
    net = ConvNet(images.shape, SPEC, output_activation="softmax", loss="cross_entropy", seed=4, init="xavier")
    data = images.data()
    Trainer(net, data.points, data.targets, optimizer=make_optimizer("adam", 0.02), batch_size=16,
            task="multiclass").run_epoch()
    return net


def _trained_recurrent() -> RecurrentNetwork:
    net = RecurrentNetwork(inputs=1, hidden=5, outputs=1, activation="relu", output_activation="sigmoid",
                           loss="cross_entropy", recurrent_init="gaussian", recurrent_scale=0.3,
                           truncation=4, clip=2.0, seed=7)
    data = serialization.make_training_data("rnn", {**ECHO, "data_seed": 0})
    Trainer(net, data.inputs, data.targets, optimizer=make_optimizer("adam", 0.01), batch_size=16,
            task="binary").run_epoch()
    return net


def test_a_convnet_round_trips_with_its_kind_spec_and_outputs(tmp_path):
    net = _trained_conv()
    path = tmp_path / "cnn.json"
    serialization.save_model(path, net, BARS, epoch=1, step=4)
    document = json.loads(path.read_text())
    assert (document["model"], document["version"]) == ("cnn", 2)
    assert document["network"]["spec"] == [list(entry) for entry in SPEC]
    saved = serialization.load_model(path, "cnn")
    assert (saved.kind, saved.epoch, saved.step) == ("cnn", 1, 4)
    assert saved.net.config() == net.config() and saved.net.spec == SPEC
    assert saved.training == {"optimizer": "adam", "learning_rate": 0.02, "batch_size": 32,
                              "test_ratio": 0.25, "data_seed": 1, "images": "bars"}
    assert saved.data.name == "bars" and saved.data.shape == (1, 8, 8)
    X = np.random.default_rng(0).random((6, 1, 8, 8))
    np.testing.assert_array_equal(saved.net.params, net.params)
    np.testing.assert_array_equal(saved.net.predict(X), net.predict(X))
    # and the opened network trains on exactly as the saved one would
    Y = np.eye(2)[[0, 1, 1, 0, 1, 0]]
    for model in (net, saved.net):
        model.train_step(X, Y, make_optimizer("sgd", 0.1))
    np.testing.assert_array_equal(saved.net.params, net.params)


def test_a_recurrent_network_round_trips_with_every_setting(tmp_path):
    net = _trained_recurrent()
    path = tmp_path / "rnn.json"
    serialization.save_model(path, net, ECHO, epoch=1)
    saved = serialization.load_model(path, "rnn")
    assert saved.net.config() == net.config()
    assert (saved.net.truncation, saved.net.clip, saved.net.recurrent_scale) == (4, 2.0, 0.3)
    assert (saved.data.name, saved.data.steps, saved.data.n_samples) == ("echo", 8, 64)
    X = saved.data.inputs[:5]
    np.testing.assert_array_equal(saved.net.predict(X), net.predict(X))
    np.testing.assert_array_equal(saved.net.forward(X).h, net.forward(X).h)


def test_each_kind_is_refused_where_another_is_expected(tmp_path):
    serialization.save_model(tmp_path / "cnn.json", ConvNet((1, 8, 8), SPEC, seed=0), BARS)
    experiment = build(ExperimentConfig(dataset="xor"))
    serialization.save(tmp_path / "mlp.json", experiment.config, experiment.net)
    with pytest.raises(ValueError, match=r"^cnn.json holds a convolutional network, not a multilayer "
                                         r"perceptron: open it in the convolution window"):
        serialization.load(tmp_path / "cnn.json")
    with pytest.raises(ValueError, match=r"^cnn.json holds a convolutional network, not a recurrent network"):
        serialization.load_model(tmp_path / "cnn.json", "rnn")
    with pytest.raises(ValueError, match=r"^mlp.json holds a multilayer perceptron, not a convolutional "
                                         r"network: open it in the main window"):
        serialization.load_model(tmp_path / "mlp.json", "cnn")


def test_a_version_1_file_is_an_mlp(tmp_path):
    experiment = build(ExperimentConfig(dataset="xor"))
    path = tmp_path / "old.json"
    serialization.save(path, experiment.config, experiment.net)
    document = json.loads(path.read_text())
    document["version"] = 1
    document["model"] = "cnn"          # version 1 had no kind: whatever it says, it is an MLP
    path.write_text(json.dumps(document))
    config, params, _ = serialization.load(path)
    assert config == experiment.config and np.array_equal(params, experiment.net.params)


def _edited(tmp_path, kind, change):
    path = tmp_path / "net.json"
    net = ConvNet((1, 8, 8), SPEC, seed=0) if kind == "cnn" else RecurrentNetwork(hidden=3, seed=0)
    training = BARS if kind == "cnn" else {"task": "sine", "sequences": 8, "steps": None, "delay": None}
    serialization.save_model(path, net, training)
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))
    return path


@pytest.mark.parametrize("kind, change, message", [
    ("cnn", lambda d: d.update(model="gru"), "'model': unknown network kind 'gru'"),
    ("cnn", lambda d: d.pop("network"), "it has no 'network'"),
    ("cnn", lambda d: d.update(network=[1]), "'network': the network must be a JSON object"),
    ("cnn", lambda d: d["network"].pop("spec"), "'network': the network lacks 'spec'"),
    ("cnn", lambda d: d["network"].update(dropout=0.5), "'network': the network has an unknown entry 'dropout'"),
    ("cnn", lambda d: d["network"]["spec"][0].__setitem__(1, 0), "'network': filters in ('conv', 0, 3, "
                                                                  "'valid') must be a positive integer"),
    ("cnn", lambda d: d["network"]["spec"].__setitem__(0, ["conv", 5, 3, "valid"]),
     "'network': it needs 142 parameters, the file has 114"),   # 5·9 + 5 + (5·9 + 1)·2 against 4 filters
    ("cnn", lambda d: d["network"].update(loss="hinge"), "'network': unknown loss 'hinge'"),
    ("cnn", lambda d: d["network"].update(input_shape=[1, 8]), "'network'"),
    ("cnn", lambda d: d["params"].__setitem__(3, float("nan")), "'params': the parameters must be finite"),
    ("cnn", lambda d: d.pop("training"), "it has no 'training'"),
    ("cnn", lambda d: d["training"].pop("images"), "it has no 'training.images'"),
    ("cnn", lambda d: d["training"].update(images="faces"), "'training.images': unknown image set 'faces'"),
    ("cnn", lambda d: d["training"].update(images="digits"), "'training': the network takes (1, 8, 8) "
                                                             "images in 2 classes; the image set 'digits' "
                                                             "has (1, 8, 8) images in 10 classes"),
    ("cnn", lambda d: d["training"].update(learning_rate=-1), "'training.learning_rate': the learning rate "
                                                              "must be a finite number above 0"),
    ("cnn", lambda d: d["training"].update(optimizer="lbfgs"), "'training.optimizer': unknown optimizer"),
    ("rnn", lambda d: d["network"].update(hidden=10**9), "'network': it needs 1000000003000000001 "
                                                         "parameters, the file has 19"),   # 1·3 + 3·3 + 3 + 3·1 + 1
    ("rnn", lambda d: d["network"].update(activation="cosine"), "'network': unknown activation"),
    ("rnn", lambda d: d["network"].update(truncation=0), "'network'"),
    ("rnn", lambda d: d["training"].update(task="echo", delay=30), "'training': the echo delay (30) must "
                                                                   "be shorter than the sequence"),
    ("rnn", lambda d: d["training"].update(task="adding"), "'training': the network takes 1 inputs and "
                                                           "gives 1 outputs per step; the task 'adding' "
                                                           "has 2 and 1 per sequence"),
    ("rnn", lambda d: d["training"].update(sequences=2), "'training.sequences': the number of sequences "
                                                         "must be a whole number from 4"),
    ("rnn", lambda d: d.update(epoch=-1), "'epoch'"),
])
def test_a_damaged_file_is_one_line_naming_the_field(tmp_path, kind, change, message):
    path = _edited(tmp_path, kind, change)
    with pytest.raises(ValueError) as caught:
        serialization.load_model(path, kind)
    assert str(caught.value).startswith("net.json") and message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_save_refuses_a_setting_it_could_not_open_again(tmp_path):
    with pytest.raises(ValueError, match="'training.images'"):
        serialization.save_model(tmp_path / "x.json", ConvNet((1, 8, 8), SPEC), {"images": "faces"})
    assert list(tmp_path.iterdir()) == []
