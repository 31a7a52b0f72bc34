"""MaxPool over uint8 data: signed `maxsi` from -128 -> unsigned `maxui` from 0.

torch-mlir keeps uint8 as signless i8 and lowers max pooling with the signed maximum and
the signed minimum as its start, so a pixel of 200 loses to one of 100. The frontend knows
which MaxPool kernels read uint8 (from the ONNX types) and makes their comparison unsigned.
"""

from __future__ import annotations

from typing import Any

from unified.core import mlir


def unsigned_max_pool(module: Any, kernels: list[str]) -> int:
    """Rewrites the max of each kernel in `kernels` as unsigned; returns how many ops changed."""
    ir = mlir.ir
    arith = mlir.dialect("arith")
    changed = 0
    for name in kernels:
        fn = mlir.function(module, name)
        for op in mlir.ops_named(fn, "arith.maxsi"):
            with ir.InsertionPoint(op), op.location:
                new = arith.MaxUIOp(op.operands[0], op.operands[1]).result
            op.results[0].replace_all_uses_with(new)
            op.erase()
            changed += 1
        for op in mlir.ops_named(fn, "arith.constant"):
            changed += _signed_min_to_zero(op)
    return changed


def _signed_min_to_zero(op: Any) -> int:
    """Replaces a constant holding its integer type's signed minimum (the signed max's start)
    by 0, the unsigned max's start; 1 when replaced."""
    ir = mlir.ir
    value = op.attributes["value"]
    if not isinstance(value, ir.IntegerAttr):
        return 0
    width = ir.IntegerType(value.type).width
    if width < 2 or value.value != -(1 << (width - 1)):
        return 0
    op.attributes["value"] = ir.IntegerAttr.get(value.type, 0)
    return 1
