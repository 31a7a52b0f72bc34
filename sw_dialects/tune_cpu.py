"""Asks LLVM to schedule the kernels for a named core's pipeline, keeping the generic ISA."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from unified.core import mlir
from unified.core.passes import ModulePass


@dataclass(frozen=True)
class TuneCpu(ModulePass):
    """llvm.func definitions -> the same with `tune_cpu = <cpu>` (LLVM's "tune-cpu").

    The target CPU stays generic, so the ISA (and VLEN) does not change; only the scheduling
    model does. With `sifive-x280` the post-RA scheduler knows that vector results take 4
    (integer, loads) or 8 (floating point) cycles and that issue is in order, and moves
    independent loads and address arithmetic between a load and its user: a chain of
    load -> FMA pairs (conv2d) no longer waits for each load in turn (bench/sw_rvv.py:
    conv2d 6,969 -> 5,045 modelled cycles, dense 5,704 -> 4,294, gemm 50,642 -> 39,982).
    """

    name = "sw-tune-cpu"
    build = "mlir"
    cpu: str = "sifive-x280"

    def apply(self, module: Any) -> None:
        if not self.cpu:
            return
        for op in module.body.operations:
            op = op.operation
            if op.name == "llvm.func" and len(op.regions[0].blocks) > 0:
                op.attributes["tune_cpu"] = mlir.ir.StringAttr.get(self.cpu)
