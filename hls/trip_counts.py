"""Trip counts of the scf.while loops of a kernel (pre-order), where they are constants.

Reads the shape `scf-for-to-while` gives a loop: an init operand, `arith.cmpi slt/ult
%iv, %ub` in the before region, `arith.addi %iv, %step` yielded by the after region.
"""

from __future__ import annotations

from typing import Any

from hls.check_hw_kernel import walk
from unified.core import mlir

SLT, ULT = 2, 6  # arith.cmpi predicates


def constant_value(value: Any) -> int | None:
    """The integer an `arith.constant` result holds, None for any other value."""
    owner = value.owner
    if not hasattr(owner, "name") or owner.name != "arith.constant":
        return None
    try:
        return mlir.ir.IntegerAttr(owner.attributes["value"]).value
    except (ValueError, TypeError):
        return None


def while_trip_counts(module: Any, func: str) -> list[int | None]:
    """One entry per scf.while of @func in pre-order: its trip count, None when not constant."""
    ir = mlir.ir
    top = next(op.operation for op in module.body.operations
               if op.operation.name == "func.func"
               and ir.StringAttr(op.operation.attributes["sym_name"]).value == func)
    return [_trips(op) for op in walk(top) if op.name == "scf.while"]


def _trips(loop: Any) -> int | None:
    if len(loop.operands) < 1:
        return None
    before = loop.regions[0].blocks[0]
    after = loop.regions[1].blocks[0]
    cond = [o.operation for o in before.operations][-1]
    cmp = cond.operands[0].owner
    if getattr(cmp, "name", "") != "arith.cmpi" or cmp.operands[0] != before.arguments[0]:
        return None
    if mlir.ir.IntegerAttr(cmp.attributes["predicate"]).value not in (SLT, ULT):
        return None
    lower, upper = constant_value(loop.operands[0]), constant_value(cmp.operands[1])
    step_op = [o.operation for o in after.operations][-1].operands[0].owner
    if getattr(step_op, "name", "") != "arith.addi" or step_op.operands[0] != after.arguments[0]:
        return None
    step = constant_value(step_op.operands[1])
    if None in (lower, upper, step) or step <= 0:
        return None
    return max(0, -(-(upper - lower) // step))
