"""Which floating-point operations the hardware flow builds: f32 ones with an IEEE-754 unit
(calyx_flow.float_units) and the moves around them. Read by check-hw-kernel (hls) and by the
partitioner's IR profile, so both refuse and accept the same kernels."""

from __future__ import annotations

from typing import Any

from unified.core import mlir

# f32 operations the hardware flow builds (calyx_flow.float_to_bits; i8-i64 <-> f32 conversions)
F32_OPS = {"arith.addf", "arith.subf", "arith.mulf", "arith.divf", "arith.cmpf", "arith.negf",
           "math.absf", "arith.maximumf", "arith.minimumf", "arith.maxnumf", "arith.minnumf",
           "arith.sitofp", "arith.fptosi", "arith.uitofp", "arith.fptoui", "arith.select", "arith.constant", "arith.bitcast",
           "affine.load", "affine.store", "memref.load", "memref.store", "memref.alloc",
           "memref.alloca", "memref.dealloc", "func.call", "func.return", "affine.for",
           "affine.if", "affine.yield", "scf.for", "scf.while", "scf.if", "scf.yield",
           "scf.condition"}


CONVERSIONS = ("arith.sitofp", "arith.fptosi", "arith.uitofp", "arith.fptoui")


def _element(t: Any) -> Any:
    try:
        return mlir.ir.ShapedType(t).element_type
    except (ValueError, TypeError):
        return t


def is_f32(t: Any) -> bool:
    """Whether `t` is f32 or a memref of f32."""
    return str(_element(t)) == "f32"


def is_float(t: Any) -> bool:
    """Whether `t` is a float type or a memref/vector/tensor of floats."""
    t = _element(t)
    return "float" in type(t).__name__.lower() or str(t) in ("f16", "bf16", "f32", "f64")


def float_problem(op: Any) -> str | None:
    """"type" when `op` touches a float type other than f32, "op" when an f32 op has no unit
    (conversions between f32 and i8/i16/i32/i64 have), None when the hardware flow builds it."""
    types = [v.type for v in [*op.operands, *op.results]]
    if any(is_float(t) and not is_f32(t) for t in types):
        return "type"
    if not any(is_f32(t) for t in types):
        return None
    if op.name not in F32_OPS:
        return "op"
    if op.name == "arith.bitcast" and not all(str(t) in ("i32", "f32") for t in types):
        return "op"
    if op.name in CONVERSIONS and not all(str(t) in ("i8", "i16", "i32", "i64", "f32")
                                          for t in types):
        return "op"
    return None
