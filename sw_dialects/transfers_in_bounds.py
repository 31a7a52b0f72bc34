"""Proves vector transfers in bounds from constant loop bounds, so they need no mask."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sw_dialects.loop_analysis import value_range
from sw_dialects.walk import ops_named
from unified.core import mlir
from unified.core.passes import ModulePass


@dataclass(frozen=True)
class TransfersInBounds(ModulePass):
    """1-d `vector.transfer_read/write` along a memref's last dimension whose index can never
    reach past its end -> the same op with `in_bounds = [true]` (an unmasked vle/vse)."""

    name = "sw-transfers-in-bounds"
    build = "mlir"

    def apply(self, module: Any) -> None:
        ir = mlir.ir
        true = ir.ArrayAttr.get([ir.BoolAttr.get(True)])
        for op in ops_named(module.operation, "vector.transfer_read", "vector.transfer_write"):
            if _provably_in_bounds(op):
                op.attributes["in_bounds"] = true


def _provably_in_bounds(op: Any) -> bool:
    ir = mlir.ir
    is_read = op.name == "vector.transfer_read"
    vtype = ir.VectorType(op.results[0].type if is_read else op.operands[0].type)
    mtype = ir.MemRefType((op.operands[0] if is_read else op.operands[1]).type)
    if vtype.rank != 1 or mtype.rank == 0 or mtype.shape[-1] < 0:
        return False
    if "permutation_map" in op.attributes:  # only the memref's last dimension, not a broadcast
        amap = ir.AffineMapAttr(op.attributes["permutation_map"]).value
        if amap != ir.AffineMap.get_minor_identity(mtype.rank, 1):
            return False
    last_index = op.operands[(1 if is_read else 2) + mtype.rank - 1]
    r = value_range(last_index)
    return r is not None and r[0] >= 0 and r[1] + vtype.shape[0] <= mtype.shape[-1]
