"""calyx-par-compact: packs independent consecutive group enables of a `calyx.seq` into `calyx.par`.

SCFToCalyx runs every group one after the other. Two groups that touch disjoint units
(cells, memories; see `group_access`) can run at once: each run of enables in a seq is list
scheduled as soon as possible, keeping the order of every pair that conflicts, and each
step with more than one group becomes a `calyx.par`. Together with `calyx-par-to-group`
(which turns such pars into single groups the FSM flow accepts) this is operation-level
parallelism: loads from different memories, the loop latch beside independent work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from calyx_flow.calyx_ir import child, components, group_ref, walk
from calyx_flow.group_access import Access, component_units, group_access, groups_by_name
from calyx_flow.static_loops import STATIC
from unified.core import mlir
from unified.core.passes import ModulePass


@dataclass(frozen=True)
class ParCompact(ModulePass):
    """Groups independent consecutive `calyx.enable`s of every `calyx.seq` into `calyx.par`s."""

    name: ClassVar[str] = "calyx-par-compact"
    build: ClassVar[str] = "pycde"
    max_width: int = 0  # most groups in one par (0: no limit)

    def apply(self, module: Any) -> None:
        for component in components(module):
            ports = component_units(component)
            groups = groups_by_name(component)
            accesses = {name: group_access(g, ports) for name, g in groups.items()}
            control = child(component, "calyx.control")
            static = {name for name, g in groups.items() if STATIC in g.attributes}
            for seq in _seqs(control):
                for run in _enable_runs(seq, static):
                    self._compact(run, accesses)

    def _compact(self, run: list[Any], accesses: dict[str, Access]) -> None:
        steps = schedule_asap([accesses[group_ref(e)] for e in run], self.max_width)
        if len(steps) == len(run):
            return
        ir = mlir.ir
        block = run[-1].block
        follower = _next_op(run[-1])
        loc = run[0].location
        for op in run:
            op.detach_from_parent()
        where = ir.InsertionPoint(follower) if follower is not None else ir.InsertionPoint(block)
        for step in steps:
            if len(step) == 1:
                where.insert(run[step[0]])
                continue
            par = ir.Operation.create("calyx.par", regions=1, loc=loc, ip=where)
            body = ir.Block.create_at_start(par.regions[0], [])
            for index in step:
                body.append(run[index])


def schedule_asap(accesses: list[Access], max_width: int = 0) -> list[list[int]]:
    """ASAP steps for groups run in order: each goes one step after its last conflict.

    Returns the steps as lists of indices into `accesses`, in program order.
    """
    steps: list[list[int]] = []
    for i, acc in enumerate(accesses):
        earliest = 0
        for s, step in enumerate(steps):
            if any(acc.conflicts(accesses[j]) for j in step):
                earliest = s + 1
        while earliest < len(steps) and max_width and len(steps[earliest]) >= max_width:
            earliest += 1
        if earliest == len(steps):
            steps.append([])
        steps[earliest].append(i)
    return steps


def _seqs(op: Any) -> list[Any]:
    return [inner for inner in walk(op) if inner.name == "calyx.seq"]


def _enable_runs(seq: Any, barriers: set[str] = frozenset()) -> list[list[Any]]:
    """Maximal runs (length >= 2) of consecutive calyx.enable ops directly in `seq`; an
    enable of a group in `barriers` (a static loop: it lasts its trips) ends a run."""
    runs: list[list[Any]] = [[]]
    for inner in seq.regions[0].blocks[0].operations:
        inner = inner.operation
        if inner.name == "calyx.enable" and group_ref(inner) not in barriers:
            runs[-1].append(inner)
        elif runs[-1]:
            runs.append([])
    return [r for r in runs if len(r) >= 2]


def _next_op(op: Any) -> Any | None:
    """The operation right after `op` in its block, or None when `op` is last."""
    found = False
    for inner in op.block.operations:
        if found:
            return inner.operation
        found = inner.operation == op
    return None
