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
        loops = [loop for loop in mlir.ops_named(module.operation, "scf.for")
                 if pipelinable(loop, self.min_trips, self.max_stages)]
        body = _PIPELINE.replace("LATENCY", str(self.read_latency))
        for loop in loops:  # one at a time: a loop the pipeliner declines stays as it was
            apply_to(module, loop, body)


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
    if not 2 <= stages(loop) <= min(max_stages, trips - 1):
        return False
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
