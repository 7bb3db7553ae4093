"""Writing a headless command's files all or nothing.

``write_outputs`` writes a CSV and a PNG into temporary files that are renamed
to their names only once both are complete (``model.serialization.written_atomically``),
so an error or Ctrl+C leaves nothing partial behind.
"""
from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Callable, Sequence, TextIO

from model.serialization import written_atomically


def write_outputs(csv_path: Path | None, write_csv: Callable[[TextIO], object],
                  png_path: Path | None, draw_png: Callable[[str], None]) -> int:
    """``write_csv(stream)`` into ``csv_path`` and ``draw_png(path)`` into ``png_path`` (either
    may be None); prints what was written. Returns the exit status: 0, or 1 after an OSError."""
    try:
        with ExitStack() as stack:
            if csv_path is not None:
                with open(stack.enter_context(written_atomically(csv_path)), "w", newline="",
                          encoding="utf-8") as stream:
                    write_csv(stream)
            if png_path is not None:
                draw_png(str(stack.enter_context(written_atomically(png_path))))
    except OSError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for final in (csv_path, png_path):
        if final is not None:
            print(f"wrote {final}")
    return 0


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]], left: int = 1) -> str:
    """A plain-text table: the first ``left`` columns aligned left, the others right."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) if i < left else cell.rjust(w)
                               for i, (cell, w) in enumerate(zip(row, widths))).rstrip()
                      for row in [header, *rows])
