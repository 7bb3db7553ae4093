"""The generated sequence tasks: shapes, seeds and each target's definition, checked step by step."""
import numpy as np
import pytest

from model.data import SEQUENCE_TASKS, make_sequence_task
from model.data.sequences import scored_accuracy


@pytest.mark.parametrize("name", [name for name, spec in SEQUENCE_TASKS.items() if spec.available is None])
def test_tasks_are_seeded_and_shaped(name):          # the generated ones (the digits: test_architectures.py)
    a, b, c = (make_sequence_task(name, 20, steps=12, seed=s) for s in (1, 1, 2))
    np.testing.assert_array_equal(a.inputs, b.inputs)
    assert not np.array_equal(a.inputs, c.inputs)
    assert a.inputs.shape[:2] == (20, 12)
    assert a.targets.shape == ((20, 12, 1) if a.sequence_output else (20, 1))
    split = a.split(0.25, seed=0)
    assert len(split.train_inputs) == 15 and len(split.test_targets) == 5


def test_echo_repeats_the_bit_from_delay_steps_ago():
    task = make_sequence_task("echo", 10, steps=9, delay=4, seed=3)
    bits, echo = task.inputs[..., 0], task.targets[..., 0]
    for i in range(10):
        for t in range(9):
            assert echo[i, t] == (bits[i, t - 4] if t >= 4 else 0.0)
    assert task.scored_from == 4


def test_parity_counts_ones_so_far():
    task = make_sequence_task("parity", 10, steps=7, seed=3)
    for i in range(10):
        ones = 0
        for t in range(7):
            ones += int(task.inputs[i, t, 0])
            assert task.targets[i, t, 0] == ones % 2


def test_adding_sums_the_two_marked_values():
    task = make_sequence_task("adding", 30, steps=10, seed=3)
    values, markers = task.inputs[..., 0], task.inputs[..., 1]
    assert np.all(markers.sum(axis=1) == 2)
    assert np.all(markers[:, :5].sum(axis=1) == 1)          # one marker in each half
    for i in range(30):
        marked = [values[i, t] for t in range(10) if markers[i, t] == 1]
        assert task.targets[i, 0] == pytest.approx(sum(marked))


def test_sine_target_is_the_noise_free_next_value():
    clean, noisy = (make_sequence_task("sine", 8, steps=15, seed=4, noise=noise) for noise in (0.0, 0.3))
    np.testing.assert_allclose(clean.inputs[:, 1:, 0], clean.targets[:, :-1, 0])
    np.testing.assert_array_equal(clean.targets, noisy.targets)
    assert np.std(noisy.inputs - clean.inputs) == pytest.approx(0.3, rel=0.2)


def test_scored_accuracy_skips_the_first_steps():
    targets = np.array([[[1.0], [0.0], [1.0], [0.0]]])
    prediction = np.array([[[0.0], [1.0], [0.9], [0.2]]])
    assert scored_accuracy(prediction, targets) == 0.5
    assert scored_accuracy(prediction, targets, scored_from=2) == 1.0


@pytest.mark.parametrize("kwargs, message", [
    (dict(name="morse"), "unknown sequence task"),
    (dict(name="echo", steps=5, delay=5), "shorter than the sequence"),
    (dict(name="sine", noise=2.0), "noise"),
    (dict(name="adding", steps=1), "at least 2 steps"),
    (dict(name="parity", steps=0), "sequence length"),
])
def test_bad_settings_say_what_to_change(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_sequence_task(**kwargs)
