"""Property-based tests: generated CSV texts and network files thrown at the loaders.

The contract: a loader returns a result or raises ValueError with a one-line
message — never another exception, never a hang.
"""
import json
import math
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import serialization
from model.config import ExperimentConfig
from model.csv_data import TASK_CHOICES, load_csv
from model.experiment import build

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def one_line(error: ValueError) -> bool:
    message = str(error)
    return bool(message.strip()) and "\n" not in message and "\r" not in message


# -- CSV ----------------------------------------------------------------------------

number_cells = st.one_of(
    st.integers(-5, 5).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["1e308", "-1e308", "1e-320", "0x10", "1_000", " 7 ", "+3", "nan", "-inf"]))
odd_cells = st.one_of(st.text(max_size=6), st.sampled_from(['"', '"a,b"', '""', "", "é", "\x00"]))
cells = st.one_of(number_cells, number_cells, number_cells, odd_cells)
rows = st.lists(cells, min_size=1, max_size=5)


@st.composite
def csv_texts(draw):
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    header = draw(st.booleans())
    width = draw(st.integers(1, 4))
    body = draw(st.lists(st.one_of(st.lists(number_cells, min_size=width, max_size=width), rows),
                         min_size=0, max_size=12))
    lines = ([[f"c{j}" for j in range(width)]] if header else []) + body
    return newline.join(delimiter.join(row) for row in lines) + draw(st.sampled_from(["", newline]))


@st.composite
def csv_bytes(draw):
    text = draw(st.one_of(csv_texts(), st.text(max_size=200)))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1"]))
    data = text.encode(encoding, errors="replace")
    return draw(st.one_of(st.just(data), st.binary(max_size=200)))


@FUZZ
@given(content=csv_bytes(), target=st.one_of(st.none(), st.integers(-5, 5), st.text(max_size=4),
                                              st.sampled_from(["c0", "c1", "c3"])),
       task=st.one_of(st.none(), st.sampled_from(TASK_CHOICES)))
def test_a_csv_file_loads_or_is_refused_in_one_line(folder, content, target, task):
    path = folder / "data.csv"
    path.write_bytes(content)
    try:
        data = load_csv(path, target=target, task=task)
    except ValueError as error:
        assert one_line(error), repr(str(error))
        assert str(error).startswith("data.csv") or "target" in str(error) or "task" in str(error)
        return
    assert data.n_samples >= 4 and np.all(np.isfinite(data.points))
    assert np.all(np.isfinite(data.targets))


# -- network files ------------------------------------------------------------------

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70),
              st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8)),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children,
                                                                       max_size=4),
    max_leaves=12)


def valid_document() -> dict:
    experiment = build(ExperimentConfig(dataset="xor", hidden_layers=(3,), samples=20))
    return {"format": "backprop-studio", "version": 1, "config": experiment.config.to_dict(),
            "sizes": list(experiment.net.sizes), "params": experiment.net.params.tolist(),
            "epoch": 2, "step": 4}


VALID = valid_document()
TOP_KEYS = sorted(VALID)
CONFIG_KEYS = sorted(VALID["config"])


@st.composite
def damaged_documents(draw):
    document = json.loads(json.dumps(VALID))
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(["top", "config", "param"]))
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if where == "param":
            params = document.get("params")
            if isinstance(params, list) and params:
                params[draw(st.integers(0, len(params) - 1))] = draw(json_values)
            continue
        target = document if where == "top" else document.get("config")
        if not isinstance(target, dict):
            continue
        key = draw(st.sampled_from(TOP_KEYS if where == "top" else CONFIG_KEYS))
        if action == "delete":
            target.pop(key, None)
        elif action == "add":
            target[draw(st.text(max_size=6))] = draw(json_values)
        else:
            target[key] = draw(json_values)
    return document


@FUZZ
@given(document=damaged_documents(), bom=st.booleans())
def test_a_damaged_network_file_loads_or_is_refused_in_one_line(folder, document, bom):
    path = folder / "net.json"
    path.write_text(("\ufeff" if bom else "") + json.dumps(document), encoding="utf-8")
    try:
        config, params, info = serialization.load(path)
    except ValueError as error:
        assert one_line(error), repr(str(error))
        assert str(error).startswith("net.json"), str(error)
        return
    assert isinstance(config, ExperimentConfig)
    assert params.dtype == np.float64 and np.all(np.isfinite(params))
    assert all(isinstance(info[key], int) and info[key] >= 0 for key in ("epoch", "step"))
    assert all(isinstance(s, int) and s >= 1 for s in info["sizes"])


@FUZZ
@given(content=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode),
                         json_values.map(lambda v: json.dumps(v).encode())))
def test_any_bytes_as_a_network_file_are_refused_in_one_line(folder, content):
    path = folder / "any.json"
    path.write_bytes(content)
    with pytest.raises(ValueError) as caught:
        serialization.load(path)
    assert one_line(caught.value) and str(caught.value).startswith("any.json")


def test_the_valid_document_of_the_fuzzers_loads(folder):
    path = folder / "valid.json"
    path.write_text(json.dumps(VALID))
    config, params, info = serialization.load(path)
    assert info == {"sizes": VALID["sizes"], "epoch": 2, "step": 4}
    assert math.isclose(params[0], VALID["params"][0])
