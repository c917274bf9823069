"""The layers of simulator/ show in its folders, and imports only go downwards.

A module may import from its own layer and the layers before it in ORDER; `texts`,
`errors` and the package root are shared by all. The few late (function-level) imports
that reach upwards are deliberate and named in LATE_UPWARDS with the reason, so a new one
is a decision, not an accident. Module-level import cycles are refused outright.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: bottom to top; engine and actions are one layer (the loop plays actions, actions change it)
ORDER = [{"format"}, {"runs"}, {"engine", "actions"}, {"players"}, {"ui"}, {"commands"}]
SHARED = {"texts", "errors", ""}
LATE_UPWARDS = {
    ("simulator.format.lint", "simulator.engine.drill"): "lint plays the scenario to find "
    "injects that never fire",
    ("simulator.format.lint", "simulator.ui.view"): "a title cut at 80 columns is found by "
    "rendering the real view",
    ("simulator.format.lint", "simulator.ui.terminal"): "the same render, off screen",
}


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "simulator":
        return None
    return parts[1] if len(parts) > 2 else ("" if len(parts) == 1 else parts[1])


def rank(layer: str) -> int:
    return next(i for i, group in enumerate(ORDER) if layer in group)


def imports(path: Path) -> list[tuple[str, bool]]:
    """(imported module, at module level?) for every simulator import in a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            continue
        found += [(n, node.col_offset == 0) for n in names if n.startswith("simulator")]
    return found


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted((ROOT / "simulator").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def test_every_module_lives_in_a_layer() -> None:
    flat = [m for m in modules() if m.count(".") == 1 and layer_of(m) not in
            {"cli", "texts", "errors", "__main__"} | {g for group in ORDER for g in group}]
    assert flat == [], "a new module belongs in a layer package (format, runs, engine, ...)"


def test_imports_only_go_downwards() -> None:
    wrong = []
    for name, path in modules().items():
        mine = layer_of(name)
        if mine is None or mine in SHARED | {"cli", "__main__"}:
            continue
        for target, top_level in imports(path):
            theirs = layer_of(target)
            if theirs is None or theirs in SHARED or theirs in {"cli"}:
                continue
            if theirs in {"cli", "__main__"} or rank(theirs) > rank(mine):
                if not top_level and (name, target) in LATE_UPWARDS:
                    continue
                wrong.append(f"{name} -> {target}{'' if top_level else ' (late)'}")
    assert wrong == []


def test_no_module_level_import_cycles() -> None:
    graph = {name: {t for t, top in imports(path) if top} for name, path in modules().items()}
    cycles = set()
    for start in graph:
        stack = [(start, [start])]
        while stack:
            node, trail = stack.pop()
            for nxt in graph.get(node, ()):
                if nxt == start:
                    cycles.add(" -> ".join(sorted(trail)))
                elif nxt in graph and nxt not in trail and len(trail) < 8:
                    stack.append((nxt, [*trail, nxt]))
    assert cycles == set()
