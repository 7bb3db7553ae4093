"""The entry point: parse the command line and run the window or a headless command."""
from __future__ import annotations

import argparse
import signal
import sys


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line (exit status 2)."""

    def error(self, message: str):
        self.exit(2, f"error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    from .compare import add_compare_arguments
    from .landscape import add_landscape_arguments
    from .lessons import add_lessons_arguments
    from .train import add_train_arguments

    parser = _Parser(prog="backprop-studio", description=(
        "See how a neural network learns. Without a sub-command, opens the window."))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    gui = commands.add_parser("gui", help="open the window (the default)")
    gui.add_argument("--reset-settings", action="store_true", help="forget the saved layout and setting")
    add_train_arguments(commands.add_parser("train", help="train headless and print the final losses"))
    add_compare_arguments(commands.add_parser(
        "compare", help="train several settings side by side; PNG + CSV"))
    add_landscape_arguments(commands.add_parser(
        "landscape", help="train, then draw the loss landscape with the path taken; PNG + CSV"))
    add_lessons_arguments(commands.add_parser(
        "lessons", help="list the lessons in a folder; --check runs their reference solutions"))
    return parser


def _terminate(signum, frame) -> None:
    """SIGTERM ends a headless command as Ctrl+C does: nothing partial is left behind."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in (None, "gui"):
        from .window import run_gui
        return run_gui(reset_settings=getattr(args, "reset_settings", False))
    signal.signal(signal.SIGTERM, _terminate)
    try:
        if args.command == "train":
            from .train import run_train
            return run_train(args)
        if args.command == "lessons":
            from .lessons import run_lessons
            return run_lessons(args)
        if args.command == "landscape":
            from .landscape import run_landscape
            return run_landscape(args)
        from .compare import run_compare
        return run_compare(args)
    except (ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
