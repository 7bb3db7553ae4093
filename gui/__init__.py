"""Backprop Studio's window: PySide6 + pyqtgraph views of the model's immutable snapshots.

Where things live (each subpackage's docstring says more):

* ``app.py``, ``main_window.py`` — the entry point and the shell (menus, docks, central area);
  ``workspace.py`` — the small interface a workspace or mode uses of the window.
* ``window/`` — parts of the shell: actions and menus, saved window settings, File-menu commands
  (opening a CSV or session file — Open CSV…, Open recent, a file dropped on the window —,
  saving and opening networks and sessions, export).
* ``training/`` — the background training worker, frame pacing, the status bar.
* ``network/`` — the network diagram (``NetworkView``) and the small objects it is made of.
* ``widgets/`` — views shared by workspaces: colours, the loss plot, the decision boundary.
* ``controls/`` — the control panel that edits the experiment's config, one group per file.
* ``walkthrough/`` — stepping through one forward and backward pass with its numbers.
* ``compare/`` — runs that differ in one or two settings, trained side by side.
* ``landscape/`` — the optimisation lab: the loss landscape with its path, the step along
  −∇L, gradient health; computed in a thread of its own.

Coming workspaces get a subpackage of their own beside these, joining the window only
through ``workspace.py``: ``convolution/`` (the CNN on 8×8 digits: feature maps,
kernels), ``recurrent/`` (the RNN unrolled through time) and ``lessons/`` (checked
lessons: setup, prediction, goal).
"""
