"""Three architectures, one data set (issue 15): an MLP, the CNN and the row-by-row RNN on the
8 × 8 digits, from the same seed, on the same split, with the same optimiser and epochs.

The networks are ``model.architectures.ARCHITECTURES`` (about 2,000 parameters each). A row
gives the parameter count, train and test accuracy after the epochs, and the wall time
per epoch of the training steps (one after the other in this process; on a shared
machine compare the rows of one run only).

    python benchmarks/digits_architectures.py [--epochs 20] [--seed 0] [--test-ratio 0.2]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from model.architectures import train_architectures  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--test-ratio", type=float, default=0.2)
    args = parser.parse_args()
    results = train_architectures(args.epochs, args.seed, args.test_ratio)
    print(f"8×8 digits (1,797 images, test share {args.test_ratio:g}, seed {args.seed}), Adam 0.01, batch 32, "
          f"{args.epochs} epochs")
    print(f"| {'model':5} | {'network':66} | {'parameters':>10} | {'train acc':>9} | {'test acc':>8} "
          f"| {'s/epoch':>7} |")
    print(f"|{'-' * 7}|{'-' * 68}|{'-' * 12}|{'-' * 11}|{'-' * 10}|{'-' * 9}|")
    for r in results:
        print(f"| {r.name:5} | {r.description:66} | {r.parameters:10,} | {r.train_accuracy:9.1%} "
              f"| {r.test_accuracy:8.1%} | {r.seconds_per_epoch:7.3f} |")


if __name__ == "__main__":
    main()
