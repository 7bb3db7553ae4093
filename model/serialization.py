"""Save and load a trained network with the setting that made it (JSON).

File layout of a multilayer perceptron (the main window's network)::

    {"format": "backprop-studio", "version": 2, "model": "mlp",
     "config": ExperimentConfig.to_dict(),
     "sizes": [2, 8, 8, 1],
     "params": [... net.params, flat ...],
     "epoch": 300, "step": 7500}

and of a convolutional or recurrent network (``save_model``/``load_model``)::

    {"format": "backprop-studio", "version": 2, "model": "cnn" | "rnn",
     "network": net.config(),            # the constructor's arguments: kind and spec
     "training": {"images": "digits", …} # the data and optimiser it was trained with
     "params": [...], "epoch": 20, "step": 900}

Version 1 files (before "model" existed) hold an MLP and are read as such.
``load`` and ``load_model`` check the whole file before they return anything:
a file that is not ours, is damaged, was edited into nonsense or holds another
kind of network raises ``ValueError`` with one line naming the file and the
field. Entries are checked by tables (``ENTRIES``, ``MODEL_ENTRIES``,
``TRAINING_ENTRIES``; the setting by ``ExperimentConfig.from_dict``'s), so a
new entry is one row. ``save`` and ``save_model`` write atomically.
"""
from __future__ import annotations

import inspect
import json
import math
import os
import secrets
import stat
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from .config import (MAX_BATCH_SIZE, MAX_SAMPLES, MAX_SEED, ExperimentConfig, SettingError, check_task_outputs,
                     choice, integer, number, optional)
from .data.images import IMAGE_DATASETS, Images, load_images
from .data.sequences import SEQUENCE_TASKS, SequenceData, make_sequence_task
from .datasets import DATASETS
from .divergence import WEIGHT_LIMIT, largest_weights
from .layers import Dense, Recurrent
from .networks import ConvNet, Network, RecurrentNetwork, layout, mlp_layers
from .networks.conv import build_layers
from .optimizers import OPTIMIZERS

FORMAT = "backprop-studio"
VERSION = 2
READABLE_VERSIONS = (1, 2)     # version 1: an MLP, from before files named their model kind
MAX_FILE_BYTES = 1 << 30      # a 10 × 512 network is about 60 MB of JSON
MAX_COUNT = 2**63 - 1


def _sizes(label: str, value: object) -> list[int]:
    if not isinstance(value, list) or len(value) < 2:
        raise ValueError(f"the {label} must be a list of at least two layer sizes, got {value!r:.40}")
    return [integer(1, 10**6)(label, size) for size in value]


def _parameters(label: str, value: object) -> np.ndarray:
    # exact types: a JSON true is not the number 1 here; NaN and ±Infinity are damage
    if not isinstance(value, list) or not all(type(v) in (int, float) for v in value):
        raise ValueError(f"the {label} must be a flat list of numbers")
    params = np.array(value, dtype=np.float64)
    if not np.all(np.isfinite(params)):
        raise ValueError(f"the {label} must be finite numbers; {np.count_nonzero(~np.isfinite(params))} "
                         "are NaN or infinite")
    if params.size and largest_weights(params) > WEIGHT_LIMIT:
        # training counts such weights as diverged and would put back fresh ones
        raise ValueError(f"the {label} must stay within ±{WEIGHT_LIMIT:g} (beyond it a network "
                         f"has diverged); the largest is {largest_weights(params):.3g}")
    return params


def _statistics(label: str, value: object) -> list:
    """Per weight layer: null, or batch norm's [running means, running variances]."""
    if not isinstance(value, list):
        raise ValueError(f"the {label} must be a list (one entry per weight layer)")
    found = []
    for entry in value:
        if entry is None:
            found.append(None)
            continue
        pair = np.array(entry, dtype=np.float64) if isinstance(entry, list) else None
        if pair is None or pair.ndim != 2 or pair.shape[0] != 2 or not np.isfinite(pair).all() \
                or (pair[1] < 0).any():
            raise ValueError(f"the {label} must be null or [means, variances] of finite numbers "
                             f"(variances ≥ 0) per weight layer")
        found.append(pair)
    return found


#: Entries of a network file besides format, version and config:
#: name → (what a message calls it, its check, default when absent; None = required).
ENTRIES = {
    "sizes": ("layer sizes", _sizes, None),
    "params": ("parameters", _parameters, None),
    "epoch": ("epoch", integer(0, MAX_COUNT), 0),
    "step": ("step count", integer(0, MAX_COUNT), 0),
    "statistics": ("batch-norm statistics", _statistics, []),
}


@contextmanager
def written_atomically(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; renamed to ``path`` when the block succeeds.

    The file gets the permissions any new file gets (the umask's, typically
    0644). On an error or an interruption (Ctrl+C) the temporary file is
    removed and ``path`` is untouched; an OSError names ``path``, not the
    temporary file.
    """
    path = Path(path)
    temporary = path.parent / f".{path.name}.saving-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        try:
            os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            yield temporary
            os.replace(temporary, path)
        except OSError as error:
            raise OSError(f"could not write {path}: {error.strerror or error}") from None
    finally:
        temporary.unlink(missing_ok=True)


def _write(path: str | os.PathLike, document: dict) -> None:
    with written_atomically(path) as temporary:
        with open(temporary, "w", encoding="utf-8") as stream:
            json.dump(document, stream)


def save(path: str | os.PathLike, config: ExperimentConfig, net: Network,
         epoch: int = 0, step: int = 0) -> None:
    """Write ``config`` and ``net``'s parameters to ``path`` atomically."""
    document = {"format": FORMAT, "version": VERSION, "model": "mlp", "config": config.to_dict(),
                "sizes": list(net.sizes), "params": net.params.tolist(),
                "epoch": int(epoch), "step": int(step),
                "statistics": [None if s is None else s.tolist() for s in net.statistics]}
    _write(path, document)


def load(path: str | os.PathLike) -> tuple[ExperimentConfig, np.ndarray, dict]:
    """Read a saved network: (config, flat parameters, {"sizes", "epoch", "step"}).

    Everything is checked first; any problem is a one-line ValueError naming
    the file (and the field).
    """
    name = Path(path).name
    document = _network_document(Path(path), name, "mlp")
    if "config" not in document:
        raise ValueError(f"{name} is damaged: it has no 'config'")
    try:
        config = ExperimentConfig.from_dict(document["config"])
        if config.csv_path is None:
            check_task_outputs(DATASETS[config.dataset].task, config.output_activation, config.loss)
    except SettingError as error:
        raise ValueError(f"{name} is damaged: {'config.' + error.field!r}: {error}") from None
    except ValueError as error:
        raise ValueError(f"{name} is damaged: 'config': {error}") from None
    entries = _checked(document, ENTRIES, name)
    sizes, params = entries["sizes"], entries["params"]
    hidden = len(sizes) - 2
    norms = list(config.batch_norm) if len(config.batch_norm) == hidden else [False] * hidden
    layers = mlp_layers(sizes, ["linear"] * hidden, "linear", [0.0] * hidden, norms)
    expected = sum(where.stop - where.start for _, _, where, _ in layout(layers))
    if params.size != expected:
        raise ValueError(f"{name} is damaged: 'params': expected {expected} finite parameters for "
                         f"sizes {sizes}, got {params.size}")
    if list(config.hidden_layers) != sizes[1:-1]:
        raise ValueError(f"{name} is damaged: 'sizes': its hidden layers {sizes[1:-1]} do not match "
                         f"its setting {list(config.hidden_layers)}")
    statistics = entries["statistics"] or [None] * (len(sizes) - 1)
    wanted = [(2, sizes[l + 1]) if l < hidden and config.batch_norm[l] else None
              for l in range(len(sizes) - 1)]
    if [None if s is None else s.shape for s in statistics] != wanted and entries["statistics"]:
        raise ValueError(f"{name} is damaged: 'statistics' do not fit its batch-norm layers")
    return config, params, {"sizes": sizes, "epoch": entries["epoch"], "step": entries["step"],
                            "statistics": statistics}


def _checked(document: dict, table: dict, name: str, where: str = "") -> dict:
    """Each entry of ``table`` read from ``document`` by its check (its default when absent);
    a problem is a ValueError naming the file and the field (``where`` + key)."""
    entries = {}
    for key, (label, check, default) in table.items():
        if key not in document:
            if default is None:
                raise ValueError(f"{name} is damaged: it has no {where + key!r}")
            entries[key] = default
            continue
        try:
            entries[key] = check(label, document[key])
        except ValueError as error:
            raise ValueError(f"{name} is damaged: {where + key!r}: {error}") from None
    return entries


def _network_document(path: Path, name: str, kind: str) -> dict:
    """The parsed file, checked to be ours, of a version this app reads, holding a ``kind`` network."""
    document = _read_json(path, name)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f"{name} is not a Backprop Studio network file")
    if document.get("version") not in READABLE_VERSIONS:
        raise ValueError(f"{name} has format version {document.get('version')!r:.40}; "
                         f"this Backprop Studio reads versions {READABLE_VERSIONS[0]} to {READABLE_VERSIONS[-1]}")
    found = document.get("model", "mlp") if document["version"] >= 2 else "mlp"
    if found not in MODEL_KINDS:
        raise ValueError(f"{name} is damaged: 'model': unknown network kind {found!r:.40}; "
                         f"this Backprop Studio knows {', '.join(MODEL_KINDS)}")
    if found != kind:
        raise ValueError(f"{name} holds a {MODEL_KINDS[found].label}, not a {MODEL_KINDS[kind].label}: "
                         f"open it in {MODEL_KINDS[found].opened_in}")
    return document


# -- convolutional and recurrent networks -------------------------------------------------


@dataclass(frozen=True)
class ModelKind:
    """A kind of network a file can hold: ``network`` is its class (built from the file's
    "network" entry, its constructor's arguments; None for the MLP, built from "config"), and
    ``data`` checks its data entries in "training"."""

    label: str
    opened_in: str
    network: type | None = None
    data: dict | None = None


#: The "training" entries every convolutional or recurrent network file has:
#: name → (what a message calls it, its check, default when absent; None = required).
TRAINING_ENTRIES = {
    "optimizer": ("optimizer", choice(OPTIMIZERS), "adam"),
    "learning_rate": ("learning rate", number(0.0, low_open=True), 0.01),
    "batch_size": ("batch size", integer(1, MAX_BATCH_SIZE), 32),
    "test_ratio": ("test ratio", number(0.0, 0.9), 0.2),
    "data_seed": ("data seed", integer(0, MAX_SEED), 0),
}

MODEL_KINDS = {
    "mlp": ModelKind("multilayer perceptron", "the main window (File ▸ Open network…)"),
    "cnn": ModelKind("convolutional network", "the convolution window (Tools ▸ Convolutional network…)",
                     ConvNet, {"images": ("image set", choice(IMAGE_DATASETS), None)}),
    "rnn": ModelKind("recurrent network", "the recurrent window (Tools ▸ Recurrent network…)",
                     RecurrentNetwork,
                     {"task": ("sequence task", choice(SEQUENCE_TASKS), None),
                      "sequences": ("number of sequences", integer(4, MAX_SAMPLES), None),
                      "steps": ("sequence length", optional(integer(1, 10_000)), None),
                      "delay": ("echo delay", optional(integer(1, 10_000)), None)}),
}


@dataclass(frozen=True)
class SavedModel:
    """A convolutional or recurrent network read from a file, with the data it was trained on."""

    kind: str                       # "cnn" or "rnn"
    net: ConvNet | RecurrentNetwork
    training: dict                  # optimizer, learning_rate, batch_size, test_ratio, data_seed, data entries
    data: Images | SequenceData     # its data, made again from "training"
    epoch: int
    step: int


def make_training_data(kind: str, training: dict) -> Images | SequenceData:
    """The image set or sequence task a file's "training" entry names."""
    if kind == "cnn":
        return load_images(training["images"], training["data_seed"])
    return make_sequence_task(training["task"], training["sequences"], steps=training["steps"],
                              seed=training["data_seed"], delay=training["delay"])


def _kind_of(net: object) -> str:
    for kind, found in MODEL_KINDS.items():
        if found.network is not None and type(net) is found.network:
            return kind
    raise TypeError(f"save_model saves a ConvNet or a RecurrentNetwork, got {type(net).__name__}")


def save_model(path: str | os.PathLike, net: ConvNet | RecurrentNetwork, training: dict,
               epoch: int = 0, step: int = 0) -> None:
    """Write a ConvNet or RecurrentNetwork (its kind, constructor arguments and parameters) and
    ``training`` (the data and optimiser, see ``TRAINING_ENTRIES`` and ``MODEL_KINDS``) to ``path``
    atomically. ``training`` is checked as ``load_model`` checks it: ValueError, nothing written."""
    kind = _kind_of(net)
    training = _checked(training, {**TRAINING_ENTRIES, **MODEL_KINDS[kind].data}, "the setting", "training.")
    document = {"format": FORMAT, "version": VERSION, "model": kind, "network": net.config(),
                "training": training, "params": net.params.tolist(), "epoch": int(epoch), "step": int(step)}
    _write(path, document)


def _constructor_arguments(kind: str):
    names = list(inspect.signature(MODEL_KINDS[kind].network).parameters)

    def check(label: str, value: object) -> dict:
        if not isinstance(value, dict):
            raise ValueError(f"the {label} must be a JSON object of its constructor's arguments")
        missing = [key for key in names if key not in value]
        unknown = [key for key in value if key not in names]
        if missing or unknown:
            raise ValueError(f"the {label} " + (f"lacks {missing[0]!r}" if missing else f"has an unknown entry "
                                                f"{unknown[0]!r:.40}") + f"; it takes {', '.join(names)}")
        return dict(value)
    return check


def _parameter_count(kind: str, network: dict) -> int:
    """How many parameters the network a file describes has, worked out before anything is allocated."""
    if kind == "cnn":
        layers = build_layers(tuple(network["input_shape"]), network["spec"])
    else:
        layers = [Recurrent(network["inputs"], network["hidden"]), Dense(network["hidden"], network["outputs"])]
    return sum(math.prod(shape) for layer in layers for shape in layer.parameter_shapes().values())


def load_model(path: str | os.PathLike, kind: str) -> SavedModel:
    """Read a saved ConvNet (``kind`` "cnn") or RecurrentNetwork ("rnn"), rebuilt with its parameters.

    Everything is checked first, the data it names too; any problem is a one-line ValueError
    naming the file (and the field)."""
    name = Path(path).name
    document = _network_document(Path(path), name, kind)
    model = MODEL_KINDS[kind]
    entries = _checked(document, {"network": ("network", _constructor_arguments(kind), None),
                                  "training": ("training setting", _object, None), **ENTRIES_OF_MODELS}, name)
    training = _checked(entries["training"], {**TRAINING_ENTRIES, **model.data}, name, "training.")
    network, params = entries["network"], entries["params"]
    try:
        expected = _parameter_count(kind, network)
        if params.size != expected:
            raise ValueError(f"it needs {expected} parameters, the file has {params.size}")
        net = model.network(**network)
    except (ValueError, TypeError, OverflowError) as error:
        raise ValueError(f"{name} is damaged: 'network': {error}") from None
    net.params[...] = params
    try:
        data = make_training_data(kind, training)
    except ValueError as error:
        raise ValueError(f"{name} is damaged: 'training': {error}") from None
    shapes = _data_fits(net, data)
    if shapes is not None:
        raise ValueError(f"{name} is damaged: 'training': {shapes}")
    return SavedModel(kind, net, training, data, entries["epoch"], entries["step"])


def _data_fits(net: ConvNet | RecurrentNetwork, data: Images | SequenceData) -> str | None:
    """None when ``net`` takes ``data``; else what does not fit."""
    if isinstance(net, ConvNet):
        if tuple(data.shape) != net.input_shape or len(data.class_names) != net.classes:
            return (f"the network takes {net.input_shape} images in {net.classes} classes; the image set "
                    f"{data.name!r} has {tuple(data.shape)} images in {len(data.class_names)} classes")
        return None
    if (data.n_features, data.n_outputs, data.sequence_output) != (net.inputs, net.outputs, net.sequence_output):
        return (f"the network takes {net.inputs} inputs and gives {net.outputs} outputs "
                f"{'per step' if net.sequence_output else 'per sequence'}; the task {data.name!r} has "
                f"{data.n_features} and {data.n_outputs} {'per step' if data.sequence_output else 'per sequence'}")
    return None


def _object(label: str, value: object) -> dict:
    if not isinstance(value, dict):
        raise ValueError(f"the {label} must be a JSON object")
    return value


#: The entries a convolutional or recurrent network file shares with an MLP's.
ENTRIES_OF_MODELS = {key: ENTRIES[key] for key in ("params", "epoch", "step")}


def _read_json(path: Path, name: str) -> object:
    """The parsed JSON of a regular file; ValueError for anything else (FIFOs and devices unread)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            what = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise ValueError(f"{name}: cannot open it: it is {what}")
        if info.st_size > MAX_FILE_BYTES:
            raise ValueError(f"{name} is not a Backprop Studio network file (it is "
                             f"{info.st_size / 2**20:,.0f} MB; network files are far smaller)")
        text = path.read_bytes().decode("utf-8-sig")
        return json.loads(text)
    except FileNotFoundError:
        raise ValueError(f"{name}: no such file") from None
    except PermissionError:
        raise ValueError(f"{name}: cannot read it (permission denied)") from None
    except RecursionError:
        raise ValueError(f"{name} is not a Backprop Studio network file (its JSON is nested "
                         "too deeply)") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError(f"{name} is not a Backprop Studio network file (not JSON)") from None
    except OSError as error:
        raise ValueError(f"{name}: cannot read it ({error.strerror or error})") from None
    except ValueError as error:
        if str(error).startswith(name):
            raise
        raise ValueError(f"{name} is not a Backprop Studio network file ({error})") from None
