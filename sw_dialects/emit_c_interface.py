"""Marks every defined kernel `llvm.emit_c_interface`, so `_mlir_ciface_<name>` exists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from unified.core import mlir
from unified.core.passes import ModulePass


@dataclass(frozen=True)
class EmitCInterface(ModulePass):
    """func.func with a body -> the same, with the unit attribute `llvm.emit_c_interface`."""

    name = "sw-emit-c-interface"
    build = "mlir"

    def apply(self, module: Any) -> None:
        ir = mlir.ir
        for op in module.body.operations:
            op = op.operation
            if op.name == "func.func" and len(op.regions[0].blocks) > 0:
                op.attributes["llvm.emit_c_interface"] = ir.UnitAttr.get()
