"""The house's import rules (STYLE.md §1), checked on every run of the default suite.

- import-linter's contracts in ``.importlinter``: the rooms' layers and independent
  siblings, ui/ above regcore, regcore free of Streamlit and ui/, no cycle between the
  modules of any package;
- no import cycle at all, a package's face included (grimp's graph holds function-level
  and TYPE_CHECKING imports too);
- what import-linter cannot say, read from the source: another room, ui/, pages/ and
  app.py import only a room's public face and only names in its ``__all__``; a room's own
  modules import each other directly, never through their face; nothing imports pages/ or
  app.py, and no page imports another.
"""

from __future__ import annotations

import ast
import configparser
import functools
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / ".importlinter"


def test_imports_contracts_are_kept() -> None:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    if not Path(exe).exists():
        pytest.skip("import-linter is not installed")
    proc = subprocess.run(
        [exe, "--config", str(CONFIG), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


def _ignored() -> set[tuple[str, str]]:
    """The imports the acyclic contract ignores (cycles another change is opening)."""
    parser = configparser.ConfigParser()
    parser.read(CONFIG, encoding="utf-8")
    text = parser["importlinter:contract:acyclic"].get("ignore_imports", "")
    pairs = (line.split("->") for line in text.splitlines() if "->" in line)
    return {(a.strip(), b.strip()) for a, b in pairs}


def _cycles(graph: grimp.ImportGraph, skip: set[tuple[str, str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def edges(m: str) -> list[str]:
        return sorted(t for t in graph.find_modules_directly_imported_by(m) if (m, t) not in skip)

    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(edges(root)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, it = work[-1]
            child = next(it, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges(child))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    m = stack.pop()
                    on_stack.discard(m)
                    comp.append(m)
                    if m == node:
                        break
                if len(comp) > 1:
                    found.append(sorted(comp))
    return found


def test_imports_have_no_cycle_at_all() -> None:
    graph = grimp.build_graph("regcore", "ui", cache_dir=None)
    cycles = _cycles(graph, _ignored())
    assert cycles == [], "\n".join("cycle: " + ", ".join(c) for c in cycles)


def _sources() -> Iterator[tuple[Path, str]]:
    """Every module of regcore/ and ui/ with its dotted name, then pages/ and app.py."""
    for package in ("regcore", "ui"):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            yield path, name
    for path in sorted((ROOT / "pages").glob("*.py")):
        yield path, f"pages.{path.stem}"
    yield ROOT / "app.py", "app"


def _imports(path: Path, name: str) -> Iterator[tuple[int, str, list[str]]]:
    """(line, module, names) of every import in the file, at any depth; ``names`` is
    empty for ``import x``."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{module}" if module else base
            yield node.lineno, module, [a.name for a in node.names]


def _room(name: str) -> str | None:
    """The room of a regcore module (``regcore.serve.queue`` -> ``serve``); None else."""
    parts = name.split(".")
    if parts[0] != "regcore" or len(parts) < 2:
        return None
    return parts[1] if (ROOT / "regcore" / parts[1]).is_dir() else None


def _is_module(package: str, name: str) -> bool:
    folder = ROOT.joinpath(*package.split("."))
    return (folder / f"{name}.py").exists() or (folder / name / "__init__.py").exists()


@functools.cache
def _exported(face: str) -> frozenset[str]:
    """The names in a face's literal ``__all__``, read from its source (nothing imported)."""
    source = ROOT.joinpath(*face.split("."), "__init__.py").read_text(encoding="utf-8")
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            return frozenset(ast.literal_eval(node.value))
    return frozenset()


def _breaks(path: Path, name: str) -> Iterator[str]:
    mine = _room(name)
    for line, module, names in _imports(path, name):
        where = f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name}:{line}"
        top = module.split(".")[0]
        if top in ("pages", "app") and not name.startswith("app"):
            yield f"{where} imports {module}: nothing imports a page or app.py"
            continue
        room = _room(module)
        if room is None:
            if module == "regcore" and names:  # the top face
                rooms = {n for n in names if (ROOT / "regcore" / n).is_dir()}
                for n in sorted(set(names) - _exported("regcore") - rooms):
                    yield f"{where} imports {n} from regcore, not in its __all__"
            continue
        face = f"regcore.{room}"
        if room == mine:
            own = all(_is_module(face, n) for n in names)  # from regcore.engine import loop
            if module == face and name != face and not own:
                yield f"{where} imports its own room's face {face}: import the module itself"
            continue
        if module != face:
            yield f"{where} imports {module}: another room imports only the face {face}"
            continue
        for n in sorted(set(names) - _exported(face)):
            yield f"{where} imports {n} from {face}, not in its __all__"


def test_imports_reach_rooms_only_through_their_faces() -> None:
    broken = [b for path, name in _sources() for b in _breaks(path, name)]
    assert broken == [], "\n".join(broken)


def test_imports_rule_catches_an_internal_import(tmp_path: Path) -> None:
    page = tmp_path / "page.py"
    page.write_text(
        "from regcore.serve.queue import JobQueue\n"
        "from regcore.serve import JobQueue, nonexistent\n"
        "def f():\n    import regcore.core.config\n"
    )
    broken = list(_breaks(page, "pages.page"))
    assert len(broken) == 3, broken
    assert "another room imports only the face regcore.serve" in broken[0]
    assert "nonexistent from regcore.serve, not in its __all__" in broken[1]


# What a server loads at start, and loads only when a page or a data set needs it: ray (only
# with REGLAB_RAY_ADDRESS), scikit-learn and scipy (data sets, exact paths), pandas (tables,
# CSV files). Issue 20: about 140 MB of the server's memory a Playground-only class never uses.
LAZY = ("ray", "sklearn", "scipy", "pandas")
START = """
import ast, pathlib, sys
sys.path.insert(0, {root!r})
mods = {{"streamlit", "ui", "ui.kit.present", "ui.live.stream"}}
for path in [pathlib.Path({root!r}, "app.py"), *pathlib.Path({root!r}, "pages").glob("*.py")]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module.split(".")[0] in ("ui", "regcore"):
            for alias in node.names:  # a module of a package, or a name in a module
                name = f"{{node.module}}.{{alias.name}}"
                mods.add(name if name.replace(".", "/") in {{*{files!r}}} else node.module)
        elif isinstance(node, ast.Import):
            mods.update(a.name for a in node.names)
for m in sorted(mods):
    __import__(m)
import threading
from ui.live import stream
closing = threading.Event()
closing.set()  # no periodic collection after the warm-up
stream._warm(lambda: None, closing)  # the warm thread at the first page view, no calibration
print(" ".join(sorted({{m.split(".")[0] for m in sys.modules}})))
"""


def test_imports_at_start_leave_ray_sklearn_scipy_pandas_for_later() -> None:
    files = [str(p.relative_to(ROOT).with_suffix("")) for p in ROOT.glob("ui/**/*.py")]
    code = START.format(root=str(ROOT), files=files)
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=240
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    loaded = set(proc.stdout.split())
    assert "torch" in loaded and "streamlit" in loaded  # the check did import the start
    early = sorted(loaded & set(LAZY))
    assert not early, f"imported at start: {early}"
