"""hls-pipeline-loops: innermost loops software-pipelined on a static schedule.

Runs on scf IR (after lower-affine, before scf-for-to-while). Each innermost `scf.for`
with constant bounds, a straight-line body and at least `min_trips` iterations is
scheduled statically: every operation gets a cycle after its operands (loads take
`read_latency`, every other operation one), stage = cycle / II with II = 1, and the loop
becomes prologue, kernel and epilogue, where one kernel iteration runs the loads of
iteration i + S-1 beside the arithmetic of i + 1 ... and the stores of iteration i, the
values between stages carried as iteration arguments (upstream MLIR's
`transform.loop.pipeline`, run through the transform interpreter). The FSM flow then
puts the now independent work of one kernel iteration into one merged group.

Where that schedule has more stages than the pass allows (each boundary is a register per
value) or than the loop has iterations, as for a multiply-add reduction unrolled by 8, the
loop is split in two stages of our own instead (`loads_ahead`): the loads of iteration i + 1
beside all the arithmetic of iteration i. Either way every word read lands in a register
before it is used, which `calyx-static-loops` needs to run the loop one iteration a cycle.

A loop is left alone when a memory it stores to is also read in it, unless every access
of that memory uses one and the same indices that include the loop's induction variable
and the reads come before the writes: then iteration i only reads what iteration i
writes, and the schedule keeps a value's read before its write.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from hls.transform import apply_to
from hls.trip_counts import constant_value
from unified.core import mlir
from unified.core.passes import ModulePass

_STRAIGHT_LINE = ("memref.load", "memref.store", "scf.yield")
_PIPELINE = """%for = transform.cast %op : !transform.any_op to !transform.op<"scf.for">
    %done = transform.loop.pipeline %for {iteration_interval = 1 : i64,
        read_latency = LATENCY : i64} : (!transform.op<"scf.for">) -> !transform.any_op"""


@dataclass(frozen=True)
class PipelineLoops(ModulePass):
    """Software-pipelines every innermost scf.for that `pipelinable` accepts."""

    name: ClassVar[str] = "hls-pipeline-loops"
    build: ClassVar[str] = "mlir"
    min_trips: int = 4
    max_stages: int = 4
    read_latency: int = 1

    def apply(self, module: Any) -> None:
        loops = mlir.ops_named(module.operation, "scf.for")
        body = _PIPELINE.replace("LATENCY", str(self.read_latency))
        for loop in loops:  # one at a time: a loop the pipeliner declines stays as it was
            if pipelinable(loop, self.min_trips, self.max_stages):
                apply_to(module, loop, body)
            elif pipelinable(loop, self.min_trips, max_stages=0):
                loads_ahead(loop)


def loads_ahead(loop: Any) -> bool:
    """Two stages: the loads of iteration i + 1 (with their address arithmetic) beside the
    rest of iteration i, the loaded words carried as iteration arguments; a prologue loads
    iteration 0's words, and the last iteration loads its own again (harmless: reads).
    Three when the loaded words only feed multipliers whose products are only summed into
    the iteration arguments (a multiply-add reduction): loads of i + 2, products of i + 1,
    sums of i, with one more iteration in front that sums zero products instead of a
    prologue copy of the multipliers.

    For a body whose chain is longer than upstream's schedule may have (a multiply-add
    reduction unrolled by 8 has ten stages there, more than its trips): each word read goes
    straight into a register, and all the arithmetic after it shares the next cycle. False
    (the loop untouched) when a load's address depends on a load or an iteration argument,
    or when a memory is read twice, or read and written, in one iteration: one port cannot
    serve both in one cycle, so the split would buy registers and no cycles.
    """
    ir = mlir.ir
    scf, arith = mlir.dialect("scf"), mlir.dialect("arith")
    block = loop.regions[0].blocks[0]
    iv, carried = block.arguments[0], list(block.arguments)[1:]
    ops = [op.operation for op in block.operations]
    ops, yielded = ops[:-1], list(ops[-1].operands)
    loads = [op for op in ops if op.name == "memref.load"]
    memories = [_memory(op) for op in loads]
    stored = [_memory(op) for op in ops if op.name == "memref.store"]
    if any(m in stored for m in memories) or len(set(memories)) < len(memories):
        return False  # two words of one memory a cycle: no one-cycle body to gain, only area
    ahead = _address_slices(loads, ops, iv)
    if ahead is None:
        return False
    rest = [op for op in ops if op.name != "memref.load"]
    # (the loads' address arithmetic, y + ky, is not part of what the sums are checked for)
    products = _products(loads, [op for op in rest if op not in ahead], ops, carried, yielded)
    rest = [op for op in rest if op not in products]
    lower, _, step = [constant_value(v) for v in list(loop.operands)[:3]]
    last_iv = lower + (trip_count(loop) - 1) * step
    words = [op.results[0] for op in loads]
    made = [op.results[0] for op in products]
    with loop.location:
        before = ir.InsertionPoint(loop)
        last = arith.ConstantOp(ir.IndexType.get(), last_iv, ip=before).result
        # prologue: iteration 0's words; the loads run a register ahead: the index of the
        # iteration they read travels as one more iteration argument (the next one is
        # computed beside, so the block RAM's address comes from a register, not through
        # an adder and a clamp in the half cycle before the falling edge), and the last
        # iterations read their own words again instead of past the end, so there is no
        # epilogue (a second copy of all the arithmetic)
        first = _clone_all(ahead, {iv: loop.operands[0]}, before)
        inits = [first[w] for w in words]
        start = loop.operands[0]
        if products:  # one more iteration in front, whose sums add zero products: no copy
            zero = [arith.ConstantOp(m.type, 0, ip=before).result for m in made]
            inits = zero + inits  # of the multipliers in a prologue
            start = arith.ConstantOp(ir.IndexType.get(), lower - step, ip=before).result
        index = ir.IndexType.get()
        reading = arith.ConstantOp(index, min(lower + step, last_iv), ip=before).result
        new = scf.ForOp(start, loop.operands[1], loop.operands[2],
                        [*loop.operands[3:], *inits, reading], ip=before)
        body = new.regions[0].blocks[0]
        inside = ir.InsertionPoint(body)
        args = list(body.arguments)
        now = {iv: args[0], **dict(zip(carried, args[1:1 + len(carried)]))}
        tail, reading = args[1 + len(carried):-1], args[-1]
        later = _clone_all(ahead, {iv: reading}, inside)
        following = arith.AddIOp(reading, loop.operands[2], ip=inside).result
        following = arith.MinSIOp(following, last, ip=inside).result
        if products:  # (the front iteration multiplies iteration 0's words, loads 1's)
            now.update(zip(made, tail[:len(made)]))
            next_made = _clone_all(products, dict(zip(words, tail[len(made):])), inside)
            carry_out = [next_made[m] for m in made] + [later[w] for w in words]
        else:
            now.update(zip(words, tail))
            carry_out = [later[w] for w in words]
        now = _clone_all(rest, now, inside)
        scf.YieldOp([*[now.get(v, v) for v in yielded], *carry_out, following], ip=inside)
        for old, value in zip(loop.results, list(new.results)[:len(carried)]):
            old.replace_all_uses_with(value)
    loop.erase()
    return True


def _products(loads: list[Any], rest: list[Any], ops: list[Any], carried: list[Any],
              yielded: list[Any]) -> list[Any]:
    """The multiplications of loaded words (or of a loaded word and a loop invariant) when
    they are the loaded words' only users and the rest of the body only sums them into the
    iteration arguments: a third stage between the loads and the rest, so that a multiplier
    sits between registers, not before an adder chain. Else none."""
    inside = {r for op in ops for r in op.results}
    loaded = {op.results[0] for op in loads}
    products = [op for op in rest if op.name == "arith.muli"
                and any(v in loaded for v in op.operands)
                and all(v in loaded or v not in inside for v in op.operands)]
    made = {op.results[0] for op in products}
    if not products or not _sums_of(rest, made, carried, yielded):
        return []
    for load in loads:
        users = [getattr(use.owner, "operation", use.owner) for use in load.results[0].uses]
        if not all(any(r in made for r in user.results) for user in users):
            return []
    return products

def _sums_of(rest: list[Any], made: set[Any], carried: list[Any], yielded: list[Any]) -> bool:
    """Whether `rest` (what is left of the body besides the products) only adds: with every
    product zero, each yielded value is its own iteration argument again (a reduction),
    so an iteration fed zero products changes nothing."""
    from collections import Counter
    value: dict[Any, Counter] = {m: Counter() for m in made}
    value.update({c: Counter([k]) for k, c in enumerate(carried)})
    for op in [op for op in rest if not any(r in made for r in op.results)]:
        if op.name != "arith.addi" or any(v not in value for v in op.operands):
            return False
        value[op.results[0]] = value[op.operands[0]] + value[op.operands[1]]
    return all(v in value and value[v] == Counter([k]) for k, v in enumerate(yielded))


def _address_slices(loads: list[Any], ops: list[Any], iv: Any) -> list[Any] | None:
    """The loads and the body's operations their indices are computed by, in body order;
    None when an index depends on a load or an iteration argument."""
    ir = mlir.ir
    body_results = {r: op for op in ops for r in op.results}
    needed: list[Any] = []

    def need(value: Any) -> bool:
        if value == iv:
            return True
        if isinstance(value.owner, ir.Block):
            return value.owner != iv.owner  # an outer value, not an iteration argument
        op = body_results.get(value)
        if op is None:
            return True  # defined outside the loop
        if op.name == "memref.load":
            return False
        if op not in needed:
            needed.append(op)
        return all(need(v) for v in op.operands)

    for load in loads:
        if not all(need(v) for v in list(load.operands)[1:]):
            return None
        needed.append(load)
    return [op for op in ops if op in needed]


def _clone_all(ops: list[Any], mapping: dict[Any, Any], ip: Any) -> dict[Any, Any]:
    """Clones `ops` in order at `ip`, operands read through `mapping`; returns the mapping
    extended with each clone's results."""
    mapping = dict(mapping)
    for op in ops:
        clone = op.clone(ip=ip)
        for i, operand in enumerate(list(clone.operands)):
            if operand in mapping:
                clone.operands[i] = mapping[operand]
        for old, new in zip(op.results, clone.results):
            mapping[old] = new
    return mapping


def trip_count(loop: Any) -> int | None:
    """Iterations of `loop` (an scf.for) when its bounds and step are constants."""
    bounds = [constant_value(v) for v in list(loop.operands)[:3]]
    if None in bounds or bounds[2] <= 0:
        return None
    lower, upper, step = bounds
    return max(0, -(-(upper - lower) // step))


def stages(loop: Any) -> int:
    """How many stages the static schedule gives `loop`'s body (one per chained operation)."""
    cycle: dict[Any, int] = {}
    for op in loop.regions[0].blocks[0].operations:
        op = op.operation
        inside = [cycle[v.owner] + 1 for v in op.operands
                  if not isinstance(v.owner, mlir.ir.Block) and v.owner in cycle]
        cycle[op] = max(inside, default=0)
    return 1 + max(cycle.values(), default=0)


def pipelinable(loop: Any, min_trips: int = 4, max_stages: int = 4) -> bool:
    """Whether `loop` is innermost, straight-line, long enough and free of memory hazards.

    The schedule must have 2..`max_stages` stages (each boundary is a register per value
    crossing it) and fewer than the loop's iterations.
    """
    trips = trip_count(loop)
    if trips is None or trips < min_trips:
        return False
    body = [op.operation for op in loop.regions[0].blocks[0].operations]
    if any(op.regions and len(op.regions) for op in body):
        return False  # a nested loop or an if: not a straight line
    if not all(op.name in _STRAIGHT_LINE or op.name.startswith("arith.") for op in body):
        return False
    if not any(op.name == "memref.load" for op in body):
        return False
    if max_stages and not 2 <= stages(loop) <= min(max_stages, trips - 1):
        return False  # (max_stages 0: any schedule, for `loads_ahead`)
    iv = loop.regions[0].blocks[0].arguments[0]
    stored = {_memory(op) for op in body if op.name == "memref.store"}
    for memory in stored:
        accesses = [op for op in body
                    if op.name in ("memref.load", "memref.store") and _memory(op) == memory]
        if not _private_per_iteration(accesses, iv):
            return False
    return True


def _private_per_iteration(accesses: list[Any], iv: Any) -> bool:
    """Every access uses the same indices, the iv among them, and no read follows a write."""
    indices = [tuple(_indices(op)) for op in accesses]
    if len(set(indices)) != 1 or iv not in indices[0]:
        return False
    seen_store = False
    for op in accesses:
        if op.name == "memref.store":
            seen_store = True
        elif seen_store:
            return False
    return True


def _memory(op: Any) -> Any:
    return op.operands[1] if op.name == "memref.store" else op.operands[0]


def _indices(op: Any) -> list[Any]:
    return list(op.operands)[2:] if op.name == "memref.store" else list(op.operands)[1:]
