"""``train --model rnn`` headless: the table it prints is the trained network's, bad input exits 2."""

from cli.main import main
from model import RecurrentNetwork, make_optimizer
from model.data.sequences import make_sequence_task, scored_accuracy
from model.lessons.settings import ConvolutionSetting, SequenceSetting
from model.training import Trainer


def test_train_rnn_on_the_echo_prints_the_scored_accuracy_of_the_trained_network(capsys):
    code = main(["train", "--model", "rnn", "--task", "echo", "--delay", "2", "--steps", "8", "--sequences", "200",
                 "--hidden", "8", "--epochs", "5", "--quiet"])
    out = capsys.readouterr().out
    assert code == 0
    assert "echo (8 steps)" in out and "adam lr 0.01, batch 32" in out
    # the same run by hand: the printed test accuracy is the trained network's
    data = make_sequence_task("echo", 200, steps=8, delay=2, seed=0)
    split = data.split(SequenceSetting.test_ratio, seed=0)     # the recurrent window's share
    net = RecurrentNetwork(1, 8, 1, output_activation="sigmoid", loss="cross_entropy", seed=0)
    trainer = Trainer(net, split.train_inputs, split.train_targets, split.test_inputs, split.test_targets,
                      optimizer=make_optimizer("adam", 0.01), batch_size=32, task="binary")
    list(trainer.run(epochs=5))
    expected = scored_accuracy(net.predict(split.test_inputs), split.test_targets, 2)
    row = next(line for line in out.splitlines() if line.startswith("accuracy (t > 2)"))
    assert float(row.split()[-1]) == round(expected, 3)


def test_train_rnn_bad_input_is_one_line_and_exit_2(capsys):
    assert main(["train", "--model", "rnn", "--task", "echo", "--delay", "30", "--quiet"]) == 2
    assert capsys.readouterr().err.strip() == "error: the echo delay (30) must be shorter than the sequence (20 steps)"
    assert main(["train", "--model", "rnn", "--task", "morse", "--quiet"]) == 2
    assert main(["train", "--model", "rnn", "--activation", "tanh,relu", "--quiet"]) == 2


def test_train_rnn_and_cnn_save_what_they_trained(capsys, tmp_path):
    import numpy as np
    from model import serialization
    path = tmp_path / "echo.json"
    assert main(["train", "--model", "rnn", "--task", "echo", "--delay", "2", "--steps", "8", "--sequences", "64",
                 "--hidden", "4", "--epochs", "2", "--quiet", "--save", str(path)]) == 0
    assert f"saved to {path}" in capsys.readouterr().out
    saved = serialization.load_model(path, "rnn")
    data = make_sequence_task("echo", 64, steps=8, delay=2, seed=0)
    split = data.split(SequenceSetting.test_ratio, seed=0)     # the recurrent window's share
    net = RecurrentNetwork(1, 4, 1, output_activation="sigmoid", loss="cross_entropy", seed=0)
    list(Trainer(net, split.train_inputs, split.train_targets, optimizer=make_optimizer("adam", 0.01),
                 batch_size=32, task="binary").run(epochs=2))
    np.testing.assert_array_equal(saved.net.predict(data.inputs), net.predict(data.inputs))
    assert (saved.epoch, saved.training["task"], saved.training["delay"]) == (2, "echo", 2)

    path = tmp_path / "bars.json"
    assert main(["train", "--model", "cnn", "--images", "bars", "--conv-layers", "conv2x3,relu,pool2,dense2",
                 "--epochs", "1", "--quiet", "--save", str(path)]) == 0
    saved = serialization.load_model(path, "cnn")
    assert saved.net.spec == [("conv", 2, 3, "same"), ("relu",), ("maxpool", 2), ("flatten",), ("dense", 2)]
    assert saved.training["images"] == "bars" and saved.epoch == 1
    assert saved.training["test_ratio"] == ConvolutionSetting.test_ratio      # the convolution window's share
    # a folder that is not there is refused before training
    assert main(["train", "--model", "cnn", "--epochs", "1", "--quiet", "--save", str(tmp_path / "no" / "x.json")]) == 2
    assert "the folder" in capsys.readouterr().err


def test_train_rnn_reads_the_digits_row_by_row(capsys):
    code = main(["train", "--model", "rnn", "--task", "digits", "--sequences", "300", "--hidden", "8",
                 "--epochs", "2", "--quiet"])
    out = capsys.readouterr().out
    assert code == 0
    assert "digits (8 steps): RecurrentNetwork(8 → 8 → 10" in out and "output_activation='softmax'" in out
    assert "many-to-one" in out and "300 sequences" not in out
    data = make_sequence_task("digits", 300)
    split = data.split(SequenceSetting.test_ratio, seed=0)     # the recurrent window's share
    net = RecurrentNetwork(8, 8, 10, output_activation="softmax", loss="cross_entropy", sequence_output=False,
                           seed=0)
    list(Trainer(net, split.train_inputs, split.train_targets, optimizer=make_optimizer("adam", 0.01),
                 batch_size=32, task="multiclass").run(epochs=2))
    expected = scored_accuracy(net.predict(split.test_inputs), split.test_targets)
    row = next(line for line in out.splitlines() if line.startswith("accuracy"))
    assert float(row.split()[-1]) == round(expected, 3)
