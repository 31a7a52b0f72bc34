"""calyx-par-to-group: a `calyx.par` of group enables becomes one group, so the FSM flow keeps it parallel.

lower-calyx-to-fsm rejects `calyx.par`; `calyx-serialize-par` makes it a seq and loses the
parallelism. Here `par { @A  @B }` becomes `@par_N`, a group that runs the assignments of
A and B at once (the product of their one-state FSMs). Each arm i gets a 1-bit register
`par_N_done_i` that latches the arm's done, so an arm that finishes early stops (its
assignments are guarded by `!(done_i | latched_i)`, the go/done discipline of a group)
while the others go on; the group is done when every arm is done or latched, and in that
cycle all latches clear, so the next run starts fresh with no extra cycle. A par of one
enable becomes that enable. Pars with other arms (seq, while, if) are left alone for
`calyx-serialize-par`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from calyx_flow.calyx_ir import (
    child,
    components,
    constant,
    create,
    enable,
    group_ref,
    new_block,
    unique_name,
    walk,
)
from calyx_flow.group_access import groups_by_name
from unified import mlir
from unified.passes import ModulePass

_I1_REGISTER = 6  # in, write_en, clk, reset, out, done


@dataclass(frozen=True)
class ParToGroup(ModulePass):
    """Turns every `calyx.par` whose arms are all group enables into one merged group."""

    name: ClassVar[str] = "calyx-par-to-group"
    build: ClassVar[str] = "pycde"

    def apply(self, module: Any) -> None:
        for component in components(module):
            pars = [op for op in walk(child(component, "calyx.control")) if op.name == "calyx.par"]
            for par in reversed(pars):  # inner pars first: they become enables for outer ones
                arms = [op.operation for op in par.regions[0].blocks[0].operations]
                if len(arms) == 1:
                    arms[0].move_before(par)
                    par.erase()
                elif arms and all(a.name == "calyx.enable" for a in arms):
                    merged = merge_groups(component, [group_ref(a) for a in arms])
                    enable(merged, before=par, loc=par.location)
                    par.erase()
            _erase_unused_groups(component)


def _erase_unused_groups(component: Any) -> None:
    """Erases groups no control op names any more (the verifier rejects unused groups)."""
    used = {group_ref(op) for op in walk(child(component, "calyx.control"))}
    for name, group in groups_by_name(component).items():
        if name not in used:
            group.erase()


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

    def comb(name: str, *operands: Any) -> Any:
        return create(name, results=[i1], operands=list(operands), block=body).results[0]

    arms = []
    for i, name in enumerate(names):
        latch = create("calyx.register", results=[i1] * _I1_REGISTER, before=wires,
                       attributes={"sym_name": ir.StringAttr.get(
                           unique_name(component, f"{merged_name}_done{i}"))})
        assigns, done = _copy_body(groups[name], body, comb)
        arms.append((latch, assigns, done))

    finished = [comb("comb.or", latch.results[4], done) for latch, _, done in arms]
    all_done = finished[0]
    for f in finished[1:]:
        all_done = comb("comb.and", all_done, f)
    not_all_done = comb("comb.xor", all_done, true)
    for (latch, assigns, done), f in zip(arms, finished):
        active = comb("comb.xor", f, true)  # neither done now nor latched earlier
        for dest, src, guard in assigns:
            guard = active if guard is None else comb("comb.and", guard, active)
            create("calyx.assign", operands=[dest, src, guard], block=body)
        # Sources must be ports or constants: computed values go in guards (undriven is 0).
        create("calyx.assign", operands=[latch.results[0], true, not_all_done], block=body)
        write = comb("comb.or", done, all_done)
        create("calyx.assign", operands=[latch.results[1], true, write], block=body)
    create("calyx.group_done", operands=[true, all_done], block=body)
    return merged_name


def _copy_body(group: Any, body: Any, comb: Any) -> tuple[list[tuple[Any, Any, Any]], Any]:
    """Clones `group`'s helper ops into `body`; returns its (dest, src, guard) assigns and done."""
    mapping: dict[Any, Any] = {}

    def mapped(value: Any) -> Any:
        return mapping.get(value, value)

    assigns: list[tuple[Any, Any, Any]] = []
    done = None
    ip = mlir.ir.InsertionPoint(body)
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
