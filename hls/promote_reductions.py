"""hls-promote-reductions: a memory word read and written at the same place every iteration
of an innermost loop lives in a register (an iteration argument) for the whole loop.

    affine.for %j = 0 to 8 {                 %init = affine.load %x[%i]
      %v = affine.load %x[%i]                %r = affine.for %j = 0 to 8 iter_args(%acc = %init) {
      %s = arith.addi %v, %p          →        %s = arith.addi %acc, %p
      affine.store %s, %x[%i]                  affine.yield %s
    }                                        }
                                             affine.store %r, %x[%i]

A memref qualifies in a loop when all its accesses in the loop are direct children of the
loop's body (no affine.if around them), all use the same map and operands, and none of
those operands changes inside the loop: then every iteration touches one word, and the
loads read what the stores before them wrote. Memref arguments are assumed not to alias
(the hardware gives each its own memory). One load before and one store after the loop
replace two accesses per iteration: the loop body is left with a chain of registers, and
without a read-modify-write of memory it can also be pipelined.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from hls.unroll_budget import JAMMED, innermost_loops
from unified.core import mlir
from unified.core.passes import ModulePass

_ACCESSES = ("affine.load", "affine.store")


@dataclass(frozen=True)
class PromoteReductions(ModulePass):
    """Keeps each loop-invariant memory word of an innermost affine.for in an iter_arg."""

    name: ClassVar[str] = "hls-promote-reductions"
    build: ClassVar[str] = "mlir"

    def apply(self, module: Any) -> None:
        changed = True
        while changed:
            changed = False
            for loop in innermost_loops(module.operation):
                plan = next(((m, w) for m in _memories(loop)
                             if (w := promotable(loop, m)) is not None), None)
                if plan is not None:
                    _promote(loop, *plan)
                    changed = True
                    break  # the loop was replaced: walk again


def accessed_memory(op: Any) -> Any:
    """The memref an affine.load or affine.store accesses."""
    return op.operands[1] if op.name == "affine.store" else op.operands[0]


def _address(op: Any) -> tuple[str, tuple[Any, ...]]:
    """An access's map (as text, for comparison) and its map operands."""
    operands = list(op.operands)[2:] if op.name == "affine.store" else list(op.operands)[1:]
    return str(op.attributes["map"]), tuple(operands)


def _memories(loop: Any) -> list[Any]:
    out: list[Any] = []
    for op in mlir.walk(loop):
        if op.name == "affine.store" and accessed_memory(op) not in out:
            out.append(accessed_memory(op))
    return out


def _inside(value: Any, loop: Any) -> bool:
    """Whether `value` is defined in `loop` (its iv, an iter_arg or an op of its body)."""
    owner = value.owner
    op = owner.owner if isinstance(owner, mlir.ir.Block) else owner.operation
    while op is not None:
        if op == loop:
            return True
        op = op.parent
    return False


def promotable(loop: Any, memory: Any) -> tuple[str, tuple[Any, ...]] | None:
    """A word of `memory` that can live in a register through `loop`, or None.

    Every access to `memory` in `loop` must sit directly in its body at a loop-invariant
    address, any two different addresses must be provably different words (the same
    operands, and in one position expressions a constant apart: `C[%i, 3]` and `C[%i, 5]`,
    `C[%i, %j]` and `C[%i, %j + 1]`), and the
    word must be both read (the read before the loop gives its value on entry) and written.
    """
    if mlir.ops_named(loop, "func.call"):
        return None
    accesses = [op for op in mlir.walk(loop) if op.name in _ACCESSES and accessed_memory(op) == memory]
    if any(op.parent.operation != loop for op in accesses):
        return None
    addresses: list[tuple[str, tuple[Any, ...]]] = []
    maps: dict[tuple[str, tuple[Any, ...]], Any] = {}
    for op in accesses:
        address = _address(op)
        if address not in addresses:
            addresses.append(address)
            maps[address] = mlir.ir.AffineMapAttr(op.attributes["map"]).value
    if any(_inside(v, loop) for _, operands in addresses for v in operands):
        return None
    for i, a in enumerate(addresses):
        for b in addresses[i + 1:]:
            if not _distinct(maps[a], a[1], maps[b], b[1]):
                return None
    for address in addresses:
        kinds = {op.name for op in accesses if _address(op) == address}
        if kinds == set(_ACCESSES):
            return address
    return None


def _distinct(map_a: Any, operands_a: tuple[Any, ...], map_b: Any,
              operands_b: tuple[Any, ...]) -> bool:
    """Whether two accesses provably touch different words (see `promotable`): in one
    position, two sums of the same operands a nonzero constant apart."""
    if len(map_a.results) != len(map_b.results):
        return False
    for x, y in zip(map_a.results, map_b.results):
        lx, ly = _linear(x, map_a, operands_a), _linear(y, map_b, operands_b)
        if lx is not None and ly is not None and lx[0] == ly[0] and lx[1] != ly[1]:
            return True
    return False


def _linear(expr: Any, amap: Any, operands: tuple[Any, ...]) -> tuple[dict, int] | None:
    """`expr` of `amap` as (coefficient per operand value, constant), or None when it is not
    a linear function of the operands."""
    ir = mlir.ir
    if isinstance(expr, ir.AffineConstantExpr):
        return {}, expr.value
    if isinstance(expr, ir.AffineDimExpr):
        return {operands[expr.position]: 1}, 0
    if isinstance(expr, ir.AffineSymbolExpr):
        return {operands[amap.n_dims + expr.position]: 1}, 0
    if isinstance(expr, (ir.AffineAddExpr, ir.AffineMulExpr)):
        a, b = _linear(expr.lhs, amap, operands), _linear(expr.rhs, amap, operands)
        if a is None or b is None:
            return None
        if isinstance(expr, ir.AffineAddExpr):
            terms = {k: a[0].get(k, 0) + b[0].get(k, 0) for k in {*a[0], *b[0]}}
            return {k: v for k, v in terms.items() if v}, a[1] + b[1]
        if a[0] and b[0]:
            return None
        scale, other = (a[1], b) if not a[0] else (b[1], a)
        return {k: v * scale for k, v in other[0].items() if v * scale}, other[1] * scale
    return None


def _promote(loop: Any, memory: Any, address: tuple[str, tuple[Any, ...]]) -> None:
    """Rewrites `loop` so that `memory`'s word at `address` travels as a new last iteration
    argument."""
    ir = mlir.ir
    affine = mlir.dialect("affine")
    accesses = [op for op in mlir.walk(loop) if op.name in _ACCESSES and accessed_memory(op) == memory
                and _address(op) == address]
    load = next(op for op in accesses if op.name == "affine.load")
    store = next(op for op in accesses if op.name == "affine.store")
    with loop.location:
        init = load.clone(ip=ir.InsertionPoint(loop)).results[0]
        lower = ir.AffineMapAttr(loop.attributes["lowerBoundMap"]).value
        upper = ir.AffineMapAttr(loop.attributes["upperBoundMap"]).value
        operands = list(loop.operands)
        n_bounds = lower.n_inputs + upper.n_inputs
        inits = operands[n_bounds:]
        new = affine.AffineForOp(lower, upper, ir.IntegerAttr(loop.attributes["step"]).value,
                                 [*inits, init], lower_bound_operands=operands[:lower.n_inputs],
                                 upper_bound_operands=operands[lower.n_inputs:n_bounds],
                                 ip=ir.InsertionPoint(loop))
        if JAMMED in loop.attributes:
            new.operation.attributes[JAMMED] = ir.UnitAttr.get()
        tail = store.clone(ip=ir.InsertionPoint(loop))  # after the new loop
        tail.operands[0] = new.results[len(inits)]
        old_body, new_body = loop.regions[0].blocks[0], new.regions[0].blocks[0]
        for old_arg, new_arg in zip(old_body.arguments, new_body.arguments):
            old_arg.replace_all_uses_with(new_arg)
        anchor = affine.AffineYieldOp([], ip=ir.InsertionPoint(new_body)).operation
        current = new_body.arguments[len(old_body.arguments)]
        yielded: list[Any] = []
        for op in list(old_body.operations):
            op = op.operation
            if op.name == "affine.yield":
                yielded = list(op.operands)
            elif op.name in _ACCESSES and accessed_memory(op) == memory and _address(op) == address:
                if op.name == "affine.load":
                    op.results[0].replace_all_uses_with(current)
                else:
                    current = op.operands[0]
                op.erase()
            else:
                op.move_before(anchor)
        affine.AffineYieldOp([*yielded, current], ip=ir.InsertionPoint(anchor))
        anchor.erase()
        for old_result, new_result in zip(loop.results, new.results):
            old_result.replace_all_uses_with(new_result)
        loop.erase()
