"""Lets LLVM fuse float multiply and add into fused multiply-add (vfmacc, fmadd)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sw_dialects.walk import ops_named
from unified.core import mlir
from unified.core.passes import ModulePass

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
        for op in ops_named(module.operation, *_FLOAT_OPS):
            if "fastmath" not in op.attributes or str(op.attributes["fastmath"]) == "#arith.fastmath<none>":
                op.attributes["fastmath"] = contract
