"""Command-line options and output shared by the headless commands (``train``, ``compare``).

``add_experiment_arguments(parser)`` adds the data, network and training
options; ``config_from_args(args)`` turns them into a validated
``ExperimentConfig`` (ValueError on bad input). Comma-separated lists that
``compare`` varies (``--activation``, ``--lr``, …) are parsed by that command.
"""
from __future__ import annotations

import argparse
import sys
import time

from .activations import ACTIVATIONS, OUTPUT_ACTIVATIONS
from .config import TASK_OUTPUTS, ExperimentConfig
from .csv_data import load_csv
from .datasets import DATASETS
from .features import FEATURES
from .initializers import INITIALIZERS
from .losses import LOSSES
from .optimizers import OPTIMIZERS


def add_experiment_arguments(parser: argparse.ArgumentParser) -> None:
    """Options every headless command understands."""
    data = parser.add_argument_group("data")
    data.add_argument("--dataset", default="spiral", help=f"one of: {', '.join(DATASETS)} (default spiral)")
    data.add_argument("--csv", metavar="FILE", help="train on a CSV file instead of a built-in data set")
    data.add_argument("--target", metavar="COL", help="the CSV's target column, by name or index (default: last)")
    data.add_argument("--noise", type=float, default=0.0, help="0 … 1 (default 0)")
    data.add_argument("--samples", type=int, default=500, help="number of points (default 500)")
    data.add_argument("--test-ratio", type=float, default=0.5, help="share held out for testing (default 0.5)")
    data.add_argument("--data-seed", type=int, default=0, help="seed of the data set (default 0)")
    data.add_argument("--features", default="x1,x2", help=f"inputs, from: {', '.join(FEATURES)}")
    net = parser.add_argument_group("network")
    net.add_argument("--layers", default="8,8", help="hidden layer sizes, e.g. 8,8 ('' for none)")
    net.add_argument("--activation", default="tanh",
                     help=f"hidden activation, or one per layer comma-separated: {', '.join(ACTIVATIONS)}")
    net.add_argument("--output-activation", help=f"one of {', '.join(OUTPUT_ACTIVATIONS)} (default: suits the task)")
    net.add_argument("--loss", help=f"one of {', '.join(LOSSES)} (default: suits the task)")
    net.add_argument("--init", default="xavier", help=f"one of {', '.join(INITIALIZERS)}")
    train = parser.add_argument_group("training")
    train.add_argument("--optimizer", default="sgd", help=f"one of {', '.join(OPTIMIZERS)}")
    train.add_argument("--lr", default="0.03", help="learning rate (default 0.03)")
    train.add_argument("--batch-size", type=int, default=10, help="mini-batch size (default 10)")
    train.add_argument("--epochs", type=int, default=300, help="epochs to train (default 300)")
    train.add_argument("--l1", type=float, default=0.0, help="L1 regularisation rate")
    train.add_argument("--l2", type=float, default=0.0, help="L2 regularisation rate")
    train.add_argument("--seed", type=int, default=0, help="seed of the weights and batch order")


def parse_int_list(text: str, what: str) -> tuple[int, ...]:
    """'8,8' → (8, 8); '' → (); ValueError naming ``what`` otherwise."""
    parts = [p.strip() for p in str(text).split(",") if p.strip()]
    try:
        return tuple(int(p) for p in parts)
    except ValueError:
        raise ValueError(f"{what} must be comma-separated integers, got {text!r}") from None


def parse_float(text: str, what: str) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a number, got {text!r}") from None


def config_from_args(args: argparse.Namespace, **overrides) -> ExperimentConfig:
    """A validated config from parsed options; ``overrides`` win (e.g. one value of a list)."""
    layers = parse_int_list(args.layers, "--layers")
    activations = [a.strip() for a in str(args.activation).split(",") if a.strip()]
    if len(activations) == 1:
        activations = activations * len(layers)
    values = dict(
        dataset=args.dataset, csv_path=args.csv, csv_target=_target(args.target),
        noise=args.noise, samples=args.samples, test_ratio=args.test_ratio,
        data_seed=args.data_seed,
        features=tuple(f.strip() for f in args.features.split(",") if f.strip()),
        hidden_layers=layers, activations=tuple(activations), init=args.init,
        optimizer=args.optimizer, learning_rate=parse_float(args.lr, "--lr"),
        batch_size=args.batch_size, l1=args.l1, l2=args.l2, seed=args.seed)
    values.update(overrides)
    if args.epochs is not None and args.epochs < 1:
        raise ValueError(f"--epochs must be at least 1, got {args.epochs}")
    config = ExperimentConfig(**values)
    output_activation, loss = TASK_OUTPUTS[_task_of(config)][0]
    return config.replace(output_activation=args.output_activation or output_activation,
                          loss=args.loss or loss)


def _target(text: str | None) -> str | int | None:
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        return text


def _task_of(config: ExperimentConfig) -> str:
    if config.csv_path:
        return load_csv(config.csv_path, target=config.csv_target).task
    return DATASETS[config.dataset].task


class ProgressBar:
    """[#####.....]  40%  text — one line on stderr, redrawn at most 10 times a second."""

    def __init__(self, total: int, width: int = 30, stream=None):
        self.total, self.width = max(total, 1), width
        self.stream = stream if stream is not None else sys.stderr
        self._last = 0.0

    def update(self, done: int, text: str) -> None:
        now = time.perf_counter()
        if done < self.total and now - self._last < 0.1:
            return
        self._last = now
        filled = int(self.width * done / self.total)
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] "
                          f"{100 * done // self.total:3d}%  {text}   ")
        self.stream.flush()

    def finish(self) -> None:
        """End the line, so what follows starts on a fresh one."""
        self.stream.write("\n")
        self.stream.flush()
