"""ConvNets compared side by side: runs that differ in the learning rate, optimizer, batch size,
seed or training share, trained in lock-step (``model.comparison`` with a ``ConvolutionSetting``).

    window = ConvCompareWindow(ConvolutionSetting(images="digits"))     # three learning rates, running

The convolution window's *Compare…* (Ctrl+K) opens it on that window's setting. It is the
comparison window every kind of network shares (``gui.compare.comparison_window``: what
to vary — only what the model says a ConvNet can vary is offered —, Run/Pause, Reset, the epoch
limit, the overlaid curves, the ranking — double-click a run to open it, with its weights, in the
convolution window) with a panel per run that shows what an image model
learnt: its first convolution's kernels (hover for their numbers) or its confusion matrix with
the misclassified images, and its test accuracy. The confusion matrices are all on the same
images, the test images every run held out (with different training shares, those of the run
that trained on most).
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QLabel, QProgressBar, QStackedWidget, QToolBar, QWidget

from gui.compare.panels import RunFrame
from gui.compare.comparison_window import ComparisonWindow
from gui.convolution.confusion_view import ConfusionView, confusion_picture
from gui.convolution.kernels_view import KernelsView
from model.comparison import Comparison
from model.comparison_results import ComparisonSnapshot
from model.data import Images
from model.lessons.settings import ConvolutionSetting
from model.snapshot import Snapshot
from model.variations import Variation

#: What each run's panel can show: (key, label, tooltip).
PANEL_VIEWS = (("kernels", "first-layer kernels",
                "The kernels of each run's first convolution (hover for their numbers): a good run "
                "learns strokes and edges, too small a learning rate leaves them near their random start"),
               ("confusion", "confusion matrix",
                "Each run's confusion matrix on the test images every run held out (rows: true class, "
                "columns: predicted) and the images it gets wrong"))


class ConvRunPanel(RunFrame):
    """One compared ConvNet: its kernels or its confusion matrix, its rank and test accuracy."""

    def __init__(self, index: int, label: str, colour: QColor, test_images: np.ndarray,
                 test_labels: np.ndarray, class_names: Sequence[str], parent: QWidget | None = None):
        super().__init__(index, label, colour, "convRunPanel", parent)
        self.test_images, self.test_labels, self.class_names = test_images, test_labels, tuple(class_names)
        self.kernels = KernelsView()
        self.kernels.setObjectName("compareKernels")
        self.confusion = ConfusionView()
        self.confusion.setObjectName("compareConfusion")
        self.views = QStackedWidget()
        for key, view in (("kernels", self.kernels), ("confusion", self.confusion)):
            view.setMinimumSize(80, 80)
            view.setToolTip(next(tip for name, _, tip in PANEL_VIEWS if name == key))
            self.views.addWidget(view)
        self.status.setToolTip("Epochs trained · the share of its test images the run classifies right · "
                               "its test loss")
        self.set_body(self.views)
        self.state: Snapshot | None = None

    def set_view(self, key: str) -> None:
        """Show the kernels ("kernels") or the confusion matrix ("confusion")."""
        self.views.setCurrentWidget(self.kernels if key == "kernels" else self.confusion)

    def show_state(self, state: Snapshot, rank: int | None = None) -> None:
        """Paint one run's snapshot: its first kernels, its confusion matrix (from its outputs on
        the shared test images), its rank and status line."""
        self.state = state
        first = state.weights[0] if state.weights else None
        if first is not None and first.ndim == 4:
            self.kernels.set_kernels(first, "conv0")
        else:
            self.kernels.set_picture(None)                      # a network without a convolution
        if state.plane_output is not None:
            self.confusion.set_picture(confusion_picture(self.test_images, self.test_labels,
                                                         np.nan_to_num(state.plane_output), self.class_names))
        self.rank.setText(f"#{rank}" if rank is not None else "")
        if state.diverged:
            self.status.setText(f"stopped: diverged at epoch {state.divergence.epoch}")
            self.status.setToolTip(state.divergence.message)
            self.status.setStyleSheet("color: #b3261e; font-weight: bold;")
            return
        accuracy = state.test_accuracy
        parts = [f"epoch {state.epoch}"]
        if math.isfinite(accuracy):
            parts.append(f"test accuracy {100 * accuracy:.1f} %")
        parts.append(f"loss {state.loss:.2g}" if math.isfinite(state.loss) else "loss —")
        self.status.setText(" · ".join(parts))
        self.status.setStyleSheet("color: #333;")



class ConvCompareWindow(ComparisonWindow):
    """ConvNets of one setting compared in lock-step; ``images``: the data (None: the setting's set)."""

    kind = "cnn"
    default_variation_names = ("learning_rate",)
    default_max_epochs = 20
    opened_in = "the convolution window"

    def __init__(self, setting: ConvolutionSetting, variations: Sequence[Variation] | None = None,
                 comparison: Comparison | None = None, train: bool = True, images: Images | None = None,
                 parent: QWidget | None = None):
        super().__init__(train, parent)
        self.setObjectName("convCompareWindow")
        self.setWindowTitle("Compare ConvNets side by side — Backprop Studio")
        self.images = images
        self.table.setToolTip("Runs ranked by test loss (then accuracy); diverged runs last. Double-click a "
                              "run to open it in the convolution window: its feature maps, its walkthrough")
        self.progress = QProgressBar(objectName="convCompareProgress")
        self.progress.setFormat("epoch %v of %m")
        self.progress.setMaximumWidth(220)
        self.progress.setToolTip("Epochs every run has trained, of “Stop at epoch”")
        self.statusBar().addPermanentWidget(self.progress)
        self.max_epochs.valueChanged.connect(self.progress.setMaximum)
        self.splitter.setStretchFactor(0, 1)            # the ranking's columns need more room than the
        self.splitter.setStretchFactor(1, 1)            # MLP's, the kernels less than a boundary
        self.splitter.setSizes([550, 450])
        self.progress.setRange(0, self.max_epochs.value())
        self.build(setting, list(variations) if variations is not None else self.default_variations(), comparison)

    def extend_toolbar(self, bar: QToolBar) -> None:
        bar.addWidget(QLabel("  Each run shows "))
        self.panel_view = QComboBox(objectName="convCompareView")
        for key, label, tip in PANEL_VIEWS:
            self.panel_view.addItem(label, key)
            self.panel_view.setItemData(self.panel_view.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.panel_view.setToolTip("What each run's panel shows: its first convolution's kernels or its "
                                   "confusion matrix")
        self.panel_view.currentIndexChanged.connect(self._panel_view_changed)
        bar.addWidget(self.panel_view)

    def _panel_view_changed(self) -> None:
        for panel in self.panels:
            panel.set_view(self.panel_view.currentData())

    def make_comparison(self, config: ConvolutionSetting, variations: Sequence[Variation]) -> Comparison:
        return Comparison(config, variations, data=self.images)

    def _shared_test(self, comparison: Comparison):
        """The experiment whose test images every run held out: the one with the fewest."""
        return min(comparison.experiments, key=lambda experiment: len(experiment.split.test_points))

    def output_inputs(self, comparison: Comparison) -> np.ndarray:
        return self._shared_test(comparison).trainer.test_inputs

    def make_panels(self, comparison: Comparison, colours: Sequence[QColor]) -> list[QWidget]:
        experiment = self._shared_test(comparison)
        images = experiment.trainer.test_inputs
        labels = experiment.split.test_targets.argmax(axis=1)
        panels = []
        for run, colour in zip(comparison.runs, colours):
            panel = ConvRunPanel(run.index, run.label, colour, images, labels, experiment.images.class_names)
            panel.set_view(self.panel_view.currentData())
            panels.append(panel)
        return panels

    def describe(self, config: ConvolutionSetting, varied: Sequence[str]) -> str:
        values = {"learning_rate": f"η {config.learning_rate:g}", "optimizer": f"optimizer {config.optimizer}",
                  "batch_size": f"batch {config.batch_size}", "seed": f"seed {config.seed}",
                  "train_share": f"training share {1 - config.test_ratio:.0%}"}
        shown = [f"{text.split(' ')[0] if name != 'train_share' else 'training share'} varied"
                 if name in varied else text for name, text in values.items()]
        images = self.images.name if self.images is not None else config.images
        return f"Base setting: {images} · layers {config.layers} → dense · " + " · ".join(shown)

    def snapshot_shown(self, snapshot: ComparisonSnapshot) -> None:
        self.progress.setValue(min(snapshot.epoch, self.progress.maximum()))
