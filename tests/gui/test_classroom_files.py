"""Issue 10.11: files the app saves are readable by others as the umask allows (not 0600)."""
import os
import stat

import pytest
from PySide6.QtGui import QAction

from gui.window import export, network_files


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.parametrize("action_name, file_name", [
    ("actionExportNetworkPng", "net.png"), ("actionExportNetworkSvg", "net.svg"),
    ("actionExportBoundaryPng", "boundary.png"), ("actionExportLossPng", "loss.png"),
    ("actionExportLossCsv", "loss.csv")])
def test_exports_get_the_umask_permissions(window, tmp_path, monkeypatch, umask_022,
                                           action_name, file_name):
    folder = tmp_path / "exports"
    folder.mkdir()
    path = folder / file_name
    monkeypatch.setattr(export, "choose_export_path", lambda *args: str(path))
    window.findChild(QAction, action_name).trigger()
    assert path.stat().st_size > 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o644          # 0666 & ~022
    assert sorted(p.name for p in folder.iterdir()) == [file_name]   # no temporary left


def test_a_saved_network_gets_the_umask_permissions(window, tmp_path, monkeypatch, umask_022):
    path = tmp_path / "net.json"
    monkeypatch.setattr(network_files, "choose_save_path", lambda parent: str(path))
    window.findChild(QAction, "actionSaveNetwork").trigger()
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
