"""Requantization in integers: `fptosi(clamp(roundeven(sitofp(acc) * M) + zp))` -> i64
multiply by a 31-bit multiplier, a rounding shift (ties to even), clamp, truncate.

torch's QLinearConv/QLinearMatMul lowerings accumulate in i32 and then requantize in f32
(scale products, `math.roundeven`). An integer kernel is what hardware and integer-only
CPUs want: M (the product of the scale constants) becomes M0 * 2^-s with
M0 < 2^31. Kernels holding the pattern first get their loop nests fused
(`affine-loop-fusion`, `affine-scalrep`) so the chain is one expression. M is the f32
value ONNX's own scale product gives (onnx.reference and onnxruntime round it to f32), held
exactly by M0 and s.
"""

from __future__ import annotations

import math as pymath
from typing import Any

import numpy as np

from unified.core import mlir

CASTS = ("arith.fptosi", "arith.fptoui")


def _defining(value: Any, name: str) -> Any:
    """The op named `name` defining `value`, or None."""
    op = getattr(value.owner, "operation", None)
    return op if op is not None and op.name == name else None


def _constant(value: Any) -> float | None:
    op = _defining(value, "arith.constant")
    if op is None or not isinstance(op.attributes["value"], mlir.ir.FloatAttr):
        return None
    return mlir.ir.FloatAttr(op.attributes["value"]).value


def _match(cast: Any) -> tuple[Any, float, float, float, float] | None:
    """(the i32 accumulator, M, zero point, low, high) of a requantization chain ending in
    `cast`, or None when `cast` ends something else."""
    low_high = []
    value = cast.operands[0]
    for name in ("arith.minimumf", "arith.maximumf"):
        op = _defining(value, name)
        bound = _constant(op.operands[1]) if op is not None else None
        if bound is None:
            return None
        low_high.append(bound)
        value = op.operands[0]
    add = _defining(value, "arith.addf")
    zero = _constant(add.operands[1]) if add is not None else None
    rounded = _defining(add.operands[0], "math.roundeven") if add is not None else None
    if zero is None or rounded is None:
        return None
    scale, value = 1.0, rounded.operands[0]
    while True:
        op = getattr(value.owner, "operation", None)
        if op is None:
            return None
        if op.name == "arith.sitofp" and str(op.operands[0].type) == "i32":
            high, low = low_high
            return op.operands[0], scale, zero, low, high
        factor = _constant(op.operands[1]) if op.name in ("arith.mulf", "arith.divf") else None
        if not factor:
            return None
        # in f32, step by step, as ONNX computes x_scale * w_scale / y_scale
        scale = float(np.float32(scale) * np.float32(factor) if op.name == "arith.mulf"
                      else np.float32(scale) / np.float32(factor))
        value = op.operands[0]


def requantize_fixed_point(module: Any) -> int:
    """Rewrites every requantization chain in `module` (see the module docstring); returns
    how many."""
    # twice: behind a padded input the first round leaves the scale's multiply and divide
    # in two nests
    round_ = "affine-loop-fusion{mode=producer}, affine-scalrep, canonicalize, cse"
    fuse = mlir.passmanager.PassManager.parse(f"func.func({round_}, {round_})")
    for op in mlir.walk(module.operation):
        if op.name == "func.func" and mlir.ops_named(op, "math.roundeven"):
            fuse.run(op)
    done = 0
    for cast in mlir.ops_named(module.operation, *CASTS):
        found = _match(cast)
        if found is None or not 0 < found[1] < 2**31:
            continue
        _rewrite(cast, *found)
        done += 1
    if done:
        mlir.passmanager.PassManager.parse("builtin.module(canonicalize)").run(module.operation)
    return done


def _rewrite(cast: Any, acc: Any, scale: float, zero: float, low: float, high: float) -> None:
    """Replaces `cast`'s result with the integer requantization of `acc` by `scale`."""
    ir = mlir.ir
    arith = mlir.dialect("arith")
    i64 = ir.IntegerType.get_signless(64)
    shift = min(62, 30 - pymath.frexp(scale)[1] + 1)  # M0 = scale * 2^shift in [2^30, 2^31)
    multiplier = round(scale * 2.0**shift)

    def const(v: int) -> Any:
        return arith.ConstantOp(i64, v).result

    with ir.InsertionPoint(cast), cast.location:
        product = arith.MulIOp(arith.ExtSIOp(i64, acc).result, const(multiplier)).result
        half = 1 << (shift - 1)
        up = arith.ShRSIOp(arith.AddIOp(product, const(half)).result, const(shift)).result
        remainder = arith.AndIOp(product, const((1 << shift) - 1)).result
        tie = arith.CmpIOp(arith.CmpIPredicate.eq, remainder, const(half)).result
        even = arith.AndIOp(up, const(-2)).result
        rounded = arith.SelectOp(tie, even, up).result
        shifted = arith.AddIOp(rounded, const(round(zero))).result
        clamped = arith.MinSIOp(arith.MaxSIOp(shifted, const(round(low))).result,
                                const(round(high))).result
        result = arith.TruncIOp(cast.results[0].type, clamped).result
    cast.results[0].replace_all_uses_with(result)
    cast.erase()
