"""The headless `train` command, run as a user would run it."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_help_lists_the_sub_commands():
    result = run("--help")
    assert result.returncode == 0
    for command in ("train", "compare", "gui"):
        assert command in result.stdout


def test_train_prints_a_table_and_saves(tmp_path):
    saved = tmp_path / "spiral.json"
    result = run("train", "--dataset", "spiral", "--layers", "8,8", "--activation", "tanh",
                 "--lr", "0.03", "--batch-size", "10", "--epochs", "30", "--seed", "1",
                 "--save", str(saved))
    assert result.returncode == 0, result.stderr
    assert "100%" in result.stderr                       # the progress bar
    lines = result.stdout.splitlines()
    assert any(line.startswith("loss") for line in lines)
    assert any(line.startswith("accuracy") for line in lines)
    assert saved.exists()
    from model import serialization
    config, params, info = serialization.load(saved)
    assert config.hidden_layers == (8, 8) and info["epoch"] == 30


def test_train_on_a_csv_file():
    result = run("train", "--csv", "resources/samples/iris_like.csv", "--target", "species",
                 "--epochs", "20", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "softmax" in result.stdout and "accuracy" in result.stdout


@pytest.mark.parametrize("args, message", [
    (["--dataset", "nope"], "unknown dataset"),
    (["--layers", "8,0"], "neurons"),
    (["--layers", "a,b"], "--layers"),
    (["--lr", "-1"], "learning rate"),
    (["--csv", "/no/such/file.csv"], "not found"),
    (["--optimizer", "rmsprop"], "unknown optimizer"),
    (["--epochs", "abc"], "invalid int"),
    (["--loss", "cross_entropy", "--output-activation", "tanh"], "cross_entropy"),
    (["--seed", "-1"], "--seed: the seed must be a whole number from 0 to 18446744073709551615, got -1"),
    (["--seed", str(2**64)], "--seed"),
    (["--data-seed", "-3"], "--data-seed"),
    (["--l2", "inf"], "--l2: the L2 rate must be a finite number of at least 0, got inf"),
    (["--l1", "nan"], "--l1"),
    (["--noise", "nan"], "--noise"),
    (["--batch-size", "0"], "--batch-size"),
    (["--output-activation", "softsign"], "--output-activation: unknown output activation"),
    (["--loss", "hinge"], "--loss: unknown loss"),
    # the window's rule: sigmoid + cross-entropy does not suit a regression (it trained to a loss < 0)
    (["--dataset", "sine", "--output-activation", "sigmoid", "--loss", "cross_entropy"],
     "does not suit regression data; choose one of: linear + mse, tanh + mse"),
    (["--dataset", "sine", "--loss", "cross_entropy"], "cross_entropy loss does not suit regression"),
    (["--dataset", "spiral3", "--output-activation", "sigmoid"], "softmax + cross_entropy"),
])
def test_bad_input_exits_2_with_one_line(args, message):
    result = run("train", *args, "--epochs", "2") if "--epochs" not in args else run("train", *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_diverging_run_says_why():
    result = run("train", "--dataset", "plane", "--activation", "relu", "--output-activation",
                 "linear", "--lr", "50", "--epochs", "50", "--quiet")
    assert result.returncode == 1
    assert "diverged" in result.stderr and "learning rate 50" in result.stderr


def test_the_app_starts_and_keeps_running(tmp_path):
    """`python main.py` opens the window (offscreen here) and runs until it is closed."""
    import os
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"),
               BACKPROP_STUDIO_READY_FILE=str(tmp_path / "ready"))
    process = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "gui", "--reset-settings"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        _wait_until_ready(process, tmp_path / "ready")
        assert process.poll() is None, process.communicate()[1]   # up and idle, not exited
        process.terminate()
        stdout, stderr = process.communicate(timeout=30)
        assert "Traceback" not in stderr, stderr
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def _wait_until_ready(process, ready_file, seconds: float = 90) -> None:
    """Until the app says its window is up (about 1 s on an idle machine), or it exits."""
    import time
    deadline = time.monotonic() + seconds
    while not ready_file.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    if process.poll() is None:
        assert ready_file.exists(), "the window did not come up"


def test_one_given_output_or_loss_brings_the_pairing_the_window_would_choose():
    result = run("train", "--dataset", "circle", "--loss", "cross_entropy", "--epochs", "1", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "→ sigmoid, cross_entropy" in result.stdout


def test_save_to_a_missing_folder_is_refused_before_training(tmp_path):
    result = run("train", "--epochs", "100000", "--save", str(tmp_path / "no" / "net.json"))
    assert result.returncode == 2
    assert result.stderr == f"error: cannot write --save {tmp_path / 'no' / 'net.json'}: the folder " \
                            f"{tmp_path / 'no'} does not exist\n"          # no progress bar: not trained
    assert list(tmp_path.iterdir()) == []


def test_a_saved_file_gets_the_umask_permissions(tmp_path):
    import os
    saved = tmp_path / "net.json"
    result = subprocess.run(["sh", "-c", f'umask 022 && exec "{sys.executable}" main.py train '
                                         f'--epochs 1 --quiet --save "{saved}"'],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert os.stat(saved).st_mode & 0o777 == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.json"]


def test_sigterm_stops_training_and_writes_nothing(tmp_path):
    import signal
    import time
    saved = tmp_path / "net.json"
    process = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "train", "--epochs", "1000000",
                                "--save", str(saved)], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while "%" not in process.stderr.read(40) and time.monotonic() < deadline:   # training started
        pass
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 130 and "interrupted" in stderr and "Traceback" not in stderr
    assert list(tmp_path.iterdir()) == []


def _gui_process(tmp_path):
    import os
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"),
               BACKPROP_STUDIO_READY_FILE=str(tmp_path / "ready"))
    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), "gui", "--reset-settings"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_the_window_ends_cleanly_on_ctrl_c_and_sigterm_and_saves_its_settings(tmp_path, signal_name):
    import signal
    process = _gui_process(tmp_path)
    settings = tmp_path / "config" / "BackpropStudio" / "Backprop Studio.conf"
    _wait_until_ready(process, tmp_path / "ready")
    assert process.poll() is None, process.communicate()[1]
    process.send_signal(getattr(signal, signal_name))
    stdout, stderr = process.communicate(timeout=20)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert "experiment" in settings.read_text() and "geometry" in settings.read_text()


def test_dropout_batch_norm_and_early_stopping_options(tmp_path):
    saved = tmp_path / "overfit.json"
    result = run("train", "--dataset", "spiral", "--samples", "60", "--noise", "0.5", "--layers", "32,32",
                 "--lr", "0.3", "--epochs", "500", "--early-stopping", "20", "--dropout", "0.2,0",
                 "--batch-norm", "--quiet", "--save", str(saved))
    assert result.returncode == 0, result.stderr
    stopped = [line for line in result.stdout.splitlines() if line.startswith("early stopping")]
    assert stopped, result.stdout
    words = stopped[0].split()
    stop_epoch, kept_epoch = int(words[words.index("epoch") + 1]), int(words[-1])
    assert stop_epoch - kept_epoch == 20 and stop_epoch < 500
    assert "dropout [0.2, 0.0]" in result.stdout and "batch norm [True, True]" in result.stdout
    from model import Network, serialization
    config, params, info = serialization.load(saved)
    assert config.dropout == (0.2, 0.0) and config.batch_norm == (True, True)
    assert config.early_stopping == 20
    assert info["statistics"][0].shape == (2, 32)          # the running statistics were saved
    net = Network([2, 32, 32, 1], batch_norm=True)
    assert params.size == net.params.size


@pytest.mark.parametrize("option, value, message", [
    ("--dropout", "1", "--dropout"), ("--dropout", "0.2,x", "--dropout"),
    ("--batch-norm", "1,2", "--batch-norm"), ("--early-stopping", "-3", "--early-stopping"),
    ("--batch-norm", "1,0,1", "--batch-norm")])
def test_bad_regularisation_options_name_the_option(option, value, message):
    result = run("train", "--layers", "8,8", "--epochs", "2", "--quiet", option, value)
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_diverged_run_is_not_saved_unless_asked(tmp_path):
    saved = tmp_path / "x.json"
    result = run("train", "--lr", "1e300", "--epochs", "3", "--quiet", "--save", str(saved))
    assert result.returncode == 1 and "diverged" in result.stderr and not saved.exists()
    result = run("train", "--lr", "1e300", "--epochs", "3", "--quiet", "--save", str(saved),
                 "--save-diverged")
    assert result.returncode == 1 and saved.exists()


def test_train_a_convolutional_network_on_the_digits():
    result = run("train", "--model", "cnn", "--epochs", "3", "--quiet")
    assert result.returncode == 0, result.stderr
    accuracy = next(line for line in result.stdout.splitlines() if line.startswith("accuracy"))
    assert float(accuracy.split()[-1]) > 0.8                     # chance is 0.1
    assert "Conv2D(1 → 8 filters" in result.stdout and "Dense(64 → 10)" in result.stdout
    wrong = run("train", "--model", "cnn", "--conv-layers", "conv4x3,relu,dense7", "--quiet")
    assert wrong.returncode == 2 and "10 units" in wrong.stderr
    unreadable = run("train", "--model", "cnn", "--conv-layers", "conv4y3", "--quiet")
    assert unreadable.returncode == 2 and "conv4y3" in unreadable.stderr
