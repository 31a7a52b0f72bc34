"""Carries f32 constants into LLVM IR as exact bit patterns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sw_dialects.walk import dialect, ops_named
from unified.core import mlir
from unified.core.passes import ModulePass


def _f32_lanes(t: Any) -> int | None:
    """1 for f32, N for vector<Nxf32>, None for anything else."""
    ir = mlir.ir
    if isinstance(t, ir.F32Type):
        return 1
    if isinstance(t, ir.VectorType) and isinstance(t.element_type, ir.F32Type) and t.rank == 1:
        return t.shape[0]
    return None


def _values(attr: Any, lanes: int) -> np.ndarray:
    ir = mlir.ir
    if isinstance(attr, ir.FloatAttr):
        return np.array([attr.value], np.float32)
    dense = ir.DenseFPElementsAttr(attr)
    if dense.is_splat:
        return np.full(lanes, ir.FloatAttr(dense.get_splat_value()).value, np.float32)
    return np.array([dense[i] for i in range(len(dense))], np.float32)


@dataclass(frozen=True)
class FloatConstantsAsBits(ModulePass):
    """`llvm.mlir.constant` of f32 (or a vector of f32) -> an i32 constant, `llvm.freeze`, `llvm.bitcast`.

    The LLVM inside torch-mlir prints 0.2f as `float 2.000000e-01`, which llvmlite's LLVM 22
    rejects as inexact; integers print exactly, and the freeze keeps the translator from
    folding the bitcast back. LLVM's -O3 (in llvmlite) folds both away again.
    """

    name = "sw-float-constants-as-bits"
    build = "mlir"

    def apply(self, module: Any) -> None:
        ir = mlir.ir
        llvm = dialect("llvm")
        found = [op for op in ops_named(module.operation, "llvm.mlir.constant")
                 if _f32_lanes(op.results[0].type)]
        i32 = ir.IntegerType.get_signless(32)
        for const in found:
            ftype = const.results[0].type
            lanes = _f32_lanes(ftype)
            bits = _values(const.attributes["value"], lanes).view(np.int32)
            with ir.InsertionPoint(const), const.location:
                if isinstance(ftype, ir.VectorType):
                    itype = ir.VectorType.get([lanes], i32)
                    value = ir.DenseIntElementsAttr.get(bits, type=itype)
                else:
                    itype = i32
                    value = ir.IntegerAttr.get(i32, int(bits[0]))
                as_int = llvm.ConstantOp(itype, value).result
                frozen = llvm.FreezeOp(as_int).result
                cast = llvm.BitcastOp(ftype, frozen).result
            const.results[0].replace_all_uses_with(cast)
            const.erase()
