"""calyx-fast-done: a group that only writes registers or memories is done in its first cycle.

Under the FSM flow a group lasts until its `done`: a register's `done` rises the cycle after
the write, so a group that writes a register takes two cycles for one cycle of work. The
write lands on the clock edge at the end of the first cycle all the same, and whatever runs
next reads the new value. So a group whose every write is unconditional (`write_en = 1`)
to registers or external memories, with no pipelined unit and no other handshake, gets
`group_done 1`: one cycle. Likewise a group that starts a pipelined multiplier and writes
its result into a register when the multiplier is done ends on the multiplier's `done`
(the register's write lands on that edge): 1 + its latency cycles, not 2 + its latency.

Such groups are marked with how long they last (`unified.cycles`, for the schedule model)
and as done early (`unified.early_done`, for `calyx-par-to-group`, whose arms otherwise
stop in the cycle their done rises).

One exception: CIRCT's register ignores a write in the cycle right after a write to it
(`if (write_en & ~done) r <= in`). A group therefore stays as it is when a group that can
run in the very next or the very previous cycle writes one of its registers: its
neighbours in the same `calyx.seq` (a `calyx.par` neighbour counts with all its arms). Loop
headers and `calyx.if` tests are states of their own, so nothing else can be adjacent.
Only enabled groups are changed, not the condition groups of `while`/`if`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from calyx_flow.calyx_ir import (
    body_ops,
    cell_of,
    child,
    components,
    constant,
    constant_of,
    create,
    group_ref,
    symbol,
    walk,
)
from calyx_flow.group_access import groups_by_name
from calyx_flow.schedule import CYCLES, pipe_latency
from unified.core import mlir
from unified.core.passes import ModulePass

_REGISTER_WRITE_EN, _REGISTER_DONE = 1, 5
EARLY = "unified.early_done"  # done in the cycle its last write happens


@dataclass(frozen=True)
class FastDone(ModulePass):
    """Ends register/memory-writing groups in their first cycle, pipe-result groups on the
    pipe's done."""

    name: ClassVar[str] = "calyx-fast-done"
    build: ClassVar[str] = "pycde"

    def apply(self, module: Any) -> None:
        for component in components(module):
            groups = groups_by_name(component)
            control = child(component, "calyx.control")
            wires = child(component, "calyx.wires")
            neighbours = _neighbours(control, groups)
            true = None
            for name, group in groups.items():
                if name not in neighbours:
                    continue  # not enabled, or somewhere we cannot see its neighbours
                plain = simple_writes(group)
                piped = None if plain is not None else pipe_result(group)
                writes = plain if plain is not None else (piped[0] if piped else None)
                if writes is None or writes & neighbours[name]:
                    continue
                if plain is None:
                    _set_pipe_done(group, piped[1])
                    continue
                if true is None:
                    true = constant(1, 1, before=wires)
                _set_done(group, true)


def _neighbours(control: Any, groups: dict[str, Any]) -> dict[str, set[str]]:
    """For each group enabled only where its neighbours are known (a seq child, an arm of a
    par of enables in a seq, a while body), what the groups beside it write."""
    out: dict[str, set[str]] = {}
    unsafe: set[str] = set()
    writes = {name: registers_written(group) for name, group in groups.items()}
    for op in walk(control):
        if op.name != "calyx.enable":
            continue
        name = group_ref(op) or ""
        site = op
        parent = op.parent
        if parent.name == "calyx.par" and parent.parent.name == "calyx.seq" \
                and _enabled(parent) is not None:
            site, parent = parent, parent.parent
        if parent.name == "calyx.while":
            out.setdefault(name, set())
            continue
        if parent.name != "calyx.seq":
            unsafe.add(name)
            continue
        kids = body_ops(parent)
        at = next(i for i, k in enumerate(kids) if k == site)
        beside = out.setdefault(name, set())
        for j in (at - 1, at + 1):
            if 0 <= j < len(kids):
                for other in _adjacent_groups(kids[j]):
                    beside |= writes[other]
    return {k: v for k, v in out.items() if k not in unsafe}


def _adjacent_groups(op: Any) -> list[str]:
    """Groups of seq child `op` that may run right beside its neighbours: every group in
    it, except behind a `while`, whose test is a state of its own (an `if` arm's last
    group does run right before what follows the if)."""
    if op.name == "calyx.while":
        return []
    return [group_ref(k) or "" for k in [op, *walk(op)] if k.name == "calyx.enable"]


def _enabled(op: Any) -> list[str] | None:
    """The groups a seq child starts at once: an enable's, a par of enables' (else None)."""
    if op.name == "calyx.enable":
        return [group_ref(op) or ""]
    if op.name == "calyx.par" and all(k.name == "calyx.enable" for k in body_ops(op)):
        return [group_ref(k) or "" for k in body_ops(op)]
    return None


def _is_true(value: Any) -> bool:
    return constant_of(value) not in (None, 0)


def registers_written(group: Any) -> set[str]:
    """The registers `group` drives any input of, and the memories it writes (`mem:` + port):
    a memory write right after another sees the first one's `done`, which the schedule
    model counts only between groups that wait for it."""
    out = set()
    for op in group.regions[0].blocks[0].operations:
        op = op.operation
        if op.name == "calyx.assign":
            dest = op.operands[0]
            cell = cell_of(dest)
            if cell is not None and cell.name == "calyx.register":
                out.add(symbol(cell))
            elif cell is None and _port_tag(dest) == "write_en":
                out.add(f"mem:{_memory_id(dest)}")
    return out


def simple_writes(group: Any) -> set[str] | None:
    """The registers a group writes when all it does is write registers and memories with
    unconditional write enables and wait for their `done`s; None for any other group."""
    if group.name != "calyx.group":
        return None
    ops = [op.operation for op in group.regions[0].blocks[0].operations]
    dones = [op for op in ops if op.name == "calyx.group_done"]
    if len(dones) != 1:
        return None
    done = list(dones[0].operands)
    if len(done) == 2 and _is_true(done[0]):  # `group_done 1 ? guard`: the guard is done
        done = done[1:]
    if len(done) != 1:
        return None
    enables: list[bool] = []  # each write enable: driven with an unguarded 1?
    for op in ops:
        if op.name != "calyx.assign":
            continue
        dest = op.operands[0]
        cell = cell_of(dest)
        unconditional = len(op.operands) == 2 and _is_true(op.operands[1])
        if cell is None:  # a component port: an external memory
            if _port_tag(dest) == "write_en":
                enables.append(unconditional)
        elif cell.name == "calyx.register":
            if mlir.ir.OpResult(dest).result_number == _REGISTER_WRITE_EN:
                enables.append(unconditional)
        elif not cell.name.startswith("calyx.std_") or cell.name.endswith("_pipe"):
            return None  # a pipelined unit or an instance: it has its own latency
    registers = registers_written(group)
    if not enables or not all(enables) or not _done_of_writes(done[0], registers):
        return None
    return registers


def pipe_result(group: Any) -> tuple[set[str], Any] | None:
    """For a group that starts one pipelined unit and writes its result into a register
    when the unit is done (`r.write_en = p.done`, done when `r.done`), the registers and
    memories it writes and the unit's `done`; None for any other group."""
    if group.name != "calyx.group":
        return None
    ops = [op.operation for op in group.regions[0].blocks[0].operations]
    cells = [cell_of(op.operands[0]) for op in ops if op.name == "calyx.assign"]
    pipes = {c for c in cells if c is not None and c.name.endswith("_pipe")}
    if len(pipes) != 1:
        return None
    pipe = next(iter(pipes))
    pipe_done = pipe.results[len(pipe.results) - 1]
    dones = [op for op in ops if op.name == "calyx.group_done"]
    if len(dones) != 1 or len(dones[0].operands) != 1:
        return None
    written: set[str] = set()
    result_register = None
    for op in ops:
        if op.name != "calyx.assign":
            continue
        dest, src = op.operands[0], op.operands[1]
        cell = cell_of(dest)
        if cell is None:
            if _port_tag(dest) == "write_en":
                return None
            continue
        if cell.name == "calyx.register":
            written.add(symbol(cell))
            if mlir.ir.OpResult(dest).result_number == _REGISTER_WRITE_EN:
                if len(op.operands) != 2:
                    return None
                if src == pipe_done:
                    result_register = cell
                elif not _is_true(src):
                    return None
        elif cell != pipe and (not cell.name.startswith("calyx.std_")
                               or cell.name.endswith("_pipe")):
            return None
    if result_register is None:
        return None
    if dones[0].operands[0] != result_register.results[_REGISTER_DONE]:
        return None
    return written, pipe_done


def _done_of_writes(value: Any, registers: set[str]) -> bool:
    """Whether a done value is a register's/memory's `done` or an AND of them."""
    cell = cell_of(value)
    if cell is None:
        return _port_tag(value) == "done"
    if cell.name == "calyx.register":
        return (mlir.ir.OpResult(value).result_number == _REGISTER_DONE
                and symbol(cell) in registers)
    if cell.name == "comb.and":
        return all(_done_of_writes(v, registers) for v in cell.operands)
    return False


def _port_tag(value: Any) -> str:
    """The ext_mem tag (addr, write_en, done, ...) of a component port, '' for others."""
    mem = _mem_attr(value)
    return "" if mem is None else mlir.ir.StringAttr(mem["tag"]).value


def _memory_id(value: Any) -> int:
    mem = _mem_attr(value)
    return -1 if mem is None else mlir.ir.IntegerAttr(mem["id"]).value


def _mem_attr(value: Any) -> Any | None:
    """The `mem = {id, tag}` attribute of a component port, None for other ports."""
    block = value.owner
    component = block.owner.operation if hasattr(block.owner, "operation") else block.owner
    while component is not None and component.name != "calyx.component":
        component = component.parent
    if component is None or "portAttributes" not in component.attributes:
        return None
    index = mlir.ir.BlockArgument(value).arg_number
    d = mlir.ir.DictAttr(mlir.ir.ArrayAttr(component.attributes["portAttributes"])[index])
    return mlir.ir.DictAttr(d["mem"]) if "mem" in d else None


def _set_pipe_done(group: Any, pipe_done: Any) -> None:
    """`group_done p.done`: the result register's write lands on that edge."""
    ir = mlir.ir
    block = group.regions[0].blocks[0]
    old = next(op.operation for op in block.operations
               if op.operation.name == "calyx.group_done")
    old.erase()
    create("calyx.group_done", operands=[pipe_done], block=block)
    cycles = 1 + pipe_latency(pipe_done.owner.operation)
    group.attributes[CYCLES] = ir.IntegerAttr.get(ir.IntegerType.get_signless(32), cycles)
    group.attributes[EARLY] = ir.UnitAttr.get()


def _set_done(group: Any, true: Any) -> None:
    """`group_done 1 ? (done | 1)`: Calyx wants a port in a done, so the constant 1 is
    spelled as an OR with the old done; the group is marked as lasting one cycle."""
    ir = mlir.ir
    block = group.regions[0].blocks[0]
    old = next(op.operation for op in block.operations
               if op.operation.name == "calyx.group_done")
    done = list(old.operands)[-1]
    always = create("comb.or", results=[ir.IntegerType.get_signless(1)],
                    operands=[done, true], before=old).results[0]
    old.erase()
    create("calyx.group_done", operands=[true, always], block=block)
    group.attributes[CYCLES] = ir.IntegerAttr.get(ir.IntegerType.get_signless(32), 1)
    group.attributes[EARLY] = ir.UnitAttr.get()
