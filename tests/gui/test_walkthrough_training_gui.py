"""The walkthrough of a dropout + batch-norm network in the window: a training step on a
mini-batch, its masks greyed in the network view, every step playable."""
import numpy as np

from gui.walkthrough.mode import WalkthroughMode, mini_batch
from model.config import ExperimentConfig


def _window(make_window, **changes):
    config = ExperimentConfig(hidden_layers=(4, 3), activations=("tanh", "tanh"), dropout=(0.5, 0.0),
                              batch_norm=(True, False), batch_size=4, **changes)
    window = make_window(config)
    mode = window.add_workspace(WalkthroughMode)
    mode.enter()
    return window, mode


def test_the_dropout_step_greys_the_followed_samples_dropped_units(make_window):
    window, mode = _window(make_window)
    tour, panel, view = mode.tour, mode.panel, window.network_view
    assert tour.training and tour.batch_size == 4
    assert "mini-batch of 4" in panel.note.text()
    rows = mini_batch(window.experiment.trainer.train_inputs, window.experiment.trainer.train_targets,
                      tour.inputs, 3, window.config.seed)[0]
    np.testing.assert_array_equal(tour.trace.a[0][1:], rows)        # the rest of the batch
    dropout = next(s for s in tour.steps if (s.phase, s.kind) == ("forward", "dropout"))
    panel.player.set_index(dropout.index - 1)                        # before it: no mask yet
    assert not view.dropout_mask.shown
    panel.player.set_index(dropout.index)
    kept = tour.dropout_kept(1)
    np.testing.assert_array_equal(view.dropout_mask.kept[1], kept)
    assert view.dropout_mask.scale_texts(1) == ["×2"] * int(kept.sum())
    assert "1/(1 − 0.5)" in panel.math.formula_text() or "dropped" in panel.math.formula_text()
    assert "1/(1−p)" in view._legend.text()
    for index in range(len(tour)):                                  # every step plays
        panel.player.set_index(index)
        assert panel.math.title_text() == tour.steps[index].title
    update = tour.first_index("update")
    panel.player.set_index(update)
    assert not view.dropout_mask.shown                               # the update shows weights only
    panel.player.set_index(tour.first_index("backward"))
    assert view.dropout_mask.shown
    mode.exit()
    assert not view.dropout_mask.shown


def test_dropout_alone_with_batches_of_one_walks_through_one_sample_in_training_mode(make_window):
    window, mode = _window(make_window)
    window.load_config(window.config.replace(batch_norm=(False, False), batch_size=1))
    tour = mode.tour
    assert tour.training and tour.batch_size == 1 and "mini-batch of 1" in mode.panel.note.text()
    assert not any(s.kind == "batch_norm" for s in tour.steps)
    assert [s.phase for s in tour.steps if s.kind == "dropout"] == ["forward", "backward"]


def test_the_legend_names_the_factor_of_the_masked_columns_only(make_window):
    window, mode = _window(make_window, )
    window.load_config(window.config.replace(dropout=(0.5, 0.25)))
    tour, view = mode.tour, window.network_view
    first, second = [s.index for s in tour.steps if (s.phase, s.kind) == ("forward", "dropout")]
    mode.panel.player.set_index(first)
    assert "×2 for p = 0.5" in view._legend.text() and "p = 0.25" not in view._legend.text()
    mode.panel.player.set_index(second)
    assert "×1.33 for p = 0.25" in view._legend.text()
    assert view.dropout_mask.kept[2] is not None
