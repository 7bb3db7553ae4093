"""``train --model cnn``: a convolutional network on an image set (the shipped 8 × 8 digits), headless.

    python main.py train --model cnn --images digits --conv-layers conv8x3,relu,pool2,dense10 --epochs 5

The last dense layer gets one unit per class when the spec's last entry is not a dense layer
of that size already. --optimizer, --lr and --batch-size left at the MLP's defaults become
adam, 0.01 and 32 (as for ``--model rnn``).
"""
from __future__ import annotations

import argparse

from model import ConvNet, make_optimizer, serialization
from model.data.images import IMAGE_DATASETS, load_images
from model.lessons.settings import ConvolutionSetting
from model.networks.conv import parse_layers
from model.training import Trainer

from .options import check_output, test_ratio
from .outputs import save_trained
from .progress import train_with_progress
from .recurrent import training_setting

DEFAULT_LAYERS = "conv8x3,relu,pool2,conv16x3,relu,pool2"


def add_convolutional_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("convolutional network (--model cnn)")
    group.add_argument("--images", default="digits", help=f"image set: {', '.join(IMAGE_DATASETS)} (default digits)")
    group.add_argument("--conv-layers", default=DEFAULT_LAYERS, metavar="SPEC",
                       help=f"layers, e.g. {DEFAULT_LAYERS},dense10 (a dense layer with one unit per "
                            "class is added at the end when missing)")


def run_convolutional(args: argparse.Namespace) -> int:
    """Train, with a progress bar; print the table (loss, accuracy), time and throughput; --save."""
    save_to = check_output(args.save, "--save")
    images = load_images(args.images, args.data_seed)
    data = images.data()
    held_out = test_ratio(args, ConvolutionSetting)
    split = data.split(held_out, seed=args.data_seed)
    classes = len(images.class_names)
    spec = parse_layers(args.conv_layers)
    if spec[-1] != ("dense", classes):
        if spec[-1][0] == "dense":
            raise ValueError(f"--conv-layers: the last dense layer needs {classes} units, one per class "
                             f"of {images.name}, got {spec[-1][1]}")
        spec += ([] if ("flatten",) in spec else [("flatten",)]) + [("dense", classes)]
    net = ConvNet(images.shape, spec, output_activation="softmax", loss="cross_entropy", seed=args.seed)
    optimizer_name, rate, batch_size = training_setting(args)
    trainer = Trainer(net, split.train_points, split.train_targets, split.test_points, split.test_targets,
                      optimizer=make_optimizer(optimizer_name, rate), batch_size=batch_size, seed=args.seed,
                      task="multiclass", patience=args.early_stopping)
    snapshot, elapsed = train_with_progress(trainer, args.epochs, args.quiet)
    from .train import _number, format_results
    print(f"{images.name} {images.shape}: {net!r}, {optimizer_name} lr {rate:g}, batch {batch_size}")
    print(format_results([("loss", _number(snapshot.train_loss), _number(snapshot.test_loss)),
                          ("accuracy", _number(snapshot.train_accuracy, 3), _number(snapshot.test_accuracy, 3))]))
    samples = snapshot.step * batch_size
    print(f"{snapshot.epoch} epochs, {snapshot.step} steps in {elapsed:.2f} s "
          f"({samples / max(elapsed, 1e-9):,.0f} images/s)")
    training = {"images": args.images, "data_seed": args.data_seed, "test_ratio": held_out,
                "optimizer": optimizer_name, "learning_rate": rate, "batch_size": batch_size}
    save_trained(save_to, args.save, snapshot.diverged, args.save_diverged,
                 lambda path: serialization.save_model(path, net, training, snapshot.epoch, snapshot.step))
    return 1 if snapshot.diverged else 0
