"""Broadcast transfer reads become one scalar load and a splat."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sw_dialects.walk import dialect, ops_named
from unified.core import mlir
from unified.core.passes import ModulePass


def _is_broadcast(read: Any) -> bool:
    amap = mlir.ir.AffineMapAttr(read.attributes["permutation_map"]).value
    return all(isinstance(e, mlir.ir.AffineConstantExpr) for e in amap.results)


@dataclass(frozen=True)
class BroadcastReads(ModulePass):
    """`vector.transfer_read` with an all-zero permutation map -> `memref.load` + `vector.broadcast`.

    The vectorizer emits such reads for loop-invariant operands (A[i][k] in a matmul); the
    generic lowering builds them from one-element loads and slides, the splat is one
    `vfmv.v.f`/`vmv.v.x`, and LLVM folds it into `vfmacc.vf`.
    """

    name = "sw-broadcast-reads"
    build = "mlir"

    def apply(self, module: Any) -> None:
        ir = mlir.ir
        memref, vector = dialect("memref"), dialect("vector")
        reads = [op for op in ops_named(module.operation, "vector.transfer_read") if _is_broadcast(op)]
        for read in reads:
            source = read.operands[0]
            rank = ir.MemRefType(source.type).rank
            indices = list(read.operands[1 : 1 + rank])
            with ir.InsertionPoint(read), read.location:
                scalar = memref.LoadOp(source, indices).result
                splat = vector.BroadcastOp(read.results[0].type, scalar).result
            read.results[0].replace_all_uses_with(splat)
            read.erase()
