"""The headless `landscape` command, run as a user would run it."""
import csv
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np

from model.comparison import Comparison
from model.config import ExperimentConfig
from model.experiment import build
from model.landscape import path_surface, shared_surface
from model.minima import barrier, group_solutions, train_from_seeds
from model.variations import Variation

ROOT = Path(__file__).resolve().parent.parent


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "landscape", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=180)


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and header[12:16] == b"IHDR"
    return struct.unpack(">II", header[16:24])


def test_writes_the_surface_of_the_trained_network_as_png_and_csv(tmp_path):
    out, grid = tmp_path / "landscape.png", tmp_path / "grid.csv"
    result = run("--dataset", "spiral", "--samples", "100", "--layers", "5", "--epochs", "6",
                 "--resolution", "9", "--directions", "pca", "--size", "600x800",
                 "--out", str(out), "--csv", str(grid))
    assert result.returncode == 0, result.stderr
    assert "100%" in result.stderr                                   # the progress bar
    assert "PCA of the path (7 points)" in result.stdout
    assert png_size(out) == (600, 800)
    with grid.open(newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == ["alpha", "beta", "loss"]
    values = np.array(rows[1:], dtype=float)
    assert values.shape == (81, 3)

    # the same training in this process gives the same grid
    config = ExperimentConfig(dataset="spiral", samples=100, hidden_layers=(5,), activations=("tanh",),
                              output_activation="tanh", loss="mse")
    experiment = build(config)
    net, trainer = experiment.net, experiment.trainer
    path = [net.params.copy()]
    for _ in trainer.run(epochs=6):
        path.append(net.params.copy())
    surface, coords, _ = path_surface(net, trainer.train_inputs, trainer.train_targets, path, "pca",
                                      resolution=9)
    np.testing.assert_allclose(values[:, 2], surface.loss.ravel(), rtol=1e-12)
    np.testing.assert_allclose(values[::9, 0], surface.alphas)
    np.testing.assert_allclose(values[:9, 1], surface.betas)
    assert np.abs(coords).max() < surface.alphas[-1]       # the path lies inside the grid


def test_bad_input_is_one_line_and_writes_nothing(tmp_path):
    out = tmp_path / "landscape.png"
    for args, message in ((("--directions", "sideways"), "--directions must be pca or random"),
                          (("--resolution", "1"), "--resolution must be between"),
                          (("--dataset", "nope"), "unknown dataset")):
        result = run(*args, "--epochs", "2", "--out", str(out))
        assert result.returncode == 2
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert not out.exists()


def test_seeds_are_grouped_and_the_barrier_between_the_best_two_is_printed():
    result = run("--dataset", "xor", "--samples", "100", "--layers", "4", "--epochs", "8",
                 "--resolution", "5", "--seeds", "4", "--quiet")
    assert result.returncode == 0, result.stderr
    config = ExperimentConfig(dataset="xor", samples=100, hidden_layers=(4,), activations=("tanh",),
                              output_activation="tanh", loss="mse")
    comparison = train_from_seeds(config, 4, 8)
    X, Y = comparison.train_inputs, comparison.train_targets
    groups = group_solutions(comparison.predict(X))
    assert f"4 seeds ended in {len(groups)} solution(s)" in result.stdout
    losses = comparison.snapshot().history["train_loss"][:, -1]
    ranked = sorted(groups, key=lambda g: losses[g].min())
    best = [min(g, key=lambda r: losses[r]) for g in ranked[:2]]
    if len(best) < 2:
        best = list(np.argsort(losses)[:2])
    line, height = barrier(comparison, best[0], best[1], X, Y)
    assert (f"straight line from seed {best[0]} to seed {best[1]}: loss {line[0]:.4g} → max "
            f"{line.max():.4g} → {line[-1]:.4g}; barrier {max(height, 0.0):.4g}") in result.stdout
    bad = run("--seeds", "1", "--epochs", "2")
    assert bad.returncode == 2 and "--seeds must be between 2 and 16" in bad.stderr


def test_several_optimizers_share_one_landscape_of_their_paths_union(tmp_path):
    out, grid = tmp_path / "optimizers.png", tmp_path / "grid.csv"
    result = run("--dataset", "xor", "--samples", "100", "--layers", "4", "--epochs", "7",
                 "--optimizer", "sgd,momentum,adam", "--resolution", "7", "--size", "500x600",
                 "--out", str(out), "--csv", str(grid), "--quiet")
    assert result.returncode == 0, result.stderr
    assert png_size(out) == (500, 600)
    config = ExperimentConfig(dataset="xor", samples=100, hidden_layers=(4,), activations=("tanh",),
                              output_activation="tanh", loss="mse")
    comparison = Comparison(config, [Variation.parse("optimizer", "sgd,momentum,adam")])
    for _ in comparison.run(7):
        pass
    snapshot = comparison.snapshot()
    paths = [snapshot.path(r) for r in range(3)]
    shared = shared_surface(comparison.experiments[0].net, comparison.train_inputs,
                            comparison.train_targets, paths, resolution=7)
    with grid.open(newline="", encoding="utf-8") as stream:
        values = np.array(list(csv.reader(stream))[1:], dtype=float)
    np.testing.assert_allclose(values[:, 2], shared.surface.loss.ravel(), rtol=1e-12)
    explained = shared.surface.explained
    assert (f"explained variance {explained[0]:.1%} + {explained[1]:.1%}") in result.stdout
    for label, path, coords in zip(("sgd", "momentum", "adam"), paths, shared.coords):
        row = next(line for line in result.stdout.splitlines() if line.startswith(label + " "))
        assert f"({coords[-1, 0]:.3g}, {coords[-1, 1]:.3g})" in row and f" {len(path)} " in row
    bad = run("--optimizer", "sgd,rmsprop", "--epochs", "2", "--out", str(tmp_path / "x.png"))
    assert bad.returncode == 2 and "unknown optimizer 'rmsprop'" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1 and not (tmp_path / "x.png").exists()
    bad = run("--optimizer", "sgd,adam", "--directions", "random", "--epochs", "2")
    assert bad.returncode == 2 and "drop --directions random" in bad.stderr
