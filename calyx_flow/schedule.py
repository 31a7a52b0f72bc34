"""Cycle estimate of a Calyx component under the FSM flow (lower-calyx-to-fsm's schedule).

Every FSM state lasts one cycle, a group's state lasts until the group is done: a group
finished by a register or memory `done` takes two cycles, one finished through a pipelined
unit its latency more. A `calyx.while` costs a header state per test and an entry state per
iteration; the trip counts come from the scf level (`hls.trip_counts`), in pre-order.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from calyx_flow.calyx_ir import child, component_ports, components, group_ref, symbol, walk
from calyx_flow.float_to_bits import float_kind
from calyx_flow.float_units.units import latency as float_latency
from unified.core import mlir

# Cycles from `go` to `done` of the pipelined units (CIRCT's lower-calyx-to-hw models;
# a float unit's placeholder: `pipe_latency`).
# Measured in Verilator: a group that starts a pipe lasts one cycle more than a register's.
PIPE_LATENCY = {"calyx.std_mult_pipe": 1, "calyx.std_divu_pipe": 1, "calyx.std_divs_pipe": 1,
                "calyx.std_remu_pipe": 1, "calyx.std_rems_pipe": 1}
PIPE_GO = 2  # result index of the go port of every pipe (clk, reset, go, left, right, ...)
STATIC_LOOP = "unified.static_loop"  # calyx_flow.static_loops.STATIC: trips + 1 cycles
CYCLES = "unified.cycles"  # on a merged group: how long it lasts (its slowest arm)


@dataclass(frozen=True)
class LoopTiming:
    """One loop of the schedule: its source line, trip count and initiation interval (the
    cycles from the start of one iteration to the start of the next: body + entry state)."""

    line: int
    trips: int | None
    interval: int | None


def schedule(module: Any, top: str, trips: list[int | None]
             ) -> tuple[int | None, list[LoopTiming]]:
    """Cycles from go to done of @top (None when a trip count is unknown) and, per
    `calyx.while` in pre-order, its timing."""
    timings: list[LoopTiming] = []
    component = next(c for c in components(module) if symbol(c) == top)
    durations = _group_durations(component)
    static = {symbol(g) for g in walk(child(component, "calyx.wires"))
              if g.name == "calyx.group" and STATIC_LOOP in g.attributes}
    memory_done = _memory_done(component)
    loops = iter(trips)
    control = child(component, "calyx.control")

    def cost(op: Any) -> int | None:
        kids = [o.operation for r in op.regions for b in r.blocks for o in b.operations]
        if op.name == "calyx.enable" and group_ref(op) in static:  # calyx-static-loops
            n = next(loops, None)
            timings.append(LoopTiming(mlir.location_of(op.location)[1], n, 1))
            return None if n is None else n + 1
        if op.name == "calyx.enable":
            return durations.get(group_ref(op) or "")
        if op.name == "calyx.while":
            n = next(loops, None)
            at = len(timings)
            timings.append(LoopTiming(mlir.location_of(op.location)[1], n, None))
            body = _total(cost(k) for k in kids)
            timings[at] = LoopTiming(timings[at].line, n, None if body is None else body + 1)
            return None if n is None or body is None else (n + 1) + n * body
        if op.name == "calyx.if":
            arms = [_total(cost(k) for k in [o.operation for o in r.blocks[0].operations])
                    if len(r.blocks) else 0 for r in op.regions]
            return None if None in arms else 1 + max(arms)
        inner = _total(cost(k) for k in kids)
        if inner is None:
            return None
        # A write right after a write to the same memory sees the first one's `done` still
        # high: its group ends after one cycle (the write lands on that edge all the same).
        ports = [memory_done.get(group_ref(k) or "") if k.name == "calyx.enable" else None
                 for k in kids]
        back_to_back = sum(1 for a, b in pairwise(ports)
                           if a is not None and b is not None and a == b)
        return (1 if op.name in ("calyx.seq", "calyx.par") else 0) + inner - back_to_back

    return cost(control), timings


def _total(values: Any) -> int | None:
    out = 0
    for v in values:
        if v is None:
            return None
        out += v
    return out


def _group_durations(component: Any) -> dict[str, int]:
    """Cycles each group of `component` lasts (`group_duration`)."""
    pipes = pipe_go_ports(component)
    return {symbol(group): group_duration(group, pipes)
            for group in walk(child(component, "calyx.wires")) if group.name == "calyx.group"}


def pipe_go_ports(component: Any) -> dict[Any, int]:
    """The `go` port of each pipelined unit of `component`, to its latency."""
    return {op.operation.results[PIPE_GO]: pipe_latency(op.operation)
            for op in component.regions[0].blocks[0].operations
            if op.operation.name in PIPE_LATENCY}


def pipe_latency(cell: Any) -> int:
    """Cycles from `go` to `done` of a pipelined cell: the float unit's when float-to-bits
    named the cell after one (bind-float-units puts that unit there), else the primitive's."""
    kind = float_kind(cell.location)
    return float_latency(kind) if kind is not None else PIPE_LATENCY[cell.name]


def group_duration(group: Any, pipes: dict[Any, int]) -> int:
    """Cycles a group lasts: what calyx-fast-done (1) or calyx-par-to-group (its slowest
    arm) recorded (`CYCLES`), else 2 plus the latency of a pipe it starts."""
    if CYCLES in group.attributes:
        return mlir.ir.IntegerAttr(group.attributes[CYCLES]).value
    waits = {pipes[a.operands[0]] for a in walk(group)
             if a.name == "calyx.assign" and a.operands[0] in pipes}
    return 2 + max(waits, default=0)


def _memory_done(component: Any) -> dict[str, Any]:
    """Group -> the ext_mem `done` port it finishes on, for groups that write a memory."""
    ir = mlir.ir
    ports = {value for _, value, attrs in component_ports(component)
             if "mem" in attrs and ir.StringAttr(ir.DictAttr(attrs["mem"])["tag"]).value == "done"}
    out = {}
    for group in walk(child(component, "calyx.wires")):
        if group.name == "calyx.group":
            done = [op.operands[0] for op in walk(group) if op.name == "calyx.group_done"]
            if done and done[0] in ports:
                out[symbol(group)] = done[0]
    return out
