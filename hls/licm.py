"""hls-licm: upstream affine-loop-invariant-code-motion, on the functions where it is right.

The upstream pass judges an operation that holds regions (an `scf.if` in an affine loop)
by its operands alone, so an `scf.if` on an invariant condition whose arm reads the loop's
induction variable is hoisted out of the loop, and the IR no longer verifies ("operand #0
does not dominate this use"; found by the fuzzer, tests/fuzz/cases/hw-O1_licm_*). Here a
function with such an operation keeps its loops as they are; every other function gets
the upstream pass unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from unified.core import mlir
from unified.core.passes import ModulePass

PIPELINE = "func.func(affine-loop-invariant-code-motion)"
AFFINE_REGIONS = ("affine.for", "affine.if", "affine.parallel")


def _defined_inside(value: Any, op: Any) -> bool:
    """Whether `value` is defined within `op` (a block argument of, or an op nested in, it)."""
    ir = mlir.ir
    owner = value.owner
    parent = owner.owner if isinstance(owner, ir.Block) else owner
    while parent is not None:
        if parent == op:
            return True
        parent = parent.parent
    return False


def _reads_loop_values(op: Any, loop: Any) -> bool:
    """Whether an op nested in `op`'s regions uses a value of `loop`'s body from outside `op`."""
    for inner in mlir.walk(op):
        if inner == op:
            continue
        for value in inner.operands:
            if _defined_inside(value, loop) and not _defined_inside(value, op):
                return True
    return False


def miscompiled_by_upstream(func: Any) -> bool:
    """Whether `func` holds a non-affine op with regions that uses values of its loop."""
    for loop in mlir.ops_named(func, "affine.for"):
        for op in loop.regions[0].blocks[0].operations:
            op = op.operation
            if op.regions and op.name not in AFFINE_REGIONS and _reads_loop_values(op, loop):
                return True
    return False


@dataclass(frozen=True)
class Licm(ModulePass):
    """Hoists loop-invariant code (upstream's pass) out of the affine loops of every function
    that the upstream pass does not miscompile."""

    name: ClassVar[str] = "hls-licm"
    build: ClassVar[str] = "mlir"

    def apply(self, module: Any) -> None:
        pm = mlir.passmanager.PassManager.parse(PIPELINE, module.context)
        for fn in mlir.ops_named(module.operation, "func.func"):
            if fn.regions[0].blocks and not miscompiled_by_upstream(fn):
                pm.run(fn)
