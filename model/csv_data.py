"""Load a numeric CSV file as a ``Data`` set, with standardized features.

One column is the target (by header name or index, default the last); the
others are features, standardized to x' = (x − mean) / scale with scale the
population std (1 for a constant column). Every problem with the file raises
``ValueError`` naming the file, the row (1-based, as a spreadsheet shows it)
and the column, e.g. ``data.csv, row 7, column 'age': 'abc' is not a number``.
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

import numpy as np

from .datasets import Data

Array = np.ndarray
TASK_CHOICES = ("classification", "binary", "multiclass", "regression")
MAX_DETECTED_CLASSES = 10   # an integer target with more distinct values is regression
MAX_CLASSES = 50            # even when classification is forced


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
    if len(values) < 4:
        raise ValueError(f"{name}: only {len(values)} rows of data, at least 4 are needed")
    if columns < 2:
        raise ValueError(f"{name}: only one column; need feature columns and a target column")
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


def load_csv(path: str | os.PathLike, target: str | int | None = None,
             task: str | None = None) -> Data:
    """Read a numeric CSV file into ``Data`` (points standardized, ``standardizer`` set).

    ``task``: None detects — an integer target with at most 10 distinct values is
    classification, anything else regression; or one of ``TASK_CHOICES``.
    Classification with 2 classes is "binary" (targets (n, 1), the sorted values
    mapped to 0 and 1), with more "multiclass" (targets (n, C) one-hot).
    Regression targets (n, 1) are kept in file units.
    """
    if task is not None and task not in TASK_CHOICES:
        raise ValueError(f"task must be None or one of {', '.join(TASK_CHOICES)}, got {task!r}")
    path = Path(path)
    name = path.name
    text = _read_text(path)
    header, values, has_header = _parse_rows(name, text)
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

