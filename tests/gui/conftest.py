"""Fixtures shared by the GUI tests: main windows with a private settings file."""
import pytest
from PySide6.QtCore import QSettings

from gui.convolution.window import ConvolutionWindow
from gui.main_window import MainWindow
from model.data import make_bars


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)


@pytest.fixture
def make_window(qtbot, settings):
    windows = []

    def make(config=None, qsettings=None):
        window = MainWindow(config, settings=qsettings or settings)
        window.set_pace("fastest")        # tests that train many epochs (the paced runs: test_classroom_pace)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
        assert window.controller.thread is None


@pytest.fixture
def window(make_window):
    return make_window()


@pytest.fixture
def conv_window(qtbot):
    """The convolution window on 80 generated bar images, shown."""
    window = ConvolutionWindow(make_bars(80, seed=0))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
    assert window.controller.thread is None
