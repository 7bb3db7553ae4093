"""Tools ▸ MLP, CNN and RNN on the digits: the table shows the engine's figures for each architecture."""
import numpy as np
from PySide6.QtGui import QAction

from model.architectures import ARCHITECTURES, ArchitectureRace


def test_the_three_architectures_train_side_by_side_and_the_table_shows_their_figures(qtbot, make_window):
    window = make_window()
    window.findChild(QAction, "actionArchitectures").trigger()
    from gui.convolution.architectures import ArchitecturesWorkspace
    race_window = window.workspace(ArchitecturesWorkspace).window
    assert race_window.isVisible()
    race_window.epochs.setValue(2)
    race_window.run_button.click()
    qtbot.waitUntil(lambda: race_window.table.item(0, 4) is not None
                    and not race_window.controller.is_running
                    and race_window.status.text().startswith("epoch 2"), timeout=60000)
    # the same race trained here gives the same figures (same seed, same split, same batches)
    reference = ArchitectureRace()
    for _ in range(2):
        reference.run_epoch()
    for row, result in enumerate(reference.results()):
        assert race_window.table.item(row, 0).text() == result.name.upper()
        assert race_window.table.item(row, 2).text() == f"{result.parameters:,}"
        assert race_window.table.item(row, 4).text() == f"{result.test_accuracy:.1%}"
        epochs, accuracies = race_window.curves[result.name].getData()
        assert list(epochs) == [1, 2] and np.isclose(accuracies[-1], result.test_accuracy)
    assert len(reference.results()) == len(ARCHITECTURES)
    window.close()
    assert race_window.controller.thread is None
