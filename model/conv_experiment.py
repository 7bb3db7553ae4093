"""A ConvNet on an image set with everything one training run needs (the ConvNet's ``Experiment``).

    experiment = build_conv_experiment(load_digits())          # the default ConvNet, Adam 0.01, batch 32
    experiment = build_conv_experiment(images, net, {"optimizer": "sgd", "learning_rate": 0.1,
                                                     "batch_size": 16, "test_ratio": 0.2, "data_seed": 0})

``training`` says how it trains: optimizer, learning rate, batch size, the test share and the
seed of the split and of the batch order (``data_seed``). The convolution window trains one;
the comparison (``model.comparison``) builds one per compared run.
"""
from __future__ import annotations

from dataclasses import dataclass

from .data.images import Images
from .datasets import Split
from .networks import ConvNet
from .networks.conv import default_spec
from .optimizers import Optimizer, make_optimizer
from .training import Trainer

#: How the convolution window trains (the "training" entry of a saved file, less the image set's name).
DEFAULT_TRAINING = {"optimizer": "adam", "learning_rate": 0.01, "batch_size": 32, "test_ratio": 0.2,
                    "data_seed": 0}


@dataclass
class ConvExperiment:
    """A ConvNet, its images and split, and the optimizer and trainer that train it."""

    images: Images
    split: Split
    net: ConvNet
    optimizer: Optimizer
    trainer: Trainer
    training: dict

    task = "multiclass"


def build_conv_experiment(images: Images, net: ConvNet | None = None,
                          training: dict = DEFAULT_TRAINING) -> ConvExperiment:
    """``net`` (default: the default ConvNet, one output per class) on ``images``, trained as ``training``
    says (default: 80/20 split, Adam 0.01, batches of 32, seed 0)."""
    seed = training["data_seed"]
    split = images.data().split(training["test_ratio"], seed=seed)
    net = net if net is not None else ConvNet(images.shape, default_spec(len(images.class_names)), seed=seed)
    optimizer = make_optimizer(training["optimizer"], training["learning_rate"])
    trainer = Trainer(net, split.train_points, split.train_targets, split.test_points, split.test_targets,
                      optimizer=optimizer, batch_size=training["batch_size"], seed=seed, task="multiclass")
    return ConvExperiment(images, split, net, optimizer, trainer, dict(training))
