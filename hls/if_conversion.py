"""If-conversion: every `scf.if` becomes straight-line code with `arith.select`.

The circt wheel's lower-scf-to-calyx handles neither an scf.if that yields values nor
(it crashes) the yield that ends any scf.if arm. Both arms are computed; results are
chosen with select, and a store in an arm becomes `load; select(cond, new, old); store`
at the same place. An arm holding a loop or a call is rejected with its location.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from hls.check_hw_kernel import walk
from unified.core import mlir
from unified.core.errors import Loc, VerifyError
from unified.core.passes import ModulePass

NOT_CONVERTIBLE = ("func.call", "scf.for", "scf.while", "affine.for", "scf.parallel")


@dataclass(frozen=True)
class IfConversion(ModulePass):
    """scf.if → both arms inline, results and stores predicated with arith.select."""

    name: ClassVar[str] = "if-conversion"
    build: ClassVar[str] = "mlir"

    def apply(self, module: Any) -> None:
        ifs = [op for op in walk(module.operation) if op.name == "scf.if"]
        for op in reversed(ifs):  # innermost first: an outer if moves already-flat arms
            _convert(op)


def _convert(op: Any) -> None:
    arith = mlir.dialect("arith")
    cond = op.operands[0]
    yields: list[list[Any]] = []
    for index, region in enumerate(op.regions):
        if not len(region.blocks):
            yields.append([])
            continue
        ops = [o.operation for o in region.blocks[0].operations]
        for inner in ops[:-1]:
            for nested in [inner, *walk(inner)]:
                if nested.name in NOT_CONVERTIBLE:
                    _, line, col = mlir.location_of(nested.location)
                    raise VerifyError(f"'{nested.name}' inside a conditional is not supported "
                                      "in hardware kernels", Loc("-", line, col),
                                      hint="hoist it out of the scf.if/affine.if")
            inner.move_before(op)
            if inner.name == "memref.store":
                _predicate_store(inner, cond, taken_when_true=index == 0)
        yields.append(list(ops[-1].operands))
    with mlir.ir.InsertionPoint(op), op.location:
        for result, then_value, else_value in zip(op.results, *yields):
            result.replace_all_uses_with(arith.SelectOp(cond, then_value, else_value).result)
    op.erase()


def _predicate_store(store: Any, cond: Any, *, taken_when_true: bool) -> None:
    """`store v, m[i]` → `store select(cond, v, m[i]), m[i]` (or the other way round)."""
    arith = mlir.dialect("arith")
    memref = mlir.dialect("memref")
    value, target, *indices = store.operands
    with mlir.ir.InsertionPoint(store), store.location:
        old = memref.LoadOp(target, indices).result
        new, keep = (value, old) if taken_when_true else (old, value)
        store.operands[0] = arith.SelectOp(cond, new, keep).result
