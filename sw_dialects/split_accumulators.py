"""Splits a vector sum carried through a chain of adds into one accumulator per add."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sw_dialects.loop_analysis import innermost_loops
from sw_dialects.walk import dialect, ops_named
from unified.core import mlir
from unified.core.passes import ModulePass

ADDS = ("arith.addi", "arith.addf")


def add_chain(loop: Any, index: int) -> list[Any]:
    """The adds that carry iteration argument `index` of `loop` from the block argument to
    the yield, first to last (acc + x0 + x1 + ...): each add's other operand does not depend
    on the sum and each partial sum has no other use. Empty when there is no such chain."""
    block = loop.regions[0].blocks[0]
    acc = block.arguments[1 + index]
    value = list(block.operations)[-1].operands[index]
    chain: list[Any] = []
    while value != acc:
        op = value.owner
        if (isinstance(op, mlir.ir.Block) or op.name not in ADDS or op.parent != loop.operation
                or len(list(value.uses)) != 1):
            return []
        lhs, rhs = op.operands
        previous = lhs if _reaches(lhs, acc, loop) else rhs
        if not _reaches(previous, acc, loop) or _reaches(_other(op, previous), acc, loop):
            return []
        chain.append(op)
        value = previous
    if len(list(acc.uses)) != 1:
        return []
    return chain[::-1]


def _other(op: Any, operand: Any) -> Any:
    lhs, rhs = op.operands
    return rhs if lhs == operand else lhs


def _reaches(value: Any, acc: Any, loop: Any) -> bool:
    """True when `value` is `acc` or an add in `loop`'s body computed from it."""
    if value == acc:
        return True
    op = value.owner
    if isinstance(op, mlir.ir.Block) or op.name not in ADDS or op.parent != loop.operation:
        return False
    return any(_reaches(v, acc, loop) for v in op.operands)


def split_loop(loop: Any, index: int, chain: list[Any], slots: int) -> Any:
    """Rebuilds `loop` with `slots` - 1 more vector accumulators (starting at zero): the j-th
    add of `chain` adds into accumulator j mod `slots`, and the accumulators are added once
    after the loop. Returns the new loop."""
    ir = mlir.ir
    arith = dialect("arith")
    acc_type = loop.results[index].type
    extra = slots - 1
    with ir.InsertionPoint(loop), loop.location:
        zero_attr = (ir.FloatAttr.get(acc_type.element_type, 0.0)
                     if not isinstance(acc_type.element_type, ir.IntegerType)
                     else ir.IntegerAttr.get(acc_type.element_type, 0))
        zero = arith.ConstantOp(acc_type, ir.DenseElementsAttr.get_splat(acc_type, zero_attr))
        attrs = {name: loop.attributes[name] for name in loop.attributes}
        sizes = list(ir.DenseI32ArrayAttr(attrs["operandSegmentSizes"]))
        attrs["operandSegmentSizes"] = ir.DenseI32ArrayAttr.get([*sizes[:2], sizes[2] + extra])
        new = ir.Operation.create(
            "affine.for", results=[r.type for r in loop.results] + [acc_type] * extra,
            operands=[*loop.operands, *[zero.result] * extra], attributes=attrs, regions=1)
    old_block = loop.regions[0].blocks[0]
    block = new.regions[0].blocks.append(*[a.type for a in old_block.arguments],
                                         *[acc_type] * extra)
    ops = list(old_block.operations)
    for op in ops:
        op.detach_from_parent()
        ir.InsertionPoint(block).insert(op)
    for old, arg in zip(old_block.arguments, block.arguments):
        old.replace_all_uses_with(arg)
    accs = [block.arguments[1 + index], *list(block.arguments)[len(old_block.arguments):]]
    for j in range(len(chain) - 1, 0, -1):  # last first: chain[j-1]'s result is still whole
        op, previous = chain[j], chain[j - 1].results[0]
        slot = 0 if op.operands[0] == previous else 1
        op.operands[slot] = accs[j] if j < slots else chain[j - slots].results[0]
    last = [chain[max(j for j in range(len(chain)) if j % slots == s)].results[0]
            for s in range(slots)]
    old_yield = ops[-1]
    values = list(old_yield.operands)
    values[index] = last[0]
    with ir.InsertionPoint(old_yield), old_yield.location:
        dialect("affine").AffineYieldOp([*values, *last[1:]])
    old_yield.erase()
    with ir.InsertionPoint.after(new), loop.location:
        sums = [new.results[index], *list(new.results)[len(loop.results):]]
        attrs = {name: chain[0].attributes[name] for name in chain[0].attributes}
        while len(sums) > 1:  # a balanced tree of adds
            pairs = [ir.Operation.create(chain[0].name, results=[acc_type],
                                         operands=sums[i:i + 2], attributes=attrs).results[0]
                     for i in range(0, len(sums) - 1, 2)]
            sums = pairs + sums[len(sums) - len(sums) % 2:]
    for i, result in enumerate(loop.results):
        result.replace_all_uses_with(sums[0] if i == index else new.results[i])
    loop.erase()
    return new


def accumulator_slots(vector_type: Any, vlen: int, adds: int) -> int:
    """How many accumulators of `vector_type` fit beside one loaded vector in the 31 vector
    registers that are not v0 (the mask register), at most 4 and at most `adds`."""
    bits = vector_type.shape[0] * mlir.ir.ShapedType(vector_type).element_type.width
    registers = max(1, -(-bits // vlen))
    return max(1, min(4, adds, 31 // registers - 1))


@dataclass(frozen=True)
class SplitAccumulators(ModulePass):
    """Innermost affine.for loops carrying a vector sum through a chain of k adds (an
    unrolled reduction, acc + x0 + x1 + x2 + x3) -> up to k accumulators (as many as fit in
    the vector registers beside a loaded vector: 2 at LMUL 8, 4 at LMUL 4 or less), the
    j-th add into accumulator j mod their number, summed once after the loop.

    Loads and adds then alternate (LLVM no longer re-associates the chain into a tree that
    issues loads back to back, idling the arithmetic unit). Integer sums are unchanged; a
    float sum is re-associated (lane j of accumulator i sums every k-th vector).
    """

    name = "sw-split-accumulators"
    build = "mlir"
    vlen: int = 128

    def apply(self, module: Any) -> None:
        for func in ops_named(module.operation, "func.func"):
            for loop in innermost_loops(func):
                for index in range(len(loop.results)):
                    if not isinstance(loop.results[index].type, mlir.ir.VectorType):
                        continue
                    chain = add_chain(loop, index)
                    slots = accumulator_slots(loop.results[index].type, self.vlen, len(chain))
                    if slots >= 2:
                        loop = split_loop(loop, index, chain, slots)
