"""calyx-static-loops: an innermost loop whose body fits one cycle runs one iteration a cycle.

Under the FSM flow every iteration of a `calyx.while` pays a test state, an entry state and
a state per step of its body: a software-pipelined loop (hls-pipeline-loops), whose body
holds only independent work, still takes five or six cycles an iteration. Here

    while %c with @cond { seq { @g1; @g2; ...; @latch } }

becomes one group `@static_N`, a counter-driven loop of ours: each cycle it tests the
condition on the registers as they are and, while it holds, does what the body's groups do
one after the other, all in that cycle; the cycle it fails, the group is done. The loop
takes trips + 1 cycles, an initiation interval of 1.

Doing g1..gk in one cycle means forwarding: where a later group reads a register an
earlier one writes, it reads the value written instead (`reg.in`), as operator chaining
does; a register written by the pipelined multiplier is read as the product, and the
multiplier itself becomes combinational (`ungate-stream-cells`). The body is left alone
unless every step is plain data movement that can share a cycle:

- each assignment is unguarded (a multiplier's `go` excepted) and drives a register, a
  combinational cell, a multiplier's operands or an external memory's ports;
- no port gets two different drivers (one memory port, one address, per memory), and no
  register is written twice;
- a memory is not read after it is written in the same iteration (a read sees the word as
  it was at the start of the cycle: block RAM reads on the falling edge, writes on the
  rising one), and a word read goes straight into a register, as the software pipeliner
  (read latency 1) arranges: the half cycle after the falling edge holds no logic, so the
  loop does not lower the clock (a word fed to a multiplier there would halve it);
- a multiplier's product is read only after its operands are driven, and the multiplier
  serves no other group;
- a group elsewhere that writes one of the loop's registers does not read what it writes
  (CIRCT's register ignores a write the cycle after a write; the loop's registers take one
  every cycle once `ungate-stream-cells` removes that, so such a group may write twice).

The registers the loop writes and its multipliers carry the location name `unified.stream`
for `ungate-stream-cells`; the group carries `unified.static_loop` for the schedule model
(`calyx_flow.schedule`: trips + 1 cycles, interval 1) and for the passes after this one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from calyx_flow.calyx_ir import (
    COMBINATIONAL,
    body_ops,
    cell_of,
    child,
    component_ports,
    components,
    constant,
    constant_of,
    create,
    enable,
    group_ref,
    new_block,
    symbol,
    unique_name,
    walk,
)
from calyx_flow.group_access import (
    component_units,
    erase_unused_groups,
    group_access,
    groups_by_name,
    unit_of,
)
from calyx_flow.schedule import STATIC_LOOP
from unified.core import mlir
from unified.core.passes import ModulePass

STATIC = STATIC_LOOP  # on the group: the loop's control now lives in it
STREAM = "unified.stream"  # location name of a cell written (or computing) every cycle

_REG_IN, _REG_WRITE_EN, _REG_OUT, _REG_DONE = 0, 1, 4, 5
_MUL_GO, _MUL_LEFT, _MUL_RIGHT, _MUL_OUT, _MUL_DONE = 2, 3, 4, 5, 6


class _Reject(Exception):
    """The loop body cannot share one cycle (the reason is for debugging only)."""


@dataclass
class _Fused:
    """The one-cycle body being built: assignments in order and what they imply."""

    ports: dict[int, str]  # component argument number -> unit (`memN` for ext_mem ports)
    tags: dict[int, str]  # component argument number -> ext_mem tag (addr, read_data, ...)
    assigns: list[tuple[Any, Any, str]] = field(default_factory=list)  # (dest, src, role)
    driven: dict[Any, Any] = field(default_factory=dict)  # dest port -> its source
    forward: dict[Any, Any] = field(default_factory=dict)  # register out -> value written
    written_mems: set[str] = field(default_factory=set)
    registers: dict[str, Any] = field(default_factory=dict)  # written registers by symbol
    multipliers: dict[str, Any] = field(default_factory=dict)  # driven multipliers by symbol


@dataclass(frozen=True)
class StaticLoops(ModulePass):
    """Turns every innermost `calyx.while` whose body fits one cycle into a static group."""

    name: ClassVar[str] = "calyx-static-loops"
    build: ClassVar[str] = "pycde"

    def apply(self, module: Any) -> None:
        for component in components(module):
            loops = [op for op in walk(child(component, "calyx.control"))
                     if op.name == "calyx.while"]
            changed = False
            for loop in loops:
                try:
                    _make_static(component, loop)
                    changed = True
                except _Reject:  # the loop stays under the FSM as it was
                    continue
            if changed:
                erase_unused_groups(component)


def _make_static(component: Any, loop: Any) -> None:
    groups = groups_by_name(component)
    cond_name = group_ref(loop)
    if cond_name is None or groups[cond_name].name != "calyx.comb_group":
        raise _Reject("no comb condition group")
    body = [groups[name] for name in _enabled_groups(loop)]
    if any(STATIC in g.attributes for g in body):
        raise _Reject("holds a static loop")
    fused = _Fused(component_units(component), _memory_tags(component))
    _add_group(fused, groups[cond_name])
    for group in body:
        _add_group(fused, group)
    valid = loop.operands[0]
    if cell_of(valid) is None or cell_of(valid).name not in COMBINATIONAL:
        raise _Reject("condition is not a combinational cell's output")
    _check_other_writers(component, fused, {symbol(g) for g in body} | {cond_name})
    name = _build_group(component, fused, valid)
    enable(name, before=loop, loc=loop.location)
    loop.erase()
    for cell in [*fused.registers.values(), *fused.multipliers.values()]:
        if STREAM not in str(cell.location):
            cell.location = mlir.ir.Location.name(STREAM, childLoc=cell.location)


def _enabled_groups(loop: Any) -> list[str]:
    """The groups the loop body enables in order, if it is nothing but (nested) seqs of enables."""
    names: list[str] = []

    def visit(op: Any) -> None:
        if op.name == "calyx.enable":
            names.append(group_ref(op) or "")
        elif op.name == "calyx.seq":
            for kid in body_ops(op):
                visit(kid)
        else:
            raise _Reject(f"{op.name} in the body")

    for op in body_ops(loop):
        visit(op)
    if not names:
        raise _Reject("empty body")
    return names


def _memory_tags(component: Any) -> dict[int, str]:
    """The ext_mem tag (addr, read_data, ...) of each memory port, by argument number."""
    ir = mlir.ir
    return {i: ir.StringAttr(ir.DictAttr(attrs["mem"])["tag"]).value
            for i, (_, _, attrs) in enumerate(component_ports(component)) if "mem" in attrs}


def _add_group(fused: _Fused, group: Any) -> None:
    """Appends `group`'s assignments to the fused body, reading through earlier writes."""
    ir = mlir.ir
    writes: dict[Any, Any] = {}  # register op -> value written to its `in`
    enabled: set[Any] = set()  # registers whose write_en this group sets
    for op in body_ops(group):  # the multipliers this group starts: their product is ready
        cell = cell_of(op.operands[0]) if op.name == "calyx.assign" else None
        if cell is not None and cell.name == "calyx.std_mult_pipe":
            fused.multipliers[symbol(cell)] = cell
    for op in body_ops(group):
        if op.name == "calyx.group_done":
            continue
        if op.name != "calyx.assign":
            if op.name.startswith("comb.") and all(_only_guards(r) for r in op.results):
                continue  # the group's done, a multiplier's `go` guard: rebuilt below
            raise _Reject(f"{op.name} in a group")
        dest, src, *guard = list(op.operands)
        cell = cell_of(dest)
        if cell is None:  # a component port: only an external memory's
            arg = ir.BlockArgument(dest).arg_number
            tag = fused.tags.get(arg)
            if tag not in ("addr", "write_data", "write_en") or guard:
                raise _Reject("drives a port that is not a memory's")
            if tag == "write_en":
                if not _is_one(src):
                    raise _Reject("conditional memory write")
                fused.written_mems.add(fused.ports[arg])
                _drive(fused, dest, src, "write_en")
            else:
                _drive(fused, dest, _read(fused, src, group), "data")
            continue
        port = ir.OpResult(dest).result_number
        if cell.name == "calyx.register" and not guard:
            if port == _REG_IN:
                writes[cell] = _read(fused, src, group)
            elif port == _REG_WRITE_EN and (_is_one(src) or _is_multiplier_done(src)):
                enabled.add(cell)
            else:
                raise _Reject("register port")
        elif cell.name == "calyx.std_mult_pipe":
            if port == _MUL_GO:
                continue  # driven from the loop's test below
            if port not in (_MUL_LEFT, _MUL_RIGHT) or guard:
                raise _Reject("multiplier port")
            _drive(fused, dest, _read(fused, src, group), "data")
        elif cell.name in COMBINATIONAL and not guard:
            _drive(fused, dest, _read(fused, src, group), "data")
        else:
            raise _Reject(f"drives {cell.name}")
    if set(writes) != enabled:
        raise _Reject("register written without in or write_en")
    for reg, value in writes.items():
        if symbol(reg) in fused.registers:
            raise _Reject("register written twice")
        fused.registers[symbol(reg)] = reg
        _drive(fused, reg.results[_REG_IN], value, "latch")
        _drive(fused, reg.results[_REG_WRITE_EN], None, "write_en")
        fused.forward[reg.results[_REG_OUT]] = value


def _read(fused: _Fused, value: Any, group: Any) -> Any:
    """What `value` read in the fused cycle is: a written register's new value, a product."""
    ir = mlir.ir
    cell = cell_of(value)
    if cell is None:
        arg = ir.BlockArgument(value).arg_number
        if fused.tags.get(arg) == "read_data" and fused.ports[arg] in fused.written_mems:
            raise _Reject("memory read after its write")
        if fused.tags.get(arg) == "done":
            raise _Reject("reads a memory's done")
        return value
    if cell.name == "hw.constant":
        return value
    if "sym_name" not in cell.attributes or not cell.name.startswith("calyx."):
        raise _Reject(f"source {cell.name}")
    port = ir.OpResult(value).result_number
    if cell.name == "calyx.register":
        if port != _REG_OUT:
            raise _Reject("reads a register's done")
        return fused.forward.get(value, value)
    if cell.name == "calyx.std_mult_pipe":
        if port != _MUL_OUT or symbol(cell) not in fused.multipliers:
            raise _Reject("product read before its operands are driven")
        return value
    if cell.name in COMBINATIONAL:
        return value
    raise _Reject(f"reads {cell.name}")


def _drive(fused: _Fused, dest: Any, src: Any, role: str) -> None:
    if role == "data" and src is not None and _is_read_data(fused, src):
        raise _Reject("a memory's word used in the cycle it is read")
    if dest in fused.driven:
        if fused.driven[dest] != src:
            raise _Reject("two drivers")
        return
    fused.driven[dest] = src
    fused.assigns.append((dest, src, role))


def _is_read_data(fused: _Fused, value: Any) -> bool:
    owner = value.owner
    return (isinstance(owner, mlir.ir.Block)
            and fused.tags.get(mlir.ir.BlockArgument(value).arg_number) == "read_data")


def _only_guards(value: Any) -> bool:
    """Whether every use of `value` ends in the group's done or in the guard of a
    multiplier's `go` assignment (both rebuilt by `_build_group`)."""
    for use in value.uses:
        op = use.owner
        if op.name == "calyx.group_done":
            continue
        if op.name.startswith("comb."):
            if not all(_only_guards(r) for r in op.results):
                return False
            continue
        if op.name != "calyx.assign" or use.operand_number != 2:
            return False
        cell = cell_of(op.operands[0])
        if cell is None or cell.name != "calyx.std_mult_pipe" or \
                mlir.ir.OpResult(op.operands[0]).result_number != _MUL_GO:
            return False
    return True


def _is_one(value: Any) -> bool:
    return constant_of(value) in (1, -1)


def _is_multiplier_done(value: Any) -> bool:
    cell = cell_of(value)
    return (cell is not None and cell.name == "calyx.std_mult_pipe"
            and mlir.ir.OpResult(value).result_number == _MUL_DONE)


def _check_other_writers(component: Any, fused: _Fused, mine: set[str]) -> None:
    """Rejects the loop if a group outside it could write one of its registers twice with
    different values, or uses one of its multipliers."""
    ports = fused.ports
    comb = {"@" + symbol(op.operation) for op in component.regions[0].blocks[0].operations
            if op.operation.name in COMBINATIONAL}
    stream = {"@" + name for name in fused.registers}
    multipliers = {"@" + name for name in fused.multipliers}
    for name, group in groups_by_name(component).items():
        if name in mine:
            continue
        access = group_access(group, ports)
        if (access.drives | access.reads) & multipliers:
            raise _Reject("multiplier shared with another group")
        if access.drives & stream and (_assignment_reads(group, ports) & access.drives) - comb:
            raise _Reject(f"group {name} reads what it writes")


def _assignment_reads(group: Any, ports: dict[int, str]) -> set[str]:
    """The units the assignments of `group` read (its done condition left out)."""
    reads: set[str] = set()
    pending = [v for op in body_ops(group) if op.name == "calyx.assign"
               for v in list(op.operands)[1:]]
    seen: set[Any] = set()
    while pending:
        value = pending.pop()
        unit = unit_of(value, ports)
        cell = cell_of(value)
        if unit is not None:
            reads.add(unit)
        elif cell is not None and cell.name.startswith("comb.") and cell not in seen:
            seen.add(cell)
            pending.extend(cell.operands)
    return reads


def _build_group(component: Any, fused: _Fused, valid: Any) -> str:
    """The static group: the fused assignments, writes gated by the test, done when it fails."""
    ir = mlir.ir
    wires = child(component, "calyx.wires")
    name = unique_name(component, "static")
    one = constant(1, 1, before=wires)
    group = create("calyx.group", attributes={"sym_name": ir.StringAttr.get(name)}, regions=1,
                   block=wires.regions[0].blocks[0])
    group.attributes[STATIC] = ir.UnitAttr.get()
    body = new_block(group)
    for dest, src, role in fused.assigns:
        if role == "write_en":
            create("calyx.assign", operands=[dest, one, valid], block=body)
        else:
            create("calyx.assign", operands=[dest, src], block=body)
    for cell in fused.multipliers.values():
        create("calyx.assign", operands=[cell.results[_MUL_GO], one, valid], block=body)
    done = create("comb.xor", results=[ir.IntegerType.get_signless(1)],
                  operands=[valid, one], block=body)
    create("calyx.group_done", operands=[one, done.results[0]], block=body)
    return name
