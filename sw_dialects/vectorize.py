"""Affine super-vectorization with a vector length derived from VLEN and the element width."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from unified import mlir
from unified.passes import ModulePass


def element_bits(func: Any) -> int:
    """The widest element (in bits) of the memref arguments of `func` (32 without any)."""
    ir = mlir.ir
    ftype = ir.FunctionType(ir.TypeAttr(func.attributes["function_type"]).value)
    widest = 0
    for t in ftype.inputs:
        try:
            elem = ir.MemRefType(t).element_type
        except (ValueError, TypeError):
            continue
        widest = max(widest, getattr(elem, "width", 64))
    return widest or 32


@dataclass(frozen=True)
class Vectorize(ModulePass):
    """Runs `affine-super-vectorize` on each kernel with VLEN*LMUL/bits lanes (reductions too).

    Trip counts that are not a multiple of the lane count keep a masked last iteration
    (out-of-bounds transfers become masked loads/stores, reductions select the tail away).
    """

    name = "sw-vectorize"
    build = "mlir"
    vlen: int = 128
    lmul: int = 4

    def apply(self, module: Any) -> None:
        ctx = module.context
        for op in module.body.operations:
            op = op.operation
            if op.name != "func.func" or len(op.regions[0].blocks) == 0:
                continue
            lanes = max(2, self.vlen * self.lmul // element_bits(op))
            pipeline = (f"func.func(affine-super-vectorize{{virtual-vector-size={lanes} "
                        "vectorize-reductions=true})")
            mlir.passmanager.PassManager.parse(pipeline, ctx).run(op)
