"""GUI speed: training with every view live vs headless, network-view repaint, time to window.

    python benchmarks/gui_speed.py [--seconds 2] [--pairs 9]

Runs offscreen and prints a table. Baselines are measured in the same run
(headless throughput of the same setting) or quoted (TensorFlow Playground's
epochs/s measured in a browser on these machines), so the ratios mean
something on any machine.

(a) default setting: steps/s with the window shown and training, vs the same
    training loop with no GUI (target ≥ 70 %; the median of each pair's own ratio, and
    the range over the pairs: on these machines it spans 20–50 points at load ≤ 1, so 9 pairs);
    the GUI thread's busy share (its CPU time over wall time — at the fastest pace the frame pacer
    holds it near FASTEST_PAINT_BUDGET, 10 %) and its
    CPU time per repaint (what painting one snapshot costs the GUI thread)
    and the loss plot's repaint after 10,000 epochs against pyqtgraph's own 2-px curves (GUI
    painting holds the GIL the training thread needs, so its cost is training's loss too)
    and the same with 6 hidden layers × 64 neurons (its plane pictures cost about three
    epochs: the worker makes them for at most GRID_SHARE of its time)
(b) one repaint of the network view with 6 hidden layers × 64 neurons:
    parameters only, and parameters + per-node heatmaps (median ms, target < 16)
(c) process start → main window shown, fresh `python -c` processes (median)
(d) epochs/s with every view live on Playground's three reference settings
    (train/test 50 %, batch 10, tanh, lr 0.03), vs Playground (target ≥ 10×)
(e) issue 12: dropout 0.2 and batch norm on every hidden layer, every view live — the
    followed training sample's dropout mask in the network view, the batch-norm
    distributions dock open — steps/s vs the same setting headless (target ≥ 70 %);
    and the distributions panel's refresh at 6 × 64: the GUI thread's cost per refresh (show the
    histograms, repaint the whole panel; median ms, target < 5), and the histograms' cost in
    the background worker
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtCore import QEventLoop, QSettings, QTimer  # noqa: E402
from PySide6.QtGui import QAction  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gui.app import application  # noqa: E402
from gui.training.views import FASTEST_PAINT_BUDGET  # noqa: E402
from model.config import ExperimentConfig  # noqa: E402
from model.experiment import build  # noqa: E402

PLAYGROUND = {  # epochs/s in a browser on these machines (the brief's measurements)
    "circle [4,2]": 53.0,
    "spiral [8,8]": 28.0,
    "spiral 6×[8]": 15.0,
}


def reference_configs() -> dict[str, ExperimentConfig]:
    base = ExperimentConfig().replace(test_ratio=0.5, batch_size=10, learning_rate=0.03)
    return {
        "circle [4,2]": base.replace(dataset="circle", hidden_layers=(4, 2)),
        "spiral [8,8]": base.replace(dataset="spiral", hidden_layers=(8, 8)),
        "spiral 6×[8]": base.replace(dataset="spiral", hidden_layers=(8,) * 6),
    }


def headless(config: ExperimentConfig, seconds: float, remember_masks: bool = False
             ) -> tuple[float, float]:
    """(steps/s, epochs/s) of the worker's loop (Trainer.run, a snapshot per epoch), no GUI;
    ``remember_masks``: as the window trains (each sample's latest dropout mask kept)."""
    trainer = build(config).trainer
    trainer.remember_masks = remember_masks
    start = time.perf_counter()
    for snapshot in trainer.run():
        if time.perf_counter() - start >= seconds:
            break
    elapsed = time.perf_counter() - start
    return snapshot.step / elapsed, snapshot.epoch / elapsed


def make_window(settings: QSettings):
    """The main window, shown, as a user sees it (gui.app.run's options)."""
    import pyqtgraph as pg
    from gui.main_window import MainWindow
    pg.setConfigOptions(antialias=True)
    window = MainWindow(settings=settings)
    window.set_pace("fastest")       # throughput: no pacing (the window starts at 20 epochs/s)
    window.show()
    return window


def lab_config(hidden: tuple[int, ...] = (4, 2)) -> ExperimentConfig:
    """The default setting with dropout 0.2 and batch norm on every hidden layer."""
    return ExperimentConfig().replace(hidden_layers=hidden, activations=("tanh",) * len(hidden),
                                      dropout=(0.2,) * len(hidden), batch_norm=(True,) * len(hidden))


def every_lab_view(window) -> None:
    """Follow a training sample (its dropout mask is drawn) and open the distributions dock."""
    from gui.overfitting.distributions import DistributionsView
    window._on_sample_clicked("train", 0)
    window.add_workspace(DistributionsView).dock.show()
    QApplication.processEvents()


def distributions_refresh(app, repeats: int = 20) -> tuple[float, float]:
    """Median ms of (1) what the GUI thread does per distributions-panel refresh for a 6 × 64
    network with batch norm everywhere — show the histograms and repaint the whole panel
    synchronously (the explanation and the grid of twelve histograms); its CPU time — and (2)
    making the histograms, which the app's background worker does
    (``normalisation_distributions`` over the training set)."""
    from gui.overfitting.distributions import DistributionsPanel
    from model.overfitting import normalisation_distributions
    experiment = build(lab_config((64,) * 6))
    panel = DistributionsPanel()
    panel.resize(420, 900)
    panel.show()
    inputs = experiment.trainer.train_inputs
    gui, worker = [], []
    for _ in range(repeats):
        experiment.trainer.step()
        net = experiment.net.copy()                 # the worker's network, the snapshot loaded
        start = time.perf_counter()
        layers = normalisation_distributions(net, inputs)
        worker.append(time.perf_counter() - start)
        start = time.thread_time()                  # the GUI thread's CPU: robust to a busy machine
        panel.show_distributions(layers)
        panel.repaint()                             # the whole panel, children included, now
        gui.append(time.thread_time() - start)
        app.processEvents()
    panel.close()
    return 1000 * statistics.median(gui), 1000 * statistics.median(worker)


def live(window, config: ExperimentConfig, seconds: float,
         prepare=None) -> tuple[float, float, float, float]:
    """(steps/s, epochs/s, repaints/s, GUI thread's busy share) with the main window shown
    and training ``config`` (``prepare(window)`` after loading it, e.g. to open more views);
    the busy share is the GUI thread's CPU time over wall time."""
    window.load_config(config)
    if prepare is not None:
        prepare(window)
    reports, paints = [None], []
    # keep only the newest snapshot: retaining thousands would slow Python's GC, not the app
    collect = lambda p: reports.__setitem__(0, p.snapshot)   # noqa: E731
    window.controller.progress.connect(collect)
    paint = window.training_views.pacer.paint
    window.training_views.pacer.paint = lambda: (paints.append(1), paint())
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    run = window.findChild(QAction, "actionRun")
    run.trigger()
    start, start_cpu = time.perf_counter(), time.thread_time()
    loop.exec()                      # the real event loop, as in app.exec()
    elapsed, busy = time.perf_counter() - start, time.thread_time() - start_cpu
    run.trigger()
    window.pause_training()
    QApplication.processEvents()
    window.controller.progress.disconnect(collect)
    window.training_views.pacer.paint = paint
    last = reports[0]
    return last.step / elapsed, last.epoch / elapsed, len(paints) / elapsed, busy / elapsed


def paired(window, config: ExperimentConfig, seconds: float, pairs: int,
           prepare=None) -> dict[str, float]:
    """Medians over ``pairs`` alternating headless/live runs (the machine's noise hits both);
    ``share``: the median of each pair's live/headless ratio (the two runs of a pair are
    seconds apart, so a drift of the machine's speed cancels), ``share_range`` its (min, max)."""
    results: dict[str, list[float]] = {k: [] for k in
                                       ("head_steps", "head_epochs", "steps", "epochs", "fps",
                                        "busy")}
    for _ in range(pairs):
        head_steps, head_epochs = headless(config, seconds)
        steps, epochs, fps, busy = live(window, config, seconds, prepare)
        for key, value in zip(results, (head_steps, head_epochs, steps, epochs, fps, busy)):
            results[key].append(value)
    shares = [live / head for live, head in zip(results["steps"], results["head_steps"])]
    found = {key: statistics.median(values) for key, values in results.items()}
    found["share"], found["share_range"] = statistics.median(shares), (min(shares), max(shares))
    return found


def share_text(result: dict) -> str:
    """The live/headless share of a ``paired`` result: median (range over the pairs)."""
    low, high = result["share_range"]
    return f"{result['share']:.0%} ({low:.0%}–{high:.0%})"


def network_repaint(app, repeats: int = 30) -> tuple[float, float]:
    """Median GUI-thread CPU ms of show_parameters + a synchronous repaint; and with the
    per-node heatmaps too (shown from pictures the worker made)."""
    from gui.training.grids import PlaneEvaluator
    from gui.main_window import HEATMAP_RESOLUTION
    from gui.network.pictures import node_colours
    from gui.network.view import NetworkView
    config = ExperimentConfig().replace(hidden_layers=(64,) * 6)
    experiment = build(config)
    view = NetworkView()
    view.resize(900, 700)
    view.show()
    net = experiment.net
    view.set_structure(net.sizes, experiment.input_names,
                       [*net.activation_names, net.output_activation.name])
    evaluator = PlaneEvaluator(experiment, HEATMAP_RESOLUTION)
    rng = np.random.default_rng(0)
    app.processEvents()
    plain, heat = [], []
    for i in range(repeats):
        evaluator.net.params[:] = net.params + rng.normal(0, 0.1, net.params.shape)
        weights = [w.copy() for w in evaluator.net.weights]
        # the pictures come made and coloured, with the snapshot (the worker: gui.training.grids)
        images = evaluator.images(evaluator.net.forward(evaluator.inputs).a)
        colours = node_colours(images)
        start = time.thread_time()                  # the GUI thread's CPU: robust to a busy machine
        view.show_parameters(weights, list(net.biases), weights, list(net.biases))
        view.viewport().repaint()
        plain.append(time.thread_time() - start)
        start = time.thread_time()
        view.show_parameters(weights, list(net.biases), weights, list(net.biases))
        view.show_heatmaps(images, colours)
        view.viewport().repaint()
        heat.append(time.thread_time() - start)
    view.close()
    return 1000 * statistics.median(plain), 1000 * statistics.median(heat)


def loss_plot_repaint(app, epochs: int = 10_000, repeats: int = 20) -> tuple[float, float]:
    """Median GUI-thread CPU ms of a synchronous repaint of the loss plot after ``epochs`` epochs
    (a minute of training at Fastest): the app's ``LossPlot`` (``WideDataItem`` curves), and the
    same data as pyqtgraph's own width-2 ``PlotDataItem``s (the baseline, what it drew before)."""
    import pyqtgraph as pg
    from gui.widgets.loss_plot import TEST_COLOUR, TRAIN_COLOUR, LossPlot
    pg.setConfigOptions(antialias=True)        # as the app draws (gui.app.run)
    rng = np.random.default_rng(0)
    x = np.arange(1.0, epochs + 1)
    train = 1 / np.sqrt(x) + 0.01 * rng.random(epochs)
    test = train + 0.1 + 0.01 * rng.random(epochs)
    app_plot = LossPlot()
    app_plot.append(x, train, test)
    baseline = pg.PlotWidget(background="w")
    for values, colour in ((train, TRAIN_COLOUR), (test, TEST_COLOUR)):
        curve = baseline.getPlotItem().plot(x, values, pen=pg.mkPen(colour, width=2))
        curve.setClipToView(True)
        curve.setDownsampling(auto=True, method="peak")
    costs = []
    for plot in (app_plot, baseline):
        plot.resize(400, 300)
        plot.show()
        app.processEvents()
        times = []
        for _ in range(repeats):
            start = time.thread_time()
            plot.viewport().repaint()
            times.append(time.thread_time() - start)
        costs.append(1000 * statistics.median(times))
        plot.close()
    return costs[0], costs[1]


def time_to_window(repeats: int = 5) -> float:
    """Median seconds from spawning `python -c` to the main window shown and painted."""
    script = ("import time, sys; sys.path.insert(0, {root!r});"
              "from gui.app import application; app = application([]);"
              "from PySide6.QtCore import QSettings;"
              "from gui.main_window import MainWindow;"
              "w = MainWindow(settings=QSettings({ini!r}, QSettings.IniFormat)); w.show();"
              "app.processEvents(); print(time.time()); w.close()")
    times = []
    for i in range(repeats):
        ini = f"/tmp/backprop_bench_{os.getpid()}.ini"
        start = time.time()
        out = subprocess.run([sys.executable, "-c", script.format(root=str(ROOT), ini=ini)],
                             capture_output=True, text=True, env=dict(os.environ), check=True)
        times.append(float(out.stdout.strip().splitlines()[-1]) - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="seconds per measurement")
    parser.add_argument("--pairs", type=int, default=9,
                        help="alternating headless/live runs per setting (medians are reported)")
    args = parser.parse_args()
    app = application([])
    settings = QSettings(f"/tmp/backprop_bench_{os.getpid()}.ini", QSettings.IniFormat)
    rows = []

    window = make_window(settings)
    default = paired(window, ExperimentConfig(), args.seconds, args.pairs)
    rows.append(("(a) default, steps/s: live vs headless", f"{default['steps']:,.0f}",
                 f"{default['head_steps']:,.0f}", share_text(default),
                 "≥ 70 %"))
    rows.append(("    repaints/s while training (paced)", f"{default['fps']:.0f}", "", "", "≤ 30"))
    rows.append(("    GUI thread busy while training", f"{default['busy']:.0%}", "", "",
                 f"paced to ~{FASTEST_PAINT_BUDGET:.0%}"))
    rows.append(("    GUI thread CPU per repaint, ms", f"{1000 * default['busy'] / default['fps']:.1f}",
                 "", "", "lower is better"))
    big = paired(window, ExperimentConfig().replace(hidden_layers=(64,) * 6,
                                                    activations=("tanh",) * 6),
                 args.seconds, max(1, args.pairs // 2))
    rows.append(("    6 × 64 network, steps/s: live vs headless", f"{big['steps']:,.0f}",
                 f"{big['head_steps']:,.0f}", share_text(big),
                 f"plane pictures ≤ 15 % of the worker ({1000 * big['busy'] / big['fps']:.1f} ms "
                 "GUI CPU per repaint)"))
    for name, config in reference_configs().items():
        result = paired(window, config, args.seconds, max(1, args.pairs // 2))
        rows.append((f"(d) {name}, epochs/s live vs Playground", f"{result['epochs']:,.0f}",
                     f"{PLAYGROUND[name]:.0f}", f"{result['epochs'] / PLAYGROUND[name]:.0f}×",
                     f"≥ 10× (headless {result['head_epochs']:,.0f}; "
                     f"{1000 * result['busy'] / result['fps']:.1f} ms GUI CPU per repaint)"))
    lab = paired(window, lab_config(), args.seconds, args.pairs, every_lab_view)
    rows.append(("(e) dropout + batch norm, every view live, steps/s", f"{lab['steps']:,.0f}",
                 f"{lab['head_steps']:,.0f}", share_text(lab),
                 f"≥ 70 % ({1000 * lab['busy'] / lab['fps']:.1f} ms GUI CPU per repaint)"))
    remembered = statistics.median(headless(lab_config(), args.seconds, True)[0] / headless(
        lab_config(), args.seconds)[0] for _ in range(args.pairs))
    rows.append(("    headless, remembering masks vs not", f"{remembered:.0%}", "", "",
                 "the cost of the mask view"))
    window.close()
    gui_ms, worker_ms = distributions_refresh(app)
    rows.append(("    distributions panel refresh at 6×64, GUI thread ms", f"{gui_ms:.1f}", "", "",
                 f"< 5 (histograms: {worker_ms:.1f} ms in the worker)"))
    ours, theirs = loss_plot_repaint(app)
    rows.append(("    loss plot repaint after 10,000 epochs, GUI ms", f"{ours:.1f}", f"{theirs:.1f}",
                 f"{ours / theirs:.0%}", "vs pyqtgraph's 2-px curves; painting holds the GIL"))
    plain, heat = network_repaint(app)
    rows.append(("(b) network view 6×64 repaint, ms", f"{plain:.1f}", "", "", "< 16"))
    rows.append(("    … with per-node heatmaps, ms", f"{heat:.1f}", "", "", "< 16"))
    rows.append(("(c) process start → window shown, s", f"{time_to_window():.2f}", "", "", ""))

    header = ("measurement", "value", "baseline", "ratio", "target")
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(5)]
    line = "  ".join("{:<%d}" % w for w in widths)
    print(line.format(*header))
    print(line.format(*("-" * w for w in widths)))
    for row in rows:
        print(line.format(*row))
    os.remove(settings.fileName()) if os.path.exists(settings.fileName()) else None


if __name__ == "__main__":
    main()
