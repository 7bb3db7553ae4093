"""Backprop Studio: the app by default, headless sub-commands for scripts.

    python main.py                         # the window, on a built-in data set
    python main.py train --dataset spiral --layers 8,8 --lr 0.03 --epochs 300
    python main.py compare --activation sigmoid,tanh,relu --lr 0.003,0.03,0.3 --out compare.png
"""
from __future__ import annotations

import argparse
import math
import sys
import time


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line (exit status 2)."""

    def error(self, message: str):
        self.exit(2, f"error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    from model.arguments import add_experiment_arguments

    parser = _Parser(prog="backprop-studio", description=(
        "See how a neural network learns. Without a sub-command, opens the window."))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    gui = commands.add_parser("gui", help="open the window (the default)")
    gui.add_argument("--reset-settings", action="store_true", help="forget the saved layout and setting")
    train = commands.add_parser("train", help="train headless and print the final losses")
    add_experiment_arguments(train)
    train.add_argument("--save", metavar="FILE", help="save the trained network (JSON) to FILE")
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    compare = commands.add_parser("compare", help="train several settings side by side; PNG + CSV")
    try:
        from gui.compare_command import add_compare_arguments
    except ImportError:   # the comparison is optional: train and the window work without it
        compare.set_defaults(unavailable=True)
    else:
        add_compare_arguments(compare)
    return parser


def format_results(rows: list[tuple[str, str, str]]) -> str:
    """A plain-text table of (quantity, train, test) rows."""
    header = ("", "train", "test")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
    lines = ["  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in
                       enumerate(zip(row, widths))) for row in [header, *rows]]
    return "\n".join(lines)


def _number(value: float | None, digits: int = 4) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and math.isnan(value):
        return "—"
    return f"{value:.{digits}f}" if abs(value) < 1e4 else f"{value:.3g}"


def run_train(args: argparse.Namespace) -> int:
    """The `train` command: build, train with a progress bar, print the table."""
    from model import serialization
    from model.arguments import ProgressBar, config_from_args
    from model.experiment import build

    config = config_from_args(args)
    experiment = build(config)
    trainer = experiment.trainer
    started = time.perf_counter()
    snapshot = trainer.snapshot()
    bar = None if args.quiet else ProgressBar(args.epochs)
    for snapshot in trainer.run(epochs=args.epochs):
        if bar:
            bar.update(snapshot.epoch, f"epoch {snapshot.epoch}  loss {snapshot.train_loss:.4f}")
    if bar:
        bar.finish()
    elapsed = time.perf_counter() - started
    if snapshot.diverged:
        print(snapshot.divergence.message, file=sys.stderr)
    net = experiment.net
    print(f"{experiment.data.name}: {net.sizes} {', '.join(net.activation_names) or 'no hidden layer'}"
          f" → {net.output_activation.name}, {net.loss_function.name}, {config.optimizer} lr "
          f"{config.learning_rate:g}, batch {config.batch_size}")
    rows = [("loss", _number(snapshot.train_loss), _number(snapshot.test_loss))]
    if experiment.task != "regression":
        rows.append(("accuracy", _number(snapshot.train_accuracy, 3), _number(snapshot.test_accuracy, 3)))
    print(format_results(rows))
    samples = snapshot.step * config.batch_size
    print(f"{snapshot.epoch} epochs, {snapshot.step} steps in {elapsed:.2f} s "
          f"({samples / max(elapsed, 1e-9):,.0f} samples/s)")
    if args.save:
        serialization.save(args.save, config, net, epoch=snapshot.epoch, step=snapshot.step)
        print(f"saved to {args.save}")
    return 1 if snapshot.diverged else 0


def run_gui(args: argparse.Namespace) -> int:
    from gui.app import run

    return run(sys.argv[:1], reset_settings=getattr(args, "reset_settings", False))


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "train":
            return run_train(args)
        if args.command == "compare":
            if getattr(args, "unavailable", False):
                print("error: the compare command is not available in this build", file=sys.stderr)
                return 2
            from gui.compare_command import run_compare
            return run_compare(args)
        return run_gui(args)
    except (ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
