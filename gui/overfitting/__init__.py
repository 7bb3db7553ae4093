"""The overfitting lab: naming overfitting, rewinding to the best epoch, and the presets that
provoke it and cure it (dropout, L2, more data, early stopping). The shaded gap and the best
epoch live on the loss plot (``gui.widgets.generalisation``); the per-layer dropout and
batch-norm controls in ``gui.controls.network``. The ensemble of thinned networks and the
batch-norm distributions panel will join this package."""
