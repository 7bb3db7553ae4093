"""Big CSV files load in the background (progress, Cancel) and the boundary draws a sample of them."""
import numpy as np

from gui.widgets.boundary_view import MAX_SHOWN_POINTS
from gui.window.csv_loading import BACKGROUND_BYTES


def write_big_csv(path, rows=60_000, bad_row=None):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(rows, 3)).round(5)
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    lines = ["a,b,c,label"] + [f"{a},{b},{c},{t}" for (a, b, c), t in zip(X.tolist(), y)]
    if bad_row is not None:
        lines[bad_row] = "1,2,oops,0"
    path.write_text("\n".join(lines) + "\n")
    assert path.stat().st_size >= BACKGROUND_BYTES
    return path


def test_a_big_csv_loads_in_the_background_and_draws_a_sample(window, qtbot, tmp_path):
    path = write_big_csv(tmp_path / "big.csv")
    opening = window.file_opening
    assert opening.open_path(str(path))                 # returns at once: the load has started
    assert opening.csv_loading.loading
    qtbot.waitUntil(lambda: window.experiment.data.name == "big", timeout=30000)
    assert not opening.csv_loading.loading and opening.csv_loading.thread is None
    assert window.experiment.data.n_samples == 60_000
    view = window.boundary_view
    shown, count = view.shown_counts["train"]
    assert shown == MAX_SHOWN_POINTS and count == len(window.experiment.split.train_points)
    assert len(view.train_points.data) == MAX_SHOWN_POINTS
    assert view.thinned_note.text() == f"Drawn: {2 * MAX_SHOWN_POINTS:,} of 60,000 points, at random"
    assert not opening.csv_loading.dialog.isVisible()
    # a drawn point still names its own row of the split
    row = int(view.train_points.data[17]["data"])
    assert np.allclose(view.train_points.data[17]["x"], window.experiment.split.train_points[row, 0])
    assert str(path) in opening.recent_files.paths()


def test_cancel_keeps_the_previous_data(window, qtbot, tmp_path, monkeypatch):
    import model.csv_data as csv_data
    monkeypatch.setattr(csv_data, "CHUNK_CHARS", 20_000)       # a hundred steps or so
    path = write_big_csv(tmp_path / "big.csv")
    before = window.experiment
    loading = window.file_opening.csv_loading
    window.file_opening.open_path(str(path))
    from PySide6.QtWidgets import QPushButton
    loading.dialog.findChild(QPushButton).click()    # the dialog's Cancel button
    assert not loading.loading
    assert window.experiment is before and window.config.csv_path is None
    assert "cancelled" in window.statusBar().currentMessage()


def test_a_bad_cell_in_a_big_file_is_named_and_the_data_kept(window, qtbot, tmp_path):
    path = write_big_csv(tmp_path / "bad.csv", bad_row=50_000)
    before = window.experiment
    window.file_opening.open_path(str(path))
    qtbot.waitUntil(lambda: getattr(window, "_message_box", None) is not None and window._message_box.isVisible(),
                    timeout=30000)
    text = window._message_box.text()
    assert "bad.csv, row 50001, column 'c'" in text and "'oops' is not a number" in text
    assert window.experiment is before
    window._message_box.close()
