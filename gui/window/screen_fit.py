"""Windows that fit the screen they open on: a first size from the screen's available
geometry, and a remembered geometry clamped to the current screen.

``fitted_rect`` is the rule (plain rectangles, no window needed):

    size   = clamp(GROW · available, preferred, available − frame)
    origin = centred in the available area

so on a small screen (1024×768) the whole frame — title bar included — fits,
and on a large one (1920×1080) the window grows with the screen and the extra
space goes to the stretching parts (the diagram and the plots). Before the
first show the window manager's frame is unknown; ``ESTIMATED_FRAME`` stands in
for it, and ``clamp_to_screen`` corrects the geometry once the real frame is known.
"""
from __future__ import annotations

from PySide6.QtCore import QMargins, QRect, QSize, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

PREFERRED = QSize(1280, 800)
GROW = 0.9                                   # share of a large screen a new window takes
ESTIMATED_FRAME = QMargins(2, 30, 2, 2)      # title bar and borders, until the real ones are known


def fitted_rect(available: QRect, frame: QMargins, preferred: QSize = PREFERRED,
                grow: float = GROW) -> QRect:
    """The client rectangle of a new window on a screen whose available area is ``available``."""
    room_w = available.width() - frame.left() - frame.right()
    room_h = available.height() - frame.top() - frame.bottom()
    width = min(max(preferred.width(), round(grow * available.width())), room_w)
    height = min(max(preferred.height(), round(grow * available.height())), room_h)
    left = available.left() + frame.left() + (room_w - width) // 2
    top = available.top() + frame.top() + (room_h - height) // 2
    return QRect(left, top, width, height)


def clamped_rect(client: QRect, frame: QMargins, available: QRect) -> QRect:
    """``client`` (a window's geometry without frame) moved and shrunk until its frame lies
    inside ``available``; unchanged when it already does."""
    room_w = available.width() - frame.left() - frame.right()
    room_h = available.height() - frame.top() - frame.bottom()
    width, height = min(client.width(), room_w), min(client.height(), room_h)
    low_x, low_y = available.left() + frame.left(), available.top() + frame.top()
    left = min(max(client.left(), low_x), low_x + room_w - width)
    top = min(max(client.top(), low_y), low_y + room_h - height)
    return QRect(left, top, width, height)


def screen_of(window: QWidget) -> QRect:
    """The available geometry of the screen the window is on (or the primary screen)."""
    screen = window.screen() if window.screen() is not None else QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def frame_margins(window: QWidget) -> QMargins:
    """The window manager's frame around ``window`` (estimated before it is first shown)."""
    handle = window.windowHandle()
    if window.isVisible() and handle is not None:
        margins = handle.frameMargins()
        if margins.top() > 0 or margins.left() > 0:
            return margins
    return ESTIMATED_FRAME


def fit_to_screen(window: QWidget, preferred: QSize = PREFERRED, grow: float = GROW) -> None:
    """Give a new window its first size and place on its screen (``grow`` 0: its preferred
    size, smaller only on a smaller screen)."""
    window.setGeometry(fitted_rect(screen_of(window), frame_margins(window), preferred, grow))


def clamp_to_screen(window: QWidget) -> None:
    """Move and shrink ``window`` so that all of it, frame included, is on its screen."""
    if window.isMaximized() or window.isFullScreen():
        return
    geometry = window.geometry()
    fitted = clamped_rect(geometry, frame_margins(window), screen_of(window))
    if fitted != geometry:
        window.setGeometry(fitted)


def clamp_after_show(window: QWidget) -> None:
    """Clamp once the window manager has framed the window (call from ``showEvent``)."""
    QTimer.singleShot(0, window, lambda: clamp_to_screen(window))
    QTimer.singleShot(300, window, lambda: clamp_to_screen(window))   # a slow window manager
