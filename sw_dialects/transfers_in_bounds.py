"""Proves vector transfers in bounds from constant loop bounds, so they need no mask."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sw_dialects.unroll_short_loops import constant_bounds
from sw_dialects.vectorize import _coefficient
from unified import mlir
from unified.passes import ModulePass


def value_range(value: Any) -> tuple[int, int] | None:
    """(min, max) an index value takes: a loop induction variable with constant bounds, an
    index constant, or a linear affine.apply of those. None when unknown."""
    ir = mlir.ir
    if isinstance(value.owner, ir.Block):
        loop = value.owner.owner
        if loop is None or loop.name != "affine.for" or value != value.owner.arguments[0]:
            return None
        bounds = constant_bounds(loop)
        if bounds is None or bounds[1] <= bounds[0]:
            return None
        lower, upper, step = bounds
        return lower, lower + (upper - lower - 1) // step * step
    op = value.owner
    if op.name == "arith.constant":
        v = ir.IntegerAttr(op.attributes["value"]).value
        return v, v
    if op.name != "affine.apply":
        return None
    amap = ir.AffineMapAttr(op.attributes["map"]).value
    results = list(amap.results)
    if len(results) != 1 or amap.n_symbols:
        return None
    lo = hi = _constant_term(results[0], amap.n_dims)
    if lo is None:
        return None
    for pos, operand in enumerate(op.operands):
        c = _coefficient(results[0], pos)
        r = value_range(operand) if c else (0, 0)
        if c is None or r is None:
            return None
        lo += min(c * r[0], c * r[1])
        hi += max(c * r[0], c * r[1])
    return lo, hi


def _constant_term(expr: Any, n_dims: int) -> int | None:
    """The value of a linear expression with every dimension at 0."""
    ir = mlir.ir
    if hasattr(expr, "maybe_downcast"):
        expr = expr.maybe_downcast()
    if isinstance(expr, ir.AffineConstantExpr):
        return expr.value
    if isinstance(expr, ir.AffineDimExpr):
        return 0
    if isinstance(expr, ir.AffineAddExpr):
        a, b = _constant_term(expr.lhs, n_dims), _constant_term(expr.rhs, n_dims)
        return None if a is None or b is None else a + b
    if isinstance(expr, ir.AffineMulExpr):
        a, b = _constant_term(expr.lhs, n_dims), _constant_term(expr.rhs, n_dims)
        return None if a is None or b is None else a * b
    return None


@dataclass(frozen=True)
class TransfersInBounds(ModulePass):
    """1-d `vector.transfer_read/write` along a memref's last dimension whose index can never
    reach past its end -> the same op with `in_bounds = [true]` (an unmasked vle/vse)."""

    name = "sw-transfers-in-bounds"
    build = "mlir"

    def apply(self, module: Any) -> None:
        ir = mlir.ir
        true = ir.ArrayAttr.get([ir.BoolAttr.get(True)])

        def visit(op: Any) -> None:
            for region in op.regions:
                for block in region.blocks:
                    for inner in block.operations:
                        inner = inner.operation
                        if (inner.name in ("vector.transfer_read", "vector.transfer_write")
                                and _provably_in_bounds(inner)):
                            inner.attributes["in_bounds"] = true
                        visit(inner)

        visit(module.operation)


def _provably_in_bounds(op: Any) -> bool:
    ir = mlir.ir
    is_read = op.name == "vector.transfer_read"
    vtype = ir.VectorType(op.results[0].type if is_read else op.operands[0].type)
    mtype = ir.MemRefType((op.operands[0] if is_read else op.operands[1]).type)
    if vtype.rank != 1 or mtype.rank == 0 or mtype.shape[-1] < 0:
        return False
    if "permutation_map" in op.attributes:  # only the memref's last dimension, not a broadcast
        amap = ir.AffineMapAttr(op.attributes["permutation_map"]).value
        if amap != ir.AffineMap.get_minor_identity(mtype.rank, 1):
            return False
    last_index = op.operands[(1 if is_read else 2) + mtype.rank - 1]
    r = value_range(last_index)
    return r is not None and r[0] >= 0 and r[1] + vtype.shape[0] <= mtype.shape[-1]
