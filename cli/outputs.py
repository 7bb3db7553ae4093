"""Writing a headless command's files all or nothing.

``save_trained`` writes a trained network (``--save``) unless training diverged. ``write_outputs`` writes a CSV and a PNG into temporary files that are renamed
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


def save_trained(save_to: Path | None, option_text: str, diverged: bool, save_diverged: bool,
                 write: Callable[[Path], None]) -> None:
    """``write(save_to)`` and say so — unless there is no ``--save``, or training diverged without
    ``--save-diverged`` (then say why not, on stderr)."""
    if save_to is None:
        return
    if diverged and not save_diverged:
        print(f"not saved to {option_text}: training diverged (--save-diverged saves the last finite "
              f"weights anyway)", file=sys.stderr)
        return
    write(save_to)
    print(f"saved to {option_text}")


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]], left: int = 1) -> str:
    """A plain-text table: the first ``left`` columns aligned left, the others right."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) if i < left else cell.rjust(w)
                               for i, (cell, w) in enumerate(zip(row, widths))).rstrip()
                      for row in [header, *rows])
