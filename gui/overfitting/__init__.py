"""The overfitting lab: naming overfitting, rewinding to the best epoch, and the presets that
provoke it and cure it (dropout, L2, more data, early stopping). The shaded gap and the best
epoch live on the loss plot (``gui.widgets.generalisation``); the per-layer dropout and
batch-norm controls in ``gui.controls.network``. Here too: the boundary's train/eval switch,
the ensemble of thinned networks and the batch-norm distributions panel (its histograms made
by a background worker, painted by hand: ``histogram``), each a dock refreshed while visible (``live_dock``)."""
