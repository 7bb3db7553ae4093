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


def _saved(tmp_path, **config):
    experiment = build(ExperimentConfig(**config))
    path = tmp_path / "net.json"
    serialization.save(path, experiment.config, experiment.net, epoch=3, step=7)
    return path, json.loads(path.read_text())


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(epoch=float("inf")), "net.json is damaged: 'epoch': the epoch must be a whole "
                                             "number from 0 to"),
    (lambda d: d.update(epoch=None), "'epoch'"),
    (lambda d: d.update(epoch=[1]), "'epoch'"),
    (lambda d: d.update(epoch=2.0), "'epoch'"),
    (lambda d: d.update(step=-1), "'step'"),
    (lambda d: d["config"].update(seed="0"), "'config.seed': the seed must be a whole number"),
    (lambda d: d["config"].update(seed=2**64), "'config.seed'"),
    (lambda d: d["config"].update(seed=True), "'config.seed'"),
    (lambda d: d["config"].update(samples=1e3), "'config.samples'"),
    (lambda d: d["config"].update(learning_rate=float("nan")), "'config.learning_rate'"),
    (lambda d: d["config"].update(l2=float("inf")), "'config.l2': the L2 rate must be a finite number"),
    (lambda d: d["config"].update(hidden_layers="4,2"), "'config.hidden_layers'"),
    (lambda d: d["config"].update(features=[["x1"]]), "'config.features'"),
    (lambda d: d["config"].update(csv_path=7), "'config.csv_path'"),
    (lambda d: d["config"].update(dropout=[0.5, 1.0]), "'config.dropout': the dropout rate must be a "
                                                       "number of at least 0 and below 1, got 1.0"),
    (lambda d: d["config"].update(dropout=[0.1, 0.1, 0.1]), "'config.dropout': one dropout rate per "
                                                            "hidden layer"),
    (lambda d: d["config"].update(batch_norm="yes"), "'config.batch_norm': the batch-norm switch must "
                                                     "be true or false"),
    (lambda d: d["config"].update(batch_norm=[True, True], batch_size=1), "'config.batch_size'"),
    (lambda d: d["config"].update(early_stopping=-2), "'config.early_stopping'"),
    (lambda d: d["config"].pop("dataset"), "'config.dataset': the dataset is missing"),
    (lambda d: d["config"].pop("learning_rate"), "'config.learning_rate': the learning rate is missing"),
    (lambda d: d["config"].update(dataset="sine", output_activation="sigmoid", loss="cross_entropy"),
     "'config.output_activation': sigmoid output with cross_entropy loss does not suit regression"),
    (lambda d: d.update(config=[1]), "'config': a configuration must be a JSON object"),
    (lambda d: d.pop("config"), "it has no 'config'"),
    (lambda d: d.pop("params"), "it has no 'params'"),
    (lambda d: d["params"].__setitem__(0, float("nan")), "'params': the parameters must be finite"),
    (lambda d: d["params"].__setitem__(0, True), "'params'"),
    (lambda d: d["params"].__setitem__(0, -2e6), "'params': the parameters must stay within ±1e+06"),
    (lambda d: d["params"].__setitem__(0, [1.0]), "'params'"),
    (lambda d: d.update(sizes=[2, 4, "2", 1]), "'sizes'"),
    (lambda d: d.update(sizes=[2, 4, 3, 1]), "'params': expected"),
])
def test_every_field_is_checked_and_named(tmp_path, change, message):
    path, document = _saved(tmp_path)
    change(document)
    path.write_text(json.dumps(document))
    with pytest.raises(ValueError) as caught:
        serialization.load(path)
    assert message in str(caught.value) and str(caught.value).startswith("net.json")
    assert "\n" not in str(caught.value)


def test_deep_nesting_a_bom_and_old_files(tmp_path):
    path, document = _saved(tmp_path)
    path.write_text("[" * 200_000 + "]" * 200_000)
    with pytest.raises(ValueError, match="nested too deeply"):
        serialization.load(path)
    path.write_text("\ufeff" + json.dumps(document), encoding="utf-8")      # a BOM is fine
    assert serialization.load(path)[2]["epoch"] == 3
    del document["epoch"], document["step"], document["config"]["init"]    # optional: defaults
    for name in ("dropout", "batch_norm", "early_stopping"):      # files from before these existed
        del document["config"][name]
    path.write_text(json.dumps(document))
    config, _, info = serialization.load(path)
    assert (info["epoch"], info["step"], config.init) == (0, 0, "xavier")
    assert (config.dropout, config.batch_norm, config.early_stopping) == ((0.0, 0.0), (False, False), 0)


def test_a_64_bit_seed_round_trips(tmp_path):
    path, _ = _saved(tmp_path, seed=2**64 - 1, data_seed=3_000_000_000)
    config, _, _ = serialization.load(path)
    assert (config.seed, config.data_seed) == (2**64 - 1, 3_000_000_000)


def test_a_csv_path_that_is_a_device_or_a_fifo_is_refused(tmp_path):
    import os
    from model.experiment import load_data
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for csv_path in ("/dev/zero", str(fifo)):
        with pytest.raises(ValueError, match="not a regular file"):
            load_data(ExperimentConfig(csv_path=csv_path))


def test_a_saved_file_has_the_umask_permissions_and_no_temporary_is_left(tmp_path):
    import os
    previous = os.umask(0o027)
    try:
        path, _ = _saved(tmp_path)
    finally:
        os.umask(previous)
    assert os.stat(path).st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["net.json"]


def test_an_interrupted_save_leaves_nothing_and_keeps_the_old_file(tmp_path, monkeypatch):
    path, _ = _saved(tmp_path)
    before = path.read_bytes()
    experiment = build(ExperimentConfig())

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(json, "dump", interrupted)
    with pytest.raises(KeyboardInterrupt):
        serialization.save(path, experiment.config, experiment.net)
    assert [p.name for p in tmp_path.iterdir()] == ["net.json"] and path.read_bytes() == before


def test_a_failed_save_names_the_users_path(tmp_path):
    experiment = build(ExperimentConfig())
    folder = tmp_path / "taken"
    folder.mkdir()                               # a folder where the file should go
    with pytest.raises(OSError) as caught:
        serialization.save(folder, experiment.config, experiment.net)
    assert str(caught.value).startswith(f"could not write {folder}: ") and ".saving" not in str(caught.value)
    with pytest.raises(OSError) as caught:
        serialization.save(tmp_path / "absent" / "net.json", experiment.config, experiment.net)
    assert str(caught.value) == f"could not write {tmp_path / 'absent' / 'net.json'}: No such file or directory"
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]
