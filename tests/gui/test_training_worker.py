"""The training worker and its controller: run, pause, step, live changes, divergence, shutdown."""
import math
import time

import numpy as np
import pytest

from gui.training.worker import TrainingController
from model.config import ExperimentConfig
from model.experiment import build


class Recorder:
    """Collects every Progress the controller re-emits on the GUI thread."""

    def __init__(self, controller):
        self.reports = []
        controller.progress.connect(self.reports.append)

    @property
    def latest(self):
        return self.reports[-1].snapshot if self.reports else None

    def epochs(self):
        return np.concatenate([r.epochs for r in self.reports]) if self.reports else np.empty(0)


@pytest.fixture
def controller(qtbot):
    controller = TrainingController()
    yield controller
    controller.shutdown()
    assert controller.thread is None


def test_run_trains_and_loss_goes_down(qtbot, controller):
    experiment = build(ExperimentConfig())
    initial_loss = experiment.trainer.snapshot().train_loss
    recorder = Recorder(controller)
    controller.start(experiment)
    controller.run()
    assert controller.is_running
    qtbot.waitUntil(lambda: recorder.latest is not None and recorder.latest.epoch >= 100, timeout=10000)
    controller.pause(wait=True)
    assert not controller.is_running
    last = recorder.latest.train_loss
    assert last < 0.5 * initial_loss
    # every epoch's loss reached the GUI, in order, none twice
    epochs = recorder.epochs()
    assert np.array_equal(epochs, np.arange(1, len(epochs) + 1))


def test_reports_are_throttled_but_keep_every_epoch(qtbot):
    controller = TrainingController(min_interval=60.0)   # no report while running
    try:
        experiment = build(ExperimentConfig())
        recorder = Recorder(controller)
        controller.start(experiment)
        controller.run()
        qtbot.waitUntil(lambda: experiment.trainer.epoch >= 30, timeout=10000)
        assert len(recorder.reports) <= 1     # the first epoch may be emitted at once
        controller.pause(wait=True)
        qtbot.waitUntil(lambda: len(recorder.reports) >= 1 and not recorder.reports[-1].running)
        epochs = recorder.epochs()
        assert epochs[-1] >= 30
        assert np.array_equal(epochs, np.arange(1, len(epochs) + 1))
        assert len(recorder.reports) <= 2
    finally:
        controller.shutdown()


def test_pause_makes_the_worker_idle_and_the_net_stable(qtbot, controller):
    experiment = build(ExperimentConfig())
    controller.start(experiment)
    controller.run()
    qtbot.waitUntil(lambda: experiment.trainer.epoch >= 5, timeout=10000)
    controller.pause(wait=True)
    params = experiment.net.params.copy()
    step = experiment.trainer.step_count
    assert controller.wait_idle()
    assert experiment.trainer.step_count == step
    assert np.array_equal(experiment.net.params, params)


def test_step_batch_and_epoch_while_paused(qtbot, controller):
    experiment = build(ExperimentConfig())
    recorder = Recorder(controller)
    controller.start(experiment)
    controller.step("batch")
    qtbot.waitUntil(lambda: recorder.latest is not None)
    assert recorder.latest.step == 1 and recorder.latest.epoch == 0
    controller.step("epoch")               # completes the current epoch
    qtbot.waitUntil(lambda: recorder.latest.epoch == 1)
    steps_per_epoch = experiment.trainer.steps_per_epoch
    assert recorder.latest.step == steps_per_epoch
    controller.step("epoch")
    qtbot.waitUntil(lambda: recorder.latest.epoch == 2)
    assert recorder.latest.step == 2 * steps_per_epoch
    assert not controller.is_running
    assert list(recorder.epochs()) == [1, 2]


def test_live_changes_reach_the_trainer_while_running(qtbot, controller):
    experiment = build(ExperimentConfig())
    recorder = Recorder(controller)
    controller.start(experiment)
    controller.run()
    qtbot.waitUntil(lambda: recorder.latest is not None)

    def change(exp):
        exp.optimizer.learning_rate = 0.1
        exp.trainer.batch_size = 25
        exp.net.l2 = 0.01

    controller.apply(change, restarts_epoch=True)
    qtbot.waitUntil(lambda: recorder.latest.learning_rate == 0.1, timeout=5000)
    controller.pause(wait=True)
    assert experiment.trainer.batch_size == 25 and experiment.net.l2 == 0.01
    # after the change an epoch is 250 / 25 = 10 steps
    epoch = experiment.trainer.epoch
    controller.step("epoch")
    qtbot.waitUntil(lambda: recorder.latest.epoch == epoch + 1)
    controller.step("epoch")
    qtbot.waitUntil(lambda: recorder.latest.epoch == epoch + 2)
    assert recorder.latest.step - recorder.reports[-2].snapshot.step == 10


def test_apply_while_paused_is_immediate_and_refreshes(qtbot, controller):
    experiment = build(ExperimentConfig())
    recorder = Recorder(controller)
    controller.start(experiment)

    def edit(exp):
        exp.net.weights[0][0, 0] = 1.5

    controller.apply(edit)
    assert experiment.net.weights[0][0, 0] == 1.5          # no waiting needed while paused
    qtbot.waitUntil(lambda: recorder.latest is not None)
    assert recorder.latest.weights[0][0, 0] == 1.5


def test_divergence_pauses_and_reports_once(qtbot, controller):
    config = ExperimentConfig().replace(dataset="plane", activations=("relu", "relu"),
                                        output_activation="linear", loss="mse", learning_rate=10.0)
    experiment = build(config)
    controller.start(experiment)
    with qtbot.waitSignal(controller.diverged, timeout=10000) as blocker:
        controller.run()
    snapshot = blocker.args[0]
    assert snapshot.divergence is not None
    assert "learning rate 10" in snapshot.divergence.message
    assert not controller.is_running
    assert np.isfinite(experiment.net.params).all()         # last finite weights kept
    assert math.isfinite(snapshot.train_loss) or snapshot.divergence.quantity == "loss"


def test_restart_with_a_new_experiment_ignores_the_old_worker(qtbot, controller):
    recorder = Recorder(controller)
    controller.start(build(ExperimentConfig()))
    controller.run()
    qtbot.waitUntil(lambda: recorder.latest is not None)
    second = build(ExperimentConfig().replace(hidden_layers=(3,)))
    controller.start(second)
    assert not controller.is_running
    recorder.reports.clear()
    controller.step("batch")
    qtbot.waitUntil(lambda: recorder.latest is not None)
    assert all(r.snapshot.sizes == (2, 3, 1) for r in recorder.reports)


def test_shutdown_while_running_ends_the_thread(qtbot, controller):
    controller.start(build(ExperimentConfig()))
    thread = controller.thread
    controller.run()
    qtbot.waitUntil(lambda: controller.latest is not None)
    assert thread.isRunning()
    assert controller.shutdown(timeout_ms=1000)
    assert thread.isFinished()


def test_an_error_in_a_command_pauses_and_is_reported(qtbot, controller, capsys):
    experiment = build(ExperimentConfig())
    recorder = Recorder(controller)
    controller.start(experiment)
    controller.run()

    def broken(exp):
        raise RuntimeError("boom")

    with qtbot.waitSignal(controller.failed, timeout=5000) as blocker:
        controller.apply(broken)
    assert "boom" in blocker.args[0] and not controller.is_running
    assert "RuntimeError" in capsys.readouterr().err
    controller.step("batch")                       # the worker still serves commands
    qtbot.waitUntil(lambda: recorder.latest is not None and not recorder.reports[-1].running)


def test_frame_pacer_defers_but_always_paints_the_newest(qtbot):
    from gui.training.pacing import FramePacer
    painted = []
    pacer = FramePacer(lambda: painted.append(1), min_interval=0.05)
    pacer.request()
    assert painted == [1]                           # the first frame at once
    pacer.request()
    pacer.request()                                 # too soon: one deferred paint for both
    assert painted == [1]
    qtbot.waitUntil(lambda: painted == [1, 1], timeout=2000)
    pacer.request(immediate=True)
    assert painted == [1, 1, 1]


def test_frame_pacer_slows_down_when_painting_is_expensive(qtbot):
    import time as clock
    from gui.training.pacing import FramePacer

    def expensive():
        end = clock.thread_time() + 0.01            # 10 ms of CPU per frame
        while clock.thread_time() < end:
            pass

    pacer = FramePacer(expensive, budget=0.1, min_interval=0.01, max_interval=1.0)
    for _ in range(8):
        pacer.request(immediate=True)
    assert 0.05 < pacer.interval <= 1.0             # ≈ 10 ms / 0.1 = 100 ms between frames
    pacer.cancel()
    assert pacer.interval == 0.01
    # a new run: its first measured frame sets the pace at once (averaged up from 0, the
    # first frames of every run came three times too often)
    pacer.request(immediate=True)
    pacer.request(immediate=True)
    assert pacer.interval >= 0.08


def test_a_change_from_the_gui_thread_waits_for_a_report_being_made(qtbot):
    """``apply`` on a paused job runs in the GUI thread; the report is made in the worker thread.
    A report that reads the job's state twice must see it whole, not half changed (seen under
    load as a Progress without a snapshot)."""
    import threading
    from gui.training.background import Background

    class SlowReport:
        def __init__(self):
            self.state = "before"
            self.reading = threading.Event()
        def ready_to_run(self):
            return False
        def advance(self):
            return False
        def report(self, running):
            first = self.state
            self.reading.set()
            time.sleep(0.2)                      # the GUI thread tries to change the job meanwhile
            return (first, self.state)

    reports = []

    class Owner(Background):
        def deliver(self, report):
            reports.append(report)

    owner = Owner()
    job = SlowReport()
    owner.start_job(job)
    owner.send(lambda job: None)                 # paused: a report follows
    assert job.reading.wait(5)
    owner.apply(lambda job: setattr(job, "state", "after"))   # blocks until the report is made
    qtbot.waitUntil(lambda: len(reports) >= 2, timeout=5000)
    assert reports[0] == ("before", "before") and reports[1] == ("after", "after")
    owner.shutdown()


def test_plane_pictures_take_at_most_their_share_of_the_worker(monkeypatch):
    """Pictures that cost 30 ms, wanted after every report: while running they are made at
    most every 30 ms / GRID_SHARE, so they take at most that share of the worker's time;
    paused, every report carries them."""
    from gui.training import worker
    clock = [0.0]
    monkeypatch.setattr(worker.time, "perf_counter", lambda: clock[0])

    def make_grids(snapshot):
        clock[0] += 0.030
        return ("pictures of step", snapshot.step)

    job = worker.TrainingJob(build(ExperimentConfig()), make_grids)
    made_at = []
    for _ in range(300):                 # a report every 10 ms of training
        clock[0] += 0.010
        job.advance()
        job.grids_wanted.set()          # the GUI painted the last pictures at once
        start = clock[0]
        if job.report(running=True).grids is not None:
            made_at.append(start)
    gaps = np.diff(made_at)
    assert len(made_at) > 5 and gaps.min() >= 0.030 / worker.GRID_SHARE - 1e-9
    assert 0.030 * len(made_at) / clock[0] <= worker.GRID_SHARE + 0.01
    assert job.report(running=False).grids == ("pictures of step", job.trainer.step_count)
