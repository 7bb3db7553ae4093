"""File ▸ Export: the written files are opened and checked (PNG size, SVG nodes, CSV rows)."""
import csv
import xml.etree.ElementTree as ElementTree

import numpy as np
import pytest
from PySide6.QtGui import QAction, QImage

from gui.window import export

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def exported(monkeypatch, tmp_path):
    """Export by action name to a file in tmp_path; returns the path written."""
    def run(window, action_name, file_name):
        path = tmp_path / file_name
        monkeypatch.setattr(export, "choose_export_path", lambda *args: str(path))
        window.findChild(QAction, action_name).trigger()
        return path
    return run


def train_epochs(qtbot, window, epochs):
    window.step_unit.setCurrentIndex(window.step_unit.findData("epoch"))
    for epoch in range(1, epochs + 1):
        window.findChild(QAction, "actionStep").trigger()
        qtbot.waitUntil(lambda: window.status.labels["epoch"].text() == f"Epoch {epoch}")


def test_the_file_menu_has_the_export_submenu(window):
    menu = window.findChild(QAction, "actionExportMenu")
    assert menu in window.file_menu.actions()
    assert window.file_menu.actions()[-1].objectName() == "actionQuit"     # Quit stays last
    names = [action.objectName() for action in menu.menu().actions()]
    assert names == ["actionExportNetworkPng", "actionExportNetworkSvg", "actionExportBoundaryPng",
                     "actionExportLossPng", "actionExportLossCsv"]


def test_network_png_has_twice_the_views_pixels_and_shows_the_edges(window, exported):
    path = exported(window, "actionExportNetworkPng", "network.png")
    image = QImage(str(path))
    viewport = window.network_view.viewport().size()
    assert path.stat().st_size > 0 and not image.isNull()
    assert (image.width(), image.height()) == (2 * viewport.width(), 2 * viewport.height())
    pixels = np.array([image.pixelColor(x, y).getRgb()[:3]
                       for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)])
    assert (pixels[:, 2] - pixels[:, 0] > 60).any()          # blue edges or heatmaps are there


def test_network_svg_parses_and_draws_every_node_and_label(window, exported):
    path = exported(window, "actionExportNetworkSvg", "network.svg")
    root = ElementTree.parse(path).getroot()
    layout = window.network_view.layout
    node_size = layout.node_rect(0, 0)[2]
    nodes = [rect for rect in root.iter(f"{SVG}rect")
             if float(rect.get("width")) == node_size == float(rect.get("height"))]
    assert len(nodes) == sum(layout.sizes) == 9              # 2-4-2-1
    texts = [text.text.strip() for text in root.iter(f"{SVG}text") if text.text]
    assert {"X₁", "X₂", "Input", "output"} <= set(texts)
    assert root.find(f"{SVG}title").text == "Network 2-4-2-1"


def test_boundary_and_loss_png_have_the_widgets_size(window, exported):
    for action, name, widget in (("actionExportBoundaryPng", "boundary.png", window.boundary_view),
                                 ("actionExportLossPng", "loss.png", window.loss_plot)):
        path = exported(window, action, name)
        image = QImage(str(path))
        ratio = widget.devicePixelRatioF()
        assert path.stat().st_size > 0
        assert (image.width(), image.height()) == (round(widget.width() * ratio),
                                                   round(widget.height() * ratio))


def test_loss_csv_has_one_row_per_epoch(qtbot, window, exported):
    train_epochs(qtbot, window, 3)
    path = exported(window, "actionExportLossCsv", "loss.csv")
    with open(path, newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    epochs, train, test = window.loss_plot.history.arrays()
    assert [int(row["epoch"]) for row in rows] == [0, 1, 2, 3] == list(epochs)
    np.testing.assert_array_equal([float(row["train_loss"]) for row in rows], train)
    np.testing.assert_array_equal([float(row["test_loss"]) for row in rows], test)


def test_a_failed_export_says_so_and_writes_nothing(window, exported, monkeypatch, tmp_path):
    errors = []
    monkeypatch.setattr(window, "show_error", lambda title, text: errors.append(text))
    path = exported(window, "actionExportLossCsv", "missing-folder/loss.csv")
    assert errors and not path.exists()
    assert [p.name for p in tmp_path.rglob("*") if p.name != "settings.ini"] == []
