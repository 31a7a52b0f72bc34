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
    folding the bitcast back. LLVM's -O3 (in llvmlite) folds both away again. f32 arrays in
    `llvm.mlir.global`s (weights) become i32 arrays of the same bits: loads name their type.
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
        for const in ops_named(module.operation, "llvm.mlir.constant"):
            if isinstance(const.results[0].type, llvm.ArrayType):
                _aggregate_as_bits(const)
        for glob in ops_named(module.operation, "llvm.mlir.global"):
            _global_as_bits(glob)


def _aggregate_as_bits(const: Any) -> None:
    """An f32 n-D vector constant (an `!llvm.array` of vectors) -> rank-1 vectors made as
    above (i32 constant, freeze, bitcast) inserted into a poison array."""
    ir = mlir.ir
    llvm = dialect("llvm")
    value = const.attributes["value"]
    if not isinstance(value, ir.DenseFPElementsAttr) or not isinstance(
            value.type.element_type, ir.F32Type) or value.type.rank < 2:
        return
    shape = list(value.type.shape)
    if value.is_splat:
        floats = np.full(shape, ir.FloatAttr(value.get_splat_value()).value, np.float32)
    else:
        floats = np.array(value, np.float32)
    i32, f32 = ir.IntegerType.get_signless(32), ir.F32Type.get()
    ivec, fvec = ir.VectorType.get(shape[-1:], i32), ir.VectorType.get(shape[-1:], f32)
    with ir.InsertionPoint(const), const.location:
        aggregate = llvm.PoisonOp(const.results[0].type).result
        for index in np.ndindex(*shape[:-1]):
            bits = np.ascontiguousarray(floats[index].view(np.int32))
            lanes = llvm.ConstantOp(ivec, ir.DenseIntElementsAttr.get(bits, type=ivec)).result
            cast = llvm.BitcastOp(fvec, llvm.FreezeOp(lanes).result).result
            aggregate = llvm.InsertValueOp(aggregate, cast, [int(i) for i in index]).result
    const.results[0].replace_all_uses_with(aggregate)
    const.erase()


def _global_as_bits(glob: Any) -> None:
    """An `llvm.mlir.global` holding a dense f32 array -> the same bits as an i32 array."""
    ir = mlir.ir
    llvm = dialect("llvm")
    value = glob.attributes.get("value", None)
    i32 = ir.IntegerType.get_signless(32)
    if isinstance(value, ir.FloatAttr) and isinstance(value.type, ir.F32Type):  # a 0-d memref
        bits = np.array([value.value], np.float32).view(np.int32)
        glob.attributes["value"] = ir.IntegerAttr.get(i32, int(bits[0]))
        glob.attributes["global_type"] = ir.TypeAttr.get(i32)
        return
    if not isinstance(value, ir.DenseFPElementsAttr) or not isinstance(
            value.type.element_type, ir.F32Type):
        return
    shape = list(value.type.shape)
    if value.is_splat:
        bits = np.full(shape, ir.FloatAttr(value.get_splat_value()).value, np.float32)
    else:
        bits = np.array(value, np.float32)
    gtype: Any = i32
    for size in reversed(shape):
        gtype = llvm.ArrayType.get(gtype, size)
    glob.attributes["value"] = ir.DenseIntElementsAttr.get(
        np.ascontiguousarray(bits.view(np.int32)), type=ir.RankedTensorType.get(shape, i32))
    glob.attributes["global_type"] = ir.TypeAttr.get(gtype)
