"""The command line: argument parsing, the progress bar and the headless commands.

``main(argv)`` is the entry point (``python main.py …``, the ``backprop-studio``
script): without a sub-command it opens the window; ``train`` and ``compare``
run headless. This package imports Qt only to open the window or to draw the
comparison's PNG; ``model/`` never imports it (nor argparse).
"""
from .main import build_parser, main

__all__ = ["build_parser", "main"]
