"""Load a numeric CSV file as a ``Data`` set, with standardized features.

One column is the target (by header name or index, default the last); the
others are features, standardized to x' = (x − mean) / scale with scale the
population std (1 for a constant column). Every problem with the file raises
``ValueError`` naming the file, the row (1-based, as a spreadsheet shows it)
and the column, e.g. ``data.csv, row 7, column 'age': 'abc' is not a number``.

    data = load_csv("data.csv")                  # at once
    loading = csv_loading("big.csv")             # step by step: yields the share parsed, 0 … 1,
    for share in loading: ...                    # returns the Data; stop iterating to cancel

A clean numeric file is parsed by NumPy (``np.loadtxt``) in chunks of about
``CHUNK_CHARS`` characters — the unit of progress and of cancelling; a file
with any problem is parsed again row by row, which finds the row and column
to name.
"""
from __future__ import annotations

import codecs
import csv
import io
import math
import os
import stat
from dataclasses import dataclass
from numbers import Integral
from pathlib import Path
from typing import Generator, Iterator

import numpy as np

from .datasets import Data

Array = np.ndarray
TASK_CHOICES = ("classification", "binary", "multiclass", "regression")
MAX_DETECTED_CLASSES = 10   # an integer target with more distinct values is regression
MAX_CLASSES = 50            # even when classification is forced
CHUNK_CHARS = 2_000_000     # parsed per step of a load: about 50,000 rows of a few numbers


@dataclass(frozen=True, eq=False)
class Standardizer:
    """Per-column affine map x' = (x − mean) / scale; ``mean`` and ``scale`` are (d,)."""

    mean: Array
    scale: Array

    @classmethod
    def fit(cls, X: Array) -> Standardizer:
        """Column mean and population std of X (n, d); a (near-)constant column gets scale 1."""
        X = np.asarray(X, dtype=np.float64)
        mean, std = X.mean(axis=0), X.std(axis=0)
        constant = std <= 1e-12 * np.maximum(1.0, np.abs(mean))
        return cls(mean, np.where(constant, 1.0, std))

    def transform(self, X: Array) -> Array:
        """(n, d) in file units -> (n, d) standardized."""
        return (self._checked(X) - self.mean) / self.scale

    def inverse(self, X: Array) -> Array:
        """(n, d) standardized -> (n, d) in file units."""
        return self._checked(X) * self.scale + self.mean

    def _checked(self, X: Array) -> Array:
        X = np.asarray(X, dtype=np.float64)
        if X.shape[-1:] != self.mean.shape:
            raise ValueError(f"expected {self.mean.shape[0]} columns, got shape {X.shape}")
        return X

    def __repr__(self) -> str:
        return f"Standardizer(d={self.mean.shape[0]})"


def _read_text(path: Path) -> str:
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise ValueError(f"{path.name}: is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):      # a FIFO would block, /dev/zero never end
            raise ValueError(f"{path.name}: not a regular file ({path} is a device, pipe or socket); "
                             "save the data to a CSV file and open that")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ValueError(f"{path.name}: file not found ({path})") from None
    except OSError as error:
        raise ValueError(f"{path.name}: cannot read the file ({error.strerror or error})") from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(raw):
        raise ValueError(f"{path.name}: the file is UTF-16 text, not UTF-8; save it again as "
                         "UTF-8 (in a spreadsheet: Save as \"CSV UTF-8\"; or "
                         "iconv -f UTF-16 -t UTF-8)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # old spreadsheet exports; binary is caught below
    if "\x00" in text or sum(ch < " " and ch not in "\t\r\n\f" for ch in text[:4096]) > 0:
        raise ValueError(f"{path.name}: not a CSV text file (it contains binary data)")
    return text


def _looks_utf16(raw: bytes) -> bool:
    """UTF-16 without a byte-order mark: ASCII text with a zero byte beside every character."""
    head = raw[:4096]
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    return max(even.count(0), odd.count(0)) > 0.9 * (len(head) // 2)


def _delimiter(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in ",;\t"}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _read_rows(name: str, text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """(spreadsheet row number where the row starts, stripped cells); blank rows skipped.

    A quote that is never closed swallows the rest of the file into one cell:
    that is reported at the row where the quote opens.
    """
    # newline=None: bare \r line ends (old Mac exports) read like \n
    reader = csv.reader(io.StringIO(text, newline=None), delimiter=delimiter)
    rows, start = [], 1
    try:
        for row in reader:
            if any("\n" in cell or "\r" in cell for cell in row):
                raise ValueError(f"{name}, row {start}: a quoted cell runs over several lines "
                                 "(is a closing quote \" missing?)")
            if any(cell.strip() for cell in row):
                rows.append((start, [cell.strip() for cell in row]))
            start = reader.line_num + 1
    except csv.Error as error:
        raise ValueError(f"{name}, row {start}: not valid CSV ({error})") from None
    return rows


def _parse_rows(name: str, text: str) -> tuple[list[str], Array, bool]:
    """Column names (from the header, else x1..xd), the (n, d) values, and has_header."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise ValueError(f"{name}: the file is empty")
    rows = _read_rows(name, text, _delimiter(lines[0]))
    if not rows:
        raise ValueError(f"{name}: the file is empty (no cells with values)")
    first = rows[0][1]
    has_header = any(not _is_number(cell) for cell in first)
    header = ([cell or f"column {j + 1}" for j, cell in enumerate(first)] if has_header
              else [f"x{j + 1}" for j in range(len(first))])
    columns = len(first)
    values = []
    for row_number, cells in rows[1:] if has_header else rows:
        if len(cells) != columns:
            raise ValueError(f"{name}, row {row_number}: has {len(cells)} cells, expected {columns}")
        numbers = []
        for j, cell in enumerate(cells):
            where = f"{name}, row {row_number}, column {repr(header[j]) if has_header else j + 1}"
            if not cell:
                raise ValueError(f"{where}: empty cell, a number is needed")
            if not _is_number(cell):
                raise ValueError(f"{where}: {cell!r} is not a number")
            number = float(cell)
            if not math.isfinite(number):
                raise ValueError(f"{where}: {cell!r} is not a finite number")
            numbers.append(number)
        values.append(numbers)
    _check_shape(name, len(values), columns)
    return header, np.array(values, dtype=np.float64), has_header


def _target_index(name: str, header: list[str], target: str | int | None, has_header: bool) -> int:
    columns = len(header)
    if target is None:
        return columns - 1
    if isinstance(target, Integral) and not isinstance(target, bool):
        if not -columns <= target < columns:
            raise ValueError(f"{name}: target column index {target} is out of range "
                             f"(the file has {columns} columns)")
        return int(target) % columns
    if isinstance(target, str):
        if not has_header:
            raise ValueError(f"{name}: the file has no header row, so give the target "
                             f"column by index, not by name {target!r}")
        matches = [j for j, column in enumerate(header) if column == target.strip()]
        if len(matches) == 1:
            return matches[0]
        problem = "appears more than once" if matches else "is not a column"
        raise ValueError(f"{name}: target {target!r} {problem}; columns are {', '.join(header)}")
    raise ValueError(f"target must be a column name, an index or None, got {target!r}")


def _class_name(value: float) -> str:
    return str(int(value)) if value.is_integer() else f"{value:g}"


def _detect_task(values: Array) -> str:
    integral = bool(np.all(values == np.round(values)))
    if integral and len(np.unique(values)) <= MAX_DETECTED_CLASSES:
        return "classification"
    return "regression"


@dataclass(frozen=True)
class _FirstRow:
    line: str                 # the first non-blank line, as in the file
    cells: list[str]          # its stripped cells
    names: list[str]          # the column names (from a header, else x1 … xd)


def _header(name: str, text: str) -> tuple[_FirstRow, bool, int]:
    """The first non-blank row, whether it is a header (any cell not a number), and where the
    data rows start in ``text``."""
    start = 0
    for line in io.StringIO(text, newline=""):
        if line.strip():
            break
        start += len(line)
    else:
        raise ValueError(f"{name}: the file is empty")
    end = start + len(line)
    line = line.rstrip("\r\n")
    cells = next(csv.reader([line], delimiter=_delimiter(line)), [])
    cells = [cell.strip() for cell in cells]
    has_header = any(not _is_number(cell) for cell in cells)
    names = ([cell or f"column {j + 1}" for j, cell in enumerate(cells)] if has_header
             else [f"x{j + 1}" for j in range(len(cells))])
    return _FirstRow(line, cells, names), has_header, end if has_header else start


def _fast_values(text: str, start: int, delimiter: str, columns: int
                 ) -> Generator[float, None, Array | None]:
    """The (n, columns) numbers of ``text[start:]`` parsed by NumPy chunk by chunk, yielding the
    share done; None when anything is off (a cell that is not a finite number, a short row,
    quotes, which the csv module reads more strictly), for the row-by-row parser to name it."""
    parts = []
    for piece, end in _pieces(text, start):
        if '"' in piece:
            return None
        if piece.strip():
            try:
                part = np.loadtxt(io.StringIO(piece, newline=None), delimiter=delimiter, comments=None,
                                  ndmin=2, dtype=np.float64)
            except ValueError:
                return None
            if part.shape[1] != columns or not np.isfinite(part).all():
                return None
            parts.append(part)
        yield end / max(len(text), 1)
    return np.concatenate(parts) if parts else np.empty((0, columns))


def _pieces(text: str, start: int) -> Iterator[tuple[str, int]]:
    """``text[start:]`` in pieces of about ``CHUNK_CHARS`` characters, each ending at a line end."""
    while start < len(text):
        end = text.find("\n", min(start + CHUNK_CHARS, len(text)) - 1)
        end = len(text) if end < 0 else end + 1
        yield text[start:end], end
        start = end


def _check_shape(name: str, rows: int, columns: int) -> None:
    if rows < 4:
        raise ValueError(f"{name}: only {rows} rows of data, at least 4 are needed")
    if columns < 2:
        raise ValueError(f"{name}: only one column; need feature columns and a target column")


def load_csv(path: str | os.PathLike, target: str | int | None = None,
             task: str | None = None) -> Data:
    """Read a numeric CSV file into ``Data`` (points standardized, ``standardizer`` set).

    ``task``: None detects — an integer target with at most 10 distinct values is
    classification, anything else regression; or one of ``TASK_CHOICES``.
    Classification with 2 classes is "binary" (targets (n, 1), the sorted values
    mapped to 0 and 1), with more "multiclass" (targets (n, C) one-hot).
    Regression targets (n, 1) are kept in file units.
    """
    loading = csv_loading(path, target, task)
    while True:
        try:
            next(loading)
        except StopIteration as done:
            return done.value


def csv_loading(path: str | os.PathLike, target: str | int | None = None,
                task: str | None = None) -> Generator[float, None, Data]:
    """``load_csv`` step by step: yields the share of the file parsed so far (0 … 1) after each
    chunk and returns the ``Data``; a caller that stops iterating cancels the load."""
    if task is not None and task not in TASK_CHOICES:
        raise ValueError(f"task must be None or one of {', '.join(TASK_CHOICES)}, got {task!r}")
    path = Path(path)
    name = path.name
    text = _read_text(path)
    first, has_header, body = _header(name, text)
    values = yield from _fast_values(text, body, _delimiter(first.line), len(first.cells))
    if values is None:                        # something to complain about: find it row by row
        header, values, has_header = _parse_rows(name, text)
    else:
        header = first.names
        _check_shape(name, len(values), len(header))
    column = _target_index(name, header, target, has_header)
    target_values = values[:, column]
    feature_names = (tuple(h for j, h in enumerate(header) if j != column) if has_header
                     else tuple(f"x{j + 1}" for j in range(len(header) - 1)))
    features = np.delete(values, column, axis=1)
    with np.errstate(over="ignore", invalid="ignore"):
        standardizer = Standardizer.fit(features)
        points = standardizer.transform(features)
    overflowing = ~np.all(np.isfinite(points), axis=0) | ~np.isfinite(standardizer.scale)
    if overflowing.any():
        j = int(np.argmax(overflowing))
        largest = float(np.max(np.abs(features[:, j])))
        raise ValueError(f"{name}: column {feature_names[j]!r} overflows: its values (up to "
                         f"{largest:.3g} in size) are too large to standardise; rescale the "
                         "column (e.g. divide it by a large power of ten)")
    if task is None:
        task = _detect_task(target_values)
    if task == "regression":
        return Data(path.stem, "regression", points, target_values[:, None],
                    feature_names=feature_names, standardizer=standardizer)
    classes, labels = np.unique(target_values, return_inverse=True)
    where = f"{name}: target column {repr(header[column]) if has_header else column + 1}"
    if len(classes) < 2:
        raise ValueError(f"{where} has a single class ({_class_name(classes[0])}); "
                         "classification needs at least two")
    if len(classes) > MAX_CLASSES:
        raise ValueError(f"{where} has {len(classes)} distinct values; at most "
                         f"{MAX_CLASSES} classes are supported (is it a regression target?)")
    if task == "binary" and len(classes) != 2:
        raise ValueError(f"{where} has {len(classes)} classes, binary needs exactly 2")
    if task == "classification":
        task = "binary" if len(classes) == 2 else "multiclass"
    targets = labels[:, None] if task == "binary" else np.eye(len(classes))[labels]
    return Data(path.stem, task, points, targets, tuple(_class_name(c) for c in classes),
                feature_names, standardizer)

