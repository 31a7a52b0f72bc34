"""Walking operations and reaching dialect builders inside a worker (any MLIR build)."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from types import ModuleType
from typing import Any

from unified import mlir


def walk(op: Any) -> Iterator[Any]:
    """Every operation nested in `op` (not `op` itself), parents before children."""
    for region in op.regions:
        for block in region.blocks:
            for inner in block.operations:
                inner = inner.operation
                yield inner
                yield from walk(inner)


def ops_named(op: Any, *names: str) -> list[Any]:
    """The operations nested in `op` whose name is one of `names`, as a list (safe to rewrite)."""
    return [o for o in walk(op) if o.name in names]


def dialect(name: str) -> ModuleType:
    """The python builders of dialect `name` of this worker's MLIR build."""
    return import_module(mlir.ir.__name__.rsplit(".", 1)[0] + ".dialects." + name)
