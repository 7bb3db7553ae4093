"""Before Qt starts: is there a display, and are the system libraries Qt needs installed?

Without them Qt aborts the process (exit 134) with a message that may blame the
wrong library (QT_NOTES.md). ``window_problem()`` answers in one line what is
missing and the command that installs it, or None when the window can open.
``ldd`` on Qt's platform plugin lists every shared library it needs, its
dependencies' included, and marks the absent ones "not found".
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

#: Debian/Ubuntu package of each library Qt's window (xcb) and offscreen platforms load.
PACKAGES = {
    "libEGL.so.1": "libegl1", "libGL.so.1": "libgl1", "libOpenGL.so.0": "libopengl0",
    "libGLX.so.0": "libglx0", "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6", "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0", "libdbus-1.so.3": "libdbus-1-3",
    "libxkbcommon.so.0": "libxkbcommon0", "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11.so.6": "libx11-6", "libX11-xcb.so.1": "libx11-xcb1", "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0", "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0", "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0", "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0", "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0", "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0", "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-xkb.so.1": "libxcb-xkb1", "libSM.so.6": "libsm6", "libICE.so.6": "libice6",
    "libXau.so.6": "libxau6", "libXdmcp.so.6": "libxdmcp6",
}


def missing_libraries(ldd_output: str) -> list[str]:
    """The libraries ``ldd`` marked "not found", in its order, each once."""
    found = re.findall(r"^\s*(\S+)\s+=>\s+not found", ldd_output, flags=re.MULTILINE)
    return list(dict.fromkeys(found))


def install_command(libraries: list[str]) -> str:
    """``sudo apt-get install …`` for the packages that hold ``libraries``."""
    packages = dict.fromkeys(PACKAGES.get(name, name) for name in libraries)
    return "sudo apt-get install " + " ".join(packages)


def platform_plugin(name: str) -> Path | None:
    """PySide6's Qt platform plugin ``name`` (e.g. "xcb"), or None if PySide6 is not found."""
    spec = find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    plugin = Path(list(spec.submodule_search_locations)[0]) / "Qt" / "plugins" / "platforms" \
        / f"libq{name}.so"
    return plugin if plugin.exists() else None


def unresolved(library: Path) -> list[str]:
    """What ``ldd`` cannot find for ``library`` (empty when ldd is not there to ask)."""
    if shutil.which("ldd") is None:
        return []
    try:
        result = subprocess.run(["ldd", str(library)], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return []
    return missing_libraries(result.stdout)


def window_problem(environ: dict[str, str] | None = None) -> str | None:
    """One line on why the window cannot open here, with what to do; None if it can."""
    environ = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return None
    platform = environ.get("QT_QPA_PLATFORM", "")
    if not platform and not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY"):
        return ("no display to open the window on (DISPLAY is not set): start it from a desktop "
                "session, or use the headless commands, e.g. `python main.py train --help`")
    name = platform.split(":")[0] if platform else \
        ("xcb" if environ.get("DISPLAY") else "wayland")
    plugin = platform_plugin(name)
    missing = unresolved(plugin) if plugin is not None else []
    if missing:
        return (f"Qt cannot open a window: {', '.join(missing)} "
                f"{'is' if len(missing) == 1 else 'are'} not installed; install with: "
                f"{install_command(missing)}")
    return None


def import_problem(error: ImportError) -> str:
    """One line for an ImportError of PySide6 itself (a library Qt's core needs is missing)."""
    match = re.search(r"(lib[\w.+-]+\.so[\w.]*)", str(error))
    if match:
        library = match.group(1)
        return (f"Qt cannot start: {library} is not installed; install with: "
                f"{install_command([library])}")
    return (f"Qt cannot start ({error}); install the app's dependencies with: "
            f"pip install -e .")
