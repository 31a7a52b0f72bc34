"""Masks the vector transfers of a loop's last, partial vector to the loop's own iterations.

affine-super-vectorize turns `affine.for %i = 0 to 12` into one step of 16 lanes and
relies on the memref's end to cut the last vector short: a loop that stops before its
memref's end wrote (and read) past its last iteration. Here each such transfer gets the
mask `vector.create_mask (ub - %i)`, built once per loop at the top of its body. Integer
divisions in such a loop divide the lanes past its end by 1 (the host traps on a zero there).
"""

from __future__ import annotations

from typing import Any

from sw_dialects.loop_analysis import coefficient, constant_bounds, constant_term, value_range
from sw_dialects.walk import dialect, ops_named
from unified.core import mlir

# Integer divisions: a zero divisor in a lane past the loop's end traps on the host.
DIVISIONS = ("arith.divsi", "arith.divui", "arith.remsi", "arith.remui", "arith.ceildivsi",
             "arith.ceildivui", "arith.floordivsi")


def mask_partial_vectors(func: Any) -> None:
    """Vector transfers in a loop whose last vector may pass the loop's upper bound, and that
    the memref's end does not already cut at that bound -> the same transfers, masked; integer
    divisions in such a loop -> divisors of 1 in the lanes past it."""
    masks: dict[Any, Any] = {}
    for op in ops_named(func, "vector.transfer_read", "vector.transfer_write"):
        access = _vector_access(op)
        if access is None or not _needs_mask(op, *access):
            continue
        loop = access[0]
        if loop not in masks:
            masks[loop] = _loop_mask(loop, access[3])
        _add_mask(op, masks[loop])
    for op in ops_named(func, *DIVISIONS):
        found = _division_loop(op)
        if found is not None and _partial(found[0]):
            loop, lanes = found
            if loop not in masks:
                masks[loop] = _loop_mask(loop, lanes)
            _guard_divisor(op, masks[loop])


def _vector_access(op: Any) -> tuple[Any, Any, int, int] | None:
    """(vector loop, index along the vector, memref size there, lanes) of a 1-d transfer whose
    lanes walk a memref dimension with the induction variable of an enclosing loop that steps
    by the lanes; None for any other transfer (broadcasts, n-d vectors)."""
    ir = mlir.ir
    is_read = op.name == "vector.transfer_read"
    vtype = ir.VectorType(op.results[0].type if is_read else op.operands[0].type)
    mtype = ir.MemRefType((op.operands[0] if is_read else op.operands[1]).type)
    if vtype.rank != 1:
        return None
    results = list(ir.AffineMapAttr(op.attributes["permutation_map"]).value.results)
    if len(results) != 1 or not isinstance(results[0], ir.AffineDimExpr):
        return None
    dim = results[0].position
    index = op.operands[(1 if is_read else 2) + dim]
    lanes = vtype.shape[0]
    loop = _vector_loop(op, lanes, index)
    return None if loop is None else (loop, index, mtype.shape[dim], lanes)


def _vector_loop(op: Any, lanes: int, index: Any = None) -> Any:
    """The nearest affine.for around `op` that steps by `lanes` (and whose induction variable
    moves `index` by 1, when given), or None."""
    parent = op.parent
    while parent is not None and parent.name != "func.func":
        if (parent.name == "affine.for"
                and mlir.ir.IntegerAttr(parent.attributes["step"]).value == lanes
                and (index is None
                     or _iv_coefficient(index, parent.regions[0].blocks[0].arguments[0]) == 1)):
            return parent
        parent = parent.parent
    return None


def _iv_coefficient(index: Any, iv: Any) -> int | None:
    """How far `index` moves per unit of `iv`: 1 for `iv` itself, the linear coefficient for an
    affine.apply of it, None when not linear."""
    if index == iv:
        return 1
    if isinstance(index.owner, mlir.ir.Block) or index.owner.name != "affine.apply":
        return 0
    expr = _single_result(index.owner)
    if expr is None:
        return None
    total = 0
    for pos, operand in enumerate(index.owner.operands):
        if operand == iv:
            c = coefficient(expr, pos)
            if c is None:
                return None
            total += c
    return total


def _single_result(apply: Any) -> Any:
    amap = mlir.ir.AffineMapAttr(apply.attributes["map"]).value
    return amap.results[0] if len(amap.results) == 1 and not amap.n_symbols else None


def _needs_mask(op: Any, loop: Any, index: Any, size: int, lanes: int) -> bool:
    """A transfer of a loop without a partial last vector needs none. Else a read needs one
    only when it may pass the memref's end unchecked (in_bounds), a write unless the memref's
    end is exactly where the loop's last element goes."""
    if not _partial(loop):
        return False
    bounds = constant_bounds(loop)
    in_bounds = "in_bounds" in op.attributes and mlir.ir.BoolAttr(op.attributes["in_bounds"][0]).value
    if op.name == "vector.transfer_read":
        r = value_range(index)
        return in_bounds and (r is None or r[1] + lanes > size)
    if in_bounds or bounds is None or size < 0:
        return True
    offset = _offset(index, loop.regions[0].blocks[0].arguments[0])
    return offset is None or bounds[1] + offset < size


def _partial(loop: Any) -> bool:
    """True unless `loop`'s bounds are constant and its last vector is a whole one."""
    bounds = constant_bounds(loop)
    return bounds is None or (bounds[1] - bounds[0]) % bounds[2] != 0


def _offset(index: Any, iv: Any) -> int | None:
    """The constant c of `index` = iv + c, None when the rest is not a constant."""
    if index == iv:
        return 0
    expr = _single_result(index.owner)
    if expr is None:
        return None
    others = [pos for pos, v in enumerate(index.owner.operands) if v != iv]
    if any(coefficient(expr, pos) != 0 for pos in others):
        return None
    return constant_term(expr)


def _loop_mask(loop: Any, lanes: int) -> Any:
    """`vector.create_mask (ub - iv)` at the top of `loop`'s body (an affine.min of such
    counts when the upper bound is a min)."""
    ir = mlir.ir
    affine, vector = dialect("affine"), dialect("vector")
    lower = ir.AffineMapAttr(loop.attributes["lowerBoundMap"]).value
    upper = ir.AffineMapAttr(loop.attributes["upperBoundMap"]).value
    operands = list(loop.operands)[lower.n_inputs:lower.n_inputs + upper.n_inputs]
    body = loop.regions[0].blocks[0]
    iv, dims = body.arguments[0], upper.n_dims
    left = ir.AffineMap.get(dims + 1, upper.n_symbols,
                            [r - ir.AffineDimExpr.get(dims) for r in upper.results])
    inputs = [*operands[:dims], iv, *operands[dims:]]
    with ir.InsertionPoint.at_block_begin(body), loop.location:
        if len(upper.results) == 1:
            count = affine.AffineApplyOp(left, inputs).result
        else:
            count = affine.AffineMinOp(left, inputs).result
        mask_type = ir.VectorType.get([lanes], ir.IntegerType.get_signless(1))
        return vector.CreateMaskOp(mask_type, [count]).result


def _add_mask(op: Any, mask: Any) -> None:
    """Rebuilds transfer `op` with `mask`; the masked lanes lie inside the memref (they are
    the loop's own iterations), so it is also marked in bounds."""
    vector = dialect("vector")
    is_read = op.name == "vector.transfer_read"
    amap = op.attributes["permutation_map"]
    with mlir.ir.InsertionPoint(op), op.location:
        if is_read:
            rank = mlir.ir.MemRefType(op.operands[0].type).rank
            base, indices, padding = op.operands[0], list(op.operands[1:1 + rank]), op.operands[1 + rank]
            new = vector.TransferReadOp(op.results[0].type, base, indices, amap, padding, [True],
                                        mask=mask)
            op.results[0].replace_all_uses_with(new.result)
        else:
            rank = mlir.ir.MemRefType(op.operands[1].type).rank
            value, base, indices = op.operands[0], op.operands[1], list(op.operands[2:2 + rank])
            vector.TransferWriteOp(None, value, base, indices, amap, [True], mask=mask)
    op.erase()


def _division_loop(op: Any) -> tuple[Any, int] | None:
    """(vector loop, lanes) of a 1-d vector division, None for a scalar one or outside one."""
    vtype = op.results[0].type
    if not isinstance(vtype, mlir.ir.VectorType) or vtype.rank != 1:
        return None
    loop = _vector_loop(op, vtype.shape[0])
    return None if loop is None else (loop, vtype.shape[0])


def _guard_divisor(op: Any, mask: Any) -> None:
    """The divisor of `op` -> `select(mask, divisor, 1)`: lanes past the loop divide by one."""
    ir = mlir.ir
    arith = dialect("arith")
    vtype = ir.VectorType(op.results[0].type)
    one = ir.DenseElementsAttr.get_splat(vtype, ir.IntegerAttr.get(vtype.element_type, 1))
    with ir.InsertionPoint(op), op.location:
        ones = arith.ConstantOp(vtype, one).result
        op.operands[1] = arith.SelectOp(mask, op.operands[1], ones).result
