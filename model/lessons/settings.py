"""The settings a lesson gives the convolution and recurrent workspaces (the MLP workspaces use
``ExperimentConfig``), validated by the same checks as ``model.config`` and built headless.

    setting = ConvolutionSetting.from_dict({"images": "bars", "learning_rate": 0.01})
    net, trainer, split, image_shape = setting.build()

Both raise ``SettingError(field, message)`` for an unknown key or a value out of range, as
``ExperimentConfig`` does. The GUI's own settings (``gui.recurrent.worker.RecurrentSetting``,
the convolution window's constants) map one to one onto these fields.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..config import MAX_SEED, SettingError, choice, integer, number, optional, text
from ..activations import ACTIVATIONS
from ..data.images import IMAGE_DATASETS, load_images
from ..data.sequences import SEQUENCE_TASKS, make_sequence_task
from ..datasets import Split
from ..layers import RECURRENT_INITIALIZERS
from ..networks import ConvNet, RecurrentNetwork
from ..networks.conv import parse_layers
from ..optimizers import OPTIMIZERS, make_optimizer
from ..training import Trainer

#: The output activation and loss a recurrent network uses for each kind of sequence task.
SEQUENCE_OUTPUTS = {"regression": ("linear", "mse"), "binary": ("sigmoid", "cross_entropy")}


def _validated(cls, checks: dict, values: dict):
    """An instance of dataclass ``cls`` from ``values``: unknown keys and bad values raise SettingError."""
    if not isinstance(values, dict):
        raise SettingError("", "the setting must be a table of key = value lines")
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise SettingError(unknown[0], f"unknown setting {unknown[0]!r}; choose from {', '.join(sorted(known))}")
    checked = {}
    for name, value in values.items():
        label, check = checks[name]
        try:
            checked[name] = check(label, value)
        except ValueError as error:
            raise SettingError(name, str(error)) from None
    setting = cls(**checked)
    try:
        setting.build(check_only=True)
    except SettingError:
        raise
    except ValueError as error:
        raise SettingError("", str(error)) from None
    return setting


class _Setting:
    """What both settings share: validated construction from a table, and validated changes."""

    CHECKS: dict = {}

    @classmethod
    def from_dict(cls, values: dict):
        return _validated(cls, cls.CHECKS, values)

    def replace(self, **changes):
        return self.from_dict({**dataclasses.asdict(self), **changes})


@dataclass(frozen=True)
class ConvolutionSetting(_Setting):
    """A ConvNet on an image set: ``layers`` in the compact form of ``parse_layers`` (a dense
    layer with one unit per class is added at the end), trained with ``optimizer``."""

    images: str = "bars"
    layers: str = "conv8x3,relu,pool2,conv16x3,relu,pool2"
    optimizer: str = "adam"
    learning_rate: float = 0.01
    batch_size: int = 32
    test_ratio: float = 0.2
    seed: int = 0

    CHECKS = {
        "images": ("image set", choice(IMAGE_DATASETS)), "layers": ("layers", text),
        "optimizer": ("optimizer", choice(OPTIMIZERS)),
        "learning_rate": ("learning rate", number(0.0, low_open=True)),
        "batch_size": ("batch size", integer(1, 100_000)), "test_ratio": ("test ratio", number(0.05, 0.9)),
        "seed": ("seed", integer(0, MAX_SEED)),
    }

    def spec(self, classes: int) -> list[tuple]:
        try:
            spec = parse_layers(self.layers)
        except ValueError as error:
            raise SettingError("layers", str(error)) from None
        if spec and spec[-1][0] == "dense":
            raise SettingError("layers", "leave out the last dense layer: one unit per class is added")
        return spec + ([] if ("flatten",) in spec else [("flatten",)]) + [("dense", classes)]

    def build(self, check_only: bool = False):
        """(net, trainer, split, image shape (C, H, W)); the split holds the images flattened to rows."""
        images = load_images(self.images, self.seed)
        net = ConvNet(images.shape, self.spec(len(images.class_names)), output_activation="softmax",
                      loss="cross_entropy", seed=self.seed)
        if check_only:
            return None
        split: Split = images.data().split(self.test_ratio, seed=self.seed)
        trainer = Trainer(net, split.train_points, split.train_targets, split.test_points, split.test_targets,
                          optimizer=make_optimizer(self.optimizer, self.learning_rate),
                          batch_size=self.batch_size, seed=self.seed, task="multiclass")
        return net, trainer, split, images.shape


@dataclass(frozen=True)
class SequenceSetting(_Setting):
    """A recurrent network on a generated sequence task (``model.data.sequences``)."""

    task: str = "echo"
    sequences: int = 400
    steps: int | None = None            # None: the task's default length
    delay: int | None = None            # echo only; None: the task's default
    hidden: int = 16
    activation: str = "tanh"
    recurrent_init: str = "orthogonal"
    recurrent_scale: float | None = None
    truncation: int | None = None
    clip: float | None = None
    optimizer: str = "adam"
    learning_rate: float = 0.01
    batch_size: int = 32
    test_ratio: float = 0.25
    seed: int = 0

    CHECKS = {
        "task": ("sequence task", choice(SEQUENCE_TASKS)), "sequences": ("number of sequences", integer(8, 20_000)),
        "steps": ("sequence length", optional(integer(1, 500))), "delay": ("echo delay", optional(integer(1, 499))),
        "hidden": ("hidden units", integer(1, 512)), "activation": ("activation", choice(ACTIVATIONS)),
        "recurrent_init": ("recurrent initialisation", choice(RECURRENT_INITIALIZERS)),
        "recurrent_scale": ("recurrent scale", optional(number(0.0, 100.0))),
        "truncation": ("truncation (steps)", optional(integer(1, 500))),
        "clip": ("gradient clip", optional(number(0.0, low_open=True))),
        "optimizer": ("optimizer", choice(OPTIMIZERS)),
        "learning_rate": ("learning rate", number(0.0, low_open=True)),
        "batch_size": ("batch size", integer(1, 100_000)), "test_ratio": ("test ratio", number(0.05, 0.9)),
        "seed": ("seed", integer(0, MAX_SEED)),
    }

    def data(self):
        return make_sequence_task(self.task, self.sequences, steps=self.steps, seed=self.seed,
                                  delay=self.delay if self.task == "echo" else None)

    def network(self, data) -> dict:
        """The ``RecurrentNetwork`` constructor arguments for ``data``."""
        output_activation, loss = SEQUENCE_OUTPUTS[data.task]
        return dict(inputs=data.n_features, hidden=self.hidden, outputs=data.n_outputs,
                    activation=self.activation, output_activation=output_activation, loss=loss,
                    sequence_output=data.sequence_output, recurrent_init=self.recurrent_init,
                    recurrent_scale=self.recurrent_scale, truncation=self.truncation, clip=self.clip,
                    seed=self.seed)

    def build(self, check_only: bool = False):
        """(net, trainer, split, scored_from)."""
        data = self.data()
        net = RecurrentNetwork(**self.network(data))
        if check_only:
            return None
        split = data.split(self.test_ratio, seed=self.seed)
        trainer = Trainer(net, split.train_inputs, split.train_targets, split.test_inputs, split.test_targets,
                          optimizer=make_optimizer(self.optimizer, self.learning_rate),
                          batch_size=self.batch_size, seed=self.seed, task=data.task)
        return net, trainer, split, data.scored_from
