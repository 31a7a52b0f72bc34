"""`arith.truncf` of a constant -> the f32 constant itself.

torch's quantized lowerings keep scales as f64 constants truncated inside the loops; the
software flow would carry the f64 into LLVM, whose folded f32 the LLVM in llvmlite cannot
read back, and hardware has no f64 at all. Rounding happens here, once, as numpy does it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from unified.core import mlir


def fold_truncf(module: Any) -> int:
    """Replaces each truncf of an f64/f32 arith.constant with an f32 constant; returns how
    many were folded."""
    ir = mlir.ir
    arith = mlir.dialect("arith")
    folded = 0
    for op in mlir.ops_named(module.operation, "arith.truncf"):
        source = getattr(op.operands[0].owner, "operation", None)  # None: a block argument
        if source is None or source.name != "arith.constant":
            continue
        value = source.attributes["value"]
        if not isinstance(value, ir.FloatAttr) or not isinstance(op.results[0].type, ir.F32Type):
            continue
        with ir.InsertionPoint(op), op.location:
            const = arith.ConstantOp(ir.F32Type.get(), float(np.float32(value.value)))
        op.results[0].replace_all_uses_with(const.result)
        op.erase()
        folded += 1
    return folded
