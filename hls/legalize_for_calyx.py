"""Rewrites what lower-scf-to-calyx rejects into what it accepts.

`arith.maxsi/minsi/maxui/minui` → `arith.cmpi` + `arith.select`; `memref.dealloc` is
dropped (a kernel's memories live as long as the hardware). Must run after the last
canonicalize, which folds cmpi + select straight back into max/min.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from hls.check_hw_kernel import walk
from unified.core import mlir
from unified.core.passes import ModulePass

# max/min op -> the cmpi predicate under which the first operand is the result
MIN_MAX = {"arith.maxsi": "sgt", "arith.minsi": "slt", "arith.maxui": "ugt", "arith.minui": "ult"}


@dataclass(frozen=True)
class LegalizeForCalyx(ModulePass):
    """max/min → cmpi + select, memref.dealloc → nothing."""

    name: ClassVar[str] = "legalize-for-calyx"
    build: ClassVar[str] = "mlir"

    def apply(self, module: Any) -> None:
        arith = mlir.dialect("arith")
        for op in list(walk(module.operation)):
            if op.name in MIN_MAX:
                predicate = getattr(arith.CmpIPredicate, MIN_MAX[op.name])
                lhs, rhs = op.operands[0], op.operands[1]
                with mlir.ir.InsertionPoint(op), op.location:
                    cond = arith.CmpIOp(predicate, lhs, rhs).result
                    pick = arith.SelectOp(cond, lhs, rhs).result
                op.results[0].replace_all_uses_with(pick)
                op.erase()
            elif op.name == "memref.dealloc":
                op.erase()
