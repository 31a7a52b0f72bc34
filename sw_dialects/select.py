"""Keeps the software part of a unified module: the chosen functions and what they call."""

from __future__ import annotations

from typing import Any

from unified.core.kernels import _callees, _str_attr


def keep_functions(module: Any, functions: list[str] | None = None) -> list[str]:
    """Erases every top-level op but memref.globals and the func.funcs in `functions` (all when
    None) and their callees.

    Runs in any worker that parses the whole module (hw.modules included); returns the
    names kept, in module order.
    """
    funcs = {_str_attr(op.operation, "sym_name"): op.operation for op in module.body.operations
             if op.operation.name == "func.func"}
    wanted = list(funcs) if functions is None else list(functions)
    keep: set[str] = set()
    while wanted:
        name = wanted.pop()
        if name in keep or name not in funcs:
            continue
        keep.add(name)
        wanted += _callees(funcs[name])
    kept = []
    for op in list(module.body.operations):
        op = op.operation
        name = _str_attr(op, "sym_name") if op.name == "func.func" else None
        if name in keep:
            kept.append(name)
        elif op.name != "memref.global":  # constants (weights) the kernels read stay
            op.erase()
    return kept
