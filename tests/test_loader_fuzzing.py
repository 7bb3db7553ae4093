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
from hypothesis import HealthCheck, event, given, settings
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

clean_cells = st.one_of(st.integers(0, 3).map(str),
                        st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: f"{x:.6g}"))
number_cells = st.one_of(
    st.integers(-5, 5).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["1e308", "-1e308", "1e-320", "0x10", "1_000", " 7 ", "+3", "nan", "-inf"]))
odd_cells = st.one_of(st.text(max_size=6), st.sampled_from(['"', '"a,b"', '""', "", "é", "\x00"]))
cells = st.one_of(number_cells, number_cells, number_cells, odd_cells)
rows = st.lists(cells, min_size=1, max_size=5)


@st.composite
def csv_texts(draw):
    """Mostly well-formed numeric tables, with a few odd rows, cells, line ends and delimiters."""
    delimiter = draw(st.sampled_from([",", ",", ";", "\t"]))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    header = draw(st.booleans())
    width = draw(st.integers(1, 4))
    clean_row = st.lists(clean_cells, min_size=width, max_size=width)
    odd_row = st.one_of(st.lists(number_cells, min_size=width, max_size=width), rows)
    body = draw(st.lists(clean_row, min_size=draw(st.sampled_from([0, 4, 4])), max_size=14))
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):
        body.insert(draw(st.integers(0, len(body))), draw(odd_row))
    lines = ([[f"c{j}" for j in range(width)]] if header else []) + body
    return newline.join(delimiter.join(row) for row in lines) + draw(st.sampled_from(["", newline]))


@st.composite
def csv_bytes(draw):
    kind = draw(st.sampled_from(["table"] * 6 + ["text", "binary"]))
    if kind == "binary":
        return draw(st.binary(max_size=200))
    text = draw(csv_texts() if kind == "table" else st.text(max_size=200))
    encoding = draw(st.sampled_from(["utf-8"] * 4 + ["utf-8-sig", "utf-16", "utf-16-le", "latin-1"]))
    return text.encode(encoding, errors="replace")


@FUZZ
@given(content=csv_bytes(),
       target=st.one_of(st.sampled_from([None] * 6 + [-1, 0, 1, 5, "c0", "c1", "c3", " c1", "zz"]),
                        st.text(max_size=4), st.integers()),
       task=st.sampled_from([None] * 4 + list(TASK_CHOICES)))
def test_a_csv_file_loads_or_is_refused_in_one_line(folder, content, target, task):
    path = folder / "data.csv"
    path.write_bytes(content)
    try:
        data = load_csv(path, target=target, task=task)
    except ValueError as error:
        event("refused")
        assert one_line(error), repr(str(error))
        assert str(error).startswith("data.csv") or "target" in str(error) or "task" in str(error)
        return
    event("loaded")
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
        event("refused")
        assert one_line(error), repr(str(error))
        assert str(error).startswith("net.json"), str(error)
        return
    event("loaded")
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


# -- the window: a refused file changes nothing -----------------------------------------

@pytest.fixture(scope="module")
def fuzzed_window(qapp, folder):
    from PySide6.QtCore import QSettings

    from gui.window import network_files
    from gui.main_window import MainWindow

    window = MainWindow(ExperimentConfig(dataset="xor", hidden_layers=(3,), samples=20, seed=5),
                        settings=QSettings(str(folder / "settings.ini"), QSettings.IniFormat))
    errors = []
    window.show_error = lambda title, text: errors.append(text)
    chosen = network_files.choose_open_path
    network_files.choose_open_path = lambda w: str(folder / "window.json")
    yield window, errors
    network_files.choose_open_path = chosen
    window.close()
    assert window.controller.thread is None


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(document=damaged_documents())
def test_the_window_keeps_all_it_shows_when_it_refuses_a_file(fuzzed_window, folder, document):
    from PySide6.QtGui import QAction
    window, errors = fuzzed_window
    (folder / "window.json").write_text(json.dumps(document))
    errors.clear()
    experiment, config = window.experiment, window.config
    params, seed_shown = window.current_network().params.copy(), window.control_panel.training.seed.value()
    window.findChild(QAction, "actionOpenNetwork").trigger()
    event("refused" if errors else "opened")
    if errors:                                   # refused: one message, everything as it was
        assert len(errors) == 1 and errors[0].startswith("window.json")
        assert window.experiment is experiment and window.config == config
        np.testing.assert_array_equal(window.current_network().params, params)
        assert window.control_panel.training.seed.value() == seed_shown
    else:                                        # opened: the window shows the file
        loaded, loaded_params, _ = serialization.load(folder / "window.json")
        assert window.config == loaded and window.control_panel.training.seed.value() == loaded.seed
        np.testing.assert_array_equal(window.current_network().params, loaded_params)
