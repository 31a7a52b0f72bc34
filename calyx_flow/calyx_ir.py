"""Small helpers our Calyx passes share: walking, creating generic ops, finding ports.

The wheels ship no Python bindings for the calyx dialect, so ops are created in generic
form with `Operation.create`; everything here runs inside the pycde worker.
"""

from __future__ import annotations

from typing import Any

from unified.core import mlir
from unified.core.mlir import walk

# Result index of the clk and reset ports of each Calyx primitive that has them.
CLOCKED_PORTS: dict[str, tuple[int, int]] = {
    "calyx.register": (2, 3),
    "calyx.std_mult_pipe": (0, 1),
    "calyx.std_divu_pipe": (0, 1),
    "calyx.std_divs_pipe": (0, 1),
    "calyx.std_remu_pipe": (0, 1),
    "calyx.std_rems_pipe": (0, 1),
}


def components(module: Any) -> list[Any]:
    """The calyx.component operations of a builtin.module."""
    return [op.operation for op in module.body.operations if op.operation.name == "calyx.component"]


def child(op: Any, name: str) -> Any:
    """The first operation called `name` directly in `op`'s first block (wires, control)."""
    for inner in op.regions[0].blocks[0].operations:
        if inner.operation.name == name:
            return inner.operation
    raise LookupError(f"{op.name} has no {name}")


def body_ops(op: Any) -> list[Any]:
    """The operations of `op`'s single-block region, as a list (safe to move or erase)."""
    return [o.operation for o in op.regions[0].blocks[0].operations]


# Cells whose outputs are a function of their inputs in the same cycle.
COMBINATIONAL = frozenset(f"calyx.std_{n}" for n in (
    "add", "sub", "slice", "pad", "and", "or", "xor", "not", "lsh", "rsh", "srsh",
    "lt", "gt", "le", "ge", "eq", "neq", "slt", "sgt", "sle", "sge", "seq", "sneq", "mux",
    "wire", "signext"))


def cell_of(value: Any) -> Any | None:
    """The op that defines `value` (a cell, a constant, a comb op); None for a port."""
    owner = value.owner
    if isinstance(owner, mlir.ir.Block):
        return None
    return owner.operation if hasattr(owner, "operation") else owner


def constant_of(value: Any) -> int | None:
    """The integer an `hw.constant` value holds; None for anything else."""
    cell = cell_of(value)
    if cell is None or cell.name != "hw.constant":
        return None
    return mlir.ir.IntegerAttr(cell.attributes["value"]).value


def symbol(op: Any) -> str:
    """The sym_name of `op` (cells, groups, components)."""
    return mlir.ir.StringAttr(op.attributes["sym_name"]).value


def group_ref(op: Any) -> str | None:
    """The group a control op names (`groupName`), or None."""
    if "groupName" not in op.attributes:
        return None
    return mlir.ir.FlatSymbolRefAttr(op.attributes["groupName"]).value


def component_port(component: Any, flag: str) -> Any:
    """The block argument of the component port carrying attribute `flag` (clk, reset, go, done)."""
    return component.regions[0].blocks[0].arguments[component_port_index(component, flag)]


def component_port_index(component: Any, flag: str) -> int:
    """The index of the port of `component` carrying attribute `flag` (clk, reset, go, done)."""
    attrs = mlir.ir.ArrayAttr(component.attributes["portAttributes"])
    for i in range(len(attrs)):
        if flag in mlir.ir.DictAttr(attrs[i]):
            return i
    raise LookupError(f"component has no {flag} port")


def component_ports(component: Any) -> list[tuple[str, Any, dict]]:
    """(name, block argument, attribute dict) of each port of a component, in order."""
    ir = mlir.ir
    names = ir.ArrayAttr(component.attributes["portNames"])
    attrs = ir.ArrayAttr(component.attributes["portAttributes"])
    body = component.regions[0].blocks[0]
    return [(ir.StringAttr(names[i]).value, body.arguments[i], ir.DictAttr(attrs[i]))
            for i in range(len(names))]


def new_block(op: Any, region: int = 0) -> Any:
    """Appends an empty block (no arguments) to `op`'s region and returns it."""
    return op.regions[region].blocks.append()


def create(name: str, *, results: list[Any] | None = None, operands: list[Any] | None = None,
           attributes: dict[str, Any] | None = None, regions: int = 0, before: Any = None,
           block: Any = None, loc: Any = None) -> Any:
    """Creates op `name` in generic form, before op `before` or at the end of `block`."""
    ir = mlir.ir
    ip = ir.InsertionPoint(before) if before is not None else ir.InsertionPoint(block)
    return ir.Operation.create(name, results=results or [], operands=operands or [],
                               attributes=attributes or {}, regions=regions,
                               loc=loc or ir.Location.unknown(), ip=ip)


def enable(group: str, *, before: Any = None, block: Any = None, loc: Any = None) -> Any:
    """A calyx.enable of `group`."""
    attr = mlir.ir.FlatSymbolRefAttr.get(group)
    return create("calyx.enable", attributes={"groupName": attr}, before=before, block=block,
                  loc=loc)


def constant(value: int, width: int, *, before: Any) -> Any:
    """An hw.constant of `width` bits, created before `before`; returns its value."""
    ir = mlir.ir
    t = ir.IntegerType.get_signless(width)
    op = create("hw.constant", results=[t], attributes={"value": ir.IntegerAttr.get(t, value)},
                before=before)
    return op.results[0]


def unique_name(component: Any, base: str) -> str:
    """A symbol name not yet used by any cell or group of `component`."""
    used = {symbol(op) for op in walk(component) if "sym_name" in op.attributes}
    name, n = base, 0
    while name in used:
        n += 1
        name = f"{base}_{n}"
    return name
