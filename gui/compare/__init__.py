"""Compare side by side: a window of runs that differ in one or two settings (activation ×
learning rate by default), trained in lock-step from the same initial weights in one worker.

``comparison_window`` is what every kind of network's comparison window shares (with
``setup_bar``: what to vary); ``window`` is the MLPs' (per-run panels, ``side_tabs`` with the
shared loss landscape and the solutions); the overlaid loss curves (``plot``), the ranking
table (``table``), the worker, and the mode that opens the window from the main window and
loads a chosen run back into it (``mode``).
"""
