"""Save and load a trained network with the setting that made it (JSON).

File layout::

    {"format": "backprop-studio", "version": 1,
     "config": ExperimentConfig.to_dict(),
     "sizes": [2, 8, 8, 1],
     "params": [... net.params, flat ...],
     "epoch": 300, "step": 7500}

A file that is not ours, or is damaged, raises ``ValueError`` saying so;
nothing is half-loaded.
"""
from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path

import numpy as np

from .config import ExperimentConfig
from .networks import Network

FORMAT = "backprop-studio"
VERSION = 1


def save(path: str | os.PathLike, config: ExperimentConfig, net: Network,
         epoch: int = 0, step: int = 0) -> None:
    """Write ``config`` and ``net``'s parameters to ``path`` atomically."""
    document = {"format": FORMAT, "version": VERSION, "config": config.to_dict(),
                "sizes": list(net.sizes), "params": net.params.tolist(),
                "epoch": int(epoch), "step": int(step)}
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".",
                                         prefix=".saving-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(document, stream)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def load(path: str | os.PathLike) -> tuple[ExperimentConfig, np.ndarray, dict]:
    """Read a saved network: (config, flat parameters, {"sizes", "epoch", "step"})."""
    name = Path(path).name
    try:
        text = Path(path).read_text(encoding="utf-8")
        document = json.loads(text)
    except FileNotFoundError:
        raise ValueError(f"{name}: no such file") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError(f"{name} is not a Backprop Studio network file (not JSON)") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f"{name} is not a Backprop Studio network file")
    if document.get("version") != VERSION:
        raise ValueError(f"{name} has format version {document.get('version')!r}; "
                         f"this Backprop Studio reads version {VERSION}")
    try:
        config = ExperimentConfig.from_dict(document["config"])
        params = np.asarray(document["params"], dtype=np.float64)
        sizes = [int(s) for s in document["sizes"]]
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"{name} is damaged: {error}") from None
    expected = sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))
    if params.ndim != 1 or params.size != expected or not all(map(math.isfinite, params)):
        raise ValueError(f"{name} is damaged: expected {expected} finite parameters for sizes {sizes}")
    if list(config.hidden_layers) != sizes[1:-1]:
        raise ValueError(f"{name} is damaged: its hidden layers {sizes[1:-1]} do not match its "
                         f"setting {list(config.hidden_layers)}")
    return config, params, {"sizes": sizes, "epoch": int(document.get("epoch", 0)),
                            "step": int(document.get("step", 0))}
