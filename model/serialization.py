"""Save and load a trained network with the setting that made it (JSON).

File layout::

    {"format": "backprop-studio", "version": 1,
     "config": ExperimentConfig.to_dict(),
     "sizes": [2, 8, 8, 1],
     "params": [... net.params, flat ...],
     "epoch": 300, "step": 7500}

``load`` checks the whole file before it returns anything: a file that is not
ours, is damaged or was edited into nonsense raises ``ValueError`` with one
line naming the file and the field. Entries are checked by the table
``ENTRIES`` (and the setting by ``ExperimentConfig.from_dict``'s), so a new
entry is one row. ``save`` writes atomically.
"""
from __future__ import annotations

import json
import os
import secrets
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import numpy as np

from .config import ExperimentConfig, SettingError, check_task_outputs, integer
from .datasets import DATASETS
from .divergence import WEIGHT_LIMIT, largest_weights
from .networks import Network

FORMAT = "backprop-studio"
VERSION = 1
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


#: Entries of a network file besides format, version and config:
#: name → (what a message calls it, its check, default when absent; None = required).
ENTRIES = {
    "sizes": ("layer sizes", _sizes, None),
    "params": ("parameters", _parameters, None),
    "epoch": ("epoch", integer(0, MAX_COUNT), 0),
    "step": ("step count", integer(0, MAX_COUNT), 0),
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


def save(path: str | os.PathLike, config: ExperimentConfig, net: Network,
         epoch: int = 0, step: int = 0) -> None:
    """Write ``config`` and ``net``'s parameters to ``path`` atomically."""
    document = {"format": FORMAT, "version": VERSION, "config": config.to_dict(),
                "sizes": list(net.sizes), "params": net.params.tolist(),
                "epoch": int(epoch), "step": int(step)}
    with written_atomically(path) as temporary:
        with open(temporary, "w", encoding="utf-8") as stream:
            json.dump(document, stream)


def load(path: str | os.PathLike) -> tuple[ExperimentConfig, np.ndarray, dict]:
    """Read a saved network: (config, flat parameters, {"sizes", "epoch", "step"}).

    Everything is checked first; any problem is a one-line ValueError naming
    the file (and the field).
    """
    name = Path(path).name
    document = _read_json(Path(path), name)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f"{name} is not a Backprop Studio network file")
    if document.get("version") != VERSION:
        raise ValueError(f"{name} has format version {document.get('version')!r:.40}; "
                         f"this Backprop Studio reads version {VERSION}")
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
    entries = {}
    for key, (label, check, default) in ENTRIES.items():
        if key not in document:
            if default is None:
                raise ValueError(f"{name} is damaged: it has no {key!r}")
            entries[key] = default
            continue
        try:
            entries[key] = check(label, document[key])
        except ValueError as error:
            raise ValueError(f"{name} is damaged: {key!r}: {error}") from None
    sizes, params = entries["sizes"], entries["params"]
    expected = sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))
    if params.size != expected:
        raise ValueError(f"{name} is damaged: 'params': expected {expected} finite parameters for "
                         f"sizes {sizes}, got {params.size}")
    if list(config.hidden_layers) != sizes[1:-1]:
        raise ValueError(f"{name} is damaged: 'sizes': its hidden layers {sizes[1:-1]} do not match "
                         f"its setting {list(config.hidden_layers)}")
    return config, params, {"sizes": sizes, "epoch": entries["epoch"], "step": entries["step"]}


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
