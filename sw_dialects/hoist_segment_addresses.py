"""Computes the addresses of a block's segment loads at the top of the block (LLVM dialect).

A vector load read only through shuffles becomes a segment load (`vlseg2`), which has no
immediate offset: each needs its address in a register of its own. Computed right before
the load, that address is one register reused load after load, so neither LLVM's scheduler
nor in-order issue can start it early, and every load waits for its `addi` (3 cycles on the
X280); computed first, each address gets a register and the loads issue back to back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sw_dialects.walk import ops_named
from unified.core import mlir
from unified.core.passes import ModulePass

# integer address arithmetic without side effects
ADDRESS_OPS = frozenset(("llvm.getelementptr", "llvm.add", "llvm.sub", "llvm.mul", "llvm.shl",
                         "llvm.or", "llvm.sext", "llvm.zext", "llvm.trunc",
                         "llvm.mlir.constant"))


def _address_slice(load: Any, block: Any) -> list[Any] | None:
    """The ops of `block` computing the address of `load` (a getelementptr and its integer
    arithmetic), or None when that address is not computed in `block` by such ops alone."""
    found: list[Any] = []
    pending = [load.operands[0]]
    while pending:
        value = pending.pop()
        owner = value.owner
        if isinstance(owner, mlir.ir.Block):
            continue
        owner = owner.operation
        if owner.block != block:
            continue
        if owner.name not in ADDRESS_OPS:
            return None
        if owner not in found:
            found.append(owner)
            pending.extend(owner.operands)
    return found if found else None


def is_segment_load(op: Any) -> bool:
    """True for an llvm.load of a vector whose every use is an llvm.shufflevector."""
    if op.name != "llvm.load" or not isinstance(op.results[0].type, mlir.ir.VectorType):
        return False
    users = [use.owner.operation for use in op.results[0].uses]
    return bool(users) and all(u.name == "llvm.shufflevector" for u in users)


@dataclass(frozen=True)
class HoistSegmentAddresses(ModulePass):
    """llvm.func bodies -> the same with the address arithmetic of every block holding two
    segment loads or more (see `is_segment_load`) moved to the top of the block, in order.

    bench/sw_rvv.py, after sw-pipeline-segment-loads: maxpool 3,062 -> 2,981 modelled
    cycles, maxpool_64 12,237 -> 11,835.
    """

    name = "sw-hoist-segment-addresses"
    build = "mlir"

    def apply(self, module: Any) -> None:
        for func in ops_named(module.operation, "llvm.func"):
            for region in func.regions:
                for block in region.blocks:
                    self._hoist(block)

    def _hoist(self, block: Any) -> None:
        ops = [o.operation for o in block.operations]
        loads = [op for op in ops if is_segment_load(op)]
        if len(loads) < 2 or not ops:
            return
        moving = set()
        for load in loads:
            moving.update(_address_slice(load, block) or ())  # closed under in-block operands
        anchor = next((op for op in ops if op not in moving), None)
        for op in ops:
            if op in moving and anchor is not None:
                op.move_before(anchor)
