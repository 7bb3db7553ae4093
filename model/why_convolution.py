"""Why convolution: an MLP and a ConvNet on the same images, from the same seed, in lock-step.

Both train on the same split with the same optimizer settings, one epoch each in turn;
after every epoch each is measured on the test images as they are and shifted by one
pixel (up, down, left and right, the uncovered edge filled with 0). A kernel slides, so
a feature found at one place is found one pixel away too; a dense layer has a separate
weight per pixel and must learn every position again.

    for mlp, cnn in compare_on_shifts(load_digits(), epochs=10):
        print(mlp.epoch, mlp.test_accuracy, mlp.shifted_accuracy, cnn.test_accuracy, cnn.shifted_accuracy)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Sequence

import numpy as np

from .data.images import Images
from .networks import ConvNet, Network
from .networks.conv import default_spec
from .optimizers import make_optimizer
from .training import Trainer, accuracy

Array = np.ndarray
SHIFTS = ((-1, 0), (1, 0), (0, -1), (0, 1))      # (rows, columns): up, down, left, right


def shifted(images: Array, rows: int, cols: int) -> Array:
    """``images`` (n, C, H, W) moved down by ``rows`` and right by ``cols`` pixels (negative: up,
    left); what moves out is dropped and the uncovered edge is 0."""
    moved = np.zeros_like(images)
    height, width = images.shape[2:]
    moved[:, :, max(rows, 0):height + min(rows, 0), max(cols, 0):width + min(cols, 0)] = \
        images[:, :, max(-rows, 0):height - max(rows, 0), max(-cols, 0):width - max(cols, 0)]
    return moved


@dataclass(frozen=True)
class ShiftRow:
    """One network after one epoch."""

    name: str
    epoch: int
    parameters: int
    test_accuracy: float
    shifted_accuracy: float          # mean over the four one-pixel shifts


def compare_on_shifts(images: Images, epochs: int, seed: int = 0, hidden: Sequence[int] = (64,),
                      spec: Sequence[Sequence] | None = None, optimizer: str = "adam",
                      learning_rate: float = 0.01, batch_size: int = 32,
                      test_ratio: float = 0.2) -> Iterator[tuple[ShiftRow, ShiftRow]]:
    """Per epoch, (MLP row, ConvNet row). The MLP has ReLU hidden layers of sizes ``hidden``;
    the ConvNet the default spec (one output per class) unless ``spec`` is given."""
    split = images.data().split(test_ratio, seed=seed)
    classes = len(images.class_names)
    mlp = Network([split.train_points.shape[1], *hidden, classes], activation="relu",
                  output_activation="softmax", loss="cross_entropy", seed=seed, init="he")
    cnn = ConvNet(images.shape, spec if spec is not None else default_spec(classes), seed=seed)
    trainers = {name: Trainer(net, split.train_points, split.train_targets, split.test_points,
                              split.test_targets, optimizer=make_optimizer(optimizer, learning_rate),
                              batch_size=batch_size, seed=seed, task="multiclass")
                for name, net in (("MLP", mlp), ("CNN", cnn))}
    test_images = split.test_points.reshape((-1,) + images.shape)
    moved = [shifted(test_images, rows, cols) for rows, cols in SHIFTS]

    def row(name: str, trainer: Trainer) -> ShiftRow:
        net = trainer.net
        flat = (lambda x: x.reshape(len(x), -1)) if name == "MLP" else (lambda x: x)
        on_moved = [accuracy(net.predict(flat(x)), split.test_targets, "multiclass") for x in moved]
        return ShiftRow(name, trainer.epoch, int(net.params.size),
                        accuracy(net.predict(flat(test_images)), split.test_targets, "multiclass"),
                        float(np.mean(on_moved)))

    for _ in range(epochs):
        for trainer in trainers.values():
            trainer.run_epoch()
        yield row("MLP", trainers["MLP"]), row("CNN", trainers["CNN"])
