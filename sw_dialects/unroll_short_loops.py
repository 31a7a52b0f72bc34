"""Fully unrolls affine loops with a small constant trip count (filter windows, 2x2 pools)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sw_dialects.loop_analysis import constant_bounds, has_loop, trip_count
from sw_dialects.walk import dialect, walk
from unified.core import mlir
from unified.core.passes import ModulePass


def _remap(op: Any, mapping: dict[Any, Any]) -> None:
    """Points every operand of `op` and of the ops nested in it through `mapping`."""
    for o in (op, *walk(op)):
        operands = o.operands
        for i in range(len(operands)):
            if operands[i] in mapping:
                operands[i] = mapping[operands[i]]


def unroll_fully(loop: Any) -> None:
    """Replaces `loop` (constant bounds) by one copy of its body per iteration."""
    ir = mlir.ir
    arith = dialect("arith")
    lower, upper, step = constant_bounds(loop)
    body = loop.regions[0].blocks[0]
    iv, iter_args = body.arguments[0], list(body.arguments)[1:]
    carried = list(loop.operands)[-len(iter_args):] if iter_args else []
    index = ir.IndexType.get()
    for k in range(lower, upper, step):
        with ir.InsertionPoint(loop), loop.location:
            mapping = {iv: arith.ConstantOp(index, k).result}
        mapping.update(zip(iter_args, carried))
        for op in body.operations:
            op = op.operation
            if op.name == "affine.yield":
                carried = [mapping.get(v, v) for v in op.operands]
                break
            clone = op.clone(ir.InsertionPoint(loop))
            _remap(clone, mapping)
            mapping.update(zip(op.results, clone.results))
    for result, value in zip(loop.results, carried):
        result.replace_all_uses_with(value)
    loop.erase()


@dataclass(frozen=True)
class UnrollShortLoops(ModulePass):
    """affine.for with a constant trip count <= max_trip -> its body repeated, innermost first.

    Only loops without a loop inside are unrolled (after their own inner loops were), so a
    short outer loop around a long one stays a loop; and only while the unrolled body holds
    at most `max_accesses` loads and stores (a 3x3 window of multiply-accumulates, 36), so
    that a pooling layer's output loop (4 outputs of a 2x2 window each, 56) stays the loop
    the vectorizer takes, instead of leaving the channel loop innermost to be vectorized
    through gathers.

    A 3x3 filter loop is too short for a vector; unrolled, it leaves the long loop around
    it innermost, and that is the one the vectorizer should take.
    """

    name = "sw-unroll-short-loops"
    build = "mlir"
    max_trip: int = 4
    max_accesses: int = 40

    def apply(self, module: Any) -> None:
        while True:
            loop = self._find(module.operation)
            if loop is None:
                return
            unroll_fully(loop)

    def _find(self, op: Any) -> Any:
        """The first short loop under `op` with no loop inside, or None."""
        for loop in walk(op):
            if loop.name == "affine.for" and not has_loop(loop):
                trips = trip_count(loop)
                if (trips is not None and trips <= self.max_trip
                        and trips * _accesses(loop) <= self.max_accesses):
                    return loop
        return None


def _accesses(loop: Any) -> int:
    return sum(1 for op in walk(loop) if op.name in ("affine.load", "affine.store"))
