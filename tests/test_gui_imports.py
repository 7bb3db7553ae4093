"""gui/ has no import cycles, and every gui module imports on its own (in a fresh interpreter)."""
import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUI = ROOT / "gui"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def gui_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(GUI.rglob("*.py"))}


def imported_gui_modules(name: str, path: Path, known: set[str]) -> set[str]:
    """The gui modules ``path`` imports anywhere in it (relative imports resolved)."""
    package = name if path.stem == "__init__" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # "from gui.x import y" may name a module y or an attribute of gui.x
            candidates = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {c for c in candidates if c in known}
    found.discard(name)
    return found


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as [a, b, …, a], or None (depth-first search, three colours)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_gui_has_no_import_cycles():
    modules = gui_modules()
    graph = {name: imported_gui_modules(name, path, set(modules)) for name, path in modules.items()}
    assert graph["gui.main_window"] >= {"gui.workspace", "gui.walkthrough.mode"}   # it reads imports
    # a package's __init__ is imported by its submodules implicitly; only explicit edges count
    assert find_cycle(graph) is None


def test_workspaces_do_not_import_the_main_window():
    modules = gui_modules()
    importers = sorted(name for name, path in modules.items()
                       if "gui.main_window" in imported_gui_modules(name, path, set(modules))
                       and name not in ("gui.app",))
    assert importers == []


def test_every_gui_module_imports_in_a_fresh_interpreter():
    code = ("import importlib, sys\n"
            f"for name in {sorted(gui_modules())!r}:\n"
            "    for loaded in [m for m in sys.modules if m == 'gui' or m.startswith('gui.')]:\n"
            "        del sys.modules[loaded]\n"
            "    importlib.import_module(name)\n"
            "print('ok')\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
