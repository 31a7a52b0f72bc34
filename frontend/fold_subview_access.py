"""affine.load/store through a `memref.subview` -> the same access on the subview's source.

A padded Conv fills a buffer and copies its input into a subview of it. Upstream
`fold-memref-alias-ops` leaves those affine stores on the view, and `affine-scalrep` (run
by the int8 requantization) then takes the view and its source for different memories: it
forwards the fill's zeros to the convolution's loads and the products vanish. With each
access moved onto the source (offsets added to its map) the dependence is plain to see.
Only views of the same rank with static offsets and unit strides are folded.
"""

from __future__ import annotations

from typing import Any

from unified.core import mlir


def fold_subview_access(module: Any) -> int:
    """Moves every affine access through a foldable subview onto its source; returns how
    many accesses moved."""
    moved = 0
    for op in mlir.ops_named(module.operation, "affine.load", "affine.store"):
        memref_at = 0 if op.name == "affine.load" else 1
        view = getattr(op.operands[memref_at].owner, "operation", None)
        offsets = _static_offsets(view) if view is not None else None
        if offsets is None:
            continue
        _rebuild(op, memref_at, view.operands[0], offsets)
        moved += 1
    return moved


def _static_offsets(view: Any) -> list[int] | None:
    """The offsets of a same-rank, unit-stride, static memref.subview, else None."""
    ir = mlir.ir
    if view.name != "memref.subview" or len(view.operands) != 1:  # dynamic parts: operands
        return None
    offsets = list(ir.DenseI64ArrayAttr(view.attributes["static_offsets"]))
    strides = list(ir.DenseI64ArrayAttr(view.attributes["static_strides"]))
    source, result = ir.MemRefType(view.operands[0].type), ir.MemRefType(view.results[0].type)
    if any(s != 1 for s in strides) or source.rank != result.rank:
        return None
    return offsets


def _rebuild(op: Any, memref_at: int, source: Any, offsets: list[int]) -> None:
    """Recreates `op` on `source` with `offsets` added to its access map."""
    ir = mlir.ir
    old = ir.AffineMapAttr(op.attributes["map"]).value
    results = [e + ir.AffineConstantExpr.get(k) for e, k in zip(old.results, offsets)]
    new_map = ir.AffineMap.get(old.n_dims, old.n_symbols, results)
    operands = list(op.operands)
    operands[memref_at] = source
    with ir.InsertionPoint(op), op.location:
        new = ir.Operation.create(op.name, results=[r.type for r in op.results],
                                  operands=operands,
                                  attributes={"map": ir.AffineMapAttr.get(new_map)})
    for old_result, new_result in zip(op.results, new.results):
        old_result.replace_all_uses_with(new_result)
    op.erase()
