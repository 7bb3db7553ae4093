"""``train --model rnn``: a recurrent network on a generated sequence task, headless.

    python main.py train --model rnn --task echo --delay 5 --hidden 16 --epochs 200

The shared options keep their meaning (--activation, --optimizer, --lr,
--batch-size, --epochs, --seed, --init, --test-ratio); --optimizer, --lr and
--batch-size left at the MLP's defaults become adam, 0.01 and 32, which suit
recurrent networks. The output activation and loss follow the task
(linear + mse for regression, sigmoid + cross-entropy for bits, softmax + cross-entropy
for the digits read row by row: ``--task digits``, all 1,797 unless --sequences says fewer). Accuracy is
reported on the steps the task scores (the echo's first k outputs echo nothing).
"""
from __future__ import annotations

import argparse

from model import RECURRENT_INITIALIZERS, RecurrentNetwork, make_optimizer, serialization
from model.data.sequences import SEQUENCE_TASKS, SEQUENCE_OUTPUTS, make_sequence_task, scored_accuracy
from model.lessons.settings import SequenceSetting
from model.training import Trainer

from .options import check_output, parse_float, test_ratio
from .outputs import save_trained
from .progress import train_with_progress

RECURRENT_DEFAULTS = {"optimizer": ("sgd", "adam"), "lr": ("0.03", "0.01"), "batch_size": (10, 32)}


def add_recurrent_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("recurrent network (--model rnn)")
    group.add_argument("--model", choices=("mlp", "rnn", "cnn"), default="mlp",
                       help="the network kind: mlp, rnn (sequences) or cnn (images) (default mlp)")
    group.add_argument("--task", default="echo", help=f"sequence task: {', '.join(SEQUENCE_TASKS)} (default echo)")
    group.add_argument("--sequences", type=int,
                       help="number of sequences (default 1000; the digits: all 1,797)")
    group.add_argument("--steps", type=int, help="sequence length T (default: the task's)")
    group.add_argument("--delay", type=int, help="echo: how many steps back (default 5)")
    group.add_argument("--hidden", type=int, default=16, help="hidden units (default 16)")
    group.add_argument("--truncation", type=int, help="truncated BPTT: back through the last k steps only")
    group.add_argument("--clip", type=float, help="clip the gradient's global norm at the update")
    group.add_argument("--recurrent-init", default="orthogonal",
                       help=f"W_hh: {', '.join(RECURRENT_INITIALIZERS)} (default orthogonal)")
    group.add_argument("--recurrent-scale", type=float,
                       help="W_hh's standard deviation (gaussian) or gain (orthogonal)")


def recurrent_default(args: argparse.Namespace, name: str):
    """The option's value, or — left at the MLP's default — the one that suits rnn and cnn."""
    value = getattr(args, name)
    mlp_default, rnn_default = RECURRENT_DEFAULTS[name]
    return rnn_default if value == mlp_default else value


def training_setting(args: argparse.Namespace) -> tuple[str, float, int]:
    """(optimizer, learning rate, batch size) for rnn and cnn: options left at the MLP's defaults
    become the ones that suit them (``RECURRENT_DEFAULTS``)."""
    rate = parse_float(str(recurrent_default(args, "lr")), "--lr")
    return recurrent_default(args, "optimizer"), rate, recurrent_default(args, "batch_size")


def run_recurrent(args: argparse.Namespace) -> int:
    """Train, with a progress bar; print the table (loss, scored accuracy), time and throughput; --save."""
    save_to = check_output(args.save, "--save")
    spec = SEQUENCE_TASKS.get(args.task)
    sequences = args.sequences or (spec and spec.available) or 1000
    data = make_sequence_task(args.task, sequences, steps=args.steps, seed=args.data_seed, delay=args.delay)
    held_out = test_ratio(args, SequenceSetting)
    split = data.split(held_out, seed=args.data_seed)
    output_activation, loss = SEQUENCE_OUTPUTS[data.task]
    activation = args.activation
    if "," in activation:
        raise ValueError(f"--activation: a recurrent network has one hidden activation, got {activation!r}")
    net = RecurrentNetwork(inputs=data.n_features, hidden=args.hidden, outputs=data.n_outputs,
                           activation=activation, output_activation=output_activation, loss=loss,
                           sequence_output=data.sequence_output, init=args.init,
                           recurrent_init=args.recurrent_init, recurrent_scale=args.recurrent_scale,
                           truncation=args.truncation, clip=args.clip, seed=args.seed)
    optimizer_name, rate, batch_size = training_setting(args)
    trainer = Trainer(net, split.train_inputs, split.train_targets, split.test_inputs, split.test_targets,
                      optimizer=make_optimizer(optimizer_name, rate), batch_size=batch_size, seed=args.seed,
                      task=data.task)
    snapshot, elapsed = train_with_progress(trainer, args.epochs, args.quiet)
    from .train import _number, format_results
    print(f"{data.name} ({data.steps} steps): {net!r}, {optimizer_name} lr {rate:g}, batch {batch_size}")
    rows = [("loss", _number(snapshot.train_loss), _number(snapshot.test_loss))]
    if data.task != "regression":
        scored = [scored_accuracy(net.predict(inputs), targets, data.scored_from) if len(inputs) else None
                  for inputs, targets in ((split.train_inputs, split.train_targets),
                                          (split.test_inputs, split.test_targets))]
        label = "accuracy" if not data.scored_from else f"accuracy (t > {data.scored_from})"
        rows.append((label, _number(scored[0], 3), _number(scored[1], 3)))
    print(format_results(rows))
    samples = snapshot.step * batch_size
    print(f"{snapshot.epoch} epochs, {snapshot.step} steps in {elapsed:.2f} s "
          f"({samples / max(elapsed, 1e-9):,.0f} sequences/s)")
    training = {"task": args.task, "sequences": sequences, "steps": args.steps, "delay": args.delay,
                "data_seed": args.data_seed, "test_ratio": held_out, "optimizer": optimizer_name,
                "learning_rate": rate, "batch_size": batch_size}
    save_trained(save_to, args.save, snapshot.diverged, args.save_diverged,
                 lambda path: serialization.save_model(path, net, training, snapshot.epoch, snapshot.step))
    return 1 if snapshot.diverged else 0
