"""The layering the README draws, read from the sources with `ast` (no MLIR build imported).

Base `unified/core/` imports no stage; each stage imports the base and the stages before it
in the README's stage order; the commands (the rest of `unified/`) sit on top; no module
imports itself back through others. Imports inside functions count, and so do the worker
calls that name a function as "package.module:function".
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BASE = "unified.core"
COMMANDS = "unified"


def stage_order(readme: str) -> list[str]:
    """The stage packages in flow order, from the README's `Stage order:` line."""
    m = re.search(r"^Stage order: (.+)$", readme, re.MULTILINE)
    assert m, "README.md has no 'Stage order:' line"
    return [s.strip().strip("`").rstrip("/") for s in m.group(1).split("→")]


def modules(root: Path, packages: list[str]) -> dict[str, Path]:
    """Every module of `packages` under `root`, by dotted name."""
    out = {}
    for pkg in packages:
        for path in sorted((root / pkg).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[name] = path
    return out


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    """The project modules `path` imports (anywhere in it), resolved to known module names."""
    found: set[str] = set()

    def add(name: str) -> None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        if name:
            found.add(name)

    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                add(full if full in known else node.module)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            m = re.fullmatch(r"([a-z_]+(?:\.[a-z_]+)+):[A-Za-z_]\w*", node.value)
            if m:
                add(m.group(1))
    return found


def layer_of(module: str, stages: list[str]) -> tuple[int, str]:
    """(rank, name): the base is 0, stages 1..n in flow order, commands n+1."""
    if module == BASE or module.startswith(BASE + "."):
        return 0, "the base layer unified/core"
    top = module.split(".")[0]
    if top in stages:
        return 1 + stages.index(top), f"stage {top}/"
    return len(stages) + 1, "the commands (unified/)"


def violations(root: Path) -> list[str]:
    """Every import against the layer order, and every import circle, as readable lines."""
    stages = stage_order((root / "README.md").read_text())
    known = modules(root, [COMMANDS, *stages])
    graph = {m: imports(p, known) - {m} for m, p in known.items()}
    problems = []
    for mod, deps in sorted(graph.items()):
        rank, name = layer_of(mod, stages)
        for dep in sorted(deps):
            dep_rank, dep_name = layer_of(dep, stages)
            same_stage = dep.split(".")[0] == mod.split(".")[0] and 0 < rank <= len(stages)
            if dep_rank > rank or (dep_rank == rank and not same_stage and rank != 0
                                   and rank != len(stages) + 1):
                problems.append(f"{mod} ({name}) imports {dep} ({dep_name})")
    problems += [f"import circle: {' -> '.join(c)}" for c in circles(graph)]
    return problems


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each as a cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append([*sorted(component), min(component)])

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_tree_follows_the_layers() -> None:
    assert violations(ROOT) == []


def test_the_readme_names_every_stage_folder() -> None:
    stages = stage_order((ROOT / "README.md").read_text())
    assert stages == ["frontend", "partition", "sw_dialects", "hls", "calyx_flow", "glue",
                      "hw_dialects"]
    for stage in stages:
        assert (ROOT / stage / "__init__.py").exists() or stage == "frontend"


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / "README.md").write_text("Stage order: `hls/` → `calyx_flow/`\n")
    for name, text in {"unified/__init__.py": "", "unified/core/__init__.py": "",
                       "hls/__init__.py": "", "calyx_flow/__init__.py": "", **files}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def test_a_planted_circle_is_found(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"unified/cli.py": "from unified import compiler\n",
                            "unified/compiler.py": "def f():\n    from unified.cli import main\n"})
    assert violations(root) == [
        "import circle: unified.cli -> unified.compiler -> unified.cli"]


def test_an_upward_import_is_found(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"unified/core/cache.py": "from hls import passes\n",
                            "hls/passes.py": "",
                            "hls/unroll.py": "X = 'calyx_flow.schedule:estimate'\n",
                            "calyx_flow/schedule.py": "from hls.passes import P\n"})
    assert violations(root) == [
        "hls.unroll (stage hls/) imports calyx_flow.schedule (stage calyx_flow/)",
        "unified.core.cache (the base layer unified/core) imports hls.passes (stage hls/)"]
