"""Walking operations inside a worker (any MLIR build): the helpers live in `unified.mlir`."""

from __future__ import annotations

from unified.core.mlir import dialect, ops_named, walk

__all__ = ["dialect", "ops_named", "walk"]
