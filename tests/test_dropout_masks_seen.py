"""The trainer remembers, per training sample, the dropout mask its latest step really used."""
import numpy as np

from model import Network
from model.optimizers import SGD
from model.training import Trainer


def _setting(n=20, batch=5):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(n, 2))
    Y = np.tanh(X[:, :1] - X[:, 1:])
    net = Network([2, 6, 5, 1], activation="tanh", dropout=[0.5, 0.25], seed=11)
    trainer = Trainer(net, X, Y, optimizer=SGD(0.1), batch_size=batch, seed=4, task="regression")
    trainer.remember_masks = True
    return net, trainer, X, Y


def test_masks_of_the_first_step_are_the_generators_draws_for_the_batch_rows():
    net, trainer, X, Y = _setting()
    trainer.step()
    snapshot = trainer.snapshot()
    rows = np.random.default_rng(4).permutation(20)[:5]          # the trainer's batch order
    draws = np.random.default_rng(11)                             # the network's mask generator
    first, second = draws.random((5, 6)) >= 0.5, draws.random((5, 5)) >= 0.25
    for position, row in enumerate(rows):
        kept, step = snapshot.dropout_mask_of(int(row))
        assert step == 1
        assert kept[0] is None and kept[3] is None               # inputs and output: no dropout
        np.testing.assert_array_equal(kept[1], first[position])
        np.testing.assert_array_equal(kept[2], second[position])
    others = np.setdiff1d(np.arange(20), rows)
    assert all(snapshot.dropout_mask_of(int(row)) is None for row in others)
    assert not snapshot.dropout_kept[1].flags.writeable


def test_the_remembered_masks_reproduce_the_update_the_trainer_made():
    net, trainer, X, Y = _setting()
    trainer.step()
    before = net.copy()
    trainer.step()                                               # the second batch
    snapshot = trainer.snapshot()
    rows = np.random.default_rng(4).permutation(20)[5:10]
    masks = [None]
    for column, rate in ((1, 0.5), (2, 0.25)):
        masks.append(np.stack([snapshot.dropout_mask_of(int(r))[0][column] for r in rows]) / (1 - rate))
    masks.append(None)
    assert all(snapshot.dropout_mask_of(int(r))[1] == 2 for r in rows)
    trace = before.forward(X[rows], training=True, masks=masks)
    gradients = before.backward(trace, Y[rows])
    np.testing.assert_allclose(before.params - 0.1 * gradients.flat, net.params, rtol=0, atol=1e-12)


def test_nothing_is_remembered_without_dropout_or_when_off():
    net, trainer, X, Y = _setting()
    trainer.remember_masks = False
    trainer.step()
    assert trainer.snapshot().dropout_mask_of(0) is None
    plain = Trainer(Network([2, 4, 1]), X, Y, optimizer=SGD(0.1), batch_size=5, task="regression")
    plain.remember_masks = True
    plain.step()
    assert plain.snapshot().dropout_kept == ()


def test_over_epochs_each_sample_keeps_the_mask_of_its_own_latest_step():
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(22, 2)), rng.normal(size=(22, 1))
    net = Network([2, 6, 5, 1], dropout=[0.5, 0.3], seed=8)
    trainer = Trainer(net, X, Y, optimizer=SGD(0.05), batch_size=5, seed=2, task="regression")
    trainer.remember_masks = True
    seen = {}                    # row → (step, masks), watched after every step
    order = None
    for _ in range(8):           # an epoch is 5 steps (the last of 2 samples): 1.6 epochs
        position = trainer._position if trainer._order_inputs is not None else 0
        trainer.step()
        order = trainer._order_rows
        masks = net.training_masks(min(5, 22 - position))
        for k, row in enumerate(order[position:position + 5]):
            seen[int(row)] = (trainer.step_count, [m[k] > 0 for m in masks[1:3]])
    snapshot = trainer.snapshot()
    assert len(seen) == 22
    for row, (step, kept) in seen.items():
        remembered, remembered_step = snapshot.dropout_mask_of(row)
        assert remembered_step == step
        np.testing.assert_array_equal(remembered[1], kept[0])
        np.testing.assert_array_equal(remembered[2], kept[1])
