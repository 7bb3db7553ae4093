"""Play a Walkthrough: previous / play-pause / next, a scrubber over all steps, a speed slider.

The player owns only the position (``index``) in a list of ``total`` steps and
emits ``stepChanged(index)`` whenever it moves, however it moved (button,
scrubber, timer, ``set_index``). Playing advances one step every 1/speed
seconds and stops by itself at the last step.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QStyle, QToolButton, QWidget

SPEEDS = (0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0)   # steps per second the speed slider offers
DEFAULT_SPEED_INDEX = 2


class WalkthroughPlayer(QWidget):
    """Transport controls over steps 0 … total−1."""

    stepChanged = Signal(int)
    playingChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("walkthroughPlayer")
        self._total = 0
        self._index = 0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._advance)

        self.previous_button = self._button("previousStepButton", QStyle.SP_MediaSeekBackward,
                                            "Previous step (←)", self.previous)
        self.play_button = self._button("playStepsButton", QStyle.SP_MediaPlay,
                                        "Play the steps one after another / pause (P)",
                                        self.toggle_play)
        self.next_button = self._button("nextStepButton", QStyle.SP_MediaSeekForward,
                                        "Next step (→)", self.next)
        self.counter = QLabel("step 0 of 0", objectName="stepCounter")
        self.counter.setMinimumWidth(110)
        self.counter.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.counter.setToolTip("Where you are in the pass")

        self.scrubber = QSlider(Qt.Horizontal, objectName="stepScrubber")
        self.scrubber.setToolTip("Drag to jump to any step of the pass "
                                 "(forward → loss → backward → update)")
        self.scrubber.setPageStep(1)
        self.scrubber.valueChanged.connect(self.set_index)

        self.speed_slider = QSlider(Qt.Horizontal, objectName="speedSlider")
        self.speed_slider.setRange(0, len(SPEEDS) - 1)
        self.speed_slider.setValue(DEFAULT_SPEED_INDEX)
        self.speed_slider.setFixedWidth(90)
        self.speed_slider.valueChanged.connect(self._on_speed)
        self.speed_label = QLabel(objectName="speedLabel")
        self.speed_label.setMinimumWidth(62)
        self.speed_slider.setToolTip("Playing speed, in steps per second")

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.previous_button, self.play_button, self.next_button):
            layout.addWidget(widget)
        layout.addWidget(self.scrubber, 1)
        layout.addWidget(self.counter)
        layout.addSpacing(8)
        layout.addWidget(QLabel("Speed"))
        layout.addWidget(self.speed_slider)
        layout.addWidget(self.speed_label)
        self._on_speed(self.speed_slider.value())
        self.set_total(0)

    def _button(self, name: str, icon: QStyle.StandardPixmap, tip: str, slot) -> QToolButton:
        button = QToolButton(objectName=name)
        button.setIcon(self.style().standardIcon(icon))
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        return button

    # -- state ------------------------------------------------------------------

    @property
    def index(self) -> int:
        return self._index

    @property
    def total(self) -> int:
        return self._total

    @property
    def speed(self) -> float:
        """Steps per second while playing."""
        return SPEEDS[self.speed_slider.value()]

    @property
    def is_playing(self) -> bool:
        return self._timer.isActive()

    def set_total(self, total: int, index: int = 0) -> None:
        """A new list of ``total`` steps; moves to ``index`` and always emits stepChanged."""
        self.pause()
        self._total = max(int(total), 0)
        self._index = min(max(int(index), 0), max(self._total - 1, 0))
        self.scrubber.blockSignals(True)
        self.scrubber.setRange(0, max(self._total - 1, 0))
        self.scrubber.setValue(self._index)
        self.scrubber.blockSignals(False)
        self._refresh()
        if self._total:
            self.stepChanged.emit(self._index)

    def set_index(self, index: int) -> None:
        """Move to step ``index`` (clamped); emits stepChanged if it moved."""
        index = min(max(int(index), 0), max(self._total - 1, 0))
        if index == self._index or not self._total:
            return
        self._index = index
        self.scrubber.blockSignals(True)
        self.scrubber.setValue(index)
        self.scrubber.blockSignals(False)
        self._refresh()
        self.stepChanged.emit(index)

    def set_speed(self, steps_per_second: float) -> None:
        """Choose the offered speed nearest to ``steps_per_second``."""
        nearest = min(range(len(SPEEDS)), key=lambda i: abs(SPEEDS[i] - steps_per_second))
        self.speed_slider.setValue(nearest)

    # -- transport ------------------------------------------------------------------

    def next(self) -> None:
        self.set_index(self._index + 1)

    def previous(self) -> None:
        self.set_index(self._index - 1)

    def play(self) -> None:
        if self._total < 2 or self.is_playing:
            return
        if self._index >= self._total - 1:      # at the end: play from the start again
            self.set_index(0)
        self._timer.start(round(1000 / self.speed))
        self._refresh()
        self.playingChanged.emit(True)

    def pause(self) -> None:
        if not self.is_playing:
            return
        self._timer.stop()
        self._refresh()
        self.playingChanged.emit(False)

    def toggle_play(self) -> None:
        self.pause() if self.is_playing else self.play()

    def _advance(self) -> None:
        self.next()
        if self._index >= self._total - 1:
            self.pause()

    def _on_speed(self, value: int) -> None:
        self.speed_label.setText(f"{SPEEDS[value]:g} steps/s")
        if self.is_playing:
            self._timer.setInterval(round(1000 / SPEEDS[value]))

    def _refresh(self) -> None:
        has_steps = self._total > 0
        self.counter.setText(f"step {self._index + 1} of {self._total}" if has_steps else "no steps")
        self.previous_button.setEnabled(has_steps and self._index > 0)
        self.next_button.setEnabled(has_steps and self._index < self._total - 1)
        self.play_button.setEnabled(self._total > 1)
        self.scrubber.setEnabled(has_steps)
        icon = QStyle.SP_MediaPause if self.is_playing else QStyle.SP_MediaPlay
        self.play_button.setIcon(self.style().standardIcon(icon))
