"""Backprop Studio: the app by default, headless sub-commands for scripts.

    python main.py                         # the window, on a built-in data set
    python main.py train --dataset spiral --layers 8,8 --lr 0.03 --epochs 300
    python main.py compare --activation sigmoid,tanh,relu --lr 0.003,0.03,0.3 --out compare.png

The command line lives in the ``cli`` package.
"""
import sys

from cli import main

if __name__ == "__main__":
    sys.exit(main())
