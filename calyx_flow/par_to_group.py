"""calyx-par-to-group: a `calyx.par` of group enables becomes one group, so the FSM flow keeps it parallel.

lower-calyx-to-fsm rejects `calyx.par`; `calyx-serialize-par` makes it a seq and loses the
parallelism. Here `par { @A  @B }` becomes `@par_N`, a group that runs the assignments of
A and B at once (the product of their one-state FSMs). Each arm i has a 1-bit toggle
`par_N_done_i` and the group a 1-bit `par_N_phase`: arm i has finished in this run when
its toggle differs from the phase (or its done holds now, after the run's first cycle: a
done already high on entry is the previous step's), and then its assignments are gated
off, the go/done discipline of a group. The group is done when every arm has
finished, and the phase flips in that cycle, so the next run starts fresh with no extra
cycle. A par of one enable becomes that enable. Pars with other arms (seq, while, if) are
left alone for `calyx-serialize-par`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from calyx_flow.calyx_ir import (
    body_ops,
    child,
    components,
    constant,
    create,
    enable,
    group_ref,
    new_block,
    unique_name,
)
from calyx_flow.fast_done import EARLY
from calyx_flow.group_access import erase_unused_groups, groups_by_name
from calyx_flow.schedule import CYCLES, group_duration, pipe_go_ports
from unified.core import mlir
from unified.core.mlir import ops_named
from unified.core.passes import ModulePass

_I1_REGISTER = 6  # in, write_en, clk, reset, out, done


@dataclass(frozen=True)
class ParToGroup(ModulePass):
    """Turns every `calyx.par` whose arms are all group enables into one merged group."""

    name: ClassVar[str] = "calyx-par-to-group"
    build: ClassVar[str] = "pycde"

    def apply(self, module: Any) -> None:
        for component in components(module):
            pars = ops_named(child(component, "calyx.control"), "calyx.par")
            for par in reversed(pars):  # inner pars first: they become enables for outer ones
                arms = body_ops(par)
                if len(arms) == 1:
                    arms[0].move_before(par)
                    par.erase()
                elif arms and all(a.name == "calyx.enable" for a in arms):
                    merged = merge_groups(component, [group_ref(a) for a in arms])
                    enable(merged, before=par, loc=par.location)
                    par.erase()
            erase_unused_groups(component)


def merge_groups(component: Any, names: list[str]) -> str:
    """Adds a group to `component` running groups `names` in parallel; returns its name."""
    ir = mlir.ir
    i1 = ir.IntegerType.get_signless(1)
    wires = child(component, "calyx.wires")
    groups = groups_by_name(component)
    merged_name = unique_name(component, "par")
    group = create("calyx.group", attributes={"sym_name": ir.StringAttr.get(merged_name)},
                   regions=1, block=wires.regions[0].blocks[0])
    body = new_block(group)
    true = constant(1, 1, before=wires)

    def comb(name: str, *operands: Any) -> Any:  # in wires: visible to the group and outside
        return create(name, results=[i1], operands=list(operands), before=group).results[0]

    def register(suffix: str) -> Any:
        name = unique_name(component, f"{merged_name}_{suffix}")
        return create("calyx.register", results=[i1] * _I1_REGISTER, before=wires,
                      attributes={"sym_name": ir.StringAttr.get(name)})

    pipes = pipe_go_ports(component)
    cycles = max(group_duration(groups[name], pipes) for name in names)
    group.attributes[CYCLES] = ir.IntegerAttr.get(ir.IntegerType.get_signless(32), cycles)
    phase = register("phase")
    arms = []
    fast = [EARLY in groups[name].attributes for name in names]
    for i, name in enumerate(names):
        assigns, done = _copy_body(groups[name], group, comb)
        arms.append((register(f"done{i}"), assigns, done))

    # A done that is high in the run's first cycle is the previous step's (a memory or
    # register written right before keeps its done high one more cycle): no arm that waits
    # for a done can finish in its first cycle, so until `started` its done does not count.
    if not all(fast):
        seen = register("seen")
        started = comb("comb.xor", seen.results[4], phase.results[4])
        _toggle(seen, comb("comb.xor", started, true), true, comb, body)
        arms = [(toggle, assigns, done if at_once else comb("comb.and", done, started))
                for (toggle, assigns, done), at_once in zip(arms, fast)]
    # Arm i has finished in this run when its toggle differs from the phase, or now.
    latched = [comb("comb.xor", toggle.results[4], phase.results[4]) for toggle, _, _ in arms]
    finished = [comb("comb.or", lat, done) for lat, (_, _, done) in zip(latched, arms)]
    all_done = finished[0]
    for f in finished[1:]:
        all_done = comb("comb.and", all_done, f)
    driven: list[Any] = []  # the assignments made, one per (dest, src)
    for (toggle, assigns, done), lat, f, at_once in zip(arms, latched, finished, fast):
        # an arm done early (calyx-fast-done) acts in the cycle its done rises, then stops
        active = comb("comb.xor", lat if at_once else f, true)
        for dest, src, guard in assigns:
            guard = active if guard is None else comb("comb.and", guard, active)
            # arms that drive a shared combinational cell alike (group_access) drive it once
            same = next((a for a in driven if a.operands[0] == dest and a.operands[1] == src),
                        None)
            if same is None:
                driven.append(create("calyx.assign", operands=[dest, src, guard], block=body))
            else:
                same.operands[2] = comb("comb.or", same.operands[2], guard)
        _toggle(toggle, comb("comb.and", done, comb("comb.xor", lat, true)), true, comb, body)
    _toggle(phase, all_done, true, comb, body)
    create("calyx.group_done", operands=[true, all_done], block=body)
    return merged_name


def _toggle(reg: Any, when: Any, true: Any, comb: Any, body: Any) -> None:
    """Assignments in `body` flipping 1-bit register `reg` in the cycles `when` holds.

    Sources must be ports or constants, so the new value sits in a guard (undriven is 0).
    Each register flips at most once per run of the group: a CIRCT register ignores a
    write in the cycle right after another write, so a set-then-clear latch would stick.
    """
    create("calyx.assign", operands=[reg.results[0], true, comb("comb.xor", reg.results[4], true)],
           block=body)
    create("calyx.assign", operands=[reg.results[1], true, when], block=body)


def _copy_body(group: Any, before: Any, comb: Any) -> tuple[list[tuple[Any, Any, Any]], Any]:
    """Clones `group`'s helper ops before op `before`; returns its (dest, src, guard) assigns and done."""
    mapping: dict[Any, Any] = {}

    def mapped(value: Any) -> Any:
        return mapping.get(value, value)

    assigns: list[tuple[Any, Any, Any]] = []
    done = None
    ip = mlir.ir.InsertionPoint(before)
    for op in group.regions[0].blocks[0].operations:
        op = op.operation
        operands = list(op.operands)
        if op.name == "calyx.assign":
            guard = mapped(operands[2]) if len(operands) > 2 else None
            assigns.append((operands[0], mapped(operands[1]), guard))
        elif op.name == "calyx.group_done":
            done = mapped(operands[0])
            if len(operands) > 1:
                done = comb("comb.and", mapped(operands[1]), done)
        else:  # comb ops computing guards or values inside the group
            clone = op.clone(ip=ip)
            for old in operands:
                if old in mapping:
                    clone.operation.replace_uses_of_with(old, mapping[old])
            for old, new in zip(op.results, clone.results):
                mapping[old] = new
    if done is None:
        raise ValueError(f"group {group.attributes['sym_name']} has no calyx.group_done")
    return assigns, done
