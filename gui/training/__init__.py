"""Training in the background: the worker thread that runs the model's training generator,
the controller that delivers its snapshots on the GUI thread, the pacing of repaints (at most
~30 a second) and the status bar that reports epoch, loss and speed.
"""
