"""Training from several seeds, grouping the solutions, and the barrier between two."""
import numpy as np
import pytest

from model import Network, make_optimizer
from model.variations import SETTINGS, Variation, make_runs
from model.config import ExperimentConfig
from model.experiment import build
from model.minima import barrier, barrier_height, group_solutions, seeds, train_from_seeds
from model.training import Trainer

BASE = ExperimentConfig(dataset="xor", samples=80, hidden_layers=(4,), activations=("tanh",),
                        output_activation="tanh", loss="mse", learning_rate=0.1, batch_size=10, seed=7)


def test_the_seed_is_a_setting_the_comparison_can_vary():
    variation = Variation.parse("seed", "0,1,2")
    assert variation.values == (0, 1, 2)
    runs = make_runs(BASE, [variation])
    assert [run.config.seed for run in runs] == [0, 1, 2]
    assert [run.label for run in runs] == ["seed 0", "seed 1", "seed 2"]
    with pytest.raises(ValueError, match="seed"):
        Variation.parse("seed", "1,x")
    assert SETTINGS["seed"].option == "--seed"


def test_each_seed_run_is_that_seeds_network_trained_on_the_shared_batch_order():
    comparison = train_from_seeds(BASE, count=3, epochs=4, first_seed=5)
    for run in comparison.runs:
        seed = run.config.seed
        experiment = build(BASE.replace(seed=seed))
        np.testing.assert_array_equal(comparison.initial_params[run.index],
                                      Network([2, 4, 1], output_activation="tanh", seed=seed).params)
        # alone: that seed's weights, the base seed's mini-batch order
        trainer = Trainer(experiment.net, experiment.trainer.train_inputs, experiment.trainer.train_targets,
                          optimizer=make_optimizer("sgd", BASE.learning_rate), batch_size=BASE.batch_size,
                          seed=BASE.seed)
        for _ in range(4):
            trainer.run_epoch()
        np.testing.assert_allclose(comparison.params(run.index), experiment.net.params, rtol=1e-10,
                                   atol=1e-12)
    assert not np.allclose(comparison.params(0), comparison.params(1))


def test_runs_computing_the_same_function_are_grouped():
    a = np.array([[0.0], [1.0], [0.5]])
    outputs = [a, a + 0.01, 1 - a, a + 0.03, 1 - a + 0.02, -a]
    assert group_solutions(outputs, tolerance=0.025) == [[0, 1, 3], [2, 4], [5]]
    assert group_solutions(outputs, tolerance=0.001) == [[0], [1], [2], [3], [4], [5]]


def test_swapping_hidden_units_is_the_same_solution():
    net = Network([2, 4, 1], seed=0)
    twin = net.copy()
    order = [2, 0, 3, 1]
    twin.weights[0] = net.weights[0][:, order]
    twin.biases[0] = net.biases[0][order]
    twin.weights[1] = net.weights[1][order, :]
    X = np.random.default_rng(0).uniform(-1, 1, (30, 2))
    assert not np.allclose(net.params, twin.params)
    assert group_solutions([net.predict(X), twin.predict(X)]) == [[0, 1]]


def test_the_barrier_line_joins_the_two_final_losses():
    comparison = train_from_seeds(BASE, count=2, epochs=3)
    X, Y = comparison.train_inputs, comparison.train_targets
    line, height = barrier(comparison, 0, 1, X, Y, points=21)
    final = comparison.snapshot().history["train_loss"][:, -1]
    assert line[0] == pytest.approx(final[0], rel=1e-12)
    assert line[-1] == pytest.approx(final[1], rel=1e-12)
    assert height == pytest.approx(line.max() - max(line[0], line[-1]))


def test_barrier_height_is_the_bump_above_the_higher_end():
    assert barrier_height(np.array([0.2, 0.5, 0.9, 0.3])) == pytest.approx(0.6)
    assert barrier_height(np.array([0.4, 0.3, 0.1])) == 0.0
    with pytest.raises(ValueError, match="at least 2"):
        seeds(1)


def test_the_compare_command_varies_the_seed():
    import argparse

    from cli.compare import add_compare_arguments, comparison_setup
    parser = argparse.ArgumentParser()
    add_compare_arguments(parser)
    base, variations = comparison_setup(parser.parse_args(["--seed", "3,4,5", "--epochs", "2"]))
    assert base.seed == 3
    assert [(v.setting, v.values) for v in variations] == [("seed", (3, 4, 5))]
    base, variations = comparison_setup(parser.parse_args(["--seed", "9", "--epochs", "2"]))
    assert base.seed == 9 and variations == []
