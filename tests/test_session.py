"""Sessions: a reopened session trained on takes exactly the steps the original would have."""
import zipfile

import numpy as np
import pytest

from model.config import ExperimentConfig
from model.experiment import build
from model.session import open_session, save_session


def history(trainer, epochs):
    rows = [(s.epoch, s.train_loss, s.test_loss) for s in trainer.run(epochs=epochs)]
    return np.array(rows, dtype=np.float64).reshape(-1, 3).T


@pytest.mark.parametrize("config", [
    ExperimentConfig(optimizer="adam", learning_rate=0.01, dropout=(0.2,), batch_norm=(True,),
                     hidden_layers=(6, 4), batch_size=7),
    ExperimentConfig(optimizer="momentum", dataset="spiral", batch_size=13),
    ExperimentConfig(),
])
def test_a_reopened_session_takes_the_same_steps(tmp_path, config):
    original = build(config)
    epochs, train, test = history(original.trainer, 3)
    for _ in range(5):                         # stop mid-epoch: the epoch's order must be kept
        original.trainer.step()
    path = tmp_path / "s.bpsession"
    save_session(path, original, epochs, train, test)
    session = open_session(path)
    reopened = session.experiment
    np.testing.assert_array_equal(session.epochs, epochs)
    np.testing.assert_array_equal(session.train_losses, train)
    assert reopened.trainer.step_count == original.trainer.step_count
    for _ in range(40):                        # N more steps on both, across epoch ends
        original.trainer.step()
        reopened.trainer.step()
    np.testing.assert_array_equal(reopened.net.params, original.net.params)
    np.testing.assert_array_equal(reopened.net.state()["statistics"][0] if config.batch_norm else 0,
                                  original.net.state()["statistics"][0] if config.batch_norm else 0)
    assert reopened.trainer.epoch == original.trainer.epoch


def test_a_csv_session_opens_without_its_csv(tmp_path):
    csv = tmp_path / "points.csv"
    rows = ["a,b,label"] + [f"{i % 7},{(i * 3) % 5},{i % 2}" for i in range(60)]
    csv.write_text("\n".join(rows) + "\n")
    config = ExperimentConfig(csv_path=str(csv), csv_target="label")
    original = build(config)
    original.trainer.run_epoch()
    path = tmp_path / "csv.bpsession"
    save_session(path, original, np.array([1.0]), np.array([0.5]), np.array([0.6]))
    csv.unlink()
    reopened = open_session(path).experiment
    np.testing.assert_array_equal(reopened.data.points, original.data.points)
    original.trainer.run_epoch()
    reopened.trainer.run_epoch()
    np.testing.assert_array_equal(reopened.net.params, original.net.params)


@pytest.mark.parametrize("damage", ["not a zip", "truncated", "foreign zip", "wrong params"])
def test_damaged_or_foreign_files_give_one_line(tmp_path, damage):
    path = tmp_path / "bad.bpsession"
    experiment = build(ExperimentConfig())
    save_session(path, experiment, np.empty(0), np.empty(0), np.empty(0))
    if damage == "not a zip":
        path.write_text('{"format": "backprop-studio"}')
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:300])
    elif damage == "foreign zip":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "hi")
    else:
        with np.load(path) as archive:
            arrays = {key: archive[key] for key in archive.files}
        arrays["net.params"] = arrays["net.params"][:-1]
        with open(path, "wb") as stream:
            np.savez(stream, **arrays)
    with pytest.raises(ValueError) as error:
        open_session(path)
    message = str(error.value)
    assert message.startswith("bad.bpsession") and "\n" not in message
