"""CSV loading, task detection, standardization and error messages (model/csv_data.py)."""
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from model.csv_data import Standardizer, load_csv

SAMPLES = Path(__file__).resolve().parent.parent / "resources" / "samples"


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HEADER_CSV = "age,height,label\n1,10,0\n2,20,1\n3,30,0\n4,40,1\n5,50,1\n"


def test_header_binary_defaults_to_last_column(tmp_path):
    data = load_csv(write(tmp_path, HEADER_CSV))
    assert data.name == "data" and data.task == "binary"
    assert data.feature_names == ("age", "height") and data.class_names == ("0", "1")
    assert data.points.shape == (5, 2) and data.targets.shape == (5, 1)
    np.testing.assert_array_equal(data.labels, [0, 1, 0, 1, 1])
    np.testing.assert_allclose(data.points.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(data.points.std(axis=0), 1)
    np.testing.assert_allclose(data.standardizer.mean, [3, 30])


def test_no_header_and_target_by_index(tmp_path):
    path = write(tmp_path, "1.5,7,0.25\n2.5,8,0.5\n3.5,9,0.75\n4.5,7,1.5\n\n\n")
    data = load_csv(path, target=0)
    assert data.task == "regression" and data.feature_names == ("x1", "x2")
    np.testing.assert_array_equal(data.targets[:, 0], [1.5, 2.5, 3.5, 4.5])  # not standardized
    np.testing.assert_allclose(data.standardizer.inverse(data.points),
                               [[7, 0.25], [8, 0.5], [9, 0.75], [7, 1.5]])
    same = load_csv(path, target=-3)
    np.testing.assert_array_equal(same.points, data.points)
    by_middle = load_csv(path, target=1)  # 7, 8, 9: three integer values
    assert by_middle.task == "multiclass" and by_middle.feature_names == ("x1", "x2")


def test_target_by_name_whitespace_semicolons_and_bom(tmp_path):
    text = "\ufeff a ; b ; kind \n 1 ; 5 ; 2\n2;6;3\n 3;7;2 \n4;8;4\n"
    data = load_csv(write(tmp_path, text), target="a")
    assert data.feature_names == ("b", "kind") and data.task == "multiclass"
    assert data.class_names == ("1", "2", "3", "4") and data.targets.shape == (4, 4)
    np.testing.assert_array_equal(data.labels, [0, 1, 2, 3])
    multi = load_csv(write(tmp_path, text), target="kind")
    assert multi.class_names == ("2", "3", "4")
    np.testing.assert_array_equal(multi.labels, [0, 1, 0, 2])
    np.testing.assert_array_equal(multi.targets.sum(axis=1), 1)


def test_task_detection_and_forcing(tmp_path):
    ints = "x,y\n" + "".join(f"{i},{i % 11}\n" for i in range(30))
    assert load_csv(write(tmp_path, ints)).task == "regression"  # 11 distinct values
    assert load_csv(write(tmp_path, ints), task="classification").task == "multiclass"
    floats = "x,y\n1,0.5\n2,1.5\n3,0.5\n4,1.5\n"
    assert load_csv(write(tmp_path, floats)).task == "regression"
    forced = load_csv(write(tmp_path, floats), task="binary")
    assert forced.class_names == ("0.5", "1.5") and list(forced.labels) == [0, 1, 0, 1]
    signs = "x,y\n1,-1\n2,1\n3,1\n4,-1\n"
    data = load_csv(write(tmp_path, signs))
    assert data.task == "binary" and data.class_names == ("-1", "1")
    np.testing.assert_array_equal(data.targets[:, 0], [0, 1, 1, 0])
    assert load_csv(write(tmp_path, signs), task="multiclass").targets.shape == (4, 2)
    assert load_csv(write(tmp_path, signs), task="regression").targets[0, 0] == -1


def test_constant_feature_gets_scale_one(tmp_path):
    data = load_csv(write(tmp_path, "a,b,y\n0.1,1,0\n0.1,2,1\n0.1,3,0\n0.1,4,1\n"))
    assert data.standardizer.scale[0] == 1.0
    np.testing.assert_allclose(data.points[:, 0], 0, atol=1e-12)


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(2, 20), st.integers(1, 4)),
              elements=st.floats(-1e6, 1e6)))
def test_standardizer_round_trip(X):
    standardizer = Standardizer.fit(X)
    Z = standardizer.transform(X)
    np.testing.assert_allclose(standardizer.inverse(Z), X, rtol=1e-9, atol=1e-6)
    assert np.all(standardizer.scale > 0)
    assert np.all(np.abs(Z.mean(axis=0)) < 1e-6)


def test_standardizer_checks_width():
    with pytest.raises(ValueError, match="2 columns"):
        Standardizer.fit(np.ones((3, 2))).transform(np.ones((3, 3)))


@pytest.mark.parametrize("text, kwargs, message", [
    ("", {}, r"data\.csv: the file is empty"),
    ("\n  \n", {}, "empty"),
    (",,\n , ,\n", {}, "empty"),
    ("a,b,c\n1,2,3\n4,abc,6\n7,8,9\n1,1,1\n", {}, r"data\.csv, row 3, column 'b': 'abc' is not a number"),
    ("1,2,3\n4,5,6\n7,8,x\n1,1,1\n2,2,2\n", {}, r"row 3, column 3: 'x' is not a number"),
    ("a,b,c\n1,2,3\n4,5\n7,8,9\n1,1,1\n", {}, r"row 3: has 2 cells, expected 3"),
    ("a,b,c\n1,2,3\n4,5,6,7\n7,8,9\n1,1,1\n", {}, r"row 3: has 4 cells, expected 3"),
    ("a,b,c\n1,2,3\n\n4,5,nan\n7,8,9\n1,1,1\n", {}, r"row 4, column 'c': 'nan' is not a finite"),
    ("a,b,c\n1,inf,3\n4,5,6\n7,8,9\n1,1,1\n", {}, r"row 2, column 'b': 'inf' is not a finite"),
    ("a,b,c\n1,2,3\n4,,6\n7,8,9\n1,1,1\n", {}, r"row 3, column 'b': empty cell"),
    ("a,b,c\n1,2,3\n4,5,6\n7,8,9\n", {}, r"data\.csv: only 3 rows of data, at least 4"),
    ("a,y\n1,1\n2,1\n3,1\n4,1\n", {}, r"target column 'y' has a single class \(1\)"),
    ("a,y\n1,0.5\n2,0.5\n3,0.5\n4,0.5\n", {"task": "classification"}, "single class"),
    ("a,y\n1,1\n2,2\n3,3\n4,1\n", {"task": "binary"}, "has 3 classes, binary needs exactly 2"),
    ("a,b\n1,2\n3,4\n5,6\n7,8\n", {"target": "price"}, r"target 'price' is not a column; columns are a, b"),
    ("1,2\n3,4\n5,6\n7,8\n", {"target": "price"}, "no header row"),
    ("a,b\n1,2\n3,4\n5,6\n7,8\n", {"target": 2}, r"index 2 is out of range \(the file has 2 columns\)"),
    ("a,b\n1,2\n3,4\n5,6\n7,8\n", {"target": -3}, "out of range"),
    ("a,a\n1,2\n3,4\n5,6\n7,8\n", {"target": "a"}, "appears more than once"),
    ("y\n1\n2\n3\n4\n5\n", {}, r"data\.csv: only one column"),
    ("a,b\n1,2\n3,4\n5,6\n7,8\n", {"task": "ranking"}, "task must be"),
    ("a,b\n1,2\n3,4\n5,6\n7,8\n", {"target": 1.0}, "target must be"),
])
def test_bad_files_raise_value_error_naming_the_place(tmp_path, text, kwargs, message):
    with pytest.raises(ValueError, match=message):
        load_csv(write(tmp_path, text), **kwargs)


def test_too_many_classes_when_forced(tmp_path):
    text = "x,y\n" + "".join(f"{i},{i}\n" for i in range(60))
    with pytest.raises(ValueError, match="60 distinct values"):
        load_csv(write(tmp_path, text), task="classification")


def test_missing_folder_and_binary_files(tmp_path):
    with pytest.raises(ValueError, match=r"nowhere\.csv: file not found"):
        load_csv(tmp_path / "nowhere.csv")
    with pytest.raises(ValueError, match="folder"):
        load_csv(tmp_path)
    png = tmp_path / "image.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(ValueError, match=r"image\.csv: not a CSV text file"):
        load_csv(png)


def test_latin1_header_is_accepted(tmp_path):
    path = tmp_path / "old.csv"
    path.write_bytes("température,y\n1,0\n2,1\n3,0\n4,1\n".encode("latin-1"))
    assert load_csv(str(path)).feature_names == ("température",)


@pytest.mark.parametrize("name, task, n, d, classes", [
    ("iris_like.csv", "multiclass", 150, 4, ("0", "1", "2")),
    ("housing_like.csv", "regression", 200, 4, ()),
])
def test_sample_files_load(name, task, n, d, classes):
    path = SAMPLES / name
    assert path.stat().st_size < 8000
    data = load_csv(path)
    assert (data.task, data.points.shape, data.class_names) == (task, (n, d), classes)
    np.testing.assert_allclose(data.points.mean(axis=0), 0, atol=1e-12)
    if task == "multiclass":
        assert np.all(np.bincount(data.labels) == 50)
    split = data.split(0.2, seed=0)
    assert len(split.train_points) == round(n * 0.8)


def test_a_huge_feature_column_is_named_as_overflowing(tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text("age,income,y\n1,1e308,0\n2,-1e308,1\n3,1e308,0\n4,-1e308,1\n")
    with pytest.raises(ValueError, match=r"^huge.csv: column 'income' overflows: .* rescale"):
        load_csv(path)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_called_utf16_with_how_to_save_as_utf8(tmp_path, encoding):
    path = tmp_path / "excel.csv"
    path.write_bytes("a,b,y\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n".encode(encoding))
    with pytest.raises(ValueError, match=r"^excel.csv: the file is UTF-16 text, not UTF-8; save it "
                                         r"again as UTF-8"):
        load_csv(path)


@pytest.mark.parametrize("text, row", [
    ('a,b\n1,2\n"3,4\n5,6\n7,8\n9,10\n', 3),
    ('a,b\n1,2\n3,4\n5,6\n7,"8\n', 5),
    ('a,b\n\n1,2\n\n"3,4\n5,6\n', 5),
])
def test_an_unclosed_quote_is_reported_at_its_row(tmp_path, text, row):
    path = tmp_path / "quote.csv"
    path.write_text(text)
    with pytest.raises(ValueError, match=rf"^quote.csv, row {row}: a quoted cell runs over several "
                                         r"lines \(is a closing quote \" missing\?\)$"):
        load_csv(path)


def test_rows_are_still_numbered_as_a_spreadsheet_shows_them(tmp_path):
    path = tmp_path / "gap.csv"
    path.write_text('a,b\n\n1,2\n"3",4\n5,x\n7,8\n')
    with pytest.raises(ValueError, match=r"^gap.csv, row 5, column 'b': 'x' is not a number$"):
        load_csv(path)


def test_a_fifo_or_a_device_is_refused_without_reading_it(tmp_path):
    import os
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)                    # opening it to read would block for ever
    for path in (fifo, "/dev/zero"):   # /dev/zero would never end
        with pytest.raises(ValueError, match="not a regular file"):
            load_csv(path)


def test_old_mac_line_ends_are_read(tmp_path):
    """Bare \\r line ends (old spreadsheet exports) were refused as 'new-line character seen'."""
    path = tmp_path / "mac.csv"
    path.write_bytes(b"a,b,y\r1,2,0\r3,4,1\r5,6,0\r7,x,1\r")
    with pytest.raises(ValueError, match=r"^mac.csv, row 5, column 'b': 'x' is not a number$"):
        load_csv(path)
    path.write_bytes(b"a,b,y\r1,2,0\r3,4,1\r5,6,0\r7,8,1\r")
    assert load_csv(path).n_samples == 4


LAYOUTS = {
    "comma, header": "a,b,y\n{rows}",
    "semicolons, CRLF": "a;b;y\r\n{rows}",
    "old Mac line ends": "a,b,y\r{rows}",
    "no header, blank lines": "\n\n{rows}\n\n",
    "spaces around cells": " a , b , y \n{rows}",
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_numpy_chunks_read_what_the_row_by_row_parser_reads(tmp_path, monkeypatch, layout):
    """The fast path (np.loadtxt, chunk by chunk) against the careful csv-module parser it stands in for."""
    import model.csv_data as csv_data
    rng = np.random.default_rng(1)
    values = np.column_stack([rng.normal(size=(300, 2)).round(4), rng.integers(0, 3, 300)])
    text = LAYOUTS[layout]
    separator = ";" if "semicolons" in layout else ","
    line_end = "\r\n" if "CRLF" in layout else "\r" if "Mac" in layout else "\n"
    cells = (lambda row: " , ".join(map(repr, row))) if "spaces" in layout else \
        (lambda row: separator.join(map(repr, row)))
    rows = line_end.join(cells(row) for row in values.tolist())
    if "blank" in layout:
        rows = rows.replace("\n", "\n\n", 7)
    path = tmp_path / "data.csv"
    path.write_bytes(text.format(rows=rows).encode())
    monkeypatch.setattr(csv_data, "CHUNK_CHARS", 500)           # many chunks, boundaries inside rows
    shares = []
    loading = csv_data.csv_loading(path)
    while True:
        try:
            shares.append(next(loading))
        except StopIteration as done:
            fast = done.value
            break
    monkeypatch.setattr(csv_data, "_fast_values", lambda *args: iter(()))   # returns None: careful path
    careful = load_csv(path)
    assert np.array_equal(fast.points, careful.points) and np.array_equal(fast.targets, careful.targets)
    assert fast.feature_names == careful.feature_names and fast.n_samples == 300
    assert shares == sorted(shares) and shares[-1] == 1.0
    if "Mac" not in layout:                     # a file without \n is one piece
        assert len(shares) > 10


def test_a_load_stops_when_its_caller_stops_asking(tmp_path, monkeypatch):
    import model.csv_data as csv_data
    path = tmp_path / "data.csv"
    path.write_text("a,b,y\n" + "".join(f"{i},{i % 7},{i % 2}\n" for i in range(2000)))
    monkeypatch.setattr(csv_data, "CHUNK_CHARS", 1000)
    parsed = []
    real = np.loadtxt
    monkeypatch.setattr(csv_data.np, "loadtxt", lambda *a, **k: parsed.append(1) or real(*a, **k))
    loading = csv_data.csv_loading(path)
    next(loading), next(loading)
    loading.close()                             # Cancel
    assert len(parsed) == 2
