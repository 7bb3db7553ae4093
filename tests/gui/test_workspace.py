"""A workspace joins the main window through WindowServices only: action, dock, snapshots, centre."""
import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from gui.workspace import WindowServices


class CountingWorkspace:
    """A minimal workspace: a Tools action, a dock, a central page, and every snapshot counted."""

    def __init__(self, services: WindowServices) -> None:
        self.services = services
        self.epochs: list[int] = []
        self.action = QAction("Count", services.widget(), objectName="actionCount")
        services.add_action(self.action, menu="tools", toolbar=True)
        self.dock = services.add_panel_dock("Counter", QLabel("count"), "counterDock")
        self.page = QLabel("a workspace's own central area", objectName="counterPage")
        services.snapshotShown.connect(lambda snapshot: self.epochs.append(snapshot.epoch))


def test_the_main_window_offers_every_service(window):
    assert isinstance(window, WindowServices)


def test_a_workspace_gets_its_action_dock_and_snapshots(qtbot, window):
    workspace = window.add_workspace(CountingWorkspace)
    assert window.add_workspace(CountingWorkspace) is workspace is window.workspace(CountingWorkspace)
    assert workspace.action in window.tools_menu.actions()
    assert workspace.action in window.main_toolbar.actions()
    assert workspace.dock.toggleViewAction() in window.view_menu.actions()
    window.step_unit.setCurrentIndex(window.step_unit.findData("epoch"))
    window.findChild(QAction, "actionStep").trigger()
    qtbot.waitUntil(lambda: 1 in workspace.epochs)
    assert window.latest_snapshot().epoch == 1


def test_a_workspace_takes_over_the_central_area_and_gives_it_back(window):
    workspace = window.add_workspace(CountingWorkspace)
    window.show_central(workspace.page)
    assert workspace.page.isVisible() and not window.network_view.isVisible()
    window.show_central(None)
    assert window.network_view.isVisible() and not workspace.page.isVisible()


def test_unknown_menus_are_refused(window):
    with pytest.raises(ValueError, match="no menu 'edit'"):
        window.add_action(QAction("x", window), menu="edit")
