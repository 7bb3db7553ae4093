"""Saving and loading a trained network."""
import json

import numpy as np
import pytest

from model import serialization
from model.config import ExperimentConfig
from model.experiment import build


def test_round_trip(tmp_path):
    experiment = build(ExperimentConfig(dataset="xor", hidden_layers=(5,)))
    experiment.trainer.run_epoch()
    path = tmp_path / "net.json"
    serialization.save(path, experiment.config, experiment.net, epoch=1, step=25)
    config, params, info = serialization.load(path)
    assert config == experiment.config
    assert np.array_equal(params, experiment.net.params)
    assert info == {"sizes": [2, 5, 1], "epoch": 1, "step": 25}


@pytest.mark.parametrize("content, message", [
    ("not json at all", "not a Backprop Studio network file"),
    ('{"hello": 1}', "not a Backprop Studio network file"),
    ('[1, 2, 3]', "not a Backprop Studio network file"),
    ('{"format": "backprop-studio", "version": 99}', "version"),
    ('{"format": "backprop-studio", "version": 1, "config": {}, "sizes": [2, 1], "params": [1]}',
     "damaged"),
])
def test_foreign_or_damaged_files_are_refused(tmp_path, content, message):
    path = tmp_path / "file.json"
    path.write_text(content)
    with pytest.raises(ValueError, match=message):
        serialization.load(path)


def test_missing_file(tmp_path):
    with pytest.raises(ValueError, match="no such file"):
        serialization.load(tmp_path / "absent.json")


def test_wrong_parameter_count_is_damage(tmp_path):
    experiment = build(ExperimentConfig())
    path = tmp_path / "net.json"
    serialization.save(path, experiment.config, experiment.net)
    document = json.loads(path.read_text())
    document["params"] = document["params"][:-1]
    path.write_text(json.dumps(document))
    with pytest.raises(ValueError, match="damaged"):
        serialization.load(path)
