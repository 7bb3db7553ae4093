"""The convolutional workspace's window: a small CNN learning the 8 × 8 digits, live.

The training runs in the app's one background worker (``gui.training.worker``); the
window paints the snapshots it sends: the loss curves, the kernels of the first
convolution, the feature maps of a chosen test image and the test set's confusion
matrix with the misclassified images, computed on the GUI thread's copy of the
network (a forward pass of one image, and of the few hundred test images: a few ms). A walkthrough panel
steps through one training step on that image with its numbers. File ▸ Save network… writes the shown
network (``model.serialization.save_model``); File ▸ Open network… trains a saved one on, on the data
and with the optimiser it names.
"""
from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QLineEdit, QMainWindow, QPushButton, QSpinBox, QSplitter,
                               QVBoxLayout, QWidget)

from gui.compare.mode import bring_to_front
from gui.convolution.compare_window import ConvCompareWindow
from gui.convolution.confusion_view import ConfusionView, confusion_picture
from gui.convolution.drawing import DigitCanvas
from gui.convolution.kernels_view import KernelsView
from gui.convolution.maps_view import MapsView, maps_picture
from gui.convolution.walkthrough_panel import WalkthroughPanel
from gui.controls.restrictions import set_shown
from gui.model_files import ModelFileMenu
from gui.training.worker import Progress, TrainingController
from gui.widgets.loss_plot import LossPlot
from gui.window.screen_fit import fit_to_screen
from model import serialization
from model.data import Images, load_digits
from model.data.images import IMAGE_DATASETS, load_images
from model.lessons import ConvolutionSetting
from model.compared_models import ConvFamily
from model.conv_experiment import ConvExperiment, build_conv_experiment
from model.training import Snapshot
from model.variations import Variation


class ConvolutionWindow(QMainWindow):
    """Train the default CNN on the digits and watch its feature maps and kernels."""

    def __init__(self, images: Images | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("convolutionWindow")
        self.setWindowTitle("Convolutional network — 8×8 digits")
        fit_to_screen(self, QSize(1100, 700))        # its preferred size, within its screen
        self.images = images if images is not None else load_digits()
        # what is trained: a ConvolutionSetting (a lesson's, or the digits' default); None: the default
        # network on images given to the constructor
        self.setting = ConvolutionSetting(images="digits") if images is None else None
        self.layers = QLineEdit(self.setting.layers if self.setting else "", objectName="convLayers")
        self.layers.setToolTip("The layers before the output, e.g. conv8x3, relu, pool2, dense32 (a dense "
                               "layer with one unit per class is added). Enter builds a new network.")
        self.layers.setEnabled(self.setting is not None)
        self.layers.editingFinished.connect(self._layers_edited)
        self.controller = TrainingController(self)
        self.controller.progress.connect(self._on_progress)
        self.controller.runningChanged.connect(self._on_running_changed)
        self.maps_view = MapsView()
        self.kernels_view = KernelsView()
        self.loss_plot = LossPlot()
        self.confusion_view = ConfusionView()
        self.walkthrough = WalkthroughPanel()
        self.image_index = QSpinBox(objectName="convImageIndex")
        self.image_index.valueChanged.connect(lambda _: self.show_test_image())
        self.canvas = DigitCanvas(*self.images.shape[1:])
        self.canvas.imageChanged.connect(lambda _: self.show_drawing())
        self.drawn_label = QSpinBox(objectName="convDrawnLabel")
        self.drawn_label.setRange(0, len(self.images.class_names) - 1)
        self.drawn_label.setToolTip("The class your drawing shows (the walkthrough's target)")
        self.drawn_label.valueChanged.connect(lambda _: self.show_drawing())
        self.clear_button = QPushButton("Clear", objectName="convClearDrawing")
        self.clear_button.clicked.connect(self.canvas.clear)
        self.showing_drawing = False
        self.accuracy_label = QLabel("", objectName="convAccuracy")
        self.walkthrough.button.clicked.connect(self.walk_through)
        self._build_layout()
        self._build_actions()
        self.files = ModelFileMenu(self, "conv", self.save_network, self.open_network)
        self.snapshot: Snapshot | None = None
        self.reset()

    def _build_layout(self) -> None:
        chooser = QHBoxLayout()
        layers_label = QLabel("&Layers")
        layers_label.setBuddy(self.layers)
        chooser.addWidget(layers_label)
        chooser.addWidget(self.layers, 2)
        chooser.addWidget(QLabel("Test image"))
        chooser.addWidget(self.image_index)
        chooser.addStretch(1)
        chooser.addWidget(self.accuracy_label)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.addLayout(chooser)
        top_layout.addWidget(self.maps_view, 1)
        kernels = QWidget()
        kernels_layout = QVBoxLayout(kernels)
        kernels_layout.addWidget(QLabel("Kernels of conv0 (hover for numbers)"))
        kernels_layout.addWidget(self.kernels_view, 1)
        kernels_layout.addWidget(QLabel("Draw an image (right button erases)"))
        kernels_layout.addWidget(self.canvas, 1)
        drawn = QHBoxLayout()
        drawn.addWidget(QLabel("it is a"))
        drawn.addWidget(self.drawn_label)
        drawn.addStretch(1)
        drawn.addWidget(self.clear_button)
        kernels_layout.addLayout(drawn)
        upper = QSplitter(Qt.Orientation.Horizontal)
        upper.addWidget(top)
        upper.addWidget(kernels)
        upper.setStretchFactor(0, 4)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.loss_plot)
        lower.addWidget(self.confusion_view)
        lower.addWidget(self.walkthrough)
        main = QSplitter(Qt.Orientation.Vertical, objectName="convolutionSplitter")
        main.addWidget(upper)
        main.addWidget(lower)
        main.setStretchFactor(0, 3)
        self.setCentralWidget(main)

    def _build_actions(self) -> None:
        toolbar = self.addToolBar("Training")
        toolbar.setObjectName("convolutionToolbar")
        self.run_action = QAction("Run", self, objectName="convActionRun", checkable=True)
        self.run_action.setShortcut(QKeySequence(Qt.Key.Key_Space))
        self.run_action.toggled.connect(self._toggle_running)
        self.reset_action = QAction("Reset", self, objectName="convActionReset")
        self.reset_action.triggered.connect(self.reset)
        self.compare_action = QAction("Compare…", self, objectName="convActionCompare")
        self.compare_action.setShortcut(QKeySequence("Ctrl+K"))
        self.compare_action.setToolTip("Train this network with several learning rates, optimizers, batch "
                                       "sizes or seeds side by side, in lock-step (Ctrl+K)")
        self.compare_action.setStatusTip("Compare ConvNets that differ in one or two settings")
        self.compare_action.triggered.connect(lambda: self.open_comparison())
        for action in (self.run_action, self.reset_action, self.compare_action):
            toolbar.addAction(action)
        self.compare_window: ConvCompareWindow | None = None

    # -- training -------------------------------------------------------------------------

    def apply_setting(self, setting) -> None:
        """Train ``setting`` (a ``model.lessons.ConvolutionSetting``: image set, layers, optimiser,
        learning rate, batch size, test ratio, seed) from a fresh network, paused."""
        self.images = load_images(setting.images, setting.seed)
        self.drawn_label.setRange(0, len(self.images.class_names) - 1)
        self.setting = setting
        self.layers.setText(setting.layers)
        self.layers.setEnabled(True)
        self.reset()

    def _layers_edited(self) -> None:
        """New layers typed: a new network (a bad entry is refused with its message)."""
        text = self.layers.text().strip()
        if self.setting is None or text == self.setting.layers:
            return
        try:
            setting = self.setting.replace(layers=text)
        except ValueError as error:
            self.layers.setText(self.setting.layers)
            self.statusBar().showMessage(f"Not changed: {error}", 8000)
            return
        self.apply_setting(setting)

    def restrict(self, hidden=(), locked=()) -> None:
        """A lesson's hidden and locked controls (``ConvolutionSetting`` field names): the layers
        are the one field with a control here."""
        set_shown(self.layers, "layers" not in hidden)
        self.layers.setEnabled(self.setting is not None and "layers" not in locked)

    def _build_experiment(self) -> ConvExperiment:
        if self.setting is None:
            return build_conv_experiment(self.images)
        setting = self.setting
        net, trainer, split, _ = setting.build()          # what run_reference trains for it
        training = {"optimizer": setting.optimizer, "learning_rate": setting.learning_rate,
                    "batch_size": setting.batch_size, "test_ratio": setting.test_ratio, "data_seed": setting.seed}
        return ConvExperiment(self.images, split, net, trainer.optimizer, trainer, training)

    def reset(self) -> None:
        """A fresh network (same seed) and a paused worker."""
        self._start(self._build_experiment())
        self.accuracy_label.setText("epoch 0")

    def _start(self, experiment: ConvExperiment) -> None:
        """Show and train ``experiment`` (paused)."""
        self.experiment, self.images = experiment, experiment.images
        self.view_net = self.experiment.net.copy()      # the GUI thread's copy, for the pictures
        self.image_index.setRange(0, len(self.experiment.split.test_points) - 1)
        self.drawn_label.setRange(0, len(self.images.class_names) - 1)
        self.loss_plot.clear_history()
        self.controller.start(self.experiment)
        self.snapshot = None
        self.run_action.setChecked(False)
        self._show_parameters()

    # -- files ----------------------------------------------------------------------------

    def save_network(self, path: str) -> str:
        """Write the shown network (the latest snapshot's weights) and how it trains to ``path``."""
        epoch, step = (self.snapshot.epoch, self.snapshot.step) if self.snapshot is not None else (0, 0)
        serialization.save_model(path, self.view_net, {**self.experiment.training, "images": self.images.name},
                                 epoch=epoch, step=step)
        return f"Saved the network to {path}"

    def open_network(self, path: str) -> str:
        """Train a saved ConvNet on (paused), on the images and with the optimiser its file names."""
        saved = serialization.load_model(path, "cnn")
        shape = (1, *self.canvas.image.shape)       # one channel, the canvas's size
        if "conv0.kernel" not in saved.net.parameters or saved.net.input_shape != shape:
            raise ValueError(f"{path}: this window shows networks with a convolution on {shape} images; "
                             f"it holds {saved.net!r}")
        self._start(build_conv_experiment(saved.data, saved.net, saved.training))
        self.accuracy_label.setText(f"opened: trained {saved.epoch} epochs when saved")
        return f"Opened {path}: {saved.net!r}, trained {saved.epoch} epochs on {saved.data.name} when saved"

    def _toggle_running(self, running: bool) -> None:
        if running:
            self.controller.run()
        else:
            self.controller.pause()

    def _on_running_changed(self, running: bool) -> None:
        self.run_action.setText("Pause" if running else "Run")
        if self.run_action.isChecked() != running:
            self.run_action.blockSignals(True)
            self.run_action.setChecked(running)
            self.run_action.blockSignals(False)

    def _on_progress(self, progress: Progress) -> None:
        snapshot = self.snapshot = progress.snapshot
        self.loss_plot.append(progress.epochs, progress.train_losses, progress.test_losses)
        self.view_net.load_state(snapshot.state())
        accuracy = snapshot.test_accuracy
        self.accuracy_label.setText(f"epoch {snapshot.epoch} · test accuracy "
                                    f"{'–' if not math.isfinite(accuracy) else f'{100 * accuracy:.1f} %'}")
        self._show_parameters()

    def _show_parameters(self) -> None:
        kernels = self.view_net.parameters.get("conv0.kernel")      # a dense-only network has none
        if kernels is None:
            self.kernels_view.set_picture(None)
        else:
            self.kernels_view.set_kernels(kernels, "conv0")
        self._paint_maps()
        split = self.experiment.split
        images = split.test_points.reshape((-1,) + self.images.shape)
        self.confusion_view.set_picture(confusion_picture(images, split.test_targets.argmax(axis=1),
                                                          self.view_net.predict(images),
                                                          self.images.class_names))

    def show_test_image(self) -> None:
        """The maps (and the walkthrough) follow the chosen test image."""
        self.showing_drawing = False
        self._paint_maps()

    def show_drawing(self) -> None:
        """The maps (and the walkthrough) follow the drawing."""
        self.showing_drawing = True
        self._paint_maps()

    def shown_image(self) -> tuple[np.ndarray, np.ndarray]:
        """The image (C, H, W) the maps show and its one-hot target: the drawing, or a test image."""
        if self.showing_drawing:
            return self.canvas.image.reshape(self.images.shape), np.eye(len(self.images.class_names))[
                self.drawn_label.value()]
        split, index = self.experiment.split, self.image_index.value()
        return split.test_points[index].reshape(self.images.shape), split.test_targets[index]

    def _paint_maps(self) -> None:
        image, target = self.shown_image()
        self.maps_view.set_picture(maps_picture(self.view_net, image, int(target.argmax()),
                                                self.images.class_names))

    def walk_through(self) -> None:
        """Step through one SGD step of the shown network on the shown image."""
        image, target = self.shown_image()
        self.walkthrough.show_walkthrough(self.view_net, image, target, learning_rate=0.05)

    # -- comparing ------------------------------------------------------------------------

    def comparison_base(self) -> ConvolutionSetting:
        """The setting this window trains, as a comparison's base (its images are ``self.images``)."""
        if self.setting is not None:
            return self.setting
        training = self.experiment.training
        return ConvolutionSetting(images=self.images.name if self.images.name in IMAGE_DATASETS else "digits",
                                  optimizer=training["optimizer"], learning_rate=training["learning_rate"],
                                  batch_size=training["batch_size"], test_ratio=training["test_ratio"],
                                  seed=training["data_seed"])

    def open_comparison(self, variations: list[Variation] | None = None) -> ConvCompareWindow:
        """Show (and run) the comparison of this window's setting: three learning rates by default, or
        ``variations``; rebuilt when the setting or the asked variations changed."""
        base, window = self.comparison_base(), self.compare_window
        if window is None:
            window = self.compare_window = ConvCompareWindow(base, variations, images=self.images, parent=self)
            window.setWindowFlag(Qt.WindowType.Window, True)
            window.openRequested.connect(self.open_run)
        elif variations is not None and tuple(variations) != window.comparison.variations:
            window.images = self.images
            window.build(base, variations)
        elif window.config != base or window.images is not self.images or not window.controller.active:
            window.images = self.images
            window.set_base_config(base)
        window.show()
        bring_to_front(window)
        if window.train and not window.controller.is_running:
            window.run()
        return window

    def open_run(self, setting: ConvolutionSetting, params: np.ndarray) -> None:
        """Train on (paused) a compared run: its setting, its weights, the comparison's split and batch
        order — to look at its feature maps or walk through a step of it."""
        base = self.compare_window.config
        experiment = ConvFamily.build(setting, base, self.images)
        experiment.net.load_state({"params": params})
        self._start(experiment)
        self.accuracy_label.setText(f"a compared run: {setting.optimizer}, η {setting.learning_rate:g}, "
                                    f"batch {setting.batch_size}, seed {setting.seed}")
        bring_to_front(self)

    def closeEvent(self, event) -> None:
        self.controller.shutdown()
        if self.compare_window is not None:
            self.compare_window.close()
        super().closeEvent(event)
