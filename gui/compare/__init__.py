"""Compare side by side: a window of runs that differ in one or two settings (activation ×
learning rate by default), trained in lock-step from the same initial weights in one worker;
per-run panels, overlaid loss curves, the ranking table, and the mode that opens it from the
main window and loads a chosen run back into it.
"""
