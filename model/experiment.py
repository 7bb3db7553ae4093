"""Turn an ``ExperimentConfig`` into data, a network, an optimizer and a trainer.

Built-in data sets are 2-D points; the network's inputs are the chosen
feature transforms of them (x1, x2, x1², …). CSV data feed their
standardised columns directly. ``Experiment.plane`` gives the grid the
decision-boundary and per-neuron heatmaps are drawn on.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .config import ExperimentConfig
from .csv_data import load_csv
from .datasets import RADIUS, Data, Split, make_dataset
from .features import make_features
from .networks import Network
from .optimizers import Optimizer, make_optimizer
from .training import Trainer

Array = np.ndarray


@dataclass
class Experiment:
    """Everything one training run needs, built from ``config``."""

    config: ExperimentConfig
    data: Data
    split: Split
    net: Network
    optimizer: Optimizer
    trainer: Trainer

    @property
    def task(self) -> str:
        return self.data.task

    @property
    def input_names(self) -> tuple[str, ...]:
        """One name per network input (feature names, or the CSV's columns)."""
        if self.data.standardizer is not None:
            return self.data.feature_names
        return self.config.features

    def inputs(self, points: Array) -> Array:
        """Network inputs for raw points (n, d): feature transforms for 2-D data."""
        return featurize(self.config, self.data, points)

    def plane(self, resolution: int = 50, pair: tuple[int, int] = (0, 1)) -> tuple[Array, Array, Array]:
        """A square grid over two input dimensions of the data, ``pair`` = (x column, y column).

        Returns ``(xs, ys, inputs)``: xs and ys of shape (resolution,), inputs of
        shape (resolution², n_inputs), row-major with y varying slowest. The other
        columns (of a CSV with more than two) are held at their mean, 0 after
        standardisation. ValueError when ``pair`` does not name two different columns.
        """
        points = self.data.points
        columns = points.shape[1]
        x, y = pair
        if columns > 1 and (x == y or not (0 <= x < columns and 0 <= y < columns)):
            raise ValueError(f"the plane needs two different input columns from 0 to {columns - 1}, "
                             f"got {x} and {y}")
        if self.data.standardizer is None:
            low, high = -RADIUS, RADIUS
        else:
            shown = points[:, [x, y]] if columns > 1 else points
            low, high = float(shown.min()) - 0.5, float(shown.max()) + 0.5
        xs = np.linspace(low, high, resolution)
        ys = np.linspace(low, high, resolution)
        gx, gy = np.meshgrid(xs, ys)
        grid = np.zeros((resolution * resolution, columns))
        grid[:, 0 if columns == 1 else x] = gx.ravel()
        if columns > 1:
            grid[:, y] = gy.ravel()
        return xs, ys, self.inputs(grid)


def load_data(config: ExperimentConfig) -> Data:
    """The data set the config names (a built-in generator or its CSV file)."""
    if config.csv_path:
        return load_csv(config.csv_path, target=config.csv_target)
    return make_dataset(config.dataset, n_samples=config.samples, noise=config.noise,
                        seed=config.data_seed)


def featurize(config: ExperimentConfig, data: Data, points: Array) -> Array:
    """Network inputs for ``points`` of ``data``: features for 2-D built-ins, columns for CSV."""
    if data.standardizer is not None:
        return np.asarray(points, dtype=np.float64)
    return make_features(points, config.features)


def build(config: ExperimentConfig, data: Data | None = None, state: dict | None = None) -> Experiment:
    """Data (loaded unless given), split, network, optimizer and trainer for ``config``;
    the network starts from ``state`` (``Network.state()``: params, statistics) when given.

    The output layer gets one unit per target column; a loss/output pairing that
    does not suit the task raises ValueError.
    """
    data = data if data is not None else load_data(config)
    split = data.split(config.test_ratio, seed=config.data_seed)
    train_inputs = featurize(config, data, split.train_points)
    test_inputs = featurize(config, data, split.test_points)
    sizes = [train_inputs.shape[1], *config.hidden_layers, data.targets.shape[1]]
    if data.task == "multiclass" and config.output_activation != "softmax":
        raise ValueError(f"{data.name} has {data.targets.shape[1]} classes: use a softmax output")
    if data.task != "multiclass" and config.output_activation == "softmax":
        raise ValueError(f"a softmax output needs several classes; {data.name} is {data.task}")
    net = Network(sizes, activation=list(config.activations),
                  output_activation=config.output_activation, loss=config.loss,
                  seed=config.seed, init=config.init, l1=config.l1, l2=config.l2,
                  dropout=list(config.dropout), batch_norm=list(config.batch_norm))
    if state is not None:
        net.load_state(state)
    optimizer = make_optimizer(config.optimizer, config.learning_rate)
    trainer = Trainer(net, train_inputs, split.train_targets, test_inputs, split.test_targets,
                      optimizer=optimizer, batch_size=config.batch_size, seed=config.seed,
                      task=data.task, patience=config.early_stopping)
    return Experiment(config=config, data=data, split=split, net=net, optimizer=optimizer,
                      trainer=trainer)
