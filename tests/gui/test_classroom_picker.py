"""Issue 10.10: the data-set picker shows a small picture of each built-in set; 10.8: a CSV
with more than two inputs names the boundary's axes by its header, noise is disabled."""
import numpy as np
from PySide6.QtGui import QColor

from gui.controls.dataset_pictures import PICTURE_SIZE, dataset_picture
from gui.widgets.boundary_view import target_rgb
from model.datasets import DATASETS, RADIUS, make_dataset


def test_every_built_in_set_has_its_picture_in_the_picker(window):
    combo = window.control_panel.data.dataset
    names = [combo.itemData(i) for i in range(combo.count())]
    assert names == list(DATASETS)
    for index in range(combo.count()):
        assert not combo.itemIcon(index).isNull(), names[index]
    assert combo.iconSize().width() == PICTURE_SIZE


def test_the_circle_picture_is_blue_inside_and_orange_outside():
    image = dataset_picture("circle").toImage()
    assert (image.width(), image.height()) == (PICTURE_SIZE, PICTURE_SIZE)
    data = make_dataset("circle", n_samples=300, noise=0.0, seed=0)
    colours = target_rgb(data.targets, data.task).astype(int)
    inner = colours[np.hypot(*data.points.T) < 2][0]          # the inner disc's class colour
    outer = colours[np.hypot(*data.points.T) > 4][0]
    centre = QColor(image.pixel(PICTURE_SIZE // 2, PICTURE_SIZE // 2)).getRgb()[:3]
    # a point at radius 5 on the x axis: pixel (x + R) / 2R · (size − 4) + 2
    ring_x = round((5 + RADIUS) / (2 * RADIUS) * (PICTURE_SIZE - 4) + 2)
    ring = [QColor(image.pixel(x, y)).getRgb()[:3] for x in range(ring_x - 2, ring_x + 3)
            for y in range(PICTURE_SIZE // 2 - 2, PICTURE_SIZE // 2 + 3)]
    assert np.abs(np.array(centre) - inner).max() < 60
    assert min(np.abs(np.array(c) - outer).max() for c in ring) < 60


def test_a_csv_with_four_inputs_names_the_boundary_axes_and_disables_noise(window):
    from pathlib import Path
    path = Path(__file__).resolve().parents[2] / "resources" / "samples" / "iris_like.csv"
    window.file_opening.choose_csv_path = lambda: str(path)
    window.file_opening.open_csv()
    assert window.experiment.data.feature_names[:2] == ("sepal_length", "sepal_width")
    plot = window.boundary_view.getPlotItem()
    assert plot.getAxis("bottom").labelText == "sepal_length"
    assert plot.getAxis("left").labelText == "sepal_width"
    data = window.control_panel.data
    assert not data.noise.isEnabled() and not data.samples.isEnabled()
    window.reset_to_defaults()                             # built-in data: x₁, x₂ again
    assert plot.getAxis("bottom").labelText == "x₁" and data.noise.isEnabled()
