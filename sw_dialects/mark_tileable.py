"""Marks the functions whose loop nests may be tiled: no iteration depends on another."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sw_dialects.loop_analysis import coefficient, is_induction_variable
from sw_dialects.walk import ops_named, walk
from unified.core import mlir
from unified.core.passes import ModulePass

TILE_ATTR = "unified.tile_size"  # read and dropped by sw-tile-loops
# Ops whose memory effects the test below does not model: a function holding one stays untiled.
OPAQUE = ("memref.load", "memref.store", "func.call", "affine.vector_load", "affine.vector_store")


def iterations_independent(func: Any) -> bool:
    """True when every loop iteration of `func` touches memory no other iteration writes, so
    that any order of the iterations (tiling's included) computes the same.

    Conservative: each written memref has one affine.store, one element per iteration of
    its loops (every enclosing loop variable in an index of its own, coefficient non-zero),
    every load of it reads that same element, and no loop carrying a value (iter_args) is
    perfectly nested with another loop."""
    loads: dict[Any, list[Any]] = {}
    stores: dict[Any, list[Any]] = {}
    for op in walk(func):
        if op.name in OPAQUE or op.name.startswith("vector."):
            return False
        if op.name == "affine.load":
            loads.setdefault(op.operands[0], []).append(op)
        elif op.name == "affine.store":
            stores.setdefault(op.operands[1], []).append(op)
        elif op.name == "affine.for" and len(op.results) and _perfectly_nested(op):
            return False
    for memref, writes in stores.items():
        if len(writes) != 1 or not _one_element_per_iteration(writes[0]):
            return False
        if any(not _same_element(load, writes[0]) for load in loads.get(memref, [])):
            return False
    return True


def _body_ops(loop: Any) -> list[Any]:
    return [op.operation for op in loop.regions[0].blocks[0].operations]


def _perfectly_nested(loop: Any) -> bool:
    """True when `loop` is the only op of an affine.for's body or holds only an affine.for."""
    parent = loop.parent
    inner = _body_ops(loop)
    return ((parent is not None and parent.name == "affine.for" and len(_body_ops(parent)) == 2)
            or (len(inner) == 2 and inner[0].name == "affine.for"))


def _same_element(load: Any, store: Any) -> bool:
    return (load.attributes["map"] == store.attributes["map"]
            and list(load.operands)[1:] == list(store.operands)[2:])


def _one_element_per_iteration(store: Any) -> bool:
    """True when the store's index is injective in the variables of the loops around it."""
    ir = mlir.ir
    results = list(ir.AffineMapAttr(store.attributes["map"]).value.results)
    operands = list(store.operands)[2:]
    loops, op = [], store.parent
    while op is not None and op.name != "func.func":
        if op.name == "affine.for":
            loops.append(op.regions[0].blocks[0].arguments[0])
        op = op.parent
    for operand in operands:
        if not (operand in loops or not is_induction_variable(operand)
                and _invariant(operand)):
            return False
    owner = []  # per result: the positions of loop variables it uses
    for result in results:
        used = [pos for pos, v in enumerate(operands) if v in loops
                and coefficient(result, pos) != 0]
        if any(coefficient(result, pos) is None for pos in used) or len(used) > 1:
            return False
        owner.append({operands[pos] for pos in used})
    return all(sum(iv in uses for uses in owner) == 1 for iv in loops)


def _invariant(value: Any) -> bool:
    """A function argument or a constant: the same in every iteration."""
    if isinstance(value.owner, mlir.ir.Block):
        return value.owner.owner is not None and value.owner.owner.name == "func.func"
    return value.owner.name == "arith.constant"


@dataclass(frozen=True)
class MarkTileable(ModulePass):
    """Functions whose iterations are independent (`iterations_independent`) get
    `unified.tile_size = tile_size`, for sw-tile-loops once they are vectorized."""

    name = "sw-mark-tileable"
    build = "mlir"
    tile_size: int = 0

    def apply(self, module: Any) -> None:
        ir = mlir.ir
        if self.tile_size <= 0:
            return
        for func in ops_named(module.operation, "func.func"):
            if len(func.regions[0].blocks) and iterations_independent(func):
                func.attributes[TILE_ATTR] = ir.IntegerAttr.get(
                    ir.IntegerType.get_signless(64), self.tile_size)
