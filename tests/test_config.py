"""ExperimentConfig validation and building an Experiment from it."""
import math
import numpy as np
import pytest

from model.config import TASK_OUTPUTS, ExperimentConfig
from model.datasets import DATASETS
from model.experiment import build


def test_defaults_are_playgrounds_and_build():
    config = ExperimentConfig()
    assert (config.dataset, config.hidden_layers, config.learning_rate) == ("circle", (4, 2), 0.03)
    experiment = build(config)
    assert experiment.net.sizes == [2, 4, 2, 1]
    assert len(experiment.split.train_points) == 250


@pytest.mark.parametrize("changes, message", [
    ({"dataset": "nope"}, "unknown dataset"),
    ({"hidden_layers": (4, 0)}, "1 to 512 neurons"),
    ({"learning_rate": 0}, "learning rate"),
    ({"learning_rate": float("nan")}, "learning rate"),
    ({"batch_size": 0}, "batch size"),
    ({"noise": 2.0}, "noise"),
    ({"test_ratio": 0.95}, "test ratio"),
    ({"features": ()}, "at least one input feature"),
    ({"activations": ("tanh", "bogus")}, "unknown activation"),
    ({"optimizer": "rmsprop"}, "unknown optimizer"),
    ({"l2": -0.1}, "L2"),
])
def test_invalid_settings_raise_clear_errors(changes, message):
    with pytest.raises(ValueError, match=message):
        ExperimentConfig().replace(**changes)


def test_replace_keeps_activations_in_step_with_layers():
    config = ExperimentConfig(activations=("relu", "sigmoid"))
    assert config.replace(hidden_layers=(3, 3, 3)).activations == ("relu", "sigmoid", "sigmoid")
    assert config.replace(hidden_layers=(5,)).activations == ("relu",)
    assert config.replace(hidden_layers=()).activations == ()


def test_round_trip_through_dict():
    config = ExperimentConfig(dataset="spiral", hidden_layers=(8, 8), learning_rate=0.1, l2=0.001)
    assert ExperimentConfig.from_dict(config.to_dict()) == config
    with pytest.raises(ValueError, match="unknown setting"):
        ExperimentConfig.from_dict({"colour": "red"})


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_dataset_builds_with_its_task_default_outputs(name):
    task = DATASETS[name].task
    config = ExperimentConfig(dataset=name, samples=60).with_task_outputs(task)
    assert (config.output_activation, config.loss) in TASK_OUTPUTS[task]
    experiment = build(config)
    snapshot = next(experiment.trainer.run(epochs=1))
    assert np.isfinite(snapshot.train_loss)
    assert math.isnan(snapshot.train_accuracy) == (task == "regression")


def test_features_set_the_input_width_and_the_plane_is_featurised():
    config = ExperimentConfig(features=("x1", "x2", "x1^2", "sin_x1"))
    experiment = build(config)
    assert experiment.net.sizes[0] == 4
    xs, ys, inputs = experiment.plane(20)
    assert inputs.shape == (400, 4)
    np.testing.assert_allclose(inputs[:, 2], inputs[:, 0] ** 2)


def test_softmax_on_binary_data_is_refused():
    with pytest.raises(ValueError, match="softmax"):
        build(ExperimentConfig(output_activation="softmax", loss="cross_entropy"))
