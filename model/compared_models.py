"""The kinds of network a comparison (``model.comparison.Comparison``) trains in lock-step.

    family = family_of(base)          # base: an ExperimentConfig (the MLP) or a ConvolutionSetting
    varied_settings("cnn")            # the settings a ConvNet comparison can vary — asked by the
                                      # compare command and the windows alike

A family says what the comparison needs of one kind of network and nothing more: which
settings of ``model.variations.SETTINGS`` it can vary, how to load its data, how to build one
run (a network, its trainer and its split: what that run trained alone would be), which runs
can share one ``Sequential`` with a run axis (a *stack*: same parameter shapes, batch size,
optimizer and split) and that stack's layers. The training, evaluation, divergence and
ranking are the comparison's, the same for every kind: one implementation of the maths.

A ConvNet comparison varies only what keeps the parameter shapes and the layers: the
learning rate, the optimizer, the batch size, the seed of the initial weights and the
training share. Every run splits the images and orders its batches by the base setting's
seed (as an MLP comparison orders them by its base seed), so the seed varies the initial
weights alone.
"""
from __future__ import annotations

from typing import Any, Sequence

from .config import ExperimentConfig
from .conv_experiment import ConvExperiment, build_conv_experiment
from .data.images import Images, load_images
from .experiment import Experiment, build, load_data
from .layers import ActivationLayer
from .lessons.settings import ConvolutionSetting
from .networks import ConvNet, Sequential, mlp_layers
from .networks.conv import build_layers
from .variations import SETTINGS, Variation


class MlpFamily:
    """Multilayer perceptrons (``Network``) set up by an ``ExperimentConfig``."""

    name, title = "mlp", "an MLP"
    settings: tuple[str, ...] = tuple(SETTINGS)

    @staticmethod
    def load_data(base: ExperimentConfig) -> Any:
        return load_data(base)

    @staticmethod
    def build(config: ExperimentConfig, base: ExperimentConfig, data: Any) -> Experiment:
        return build(config, data)

    @staticmethod
    def stack_key(config: ExperimentConfig, experiment: Experiment) -> tuple:
        """What the runs of one stack share."""
        return (tuple(experiment.net.sizes), config.batch_size, config.optimizer, config.dropout,
                config.batch_norm, config.l1, config.l2, config.test_ratio)

    @staticmethod
    def order(configs: Sequence[ExperimentConfig]) -> list[int]:
        """Rows with the same activations next to each other, sigmoid beside tanh: each activation
        runs on one slice, and sigmoid and tanh share one (``layers.activation.ScaledTanh``)."""
        def key(i: int) -> tuple:
            return tuple((name not in ("sigmoid", "tanh"), name) for name in configs[i].activations)
        return sorted(range(len(configs)), key=key)

    @staticmethod
    def stack(configs: Sequence[ExperimentConfig], experiment: Experiment) -> Sequential:
        """The MLP layers of ``Network`` with one run per config (their hidden activations may
        differ; everything else is shared); ``experiment``: the first run's."""
        sizes, first = experiment.net.sizes, configs[0]
        per_layer_names = [tuple(c.activations[l] for c in configs) for l in range(len(sizes) - 2)]
        layers = mlp_layers(sizes, per_layer_names, first.output_activation, first.dropout,
                            first.batch_norm, first.l1, first.l2)
        return Sequential(layers, sizes[0], experiment.net.loss_function, runs=len(configs), seed=first.seed)


class ConvFamily:
    """Convolutional networks (``ConvNet``) set up by a ``ConvolutionSetting``."""

    name, title = "cnn", "a ConvNet"
    settings: tuple[str, ...] = ("learning_rate", "optimizer", "batch_size", "seed", "train_share")

    @staticmethod
    def load_data(base: ConvolutionSetting) -> Images:
        return load_images(base.images, base.seed)

    @staticmethod
    def build(config: ConvolutionSetting, base: ConvolutionSetting, images: Images) -> ConvExperiment:
        """The run's ConvNet (initial weights from its seed) on the base seed's split and batch order."""
        net = ConvNet(images.shape, config.spec(len(images.class_names)), output_activation="softmax",
                      loss="cross_entropy", seed=config.seed)
        return build_conv_experiment(images, net, {
            "optimizer": config.optimizer, "learning_rate": config.learning_rate,
            "batch_size": config.batch_size, "test_ratio": config.test_ratio, "data_seed": base.seed})

    @staticmethod
    def stack_key(config: ConvolutionSetting, experiment: ConvExperiment) -> tuple:
        return config.batch_size, config.optimizer, config.test_ratio

    @staticmethod
    def order(configs: Sequence[ConvolutionSetting]) -> list[int]:
        return list(range(len(configs)))

    @staticmethod
    def stack(configs: Sequence[ConvolutionSetting], experiment: ConvExperiment) -> Sequential:
        """The ConvNet's layers with one run per config."""
        net = experiment.net
        layers = build_layers(net.input_shape, net.spec) + [ActivationLayer(net.output_activation.name,
                                                                            output=True)]
        return Sequential(layers, net.input_shape, net.loss_function, runs=len(configs), seed=configs[0].seed)


FAMILIES = {family.name: family for family in (MlpFamily, ConvFamily)}


def family_of(base: Any) -> type:
    """The family a base setting belongs to (ValueError for anything else)."""
    if isinstance(base, ExperimentConfig):
        return MlpFamily
    if isinstance(base, ConvolutionSetting):
        return ConvFamily
    raise ValueError(f"cannot compare runs of {type(base).__name__}; give an ExperimentConfig (MLP) or "
                     f"a ConvolutionSetting (ConvNet)")


def varied_settings(kind: str) -> tuple[str, ...]:
    """The settings (keys of ``model.variations.SETTINGS``) a comparison of ``kind`` ("mlp", "cnn")
    can vary."""
    if kind not in FAMILIES:
        raise ValueError(f"unknown model {kind!r}; choose one of {', '.join(FAMILIES)}")
    return FAMILIES[kind].settings


def check_variations(family: type, variations: Sequence[Variation]) -> None:
    """ValueError (one line: what cannot be varied, what can) for a setting ``family`` cannot vary."""
    for variation in variations:
        if variation.setting not in family.settings:
            spec = SETTINGS[variation.setting]
            can = ", ".join(f"{SETTINGS[name].label} ({SETTINGS[name].option})" for name in family.settings)
            raise ValueError(f"{family.title} comparison cannot vary the {spec.label} ({spec.option}); "
                             f"it can vary the {can}")
