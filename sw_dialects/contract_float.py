"""Lets LLVM fuse float multiply and add into fused multiply-add (vfmacc, fmadd)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from unified import mlir
from unified.passes import ModulePass

_FLOAT_OPS = ("arith.addf", "arith.subf", "arith.mulf", "arith.negf")


@dataclass(frozen=True)
class ContractFloat(ModulePass):
    """Float arith ops without fast-math flags -> the same ops with `fastmath<contract>`.

    Contraction is the only flag set: results may differ from numpy in the last bit
    (one rounding instead of two), never more.
    """

    name = "sw-contract-float"
    build = "mlir"

    def apply(self, module: Any) -> None:
        contract = mlir.ir.Attribute.parse("#arith.fastmath<contract>")

        def visit(op: Any) -> None:
            for region in op.regions:
                for block in region.blocks:
                    for inner in block.operations:
                        inner = inner.operation
                        if inner.name in _FLOAT_OPS and "fastmath" in inner.attributes:
                            if str(inner.attributes["fastmath"]) == "#arith.fastmath<none>":
                                inner.attributes["fastmath"] = contract
                        elif inner.name in _FLOAT_OPS:
                            inner.attributes["fastmath"] = contract
                        visit(inner)

        visit(module.operation)
