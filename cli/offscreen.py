"""Drawing a widget into a PNG without a display, for the headless commands.

    with offscreen_application() as app:
        widget = make_the_widget()
        ...
        save_png(grab(app, widget), path)

Qt is imported only inside, so a command that writes no PNG never loads it.
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def offscreen_application() -> Iterator:
    """A QApplication on the offscreen platform (unless a display is there), with the offscreen
    plugin's chatter filtered out of stderr while it is used."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    def quiet(mode, context, message: str) -> None:
        if "propagateSizeHints" not in message:
            sys.stderr.write(message + "\n")

    previous = qInstallMessageHandler(quiet)
    try:
        yield QApplication.instance() or QApplication(["backprop-studio"])
    finally:
        qInstallMessageHandler(previous)


def grab(app, widget, part=None, settle: int = 3):
    """The picture (a QImage) of ``part`` of the widget (default: all of it) once pending events
    are processed; the widget is then closed and deleted."""
    for _ in range(settle):
        app.processEvents()
    image = (part or widget).grab().toImage()
    widget.close()
    widget.deleteLater()
    app.processEvents()
    return image


def save_png(image, path: str) -> None:
    if not image.save(path, "PNG"):
        raise OSError("Qt could not encode the PNG")
