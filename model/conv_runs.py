"""Several ConvNets of one spec trained in lock-step along the engine's run axis (issue 14).

    runs = ConvRuns(load_digits(), learning_rates=[0.001, 0.01, 0.1], seeds=[0, 0, 0])
    for _ in range(5):
        runs.run_epoch()
    runs.test_accuracy()          # (R,) one per run
    runs.net(2)                   # run 2 as a ConvNet of its own

R networks that differ only in what the run axis can hold — their initial weights (the
seed) and their learning rate — are one ``Sequential`` with ``runs=R``: parameters (R, P),
every layer's buffers (R, …), each product R products in one ``np.matmul``. Every run sees
the same mini-batches in the same order (``default_rng(data_seed).permutation`` per epoch),
so run r computes exactly what ``ConvNet(seed=seeds[r])`` trained alone on those batches
with learning rate ``learning_rates[r]`` computes. Settings that change a parameter's
shape (the number of kernels, the kernel size) cannot share a run axis: such networks
train one after the other.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .data.images import Images
from .layers import ActivationLayer
from .networks import ConvNet, Sequential
from .networks.conv import build_layers, default_spec
from .optimizers import make_optimizer

Array = np.ndarray


class ConvRuns:
    """R ConvNets of one ``spec`` on ``images``, one per (learning rate, seed), in lock-step."""

    def __init__(self, images: Images, learning_rates: Sequence[float], seeds: Sequence[int] | int = 0,
                 spec: Sequence[Sequence] | None = None, optimizer: str = "adam", batch_size: int = 32,
                 test_ratio: float = 0.2, data_seed: int = 0):
        rates = [float(rate) for rate in learning_rates]
        seeds = [int(seeds)] * len(rates) if isinstance(seeds, (int, np.integer)) else [int(s) for s in seeds]
        if not rates or len(seeds) != len(rates):
            raise ValueError(f"give one learning rate per run and one seed per run (or one for all), got "
                             f"{len(rates)} rates and {len(seeds)} seeds")
        self.images, self.learning_rates, self.seeds = images, rates, seeds
        self.spec = list(spec) if spec is not None else default_spec(len(images.class_names))
        self.nets = [ConvNet(images.shape, self.spec, seed=seed) for seed in seeds]   # checks the spec
        first = self.nets[0]
        layers = build_layers(images.shape, self.spec) + [ActivationLayer(first.output_activation.name, output=True)]
        self.engine = Sequential(layers, images.shape, first.loss_function, runs=len(rates))
        for row, net in enumerate(self.nets):
            self.engine.params[row] = net.params                 # each run starts where its ConvNet does
        self.optimizer = make_optimizer(optimizer, np.array([[rate] for rate in rates]))
        self.batch_size = int(batch_size)
        self.split = images.data().split(test_ratio, seed=data_seed)
        shape = (-1,) + images.shape
        self.train_images = self.split.train_points.reshape(shape)
        self.test_images = self.split.test_points.reshape(shape)
        self._order = np.random.default_rng(data_seed)
        self.epoch = 0

    @property
    def runs(self) -> int:
        return len(self.learning_rates)

    def run_epoch(self) -> None:
        """One epoch of every run: the same shuffled batches, one lock-step update each."""
        order = self._order.permutation(len(self.train_images))
        images, targets = self.train_images[order], self.split.train_targets[order]
        for start in range(0, len(order), self.batch_size):
            stop = start + self.batch_size
            self.engine.train_step(images[start:stop], targets[start:stop], self.optimizer)
        self.epoch += 1

    def predict(self, images: Array) -> Array:
        """(R, n, classes): every run's probabilities for images (n, C, H, W); a new array."""
        return np.array(self.engine.predict(images))

    def accuracy(self, images: Array, targets: Array) -> Array:
        """(R,) the share of ``images`` each run classifies right."""
        return (self.predict(images).argmax(axis=-1) == targets.argmax(axis=-1)).mean(axis=-1)

    def test_accuracy(self) -> Array:
        return self.accuracy(self.test_images, self.split.test_targets)

    def net(self, run: int) -> ConvNet:
        """Run ``run`` as a ConvNet of its own (a copy of its parameters)."""
        twin = self.nets[run].copy()
        twin.params[...] = self.engine.params[run]
        return twin

