"""The batched comparison engine against the single-run engine it must reproduce."""
import math

import numpy as np
import pytest

from model import ACTIVATIONS, Network
from model.losses import get_loss
from model.networks import Sequential, mlp_layers
from model.optimizers import make_optimizer
from model.comparison import Comparison
from model.variations import MAX_RUNS, SETTINGS, Variation, make_runs
from model.config import ExperimentConfig
from model.experiment import build

BASE = ExperimentConfig(dataset="spiral", samples=120, hidden_layers=(6, 5), activations=("tanh",),
                        output_activation="tanh", loss="mse", learning_rate=0.03, batch_size=10)


def comparison(base=BASE, **variations) -> Comparison:
    return Comparison(base, [Variation.parse(name, text) for name, text in variations.items()])


def trained_alone(config: ExperimentConfig, epochs: int):
    """The same setting trained by model.training.Trainer, one snapshot per epoch."""
    experiment = build(config)
    return experiment, list(experiment.trainer.run(epochs=epochs))


# -- identical start, lock-step ----------------------------------------------------

def test_every_run_starts_from_the_weights_network_draws_for_its_seed():
    c = comparison(activations="sigmoid,tanh,relu", learning_rate="0.003,0.03,0.3")
    reference = Network([2, 6, 5, 1], activation="relu", output_activation="tanh", seed=BASE.seed,
                        init=BASE.init).params
    for run in c.runs:
        np.testing.assert_array_equal(c.params(run.index), reference)
        assert run.config.seed == BASE.seed
    stacked = np.vstack([stack.net.params for stack in c._stacks])
    assert stacked.shape == (9, reference.size)
    assert (stacked == reference).all()


def test_runs_of_different_shapes_share_the_weights_where_the_shapes_agree():
    c = comparison(hidden_layers="6,5;6,5,4;6")
    first_layer = slice(0, 3 * 6)            # [W; b] of layer 0: (2 + 1) × 6 in every run
    blocks = [c.params(run.index)[first_layer] for run in c.runs]
    for block in blocks[1:]:
        np.testing.assert_array_equal(block, blocks[0])
    for run in c.runs:
        sizes = [2, *run.config.hidden_layers, 1]
        np.testing.assert_array_equal(c.params(run.index),
                                      Network(sizes, output_activation="tanh", seed=BASE.seed).params)


def test_runs_advance_in_lock_step():
    c = comparison(activations="sigmoid,relu", learning_rate="0.01,0.1")
    steps_per_epoch = math.ceil(60 / BASE.batch_size)
    for epoch in range(1, 5):
        c.run_epoch()
        snapshot = c.snapshot()
        assert {state.step for state in snapshot.runs} == {epoch * steps_per_epoch}
        assert {state.epoch for state in snapshot.runs} == {epoch}
        assert snapshot.history["train_loss"].shape == (4, epoch + 1)


def test_different_batch_sizes_share_the_epochs_and_the_sample_order():
    c = comparison(batch_size="1,7,60")
    for _ in range(2):
        c.run_epoch()
    steps = [state.step for state in c.snapshot().runs]
    assert steps == [2 * 60, 2 * math.ceil(60 / 7), 2 * 1]
    assert len(c._stacks) == 3


# -- the same numbers as Trainer -------------------------------------------------------

@pytest.mark.parametrize("variations", [
    dict(activations="sigmoid,tanh,relu", learning_rate="0.003,0.03,0.3"),
    dict(optimizer="sgd,momentum,adam", activations="elu,swish"),
    dict(batch_size="1,7,25", learning_rate="0.01,0.1"),
    dict(hidden_layers="none;4;3,3,3", activations="leaky_relu,softplus"),
    dict(activations="sine,linear,leaky_relu,elu", learning_rate="0.01,0.1"),
    dict(train_share="0.3,0.5,1", learning_rate="0.01,0.1"),
])
def test_batched_training_gives_the_numbers_of_training_each_run_alone(variations):
    base = BASE.replace(l2=0.001)
    c = comparison(base, **variations)
    for _ in range(3):
        c.run_epoch()
    snapshot = c.snapshot()
    for run, state in zip(c.runs, snapshot.runs):
        experiment, snapshots = trained_alone(run.config, 3)
        np.testing.assert_allclose(state.params, experiment.net.params, rtol=0, atol=1e-10)
        assert state.step == snapshots[-1].step
        np.testing.assert_allclose(snapshot.history["train_loss"][run.index, 1:],
                                   [s.train_loss for s in snapshots], rtol=1e-10)
        np.testing.assert_allclose(snapshot.history["test_accuracy"][run.index, 1:],
                                   [s.test_accuracy for s in snapshots])


@pytest.mark.parametrize("dataset, output, loss", [("three_blobs", "softmax", "cross_entropy"),
                                                   ("circle", "sigmoid", "cross_entropy"),
                                                   ("sine", "linear", "mse")])
def test_every_task_and_output_matches_trainer(dataset, output, loss):
    base = BASE.replace(dataset=dataset, output_activation=output, loss=loss)
    c = comparison(base, activations="tanh,relu", optimizer="momentum,adam")
    for _ in range(2):
        c.run_epoch()
    for run, state in zip(c.runs, c.snapshot().runs):
        experiment, snapshots = trained_alone(run.config, 2)
        np.testing.assert_allclose(state.params, experiment.net.params, rtol=0, atol=1e-10)
        assert state.test_loss == pytest.approx(snapshots[-1].test_loss, rel=1e-10)
        if dataset == "sine":
            assert math.isnan(state.test_accuracy) and math.isnan(snapshots[-1].test_accuracy)
        else:
            assert state.test_accuracy == pytest.approx(snapshots[-1].test_accuracy)


def test_predictions_equal_each_network_alone():
    c = comparison(activations="sigmoid,relu", hidden_layers="4;6,5")
    c.run_epoch()
    points = np.random.default_rng(1).normal(size=(37, 2))
    for run, output in zip(c.runs, c.predict(points)):
        net = build(run.config).net
        net.params[:] = c.params(run.index)
        np.testing.assert_allclose(output, net.predict(points), rtol=0, atol=1e-12)


# -- divergence --------------------------------------------------------------------------

DIVERGING = BASE.replace(output_activation="linear", activations=("relu",))


def test_a_diverged_run_stops_and_the_others_continue():
    c = comparison(DIVERGING, activations="relu,linear", learning_rate="0.01,50")
    for _ in range(6):
        c.run_epoch()
    snapshot = c.snapshot()
    by_label = {state.label: state for state in snapshot.runs}
    for label in ("relu · η=50", "linear · η=50"):
        state = by_label[label]
        assert state.diverged and state.epoch < 6
        assert np.isfinite(state.params).all()         # the last finite weights were kept
        assert "diverged at epoch" in state.divergence.message
        assert np.isnan(snapshot.history["train_loss"][state.index, state.epoch + 1:]).all()
    for label in ("relu · η=0.01", "linear · η=0.01"):
        state = by_label[label]
        assert not state.diverged and state.epoch == 6 and math.isfinite(state.test_loss)
    assert [s.diverged for s in snapshot.ranking()] == [False, False, True, True]


def test_divergence_matches_trainer_and_spares_the_survivors_optimizer_state():
    base = DIVERGING.replace(optimizer="momentum")
    c = comparison(base, learning_rate="0.005,50,0.02")
    for _ in range(4):
        c.run_epoch()
    for run, state in zip(c.runs, c.snapshot().runs):
        experiment, snapshots = trained_alone(run.config, 4)
        last = snapshots[-1]
        assert state.diverged == last.diverged
        if last.diverged:
            assert (state.divergence.epoch, state.divergence.step) == (last.divergence.epoch,
                                                                       last.divergence.step)
        np.testing.assert_allclose(state.params, experiment.net.params, rtol=0, atol=1e-10)


def test_reset_starts_over_with_every_run_alive():
    c = comparison(DIVERGING, learning_rate="0.01,50")
    for _ in range(3):
        c.run_epoch()
    first = c.snapshot()
    c.reset()
    assert c.epoch == 0 and c.alive == [0, 1]
    np.testing.assert_array_equal(c.params(1), c.initial_params[1])
    for _ in range(3):
        c.run_epoch()
    again = c.snapshot()
    np.testing.assert_array_equal(again.history["train_loss"], first.history["train_loss"])
    assert again.runs[1].diverged


def test_when_every_run_diverged_the_comparison_is_finished():
    c = comparison(DIVERGING, learning_rate="40,50")
    for _ in range(5):
        c.run_epoch()
    assert c.finished and c.alive == []
    epoch = c.epoch
    c.run_epoch()
    assert c.epoch == epoch


# -- settings, variations, results ----------------------------------------------------

@pytest.mark.parametrize("setting, text, message", [
    ("learning_rate", "0.1,-1", "positive number"),
    ("learning_rate", "0.1,fast", "positive number"),
    ("activations", "tanh,sigmoidal", "unknown activation"),
    ("optimizer", "sgd,rmsprop", "unknown optimizer"),
    ("batch_size", "10,0", "whole number"),
    ("hidden_layers", "8,8;8,x", "layer shape"),
    ("learning_rate", "0.1,0.1", "listed twice"),
    ("learning_rate", " , ", "at least one"),
    ("colour", "red", "cannot vary"),
])
def test_bad_values_raise_a_message_that_says_what_to_fix(setting, text, message):
    with pytest.raises(ValueError, match=message):
        Variation.parse(setting, text)


def test_runs_are_every_combination_labelled_by_their_values():
    runs = make_runs(BASE, [Variation.parse("activations", "sigmoid,relu"),
                            Variation.parse("learning_rate", "0.1,0.01")])
    assert [r.label for r in runs] == ["sigmoid · η=0.1", "sigmoid · η=0.01",
                                       "relu · η=0.1", "relu · η=0.01"]
    assert runs[3].config.activations == ("relu", "relu")
    assert runs[3].config.learning_rate == 0.01
    shapes = make_runs(BASE, [Variation.parse("hidden_layers", "3;4,4,4"),
                              Variation.parse("activations", "elu")])
    assert [r.config.activations for r in shapes] == [("elu",), ("elu",) * 3]


def test_too_many_runs_and_bad_pairings_are_refused():
    with pytest.raises(ValueError, match=f"at most {MAX_RUNS}"):
        make_runs(BASE, [Variation.parse("learning_rate", ",".join(str(i + 1) for i in range(5))),
                         Variation.parse("batch_size", "1,2,3,4")])
    with pytest.raises(ValueError, match="once"):
        make_runs(BASE, [Variation.parse("learning_rate", "1"), Variation.parse("learning_rate", "2")])
    with pytest.raises(ValueError, match="softmax"):
        comparison(BASE.replace(dataset="three_blobs"), learning_rate="0.1,0.2")


def test_every_setting_has_sensible_default_values():
    for name, setting in SETTINGS.items():
        variation = Variation.parse(name, setting.default_values)
        assert len(variation.values) == (2 if name == "batch_norm" else 3)   # on and off
        make_runs(BASE, [variation])


def test_ranking_and_best_epoch():
    c = comparison(learning_rate="0.0001,0.1")
    for _ in range(8):
        c.run_epoch()
    snapshot = c.snapshot()
    ranked = snapshot.ranking()
    assert ranked[0].test_loss <= ranked[1].test_loss
    for state in snapshot.runs:
        losses = snapshot.history["test_loss"][state.index]
        assert state.best_epoch == int(np.argmin(losses))
        assert state.best_loss == losses.min()


def test_snapshots_are_read_only_copies():
    c = comparison(learning_rate="0.1,0.2")
    snapshot = c.snapshot(plane_inputs=np.zeros((4, 2)))
    state = snapshot.runs[0]
    with pytest.raises(ValueError):
        state.params[0] = 1.0
    with pytest.raises(ValueError):
        snapshot.history["train_loss"][0, 0] = 1.0
    assert state.plane_output.shape == (4, 1)
    c.run_epoch()
    assert snapshot.epoch == 0 and snapshot.history["train_loss"].shape == (2, 1)
    assert [w.shape for w in state.weights] == [(2, 6), (6, 5), (5, 1)]


def test_optimizer_select_keeps_the_state_of_the_kept_rows():
    def stack(runs):
        return Sequential(mlp_layers([2, 3, 1], [("tanh",) * runs], "tanh", [0.0], [False]), 2,
                          get_loss("mse"), runs=runs)
    net = stack(3)
    net.params[:] = np.stack([Network([2, 3, 1], seed=s).params for s in range(3)])
    optimizer = make_optimizer("adam", np.array([[0.1], [0.2], [0.3]]))
    X = np.random.default_rng(0).normal(size=(5, 2))
    Y = np.ones((5, 1))
    net.train_step(X, Y, optimizer)
    kept_net, kept = stack(2), optimizer.select([0, 2])
    kept_net.params[:] = net.params[[0, 2]]
    net.train_step(X, Y, optimizer)
    kept_net.train_step(X, Y, kept)
    np.testing.assert_array_equal(kept_net.params, net.params[[0, 2]])
    assert kept.steps == 2


def test_the_training_share_gives_each_run_its_own_split_and_batch_count():
    c = comparison(BASE.replace(dropout=(0.2, 0.2)), train_share="0.25,0.75")
    assert [run.label for run in c.runs] == ["train 25%", "train 75%"]
    assert [run.config.test_ratio for run in c.runs] == [0.75, 0.25]
    c.run_epoch()
    snapshot = c.snapshot()
    assert [state.step for state in snapshot.runs] == [math.ceil(30 / 10), math.ceil(90 / 10)]
    for run, state in zip(c.runs, snapshot.runs):
        experiment, snapshots = trained_alone(run.config, 1)
        np.testing.assert_allclose(state.params, experiment.net.params, rtol=0, atol=1e-10)
        assert state.gap == pytest.approx(snapshots[-1].gap, rel=1e-10)
    with pytest.raises(ValueError, match="fraction from 0.1 to 1"):
        Variation.parse("train_share", "0.05,0.5")


def test_an_activation_between_dense_layers_carries_their_ones_column():
    """With a run axis, [a, 1] = f([z, c]) for c = one_at: the column of ones a dense layer's
    bias needs comes out of the activation, in training and evaluation, every pass."""
    carried = [name for name, f in ACTIVATIONS.items() if f.one_at is not None]
    assert {"sigmoid", "tanh", "relu"} <= set(carried)
    for name in carried:
        assert ACTIVATIONS[name](np.array([ACTIVATIONS[name].one_at]))[0] == 1.0, name
    net = Sequential(mlp_layers([2, 4, 3, 1], [carried, carried], "tanh", [0.0, 0.0], [False, False]), 2,
                     get_loss("mse"), runs=len(carried))
    net.params[:] = np.random.default_rng(0).normal(size=net.params.shape)
    X = np.random.default_rng(1).normal(size=(40, 2))
    for n, training in ((5, True), (40, False)):
        workspace = net.workspace(n, training)
        assert sorted(workspace.carried) == [1, 3]
        net.run_forward(workspace, X[:n])
        for index in workspace.carried:
            np.testing.assert_array_equal(workspace.inputs[index + 1][..., -1], 1.0)
            assert workspace.outputs[index].shape == (len(carried), n, net.layers[index - 1].fan_out)
    np.testing.assert_allclose(net.predict(X), [_alone(net, row, name, X) for row, name in enumerate(carried)],
                               rtol=0, atol=1e-12)


def _alone(net: Sequential, row: int, name: str, X: np.ndarray) -> np.ndarray:
    """Run ``row`` of a stack as a network of its own."""
    alone = Sequential(mlp_layers([2, 4, 3, 1], [name, name], "tanh", [0.0, 0.0], [False, False]), 2,
                       get_loss("mse"))
    alone.params[:] = net.params[row]
    return alone.predict(X).copy()
