"""The headless `compare` command, run as a user would run it."""
import argparse
import csv
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from cli.compare import add_compare_arguments, comparison_setup

ROOT = Path(__file__).resolve().parent.parent


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "compare", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=180)


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and header[12:16] == b"IHDR"
    return struct.unpack(">II", header[16:24])


def parse(*argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_compare_arguments(parser)
    return parser.parse_args(list(argv))


def test_writes_a_png_and_a_csv_and_prints_the_ranking(tmp_path):
    out, results = tmp_path / "compare.png", tmp_path / "compare.csv"
    result = run("--dataset", "spiral", "--activation", "sigmoid,relu", "--lr", "0.01,0.1,1",
                 "--epochs", "3", "--samples", "100", "--size", "900x700",
                 "--out", str(out), "--results", str(results))
    assert result.returncode == 0, result.stderr
    assert "100%" in result.stderr                                   # the progress bar
    lines = result.stdout.splitlines()
    assert "6 runs, 3 epochs" in lines[0]
    assert lines[1].split()[:3] == ["#", "run", "test"]
    assert [line.split()[0] for line in lines[2:8]] == ["1", "2", "3", "4", "5", "6"]
    assert png_size(out) == (900, 700)
    with results.open(newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == ["run", "activation", "learning_rate", "epoch", "train_loss", "test_loss",
                       "accuracy"]
    assert len(rows) - 1 == 6 * 3
    assert {(r[1], r[2]) for r in rows[1:]} == {(a, lr) for a in ("sigmoid", "relu")
                                                for lr in ("0.01", "0.1", "1.0")}
    assert sorted({int(r[3]) for r in rows[1:]}) == [1, 2, 3]
    for row in rows[1:]:
        assert 0 < float(row[4]) < 10 and 0 < float(row[5]) < 10 and 0 <= float(row[6]) <= 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["compare.csv", "compare.png"]


def test_the_png_is_drawn_with_the_default_size(tmp_path):
    out = tmp_path / "grid.png"
    result = run("--lr", "0.03,0.3", "--epochs", "2", "--samples", "60", "--quiet", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert png_size(out) == (1600, 1000)
    assert result.stderr == ""                            # --quiet, and no Qt chatter


def test_a_diverged_run_has_rows_only_for_the_epochs_it_trained(tmp_path):
    results = tmp_path / "runs.csv"
    result = run("--dataset", "circle", "--activation", "relu", "--output-activation", "linear",
                 "--lr", "0.01,50", "--epochs", "4", "--samples", "80", "--quiet",
                 "--results", str(results))
    assert result.returncode == 0, result.stderr
    assert "diverged at epoch" in result.stdout and "diverged at epoch" in result.stderr
    rows = list(csv.reader(results.open(encoding="utf-8")))[1:]
    per_run = {run: sum(1 for r in rows if r[0] == run) for run in ("1", "2")}
    assert per_run["1"] == 4 and per_run["2"] < 4


def test_a_csv_data_set_with_a_target_column(tmp_path):
    results = tmp_path / "iris.csv"
    result = run("--csv", "resources/samples/iris_like.csv", "--target", "species",
                 "--optimizer", "sgd,adam", "--epochs", "2", "--quiet", "--results", str(results))
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(results.open(encoding="utf-8")))
    assert rows[0][1] == "optimizer" and len(rows) - 1 == 2 * 2


@pytest.mark.parametrize("args, message", [
    (["--lr", "0.1,fast"], "learning rate must be a positive number"),
    (["--activation", "tanh,sigmoidal"], "unknown activation"),
    (["--activation", "tanh,relu", "--lr", "0.1,1", "--optimizer", "sgd,adam"], "at most two"),
    (["--batch-size", "10,0"], "batch size"),
    (["--layers", "8,8;x"], "layer shape"),
    (["--epochs", "0"], "--epochs"),
    (["--dataset", "moon"], "unknown dataset"),
    (["--csv", "no/such/file.csv"], "no/such/file.csv"),
    (["--dataset", "three_blobs", "--output-activation", "tanh"], "softmax"),
    (["--size", "12x12"], "--size"),
    (["--lr", "0.1,0.2", "--out", "missing/folder/x.png"], "does not exist"),
])
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, args, message):
    args = [*args, "--results", str(tmp_path / "out.csv")]
    if "--out" not in args:
        args += ["--out", str(tmp_path / "out.png")]
    if "--epochs" not in args:
        args += ["--epochs", "2"]
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert message in result.stderr
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_an_argparse_error_is_one_line_too(tmp_path):
    result = run("--epochs", "many", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1


def test_importing_the_command_does_not_import_qt():
    code = ("import sys; import cli; cli.build_parser(); import cli.compare, cli.train, cli.options; "
            "print('PySide6' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.strip() == "False", result.stderr


def test_lists_become_variations_and_the_first_value_the_base():
    base, variations = comparison_setup(parse("--layers", "4;6,6", "--batch-size", "1,25",
                                              "--activation", "elu"))
    assert [(v.setting, v.values) for v in variations] == [("batch_size", (1, 25)),
                                                           ("hidden_layers", ((4,), (6, 6)))]
    assert base.hidden_layers == (4,) and base.batch_size == 1 and base.activations == ("elu",)
    base, variations = comparison_setup(parse("--lr", "0.3", "--batch-size", "7"))
    assert variations == [] and base.learning_rate == 0.3 and base.batch_size == 7


def test_compare_varies_the_cures_of_overfitting(tmp_path):
    """compare --dropout 0,0.2,0.5 (issue 12): one run per rate, with the gap in the table."""
    results = tmp_path / "cures.csv"
    result = run("--dataset", "spiral", "--samples", "80", "--noise", "0.4", "--layers", "16,16",
                 "--dropout", "0,0.2,0.5", "--batch-norm", "0,1", "--epochs", "5", "--quiet",
                 "--results", str(results))
    assert result.returncode == 0, result.stderr
    assert "gap" in result.stdout.splitlines()[1]
    labels = {"dropout 0 · no batch norm", "dropout 0.2 · batch norm", "dropout 0.5 · batch norm"}
    assert all(label in result.stdout for label in labels)
    assert len(results.read_text().splitlines()) == 1 + 6 * 5
    result = run("--l2", "0,0.01", "--epochs", "2", "--quiet")
    assert result.returncode == 0 and "L2 0.01" in result.stdout
    result = run("--dropout", "0,1.5", "--epochs", "2", "--quiet")
    assert result.returncode == 2 and "dropout" in result.stderr


def test_compare_varies_the_training_share():
    base, variations = comparison_setup(parse("--train-share", "0.2,0.8", "--dropout", "0,0.5"))
    assert [(v.setting, v.values) for v in variations] == [("dropout", (0.0, 0.5)),
                                                           ("train_share", (0.2, 0.8))]
    assert base.test_ratio == 0.8
    base, variations = comparison_setup(parse("--train-share", "0.7"))
    assert variations == [] and base.test_ratio == pytest.approx(0.3)
    result = run("--train-share", "0.3,0.9", "--samples", "60", "--epochs", "2", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "train 30%" in result.stdout and "train 90%" in result.stdout
    result = run("--train-share", "0,0.5", "--epochs", "2", "--quiet")
    assert result.returncode == 2 and "training share" in result.stderr


def test_compare_holds_out_the_share_the_model_gives_each_network_kind():
    """Not given, --test-ratio is the model's default for the kind — what its window holds out
    (a ConvNet: ConvolutionSetting's, not the MLP's); given, it wins."""
    from model.config import ExperimentConfig
    from model.lessons.settings import ConvolutionSetting
    base, _ = comparison_setup(parse("--model", "cnn", "--lr", "0.01,0.03"))
    assert base.test_ratio == ConvolutionSetting().test_ratio == 0.2
    base, _ = comparison_setup(parse("--lr", "0.01,0.03", "--samples", "40"))
    assert base.test_ratio == ExperimentConfig().test_ratio == 0.5
    for model in ("cnn", "mlp"):
        base, _ = comparison_setup(parse("--model", model, "--test-ratio", "0.4", "--samples", "40"))
        assert base.test_ratio == 0.4


def test_compare_convnets_prints_the_ranking_and_draws_their_window(tmp_path):
    """compare --model cnn (issue 14): ConvNets on an image set, ranked as the MLPs are."""
    out, results = tmp_path / "cnn.png", tmp_path / "cnn.csv"
    result = run("--model", "cnn", "--dataset", "bars", "--lr", "0.003,0.01,0.03", "--epochs", "2",
                 "--size", "900x700", "--out", str(out), "--results", str(results))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("bars, ConvNets: 3 runs, 2 epochs")
    assert lines[1].split()[:3] == ["#", "run", "test"]
    assert {line.split()[1] for line in lines[2:5]} == {"η=0.003", "η=0.01", "η=0.03"}
    assert png_size(out) == (900, 700)
    rows = list(csv.reader(results.open(encoding="utf-8")))
    assert rows[0][:3] == ["run", "learning_rate", "epoch"] and len(rows) - 1 == 3 * 2


@pytest.mark.parametrize("args, message", [
    (["--activation", "relu,tanh"], "a ConvNet comparison cannot vary the activation (--activation); "
                                    "it can vary the learning rate (--lr)"),
    (["--l2", "0,0.01"], "cannot vary the L2 rate (--l2)"),
    (["--dropout", "0,0.5"], "cannot vary the dropout rate (--dropout)"),
    (["--dataset", "spiral", "--lr", "0.1,0.2"], "--dataset: a ConvNet compares on an image set"),
    (["--conv-layers", "conv8x3,dense10", "--lr", "0.1,0.2"], "--conv-layers: leave out the last dense layer"),
])
def test_compare_convnets_refuses_what_a_convnet_cannot_vary_in_one_line(tmp_path, args, message):
    result = run("--model", "cnn", *args, "--epochs", "1", "--out", str(tmp_path / "x.png"), cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []
