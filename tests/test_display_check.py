"""Issue 10.12: without a display or the X libraries, `python main.py` says what is missing."""
import os
import subprocess
import sys
from pathlib import Path

from cli.display_check import (import_problem, install_command, missing_libraries,
                               platform_plugin, unresolved, window_problem)

ROOT = Path(__file__).resolve().parent.parent

# ldd's output for Qt's xcb plugin on a Debian 12 with only the offscreen libraries
# (QT_NOTES.md: Qt then aborts blaming libxcb-cursor0, which is installed)
LDD_BARE = """\
\tlinux-vdso.so.1 (0x00007ffc3b5f0000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f2a1c000000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f2a1bf00000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f2a1bc00000)
"""


def test_the_libraries_ldd_did_not_find_and_their_packages():
    missing = missing_libraries(LDD_BARE)
    assert missing == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]      # each once, in order
    assert install_command(missing) == "sudo apt-get install libxcb-icccm4 libxcb-keysyms1"
    assert install_command(["libfoo.so.3"]) == "sudo apt-get install libfoo.so.3"


def test_no_display_is_one_line_naming_what_to_do():
    message = window_problem({})
    assert message.startswith("no display") and "DISPLAY" in message and "\n" not in message
    # an explicit platform needs no display (offscreen's libraries are all here)
    assert window_problem({"QT_QPA_PLATFORM": "offscreen"}) is None


def test_on_this_machine_the_xcb_plugin_has_every_library():
    plugin = platform_plugin("xcb")
    assert plugin is not None and plugin.name == "libqxcb.so"
    assert unresolved(plugin) == []
    assert window_problem({"DISPLAY": ":95"}) is None


def test_an_import_error_names_the_library_and_package():
    error = ImportError("libEGL.so.1: cannot open shared object file: No such file or directory")
    assert import_problem(error) == ("Qt cannot start: libEGL.so.1 is not installed; install "
                                     "with: sudo apt-get install libegl1")


def test_main_without_a_display_exits_1_with_one_line_instead_of_aborting():
    environ = {k: v for k, v in os.environ.items()
               if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "main.py"], cwd=ROOT, env=environ,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: no display to open the window on")
