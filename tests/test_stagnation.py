"""Issue 10.10: a stuck run (loss flat, far from zero) is recognised; converging runs are not."""
import numpy as np

from model import Network, make_optimizer
from model.stagnation import stagnation


def test_a_flat_loss_near_the_start_is_stuck():
    losses = np.concatenate([[0.70, 0.695], np.full(300, 0.6931)])
    found = stagnation(losses)
    assert found is not None and found.epochs == 200
    assert abs(found.loss - 0.6931) < 1e-12 and found.start == 0.70
    assert "stuck" in found.message and "0.693" in found.message and "learning rate" in found.message


def test_converged_descending_or_short_runs_are_not_stuck():
    converged = np.concatenate([np.linspace(0.8, 0.01, 100), np.full(300, 0.01)])
    assert stagnation(converged) is None                          # flat, but near zero
    assert stagnation(np.concatenate([[0.8], np.full(300, 0.079)])) is None   # < 10 % of 0.8
    assert stagnation(np.concatenate([[0.8], np.full(300, 0.081)])) is not None
    descending = 0.8 * np.exp(-np.arange(400) / 300)               # 0.8 → 0.21, still moving
    assert stagnation(descending) is None
    assert stagnation(np.full(201, 0.7)) is None                   # not more than 200 epochs yet
    assert stagnation(np.full(202, 0.7)) is not None


def test_a_thinned_history_is_read_by_its_epochs():
    epochs = np.arange(0, 1000, 4)                                 # every 4th epoch kept
    losses = np.where(epochs < 500, 0.8 - epochs * 1e-4, 0.75)
    assert stagnation(losses, epochs) is not None
    assert stagnation(losses[:140], epochs[:140]) is None          # epochs 0…556: still moving
    # worked out by hand: spread 0.006 over mean 0.7 = 0.86 % ≤ 1 % → stuck; 0.008 → 1.1 % → not
    wobble = np.concatenate([[0.8], 0.7 + 0.003 * np.sin(np.arange(300))])
    assert stagnation(wobble) is not None
    assert stagnation(np.concatenate([[0.8], 0.7 + 0.004 * np.sin(np.arange(300))])) is None


def test_a_dead_relu_network_is_recognised_as_stuck():
    """ReLU units whose biases are very negative never fire: no gradient, the loss stays put."""
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (200, 2))
    Y = (X[:, :1] * X[:, 1:] > 0).astype(np.float64)
    net = Network([2, 4, 1], activation="relu", output_activation="sigmoid",
                  loss="cross_entropy", seed=0)
    net.biases[0][:] = -50.0                                       # every hidden unit dead
    optimizer = make_optimizer("sgd", 0.1)
    losses = [net.loss(X, Y)]
    for _ in range(250):
        net.train_step(X, Y, optimizer)
        losses.append(net.loss(X, Y))
    found = stagnation(np.array(losses))
    assert found is not None and found.start == losses[0]
