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
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    process = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "gui", "--reset-settings"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        stdout, stderr = process.communicate(timeout=4)
    except subprocess.TimeoutExpired:        # still running: the window is up and idle
        process.terminate()
        stdout, stderr = process.communicate(timeout=10)
        assert "Traceback" not in stderr, stderr
    else:
        raise AssertionError(f"the app exited with {process.returncode}: {stderr}")
