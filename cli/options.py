"""Command-line options shared by the headless commands (``train``, ``compare``).

``add_experiment_arguments(parser)`` adds the data, network and training
options, their choices listed from the model's registries;
``experiment_setup(args)`` turns them into a validated ``ExperimentConfig``
and the data it names (loaded once), with the output activation and loss
checked against the data's task by the model's one rule
(``model.config.resolve_task_outputs``). Every problem is a ``ValueError``
whose message names the option to change. Comma-separated lists that
``compare`` varies (``--activation``, ``--lr``, …) are parsed by that command.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from model.activations import ACTIVATIONS, OUTPUT_ACTIVATIONS
from model.config import MAX_SEED, ExperimentConfig, SettingError, resolve_task_outputs
from model.datasets import DATASETS, Data
from model.experiment import load_data
from model.features import FEATURES
from model.initializers import INITIALIZERS
from model.lessons.settings import ConvolutionSetting, SequenceSetting
from model.losses import LOSSES
from model.optimizers import OPTIMIZERS

#: The option that sets each ``ExperimentConfig`` field (messages name the option).
FIELD_OPTIONS = {
    "dataset": "--dataset", "csv_path": "--csv", "csv_target": "--target", "noise": "--noise",
    "samples": "--samples", "test_ratio": "--test-ratio", "data_seed": "--data-seed",
    "features": "--features", "hidden_layers": "--layers", "activations": "--activation",
    "output_activation": "--output-activation", "loss": "--loss", "init": "--init",
    "optimizer": "--optimizer", "learning_rate": "--lr", "batch_size": "--batch-size",
    "l1": "--l1", "l2": "--l2", "seed": "--seed", "dropout": "--dropout", "batch_norm": "--batch-norm",
    "early_stopping": "--early-stopping",
}


def choices(table: dict) -> str:
    return ", ".join(table)


def add_experiment_arguments(parser: argparse.ArgumentParser) -> None:
    """Options every headless command understands."""
    data = parser.add_argument_group("data")
    data.add_argument("--dataset", default="spiral", help=f"one of: {choices(DATASETS)} (default spiral)")
    data.add_argument("--csv", metavar="FILE", help="train on a CSV file instead of a built-in data set")
    data.add_argument("--target", metavar="COL", help="the CSV's target column, by name or index (default: last)")
    data.add_argument("--noise", type=float, default=0.0, help="0 … 1 (default 0)")
    data.add_argument("--samples", type=int, default=500, help="number of points (default 500)")
    data.add_argument("--test-ratio", type=float, default=None,
                      help="share held out for testing (default: the model's for the network kind — "
                           f"{ExperimentConfig.test_ratio:g} for an MLP, {ConvolutionSetting.test_ratio:g} for "
                           f"a ConvNet, {SequenceSetting.test_ratio:g} for a recurrent network)")
    data.add_argument("--data-seed", type=int, default=0, help=f"seed of the data set, 0 … {MAX_SEED} (default 0)")
    data.add_argument("--features", default="x1,x2", help=f"inputs, from: {choices(FEATURES)}")
    net = parser.add_argument_group("network")
    net.add_argument("--layers", default="8,8", help="hidden layer sizes, e.g. 8,8 ('' for none)")
    net.add_argument("--activation", default="tanh",
                     help=f"hidden activation, or one per layer comma-separated: {choices(ACTIVATIONS)}")
    net.add_argument("--output-activation",
                     help=f"one of {choices(OUTPUT_ACTIVATIONS)} (default: one that suits the task and --loss)")
    net.add_argument("--loss", help=f"one of {choices(LOSSES)} (default: one that suits the task and "
                                    "--output-activation)")
    net.add_argument("--init", default="xavier", help=f"one of {choices(INITIALIZERS)}")
    train = parser.add_argument_group("training")
    train.add_argument("--optimizer", default="sgd", help=f"one of {choices(OPTIMIZERS)}")
    train.add_argument("--lr", default="0.03", help="learning rate (default 0.03)")
    train.add_argument("--batch-size", type=int, default=10, help="mini-batch size (default 10)")
    train.add_argument("--epochs", type=int, default=300, help="epochs to train (default 300)")
    train.add_argument("--l1", type=float, default=0.0, help="L1 regularisation rate (default 0)")
    train.add_argument("--l2", type=float, default=0.0, help="L2 regularisation rate (default 0)")
    train.add_argument("--dropout", default="0", metavar="P[,P…]",
                       help="dropout rate in [0, 1) for every hidden layer, or one per layer, e.g. 0.2,0 "
                            "(default 0: none)")
    train.add_argument("--batch-norm", nargs="?", const="1", default="0", metavar="1,0…",
                       help="batch normalisation: alone for every hidden layer, or 1/0 per layer")
    train.add_argument("--early-stopping", type=int, default=0, metavar="N",
                       help="stop after N epochs without a better test loss and keep the best "
                            "epoch's weights (default 0: off)")
    train.add_argument("--seed", type=int, default=0,
                       help=f"seed of the weights and batch order, 0 … {MAX_SEED} (default 0)")


def parse_int_list(text: str, what: str) -> tuple[int, ...]:
    """'8,8' → (8, 8); '' → (); ValueError naming ``what`` otherwise."""
    parts = [p.strip() for p in str(text).split(",") if p.strip()]
    try:
        return tuple(int(p) for p in parts)
    except ValueError:
        raise ValueError(f"{what} must be comma-separated integers, got {text!r}") from None


def parse_float_list(text: str, what: str) -> tuple[float, ...]:
    """'0.2,0' → (0.2, 0.0); ValueError naming ``what`` otherwise."""
    return tuple(parse_float(p.strip(), what) for p in str(text).split(",") if p.strip())


def parse_switches(text: str, what: str) -> tuple[bool, ...]:
    """'1,0' → (True, False); also true/false, on/off."""
    words = {"1": True, "0": False, "true": True, "false": False, "on": True, "off": False}
    parts = [p.strip().lower() for p in str(text).split(",") if p.strip()]
    if not all(p in words for p in parts):
        raise ValueError(f"{what} takes 1 or 0 per hidden layer (e.g. 1,0), got {text!r}")
    return tuple(words[p] for p in parts)


def parse_float(text: str, what: str) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a number, got {text!r}") from None


def test_ratio(args: argparse.Namespace, setting: type) -> float:
    """--test-ratio, or, not given, the default of the network kind's setting in ``model``
    (``ExperimentConfig``, ``ConvolutionSetting``, ``SequenceSetting``) — the share its window
    holds out too."""
    return setting.test_ratio if args.test_ratio is None else args.test_ratio


def config_from_args(args: argparse.Namespace, **overrides) -> ExperimentConfig:
    """A validated config from parsed options (output and loss not yet matched to the data).

    ``overrides`` win (e.g. one value of a list). A bad value raises ValueError
    naming its option.
    """
    layers = parse_int_list(args.layers, "--layers")
    activations = [a.strip() for a in str(args.activation).split(",") if a.strip()]
    if len(activations) == 1:
        activations = activations * len(layers)
    values = dict(
        dataset=args.dataset, csv_path=args.csv, csv_target=_target(args.target),
        noise=args.noise, samples=args.samples, test_ratio=test_ratio(args, ExperimentConfig),
        data_seed=args.data_seed,
        features=tuple(f.strip() for f in args.features.split(",") if f.strip()),
        hidden_layers=layers, activations=tuple(activations), init=args.init,
        optimizer=args.optimizer, learning_rate=parse_float(args.lr, "--lr"),
        batch_size=args.batch_size, l1=args.l1, l2=args.l2, seed=args.seed,
        dropout=parse_float_list(args.dropout, "--dropout"),
        batch_norm=parse_switches(args.batch_norm, "--batch-norm"),
        early_stopping=args.early_stopping)
    values.update(overrides)
    if args.epochs is not None and args.epochs < 1:
        raise ValueError(f"--epochs must be at least 1, got {args.epochs}")
    try:
        return ExperimentConfig(**values)
    except SettingError as error:
        raise option_error(error) from None


def experiment_setup(args: argparse.Namespace, **overrides) -> tuple[ExperimentConfig, Data]:
    """The config and its data (read once), output activation and loss suiting the data's task."""
    config = config_from_args(args, **overrides)
    data = load_data(config)
    try:
        output_activation, loss = resolve_task_outputs(data.task, args.output_activation, args.loss)
    except SettingError as error:
        raise option_error(error) from None
    return config.replace(output_activation=output_activation, loss=loss), data


def option_error(error: SettingError) -> ValueError:
    """The model's message about a setting, prefixed with the option that sets it."""
    return ValueError(f"{FIELD_OPTIONS.get(error.field, error.field)}: {error}")


def check_output(path: str | None, option: str) -> Path | None:
    """``path`` as a Path if a file can be written there, before any work is done; else ValueError."""
    if path is None:
        return None
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ValueError(f"cannot write {option} {path}: the folder {folder} does not exist")
    if target.is_dir():
        raise ValueError(f"cannot write {option} {path}: it is a folder")
    if not os.access(folder, os.W_OK):
        raise ValueError(f"cannot write {option} {path}: the folder {folder} is not writable")
    return target


def _target(text: str | None) -> str | int | None:
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        return text
