"""The headless ``compare`` command: train runs side by side, write a PNG and a CSV.

    python main.py compare --dataset spiral --activation sigmoid,tanh,relu \\
                           --lr 0.003,0.03,0.3 --epochs 300 --out compare.png --results compare.csv

Any of --activation, --lr, --optimizer, --batch-size given a comma list (and
--layers given shapes separated by semicolons, "8,8;4;8,8,8") is varied; at
most two at a time, every combination is one run. The other options are the
train command's (the data options included: --csv FILE --target COL).
Progress goes to stderr, the ranking to stdout. The PNG is the comparison
window's grid, curves and ranking, drawn offscreen with the same widgets.
Outputs are written to temporary files renamed at the very end: bad input
exits with status 2 and a one-line message, and writes nothing.

With ``--model cnn`` the runs are ConvNets on an image set (``--dataset digits`` or ``bars``,
``--conv-layers`` the layers before the output): only the settings
``model.compared_models.varied_settings("cnn")`` names can vary (learning rate, optimizer, batch
size, seed, training share) — any other given a list is refused in one line. --optimizer, --lr
and --batch-size left at the MLP's defaults become adam, 0.01 and 32 (as for ``train --model
cnn``); the PNG is the ConvNet comparison window's (per run its kernels, the curves, the ranking).

Qt (and the comparison window) is imported only to draw the PNG.
"""
from __future__ import annotations

import argparse
import csv
import math
import sys
import time

from model.activations import ACTIVATIONS
from model.comparison import Comparison
from model.compared_models import FAMILIES
from model.variations import SETTINGS, Variation
from model.comparison_results import ComparisonSnapshot
from model.config import ExperimentConfig, SettingError
from model.data.images import IMAGE_DATASETS
from model.datasets import Data
from model.lessons.settings import ConvolutionSetting
from model.optimizers import OPTIMIZERS

from .offscreen import grab, offscreen_application, save_png
from .options import add_experiment_arguments, check_output, experiment_setup, parse_float, test_ratio
from .outputs import write_outputs
from .progress import ProgressBar
from .convolutional import DEFAULT_LAYERS
from .recurrent import training_setting

#: (setting, argparse dest) of the options that may carry several values.
VARIABLE_OPTIONS = (("activations", "activation"), ("learning_rate", "lr"), ("optimizer", "optimizer"),
                    ("batch_size", "batch_size"), ("hidden_layers", "layers"), ("dropout", "dropout"),
                    ("batch_norm", "batch_norm"), ("l2", "l2"), ("seed", "seed"))
CSV_NAMES = {"activations": "activation"}
#: The option that sets each ``ConvolutionSetting`` field (messages name the option).
CONV_OPTIONS = {"images": "--dataset", "layers": "--conv-layers", "optimizer": "--optimizer",
                "learning_rate": "--lr", "batch_size": "--batch-size", "test_ratio": "--test-ratio",
                "seed": "--seed"}
DEFAULT_SIZE = "1600x1000"


def add_compare_arguments(parser: argparse.ArgumentParser) -> None:
    """The train command's options, the varied ones taking lists, plus the outputs."""
    parser.description = ("Train runs that differ in one or two settings side by side, from the same "
                          "initial weights and the same mini-batches. Give --activation, --lr, "
                          "--optimizer, --batch-size, --dropout, --batch-norm, --l2 or --train-share a comma list "
                          "(--layers: shapes separated by ';') to vary it. --model cnn compares ConvNets on "
                          "an image set (--dataset digits), varying --lr, --optimizer, --batch-size, --seed "
                          "or --train-share.")
    parser.epilog = ("example: compare --dataset spiral --activation sigmoid,tanh,relu "
                     "--lr 0.003,0.03,0.3 --epochs 300 --out compare.png --results compare.csv")
    add_experiment_arguments(parser)
    parser.add_argument("--model", choices=tuple(FAMILIES), default="mlp",
                        help="the networks compared: mlp, or cnn (ConvNets on an image set: --dataset "
                             f"{' or '.join(IMAGE_DATASETS)}) (default mlp)")
    parser.add_argument("--conv-layers", default=DEFAULT_LAYERS, metavar="SPEC",
                        help=f"--model cnn: the layers before the output (default {DEFAULT_LAYERS}; a dense "
                             "layer with one unit per class is added)")
    parser.add_argument("--train-share", default=None, metavar="SHARES",
                        help="share of the data used for training, the rest tests (instead of "
                             "--test-ratio); a comma list compares them, e.g. 0.2,0.5,0.8")
    for action in parser._actions:           # these take a list here, so they are text
        if action.dest == "batch_size":
            action.type, action.default = str, "10"
        if action.dest in ("l2", "seed"):
            action.type, action.default = str, "0"
        if action.dest == "dataset":          # spiral for the MLP, digits for the ConvNet
            action.default = None
    helps = {"activation": f"hidden activation ({', '.join(ACTIVATIONS)}); a comma list compares "
                           "them, e.g. sigmoid,tanh,relu",
             "lr": "learning rate; a comma list compares them, e.g. 0.003,0.03,0.3",
             "optimizer": f"{', '.join(OPTIMIZERS)}; a comma list compares them",
             "batch_size": "mini-batch size; a comma list compares them, e.g. 1,10,50",
             "layers": "hidden layer sizes, e.g. 8,8; shapes separated by ';' compare them, e.g. '4;8,8'",
             "dropout": "dropout rate of every hidden layer; a comma list compares them, e.g. 0,0.2,0.5",
             "batch_norm": "batch normalisation of every hidden layer: 1 or 0; 0,1 compares them",
             "l2": "L2 regularisation rate; a comma list compares them, e.g. 0,0.001,0.01",
             "seed": "seed of the initial weights; a comma list compares them (local minima), "
                     "e.g. 0,1,2,3"}
    for action in parser._actions:
        if action.dest in helps:
            action.help = helps[action.dest]
    output = parser.add_argument_group("output")
    output.add_argument("--out", metavar="PNG", help="write the grid, curves and ranking as a PNG")
    output.add_argument("--results", metavar="CSV",
                        help="write one row per run and epoch: run, the varied settings, epoch, "
                             "train_loss, test_loss, accuracy")
    output.add_argument("--size", default=DEFAULT_SIZE, metavar="WxH",
                        help=f"size of the PNG in pixels (default {DEFAULT_SIZE})")
    output.add_argument("--quiet", action="store_true", help="no progress bar")


def comparison_setup(args: argparse.Namespace) -> tuple[ExperimentConfig | ConvolutionSetting, list[Variation]]:
    """The base setting and the varied settings; ValueError on bad input."""
    base, variations, _ = _setup(args)
    return base, variations


def _setup(args: argparse.Namespace) -> tuple[ExperimentConfig | ConvolutionSetting, list[Variation],
                                               Data | None]:
    """The base setting, the varied settings and the data (read once; None: the comparison reads it)."""
    base_args = argparse.Namespace(**vars(args))
    model = getattr(args, "model", "mlp")
    if base_args.dataset is None:
        base_args.dataset = "digits" if model == "cnn" else "spiral"
    variations = []
    for setting, dest in VARIABLE_OPTIONS:
        text = str(getattr(args, dest))
        if SETTINGS[setting].separator not in text:
            continue
        variation = Variation.parse(setting, text)
        first = variation.values[0]
        if setting == "hidden_layers":
            value = ",".join(map(str, first))
        elif setting == "batch_norm":
            value = "1" if first else "0"
        else:
            value = repr(first) if setting in ("learning_rate", "l2") else first
        setattr(base_args, dest, value)
        if len(variation.values) > 1:
            variations.append(variation)
    if args.train_share is not None:            # the training share, as 1 − test ratio
        variation = Variation.parse("train_share", str(args.train_share))
        base_args.test_ratio = round(1.0 - variation.values[0], 6)
        if len(variation.values) > 1:
            variations.append(variation)
    if len(variations) > 2:
        names = ", ".join(SETTINGS[v.setting].option for v in variations)
        raise ValueError(f"vary at most two settings at a time; {names} all have several values")
    for dest, option in (("batch_size", "--batch-size"), ("seed", "--seed")):
        try:
            setattr(base_args, dest, int(getattr(base_args, dest)))
        except ValueError:
            raise ValueError(f"{option} must be a whole number, got {getattr(args, dest)!r}") from None
    base_args.l2 = parse_float(str(base_args.l2), "--l2")
    if model == "cnn":
        return _conv_setting(base_args), variations, None
    base, data = experiment_setup(base_args)
    return base, variations, data


def _conv_setting(args: argparse.Namespace) -> ConvolutionSetting:
    """The ConvNet's base setting from the options (the first value of each list)."""
    if args.dataset not in IMAGE_DATASETS:
        raise ValueError(f"--dataset: a ConvNet compares on an image set: {', '.join(IMAGE_DATASETS)}; "
                         f"got {args.dataset!r}")
    if args.epochs is not None and args.epochs < 1:
        raise ValueError(f"--epochs must be at least 1, got {args.epochs}")
    optimizer, rate, batch_size = training_setting(args)
    try:
        return ConvolutionSetting.from_dict({
            "images": args.dataset, "layers": args.conv_layers, "optimizer": optimizer, "learning_rate": rate,
            "batch_size": batch_size, "test_ratio": test_ratio(args, ConvolutionSetting), "seed": args.seed})
    except SettingError as error:
        raise ValueError(f"{CONV_OPTIONS.get(error.field, '--conv-layers')}: {error}") from None


def parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise ValueError(f"--size must look like 1600x1000, got {text!r}") from None
    if not (400 <= width <= 8000 and 300 <= height <= 8000):
        raise ValueError(f"--size must be between 400x300 and 8000x8000, got {text!r}")
    return width, height


# -- outputs ------------------------------------------------------------------------

def ranking_text(snapshot: ComparisonSnapshot, title: str) -> str:
    header = ("#", "run", "test loss", "accuracy", "train loss", "gap", "best test loss", "at epoch",
              "status")
    rows = [header]
    for rank, state in enumerate(snapshot.ranking(), 1):
        status = f"diverged at epoch {state.divergence.epoch}" if state.diverged else ""
        rows.append((str(rank), state.label, _number(state.loss), _percent(state.accuracy),
                     _number(state.train_loss), _number(state.gap), _number(state.best_loss),
                     str(state.best_epoch), status))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) if i in (1, 8) else cell.rjust(w)
                       for i, (cell, w) in enumerate(zip(row, widths))).rstrip() for row in rows]
    return "\n".join([title, *lines])


def write_results(snapshot: ComparisonSnapshot, stream) -> int:
    """One row per run and trained epoch (1 …); returns the number of rows."""
    settings = [v.setting for v in snapshot.variations]
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["run", *(CSV_NAMES.get(s, s) for s in settings), "epoch", "train_loss",
                     "test_loss", "accuracy"])
    history = snapshot.history
    count = 0
    for state in snapshot.runs:
        values = [",".join(map(str, v)) if isinstance(v, tuple) else v
                  for v in (state.values[s] for s in settings)]
        for epoch in range(1, state.epoch + 1):
            train_loss, test_loss = (history[key][state.index, epoch] for key in ("train_loss", "test_loss"))
            accuracy = history["test_accuracy"][state.index, epoch]
            if not math.isfinite(accuracy):
                accuracy = history["train_accuracy"][state.index, epoch]
            writer.writerow([state.index + 1, *values, epoch, _csv(train_loss), _csv(test_loss),
                             _csv(accuracy)])
            count += 1
    return count


def render_png(comparison: Comparison, path: str, size: tuple[int, int]) -> None:
    """Draw the comparison window's central widget offscreen (no display needed) into ``path``."""
    with offscreen_application() as app:
        if comparison.family.name == "cnn":
            from gui.convolution.compare_window import ConvCompareWindow as CompareWindow
        else:
            from gui.compare.window import CompareWindow

        window = CompareWindow(comparison.base, comparison.variations, comparison=comparison, train=False)
        central = window.centralWidget()
        window.resize(*size)
        window.show()
        app.processEvents()
        window.resize(size[0] + window.width() - central.width(),
                      size[1] + window.height() - central.height())
        image = grab(app, window, part=central)
    save_png(image, path)


# -- the command ------------------------------------------------------------------------

def run_compare(args: argparse.Namespace) -> int:
    """Validate, train every run with a progress bar, print the ranking, write the outputs."""
    try:
        base, variations, data = _setup(args)
        size = parse_size(args.size)
        out, results = check_output(args.out, "--out"), check_output(args.results, "--results")
        comparison = Comparison(base, variations, data=data)
    except (ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    bar = None if args.quiet else ProgressBar(args.epochs)
    for epoch in range(1, args.epochs + 1):
        comparison.run_epoch()
        if bar:
            bar.update(epoch, f"epoch {epoch}  {len(comparison.alive)}/{len(comparison.runs)} runs training")
        if comparison.finished:
            break
    if bar:
        bar.finish()
    elapsed = time.perf_counter() - started
    snapshot = comparison.snapshot()
    name = (f"{base.images}, ConvNets" if isinstance(base, ConvolutionSetting) else
            f"CSV {base.csv_path}" if base.csv_path else base.dataset)
    print(ranking_text(snapshot, f"{name}: {len(comparison.runs)} runs, {comparison.epoch} epochs in "
                                 f"{elapsed:.2f} s; lowest test loss first"))
    for state in snapshot.runs:
        if state.diverged:
            print(state.divergence.message, file=sys.stderr)
    return write_outputs(results, lambda stream: write_results(snapshot, stream),
                         out, lambda path: render_png(comparison, path, size))


def _number(value: float) -> str:
    return f"{value:.4g}" if math.isfinite(value) else "—"


def _percent(value: float) -> str:
    return f"{100 * value:.1f} %" if math.isfinite(value) else "—"


def _csv(value: float) -> str:
    return repr(float(value)) if math.isfinite(value) else ""
