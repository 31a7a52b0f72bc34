"""Comb groups of calyx.while / calyx.if become a group that latches the condition in a register.

`while %c with @cg { B }` becomes `seq { @cg_cond; while %r.out { seq { B; @cg_cond } } }`
and `if %c with @cg {T} else {E}` becomes `seq { @cg_cond; if %r.out {T} else {E} }`,
where group @cg_cond runs @cg's assignments and writes %c into the 1-bit register %r
(CIRCT's calyx-remove-comb-groups, which the wheels lack). One cycle per evaluation.
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
    symbol,
    unique_name,
    walk,
)
from calyx_flow.serialize_par import move_children
from unified.core import mlir
from unified.core.passes import ModulePass

REGISTER_PORTS = 6  # in, write_en, clk, reset, out, done


@dataclass(frozen=True)
class RemoveCombGroups(ModulePass):
    """Replaces every `with @comb_group` condition by a register written by a sequential group."""

    name: ClassVar[str] = "remove-comb-groups"
    build: ClassVar[str] = "pycde"

    def apply(self, module: Any) -> None:
        for component in components(module):
            _rewrite_component(component)


def _rewrite_component(component: Any) -> None:
    wires = child(component, "calyx.wires")
    comb = {symbol(op.operation): op.operation for op in wires.regions[0].blocks[0].operations
            if op.operation.name == "calyx.comb_group"}
    users = [op for op in walk(component)
             if op.name in ("calyx.while", "calyx.if") and group_ref(op) in comb]
    if not users:
        return
    latched: dict[tuple[str, Any], tuple[str, Any]] = {}  # (comb group, cond) -> (group, reg out)
    for op in users:
        key = (group_ref(op), op.operands[0])
        if key not in latched:
            latched[key] = _latch_group(component, wires, comb[key[0]], op.operands[0])
        group, cond = latched[key]
        if op.name == "calyx.while":
            _rewrite_while(op, group, cond)
        else:
            _rewrite_if(op, group, cond)
    still_used = {group_ref(op) for op in walk(component)}
    for name, cg in comb.items():
        if name not in still_used:
            cg.erase()


def _latch_group(component: Any, wires: Any, comb_group: Any, cond: Any) -> tuple[str, Any]:
    """Creates register + group that evaluates `comb_group` and stores `cond`; returns (group, out)."""
    ir = mlir.ir
    i1 = ir.IntegerType.get_signless(1)
    base = symbol(comb_group)
    reg_name = unique_name(component, f"{base}_cond_reg")
    reg = create("calyx.register", results=[i1] * REGISTER_PORTS,
                 attributes={"sym_name": ir.StringAttr.get(reg_name)}, before=wires,
                 loc=comb_group.location)
    true = constant(1, 1, before=wires)
    group_name = unique_name(component, f"{base}_cond")
    group = create("calyx.group", attributes={"sym_name": ir.StringAttr.get(group_name)},
                   regions=1, before=comb_group, loc=comb_group.location)
    body = new_block(group)
    ip = ir.InsertionPoint(body)
    for assign in comb_group.regions[0].blocks[0].operations:
        ip.insert(assign.operation.clone())
    create("calyx.assign", operands=[reg.results[0], cond], block=body)
    create("calyx.assign", operands=[reg.results[1], true], block=body)
    create("calyx.group_done", operands=[reg.results[5]], block=body)
    return group_name, reg.results[4]


def _rewrite_while(op: Any, group: str, cond: Any) -> None:
    seq = create("calyx.seq", regions=1, before=op, loc=op.location)
    outer = new_block(seq)
    enable(group, block=outer, loc=op.location)
    loop = create("calyx.while", operands=[cond], regions=1, block=outer, loc=op.location)
    inner = create("calyx.seq", regions=1, block=new_block(loop), loc=op.location)
    inner_body = new_block(inner)
    move_children(op, inner_body)
    enable(group, block=inner_body, loc=op.location)
    op.erase()


def _rewrite_if(op: Any, group: str, cond: Any) -> None:
    seq = create("calyx.seq", regions=1, before=op, loc=op.location)
    outer = new_block(seq)
    enable(group, block=outer, loc=op.location)
    branch = create("calyx.if", operands=[cond], regions=2, block=outer, loc=op.location)
    for i in range(2):
        if len(op.regions[i].blocks):
            target = new_block(branch, i)
            ip = mlir.ir.InsertionPoint(target)
            for inner in list(op.regions[i].blocks[0].operations):
                inner = inner.operation
                inner.detach_from_parent()
                ip.insert(inner)
    op.erase()
