"""Software-pipelines loops of segment loads: unrolled and jammed, the next iteration's first
load issued in this one, and each load issued one load ahead of the arithmetic that uses it.

A vector load read only through deinterleaving shuffles becomes a segment load (`vlseg2`).
Its result does not chain: a consumer waits for the whole register group (19 cycles at
LMUL 4 on the X280), and with in-order issue nothing behind that consumer starts, so a
body written load, max, load, max, store leaves the load unit idle between loads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sw_dialects.loop_analysis import constant_bounds, innermost_loops, trip_count
from sw_dialects.unroll_short_loops import _remap
from sw_dialects.walk import dialect, ops_named
from unified.core import mlir
from unified.core.passes import ModulePass

LOADS = frozenset(("affine.load", "affine.vector_load", "memref.load", "vector.load",
                   "vector.gather", "vector.transfer_read", "vector.maskedload"))
STORES = frozenset(("affine.store", "affine.vector_store", "memref.store", "vector.store",
                    "vector.scatter", "vector.transfer_write", "vector.maskedstore"))
# ops without memory effects the schedule may move freely (their operands permitting)
PURE_PREFIXES = ("arith.", "math.", "index.")
PURE = frozenset(("affine.apply", "affine.min", "affine.max", "ub.poison", "vector.shuffle",
                  "vector.broadcast", "vector.splat", "vector.extract", "vector.insert",
                  "vector.fma", "vector.bitcast"))


def _memref(op: Any) -> Any:
    """The buffer a load or store names."""
    return op.operands[1] if op.name in ("affine.store", "affine.vector_store", "memref.store",
                                         "vector.store", "vector.transfer_write",
                                         "vector.maskedstore", "vector.scatter") else op.operands[0]


def _plain_buffer(memref: Any) -> bool:
    """True for a function argument or a fresh allocation (no other value aliases it; the
    flow declares distinct memref arguments disjoint, see sw-noalias-memrefs)."""
    owner = memref.owner
    if isinstance(owner, mlir.ir.Block):
        return owner.owner is not None and owner.owner.operation.name == "func.func"
    return owner.name in ("memref.alloc", "memref.alloca")


def _inside(value: Any, block: Any) -> Any:
    """The op of `block` that defines `value`, or None when it comes from outside."""
    owner = value.owner
    if isinstance(owner, mlir.ir.Block):
        return None
    owner = owner.operation
    return owner if owner.block == block else None


def segment_groups(block: Any) -> list[list[Any]]:
    """The segment loads of `block`, in order: each an affine.vector_load read only by
    vector.shuffle ops of it alone (and values from outside), listed with those shuffles
    ([load, *shuffles])."""
    groups = []
    for op in block.operations:
        op = op.operation
        if op.name != "affine.vector_load":
            continue
        users = [use.owner.operation for use in op.results[0].uses]
        if users and all(u.name == "vector.shuffle" and u.block == block
                         and all(_inside(v, block) is None or _inside(v, block) == op
                                 for v in u.operands)
                         for u in users):
            shuffles = [o.operation for o in block.operations if o.operation in users]
            groups.append([op, *shuffles])
    return groups


def pipelinable(loop: Any) -> bool:
    """True for an innermost affine.for with constant bounds, at least two iterations, no
    results, a straight-line body of loads, stores and pure ops holding two segment loads or
    more, no buffer both read and written in it, every buffer a plain one, and segment loads
    whose indices are the loop's variable or values from outside it."""
    trips = trip_count(loop)
    if trips is None or trips < 2 or len(loop.results):
        return False
    block = loop.regions[0].blocks[0]
    ops = [o.operation for o in block.operations][:-1]
    read, written = [], []
    for op in ops:
        if len(op.regions):
            return False
        if op.name in LOADS:
            read.append(_memref(op))
        elif op.name in STORES:
            written.append(_memref(op))
        elif not (op.name in PURE or op.name.startswith(PURE_PREFIXES)):
            return False
    if any(not _plain_buffer(m) for m in (*read, *written)) or any(r == w for r in read
                                                                   for w in written):
        return False
    groups = segment_groups(block)
    return len(groups) >= 2 and all(_producers(g[0], block) is not None for g in groups)


def _producers(op: Any, block: Any) -> list[Any] | None:
    """The ops of `block` that compute the operands of `op` (index arithmetic, constants), in
    block order; None when one of them is not pure or reads a value of the loop other than
    its induction variable."""
    found: list[Any] = []
    pending = [op]
    while pending:
        for v in pending.pop().operands:
            producer = _inside(v, block)
            if producer is None:
                if isinstance(v.owner, mlir.ir.Block) and v.owner == block \
                        and v != block.arguments[0]:
                    return None  # an iteration argument
                continue
            if not (producer.name in PURE or producer.name.startswith(PURE_PREFIXES)):
                return None
            if producer not in found:
                found.append(producer)
                pending.append(producer)
    return [o.operation for o in block.operations if o.operation in found]


def unroll(loop: Any, factor: int) -> None:
    """Repeats the body of `loop` `factor` times per iteration (its trip count a multiple of
    `factor`), the k-th copy at the induction variable plus k steps."""
    ir = mlir.ir
    affine = dialect("affine")
    step = constant_bounds(loop)[2]
    block = loop.regions[0].blocks[0]
    iv = block.arguments[0]
    ops = [o.operation for o in block.operations]
    terminator, body = ops[-1], ops[:-1]
    for k in range(1, factor):
        with ir.InsertionPoint(terminator), loop.location:
            shift = ir.AffineMap.get(1, 0, [ir.AffineDimExpr.get(0) + k * step])
            mapping = {iv: affine.AffineApplyOp(shift, [iv]).result}
        for op in body:
            clone = op.clone(ir.InsertionPoint(terminator))
            _remap(clone, mapping)
            mapping.update(zip(op.results, clone.results))
    loop.attributes["step"] = ir.IntegerAttr.get(ir.IndexType.get(), step * factor)


def rotate(loop: Any, group: list[Any]) -> Any:
    """Rebuilds `loop` so that segment load `group` of iteration i+1 is issued in iteration i
    and carried in iter_args: the first iteration's is loaded before the loop, and the last
    iteration, which has no next one, is peeled after it. Returns the new loop."""
    ir = mlir.ir
    affine, arith = dialect("affine"), dialect("arith")
    lower, upper, step = constant_bounds(loop)
    last = lower + (upper - lower - 1) // step * step
    old_block = loop.regions[0].blocks[0]
    iv = old_block.arguments[0]
    index = ir.IndexType.get()
    with ir.InsertionPoint(loop), loop.location:
        first = {iv: arith.ConstantOp(index, lower).result}
    group = [*_producers(group[0], old_block), *group]
    inits = [op.results[0] for op in _clone_group(group, ir.InsertionPoint(loop), first)
             if op.name == "vector.shuffle"]
    types = [v.type for v in inits]
    attrs = {name: loop.attributes[name] for name in loop.attributes}
    sizes = list(ir.DenseI32ArrayAttr(attrs["operandSegmentSizes"]))
    attrs["operandSegmentSizes"] = ir.DenseI32ArrayAttr.get([*sizes[:2], sizes[2] + len(types)])
    attrs["upperBoundMap"] = ir.AffineMapAttr.get(ir.AffineMap.get_constant(last))
    with ir.InsertionPoint(loop), loop.location:
        new = ir.Operation.create("affine.for", results=types,
                                  operands=[*loop.operands, *inits], attributes=attrs, regions=1)
    block = new.regions[0].blocks.append(index, *types)
    ops = [o.operation for o in old_block.operations]
    for op in ops:
        op.detach_from_parent()
        ir.InsertionPoint(block).insert(op)
    iv.replace_all_uses_with(block.arguments[0])
    terminator = ops[-1]
    with ir.InsertionPoint(terminator), loop.location:
        shift = ir.AffineMap.get(1, 0, [ir.AffineDimExpr.get(0) + step])
        ahead = affine.AffineApplyOp(shift, [block.arguments[0]])
    clones = _clone_group(group, ir.InsertionPoint(terminator), {block.arguments[0]: ahead.result})
    shuffles = [op for op in group if op.name == "vector.shuffle"]
    for shuffle, arg in zip(shuffles, list(block.arguments)[1:]):
        shuffle.results[0].replace_all_uses_with(arg)
    for op in reversed(group):  # the load and its shuffles; index arithmetic that is left
        if not any(True for r in op.results for _ in r.uses):
            op.erase()
    skip = [ahead.operation, *clones]
    body = [o.operation for o in block.operations if o.operation not in skip][:-1]
    # the last iteration after the loop, on the carried load
    with ir.InsertionPoint.after(new), loop.location:
        tail = {block.arguments[0]: arith.ConstantOp(index, last).result,
                **dict(zip(list(block.arguments)[1:], new.results))}
    at = ir.InsertionPoint.after(tail[block.arguments[0]].owner)
    for op in body:
        clone = op.clone(at)
        _remap(clone, tail)
        tail.update(zip(op.results, clone.results))
        at = ir.InsertionPoint.after(clone)
    with ir.InsertionPoint(terminator), loop.location:
        affine.AffineYieldOp([op.results[0] for op in clones if op.name == "vector.shuffle"])
    terminator.erase()
    loop.erase()
    return new


def _clone_group(group: list[Any], at: Any, mapping: dict[Any, Any]) -> list[Any]:
    """Clones of a segment load group's ops at `at`, with operands through `mapping`."""
    out = []
    for op in group:
        clone = op.clone(at)
        _remap(clone, mapping)
        mapping.update(zip(op.results, clone.results))
        out.append(clone.operation)
    return out


def schedule(block: Any) -> None:
    """Reorders the straight-line `block`: its segment loads in order, one per slot; after
    the k-th, the other ops in their own order as long as each finds its operands ready:
    a segment load's in a slot before (one load later than its own), an arithmetic result
    at once, a stored value from a slot before. The rest follow the last load."""
    ops = [o.operation for o in block.operations]
    terminator, body = ops[-1], ops[:-1]
    groups = segment_groups(block)
    group_of = {op: n for n, g in enumerate(groups) for op in g}
    slot: dict[Any, int] = {}
    order: list[Any] = []
    queue = [op for op in body if op not in group_of]

    def place(op: Any, s: int) -> None:
        for v in op.operands:  # index computations a load needs come with it
            producer = _inside(v, block)
            if producer is not None and producer not in slot:
                queue.remove(producer)
                place(producer, s)
        slot[op] = s
        order.append(op)

    def ready(op: Any, s: int) -> bool:
        for v in op.operands:
            producer = _inside(v, block)
            if producer is None:
                continue
            if producer not in slot:
                return False
            if (producer in group_of or op.name in STORES) and slot[producer] >= s:
                return False
        return True

    for s, group in enumerate(groups):
        for op in group:
            place(op, s)
        while queue and ready(queue[0], s):
            place(queue.pop(0), s)
    while queue:
        place(queue.pop(0), len(groups))
    # within a slot, stores last: results are written in order, so a store (1 cycle) right
    # behind a segment load waits almost as long as the load, and arithmetic behind it too
    stores = [op for op in order if op.name in STORES]
    for s in range(len(groups) + 1):
        in_slot = [op for op in order if slot[op] == s]
        for op in [o for o in in_slot if o not in stores] + [o for o in in_slot if o in stores]:
            op.move_before(terminator)


@dataclass(frozen=True)
class PipelineSegmentLoads(ModulePass):
    """Innermost loops of two segment loads or more (see `pipelinable`) -> unrolled by
    `unroll` (when their trip count allows two iterations after it), the first segment load
    of each iteration issued in the one before, and the body reordered so that each segment
    load comes one load ahead of its uses (`schedule`): the load unit streams while the
    arithmetic of the previous load waits for its register group.

    bench/sw_rvv.py (VLEN 128, with sw-hoist-segment-addresses): maxpool 3,338 -> 2,981
    modelled cycles (1.63x -> 1.46x its bound), maxpool_64 13,578 -> 11,835 (1.66x ->
    1.44x). Under the model's in-order write-back only one max fits between two segment
    loads for free, so three maxes and a store per two loads leave 1.34x the bound at best.
    """

    name = "sw-pipeline-segment-loads"
    build = "mlir"
    unroll: int = 2

    def apply(self, module: Any) -> None:
        for func in ops_named(module.operation, "func.func"):
            for loop in innermost_loops(func):
                if not pipelinable(loop):
                    continue
                trips = trip_count(loop)
                if self.unroll > 1 and trips % self.unroll == 0 and trips >= 2 * self.unroll:
                    unroll(loop, self.unroll)
                loop = rotate(loop, segment_groups(loop.regions[0].blocks[0])[0])
                schedule(loop.regions[0].blocks[0])
