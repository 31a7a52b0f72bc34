"""`memref.copy` -> `linalg.copy`, so convert-linalg-to-affine-loops makes it affine loops.

Bufferization and buffer-results-to-out-params leave memref.copy ops (a reshaped input
copied into its output argument, a padded input copied into its buffer); the affine
level of the unified module has loops, loads and stores only.
"""

from __future__ import annotations

from typing import Any

from unified.core import mlir


def copies_to_linalg(module: Any) -> int:
    """Rewrites every memref.copy in `module` as a linalg.copy; returns how many."""
    ir = mlir.ir
    linalg = mlir.dialect("linalg")
    copies = mlir.ops_named(module.operation, "memref.copy")
    for op in copies:
        with ir.InsertionPoint(op), op.location:
            linalg.copy(op.operands[0], outs=[op.operands[1]])
        op.erase()
    return len(copies)
