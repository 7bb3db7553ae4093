"""Three architectures, one data set: an MLP, a CNN and an RNN on the 8 × 8 digits.

Each sees the same 1,797 images in its own way — the MLP a row of 64 pixels, the CNN an
image (1, 8, 8), the RNN a sequence of 8 rows of 8 pixels read top to bottom — and all
three are split by the same ``train_test_rows`` with the same seed (the same test
images), start from the same seed, and train with the same optimiser, learning rate,
batch size and number of epochs. Their sizes are chosen near 2,000 parameters each, so
the comparison is of how they use their weights rather than how many they have:

| name | network                                             | parameters |
|------|-----------------------------------------------------|------------|
| mlp  | 64 → 32 (relu) → 10 softmax                         | 2,410      |
| cnn  | the default ConvNet (conv8x3, pool2, conv16x3, pool2, dense10) | 1,898 |
| rnn  | Elman, 8 inputs → 32 tanh units → 10 softmax at the last row | 1,642 |

    results = train_architectures(epochs=20)   # [ArchitectureResult, …] in the order of ARCHITECTURES
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .data.digits import load_digits
from .networks import ConvNet, Network, RecurrentNetwork
from .networks.conv import default_spec
from .optimizers import make_optimizer
from .training import Trainer

Array = np.ndarray
CLASSES = 10


@dataclass(frozen=True)
class Architecture:
    """How one architecture sees a digit: ``inputs(images)`` maps (n, 1, 8, 8) images to its
    input, ``build(seed)`` makes the network."""

    description: str
    inputs: Callable[[Array], Array]
    build: Callable[[int], object]


ARCHITECTURES: dict[str, Architecture] = {
    "mlp": Architecture("64 pixels → 32 relu → 10 softmax", lambda images: images.reshape(len(images), -1),
                        lambda seed: Network([64, 32, CLASSES], activation="relu", output_activation="softmax",
                                             loss="cross_entropy", init="he", seed=seed)),
    "cnn": Architecture("image → conv8x3, relu, pool2, conv16x3, relu, pool2 → 10 softmax",
                        lambda images: images,
                        lambda seed: ConvNet((1, 8, 8), default_spec(CLASSES), seed=seed)),
    "rnn": Architecture("8 rows of 8 pixels → 32 tanh units through time → 10 softmax",
                        lambda images: images[:, 0],
                        lambda seed: RecurrentNetwork(inputs=8, hidden=32, outputs=CLASSES, activation="tanh",
                                                      output_activation="softmax", loss="cross_entropy",
                                                      sequence_output=False, seed=seed)),
}


@dataclass(frozen=True)
class ArchitectureResult:
    name: str
    description: str
    parameters: int
    train_accuracy: float
    test_accuracy: float
    seconds_per_epoch: float        # wall time of the training steps (evaluation excluded)
    net: object
    epoch: int = 0


class ArchitectureRace:
    """The architectures trained side by side, an epoch each per ``run_epoch()``:

        race = ArchitectureRace()                 # same digits split, same seed, Adam
        for _ in range(20):
            race.run_epoch()
        race.results()                            # [ArchitectureResult, …] in the order of ``names``
    """

    def __init__(self, seed: int = 0, test_ratio: float = 0.2, names: Sequence[str] = tuple(ARCHITECTURES),
                 learning_rate: float = 0.01, batch_size: int = 32) -> None:
        unknown = [name for name in names if name not in ARCHITECTURES]
        if unknown:
            raise ValueError(f"unknown architecture {unknown[0]!r}; choose from {', '.join(ARCHITECTURES)}")
        digits = load_digits()
        split = digits.data().split(test_ratio, seed=seed)
        shape = (-1,) + digits.shape
        train_images, test_images = split.train_points.reshape(shape), split.test_points.reshape(shape)
        self.names = tuple(names)
        self._runs = []
        for name in self.names:
            architecture = ARCHITECTURES[name]
            net = architecture.build(seed)
            train_inputs, test_inputs = architecture.inputs(train_images), architecture.inputs(test_images)
            trainer = Trainer(net, train_inputs, split.train_targets,
                              optimizer=make_optimizer("adam", learning_rate),
                              batch_size=batch_size, seed=seed, task="multiclass")
            self._runs.append((name, net, trainer, ((train_inputs, split.train_targets),
                                                    (test_inputs, split.test_targets))))
        self.seconds = [0.0] * len(self.names)
        self.epoch = 0

    def run_epoch(self) -> None:
        """One epoch of every architecture; each one's training steps are timed."""
        for index, (_, _, trainer, _) in enumerate(self._runs):
            start = time.perf_counter()
            trainer.run_epoch()
            self.seconds[index] += time.perf_counter() - start
        self.epoch += 1

    def results(self) -> list[ArchitectureResult]:
        """Parameters, train and test accuracy now, and seconds per epoch so far, per architecture."""
        results = []
        for (name, net, _, sets), seconds in zip(self._runs, self.seconds):
            accuracy = [float(np.mean(net.predict(inputs).argmax(axis=1) == targets.argmax(axis=1)))
                        for inputs, targets in sets]
            results.append(ArchitectureResult(name, ARCHITECTURES[name].description, int(net.params.size),
                                              *accuracy, seconds / max(self.epoch, 1), net, self.epoch))
        return results


def train_architectures(epochs: int = 20, seed: int = 0, test_ratio: float = 0.2,
                        names: Sequence[str] = tuple(ARCHITECTURES), learning_rate: float = 0.01,
                        batch_size: int = 32) -> list[ArchitectureResult]:
    """Train each named architecture on the same digits split, from the same seed, with Adam."""
    race = ArchitectureRace(seed, test_ratio, names, learning_rate, batch_size)
    for _ in range(epochs):
        race.run_epoch()
    return race.results()
