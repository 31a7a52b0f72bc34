"""What a Calyx group touches: the units (cells, memories, ports) it drives and reads.

A unit is a cell by its symbol (`@load_1_reg`), an external memory by its id (`mem0`, from
the `mem = {id = N}` port attribute SCFToCalyx puts on every ext_mem port), or any other
component port by its name. Two groups conflict, and must not run in one `calyx.par`, when
one drives a unit the other drives or reads — unless the unit is a combinational cell that
both drive with the very same unguarded sources (an address adder CSE shared between two
loads): then it computes one value for both, and `calyx-par-to-group` drives it once. Used by `calyx-par-compact` and
`calyx-par-to-group`; runs inside a worker that has the Calyx dialect (circt or pycde).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from calyx_flow.calyx_ir import COMBINATIONAL, cell_of, child, constant_of, group_ref, symbol, walk
from unified.core import mlir


@dataclass(frozen=True)
class Access:
    """The units a group drives (writes) and reads; for the combinational cells it drives
    with unguarded assignments only, how (sorted (port, source) keys)."""

    drives: frozenset[str]
    reads: frozenset[str]
    comb_drives: frozenset[tuple[str, tuple[tuple[str, str], ...]]] = frozenset()

    def conflicts(self, other: Access) -> bool:
        """True when running both groups at once could race (RAW, WAR or WAW on a unit)."""
        shared = {unit for unit, _ in self.comb_drives & other.comb_drives}
        racing = (self.drives & (other.drives | other.reads)) | (other.drives & self.reads)
        return bool(racing - shared)


def component_units(component: Any) -> dict[int, str]:
    """The unit of each block argument (component port) of `component`, by argument number."""
    ir = mlir.ir
    attrs = component.attributes
    names = [ir.StringAttr(a).value for a in ir.ArrayAttr(attrs["portNames"])]
    port_attrs = list(ir.ArrayAttr(attrs["portAttributes"])) if "portAttributes" in attrs else []
    units: dict[int, str] = {}
    for i, name in enumerate(names):
        unit = name
        if i < len(port_attrs):
            d = ir.DictAttr(port_attrs[i])
            if "mem" in d:
                unit = f"mem{ir.IntegerAttr(ir.DictAttr(d['mem'])['id']).value}"
        units[i] = unit
    return units


def unit_of(value: Any, ports: dict[int, str]) -> str | None:
    """The unit a value belongs to: its cell's symbol or its port; None for plain constants."""
    ir = mlir.ir
    owner = value.owner
    if isinstance(owner, ir.Block):
        return ports.get(ir.BlockArgument(value).arg_number)
    op = owner.operation if hasattr(owner, "operation") else owner
    if op.name.startswith("calyx.") and "sym_name" in op.attributes:
        return "@" + ir.StringAttr(op.attributes["sym_name"]).value
    return None


def group_access(group: Any, ports: dict[int, str]) -> Access:
    """The units group `group` (a calyx.group or calyx.comb_group op) drives and reads."""
    drives: set[str] = set()
    reads: set[str] = set()

    def read_value(value: Any, seen: set[int]) -> None:
        unit = unit_of(value, ports)
        if unit is not None:
            reads.add(unit)
            return
        owner = value.owner
        op = owner.operation if hasattr(owner, "operation") else owner
        if id(op) in seen or not hasattr(op, "operands"):
            return
        seen.add(id(op))
        for operand in op.operands:  # look through comb ops computing guards and values
            read_value(operand, seen)

    comb: dict[str, list[tuple[str, str]] | None] = {}
    for op in group.regions[0].blocks[0].operations:
        op = op.operation
        operands = list(op.operands)
        if op.name == "calyx.assign":
            dest = unit_of(operands[0], ports)
            if dest is not None:
                drives.add(dest)
                cell = cell_of(operands[0])
                if cell is not None and cell.name in COMBINATIONAL:
                    key = _source_key(operands[1], ports) if len(operands) == 2 else None
                    known = comb.setdefault(dest, [])
                    if key is None or known is None:
                        comb[dest] = None  # guarded or unnamed: never shared
                    else:
                        known.append((str(mlir.ir.OpResult(operands[0]).result_number), key))
            for v in operands[1:]:
                read_value(v, set())
        elif op.name == "calyx.group_done":
            for v in operands:
                read_value(v, set())
    shareable = frozenset((u, tuple(sorted(keys))) for u, keys in comb.items() if keys)
    return Access(frozenset(drives), frozenset(reads), shareable)


def _source_key(value: Any, ports: dict[int, str]) -> str | None:
    """A name for an assignment's source that two groups share: `@cell.N`, a port, or a
    constant's value; None for anything else."""
    unit = unit_of(value, ports)
    cell = cell_of(value)
    if cell is None:
        return unit
    if cell.name == "hw.constant":
        return f"const {constant_of(value)}"
    if unit is None:
        return None
    return f"{unit}.{mlir.ir.OpResult(value).result_number}"


def groups_by_name(component: Any) -> dict[str, Any]:
    """Every group and comb group of `component`, by symbol name."""
    wires = child(component, "calyx.wires")
    return {symbol(op.operation): op.operation for op in wires.regions[0].blocks[0].operations
            if op.operation.name in ("calyx.group", "calyx.comb_group")}


def erase_unused_groups(component: Any) -> None:
    """Erases groups no control op names any more (the verifier rejects unused groups)."""
    used = {group_ref(op) for op in walk(child(component, "calyx.control"))}
    for name, group in groups_by_name(component).items():
        if name not in used:
            group.erase()
