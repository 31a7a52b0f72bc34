"""Walking operations inside a worker (any MLIR build): the walker itself is `unified.mlir.walk`."""

from __future__ import annotations

from typing import Any

from unified.mlir import dialect, walk

__all__ = ["dialect", "ops_named", "walk"]


def ops_named(op: Any, *names: str) -> list[Any]:
    """The operations nested in `op` whose name is one of `names`, as a list (safe to rewrite)."""
    return [o for o in walk(op) if o.name in names]
