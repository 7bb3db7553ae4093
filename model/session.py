"""Save and open a whole training session, so that training on takes exactly the original's steps.

    save_session(path, experiment, history)          # history: epochs, train and test losses (m,)
    session = open_session(path)                     # ValueError with one line on any problem
    session.experiment.trainer.run(...)              # the very steps the saved session would take

A session file is a NumPy ``.npz`` archive (a zip of ``.npy`` arrays, read with
``allow_pickle=False``, so opening a file never runs code) holding:

- ``meta``: one JSON text — format, version, the setting (``ExperimentConfig``),
  the data's names and task, the live learning rate and batch size, the
  trainer's counts, its batch-order and dropout-mask generator states and its
  best epoch;
- the network's state (parameters, batch norm's running statistics), the
  optimizer's state (``Optimizer.state``: step count, velocities or moments),
  the trainer's current epoch order, the best epoch's state;
- the data themselves (points and targets, a CSV's standardisation) — a CSV
  session opens without the CSV;
- the loss history (epoch, train loss, test loss per recorded epoch).

``open_session`` builds a fresh experiment from the file and checks every part
before returning it: a file that is not a session, is damaged or does not fit
its own setting raises ``ValueError`` naming the file, and nothing else changes.
"""
from __future__ import annotations

import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .config import ExperimentConfig, SettingError
from .csv_data import Standardizer
from .datasets import Data
from .experiment import Experiment, build
from .serialization import written_atomically

FORMAT = "backprop-studio-session"
VERSION = 1
SUFFIX = ".bpsession"
Array = np.ndarray


@dataclass(frozen=True)
class Session:
    """An opened session: the experiment, ready to train on, and its loss history."""

    experiment: Experiment
    epochs: Array          # (m,) the epochs with recorded losses
    train_losses: Array    # (m,)
    test_losses: Array     # (m,)


def _state_arrays(prefix: str, state: dict) -> dict[str, Array]:
    """A network ``state()`` as named arrays (statistics per weight layer, absent where None)."""
    arrays = {f"{prefix}.params": state["params"]}
    for layer, statistics in enumerate(state["statistics"]):
        if statistics is not None:
            arrays[f"{prefix}.statistics.{layer}"] = statistics
    return arrays


def _state_from(arrays, prefix: str, layers: int) -> dict:
    return {"params": np.array(arrays[f"{prefix}.params"], dtype=np.float64),
            "statistics": [np.array(arrays[f"{prefix}.statistics.{l}"], dtype=np.float64)
                           if f"{prefix}.statistics.{l}" in arrays else None for l in range(layers)]}


def save_session(path: str | os.PathLike, experiment: Experiment, epochs: Array,
                 train_losses: Array, test_losses: Array) -> None:
    """Write ``experiment`` (paused: nothing may train meanwhile) and its history atomically."""
    trainer, net, data = experiment.trainer, experiment.net, experiment.data
    state = trainer.state()
    meta = {"format": FORMAT, "version": VERSION, "config": experiment.config.to_dict(),
            "data": {"name": data.name, "task": data.task, "class_names": list(data.class_names),
                     "feature_names": list(data.feature_names)},
            "learning_rate": float(experiment.optimizer.learning_rate),
            "batch_size": trainer.batch_size,
            "trainer": {key: state[key] for key in ("step_count", "epoch", "position",
                                                    "batch_order_generator", "mask_generator",
                                                    "best_epoch", "best_loss", "explosion_threshold",
                                                    "stopped_early")}}
    arrays = {"meta": np.array(json.dumps(meta)), "data.points": data.points, "data.targets": data.targets,
              "history.epochs": np.asarray(epochs, dtype=np.float64),
              "history.train": np.asarray(train_losses, dtype=np.float64),
              "history.test": np.asarray(test_losses, dtype=np.float64),
              **_state_arrays("net", net.state()), **_state_arrays("best", state["best_state"]),
              **{f"optimizer.{key}": value for key, value in experiment.optimizer.state().items()}}
    if data.standardizer is not None:
        arrays["data.mean"], arrays["data.scale"] = data.standardizer.mean, data.standardizer.scale
    if state["order_inputs"] is not None:
        arrays["order.inputs"], arrays["order.targets"] = state["order_inputs"], state["order_targets"]
    with written_atomically(path) as temporary:
        with open(temporary, "wb") as stream:
            np.savez(stream, **arrays)


def open_session(path: str | os.PathLike) -> Session:
    """Read a session file into a new experiment; ValueError (one line, naming the file) if it is
    not a session, is damaged or does not fit its own setting."""
    name = Path(path).name
    try:
        if not Path(path).is_file():
            raise ValueError(f"{name}: no such file" if not Path(path).exists()
                             else f"{name}: cannot open it: it is not a regular file")
        with np.load(path, allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in archive.files}
    except ValueError as error:
        if str(error).startswith(name):
            raise
        raise ValueError(f"{name} is not a Backprop Studio session file") from None
    except (OSError, zipfile.BadZipFile, EOFError, KeyError):
        raise ValueError(f"{name} is not a Backprop Studio session file") from None
    try:
        meta = json.loads(str(arrays["meta"]))
    except (KeyError, ValueError, RecursionError):
        raise ValueError(f"{name} is not a Backprop Studio session file") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ValueError(f"{name} is not a Backprop Studio session file")
    if meta.get("version") != VERSION:
        raise ValueError(f"{name} has session format version {meta.get('version')!r:.40}; "
                         f"this Backprop Studio reads version {VERSION}")
    try:
        config = ExperimentConfig.from_dict(meta["config"])
    except SettingError as error:
        raise ValueError(f"{name} is damaged: {'config.' + error.field!r}: {error}") from None
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"{name} is damaged: 'config': {error}") from None
    try:
        return _restore(config, meta, arrays)
    except KeyError as error:
        raise ValueError(f"{name} is damaged: it has no {error.args[0]!r}") from None
    except (TypeError, ValueError, IndexError, OverflowError) as error:
        raise ValueError(f"{name} is damaged: {error}") from None


def _restore(config: ExperimentConfig, meta: dict, arrays: dict[str, Array]) -> Session:
    """A fresh experiment from the file's parts; raises on anything that does not fit."""
    described = meta["data"]
    standardizer = (Standardizer(np.array(arrays["data.mean"], dtype=np.float64),
                                 np.array(arrays["data.scale"], dtype=np.float64))
                    if "data.mean" in arrays else None)
    data = Data(name=str(described["name"]), task=str(described["task"]),
                points=np.array(arrays["data.points"], dtype=np.float64),
                targets=np.array(arrays["data.targets"], dtype=np.float64),
                class_names=tuple(map(str, described["class_names"])),
                feature_names=tuple(map(str, described["feature_names"])), standardizer=standardizer)
    experiment = build(config, data)
    net, trainer = experiment.net, experiment.trainer
    layers = len(net.sizes) - 1
    state = _state_from(arrays, "net", layers)
    best = _state_from(arrays, "best", layers)
    for saved in (state, best):
        if saved["params"].shape != net.params.shape or not np.isfinite(saved["params"]).all():
            raise ValueError(f"'net.params': expected {net.params.size} finite parameters for "
                             f"sizes {list(net.sizes)}")
        mine = [None if s is None else s.shape for s in net.state()["statistics"]]
        if [None if s is None else s.shape for s in saved["statistics"]] != mine:
            raise ValueError("the batch-norm statistics do not fit its batch-norm layers")
    net.load_state(state)
    optimizer_state = {key.split(".", 1)[1]: value for key, value in arrays.items()
                       if key.startswith("optimizer.")}
    experiment.optimizer.load_state(optimizer_state)
    for key, value in optimizer_state.items():     # the optimizer steps the flat parameter vector
        if key != "steps" and value.shape != net.params.shape:
            raise ValueError(f"'optimizer.{key}' does not fit the network")
    experiment.optimizer.learning_rate = float(meta["learning_rate"])
    trainer.batch_size = int(meta["batch_size"])
    saved = dict(meta["trainer"])
    ordered = "order.inputs" in arrays
    saved.update(order_inputs=np.array(arrays["order.inputs"]) if ordered else None,
                 order_targets=np.array(arrays["order.targets"]) if ordered else None,
                 best_state=best)
    if ordered and (saved["order_inputs"].shape != trainer.train_inputs.shape
                    or saved["order_targets"].shape != trainer.train_targets.shape):
        raise ValueError("the current epoch's order does not fit the data")
    trainer.load_state(saved)
    history = [np.array(arrays[f"history.{key}"], dtype=np.float64).reshape(-1)
               for key in ("epochs", "train", "test")]
    if len({h.size for h in history}) != 1:
        raise ValueError("the loss history's columns differ in length")
    return Session(experiment, *history)

