"""The headless ``train`` command: build, train with a progress bar, print a table, save.

    python main.py train --dataset spiral --layers 8,8 --lr 0.03 --epochs 300 --save net.json

Bad input (options, data, the --save folder) is refused before training, with
exit status 2 and a one-line message; a diverged run exits with status 1.
"""
from __future__ import annotations

import argparse
import math

from model import serialization
from model.experiment import build

from .options import add_experiment_arguments, check_output, experiment_setup
from .outputs import format_table, save_trained
from .progress import train_with_progress
from .convolutional import add_convolutional_arguments, run_convolutional
from .recurrent import add_recurrent_arguments, run_recurrent


def add_train_arguments(parser: argparse.ArgumentParser) -> None:
    add_experiment_arguments(parser)
    parser.add_argument("--save", metavar="FILE", help="save the trained network (JSON) to FILE (every --model)")
    parser.add_argument("--save-diverged", action="store_true",
                        help="save even when training diverged (the last finite weights)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    add_recurrent_arguments(parser)
    add_convolutional_arguments(parser)


def format_results(rows: list[tuple[str, str, str]]) -> str:
    """A plain-text table of (quantity, train, test) rows."""
    return format_table(("", "train", "test"), rows)


def _number(value: float | None, digits: int = 4) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and math.isnan(value):
        return "—"
    return f"{value:.{digits}f}" if abs(value) < 1e4 else f"{value:.3g}"


def run_train(args: argparse.Namespace) -> int:
    """The `train` command: build, train with a progress bar, print the table."""
    if args.model == "rnn":
        return run_recurrent(args)
    if args.model == "cnn":
        return run_convolutional(args)
    config, data = experiment_setup(args)
    save_to = check_output(args.save, "--save")
    experiment = build(config, data)
    trainer = experiment.trainer
    snapshot, elapsed = train_with_progress(trainer, args.epochs, args.quiet)
    if snapshot.stopped_early:
        stopped = snapshot.epoch
        best = trainer.restore_best()
        snapshot = trainer.snapshot()
        print(f"early stopping: stopped at epoch {stopped} ({config.early_stopping} epochs without a "
              f"better test loss); kept the weights of epoch {best}")
    net = experiment.net
    extras = "".join(f", {what} {list(values)}" for what, values in
                     (("dropout", net.dropout), ("batch norm", net.batch_norm)) if any(values))
    print(f"{experiment.data.name}: {net.sizes} {', '.join(net.activation_names) or 'no hidden layer'}"
          f" → {net.output_activation.name}, {net.loss_function.name}, {config.optimizer} lr "
          f"{config.learning_rate:g}, batch {config.batch_size}{extras}")
    rows = [("loss", _number(snapshot.train_loss), _number(snapshot.test_loss))]
    if experiment.task != "regression":
        rows.append(("accuracy", _number(snapshot.train_accuracy, 3), _number(snapshot.test_accuracy, 3)))
    print(format_results(rows))
    samples = snapshot.step * config.batch_size
    print(f"{snapshot.epoch} epochs, {snapshot.step} steps in {elapsed:.2f} s "
          f"({samples / max(elapsed, 1e-9):,.0f} samples/s)")
    save_trained(save_to, args.save, snapshot.diverged, args.save_diverged,
                 lambda path: serialization.save(path, config, net, epoch=snapshot.epoch, step=snapshot.step))
    return 1 if snapshot.diverged else 0
