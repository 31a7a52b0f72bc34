"""calyx-chain-loads: a memory load chained into the group that uses it, saving the load's cycles.

SCFToCalyx gives every `memref.load` a group that latches `read_data` into a register
(`load_N_reg`), which costs the write cycle and the done cycle, and the user of the value
reads the register in a later group. With combinational reads (the external memories of our
harness and shell answer in the same cycle, `read_latency=0`), `seq { @load ; @use }`
becomes one group `@chain_N` that drives the load's address while it runs the use, with
`load_N_reg.out` replaced by the memory's `read_data` (operator chaining). The register is
still written, for any later reader. Only pairs where the use neither drives the memory
nor changes what the address is computed from are chained.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from calyx_flow.calyx_ir import (
    body_ops,
    child,
    component_ports,
    components,
    create,
    enable,
    group_ref,
    new_block,
    unique_name,
)
from calyx_flow.group_access import (
    component_units,
    erase_unused_groups,
    group_access,
    groups_by_name,
)
from unified.core import mlir
from unified.core.mlir import ops_named
from unified.core.passes import ModulePass


@dataclass(frozen=True)
class Load:
    """A load group: it latches memory `unit`'s `read_data` into register `reg`."""

    reg: Any  # the calyx.register op
    read_data: Any  # the component port (block argument)


@dataclass(frozen=True)
class ChainLoads(ModulePass):
    """Fuses `seq { @load ; @use }` into one group where the use reads the memory directly."""

    name: ClassVar[str] = "calyx-chain-loads"
    build: ClassVar[str] = "pycde"

    def apply(self, module: Any) -> None:
        for component in components(module):
            ports = component_units(component)
            read_data = {i: arg for i, (_, arg, attrs) in enumerate(component_ports(component))
                         if "mem" in attrs and _tag(attrs) == "read_data"}
            control = child(component, "calyx.control")
            for seq in ops_named(control, "calyx.seq"):
                ops = body_ops(seq)
                i = 0
                while i + 1 < len(ops):
                    x, y = ops[i], ops[i + 1]
                    if x.name == y.name == "calyx.enable" and _chain(component, x, y, ports,
                                                                     read_data):
                        i += 2
                    else:
                        i += 1
            erase_unused_groups(component)


def _chain(component: Any, x: Any, y: Any, ports: dict[int, str],
           read_data: dict[int, Any]) -> bool:
    groups = groups_by_name(component)
    gx, gy = groups[group_ref(x)], groups[group_ref(y)]
    load = as_load(gx, read_data)
    if load is None:
        return False
    ax, ay = group_access(gx, ports), group_access(gy, ports)
    reg_unit = "@" + mlir.ir.StringAttr(load.reg.attributes["sym_name"]).value
    if reg_unit not in ay.reads or ay.drives & (ax.drives | ax.reads):
        return False
    if _starts_a_pipe(gy):  # a word into a multiplier in the block RAM's half cycle: the
        return False  # accelerator's critical path (PolyBench gemm behind its shell: 25.8 MHz)
    name = _fuse(component, gx, gy, load)
    enable(name, before=x, loc=x.location)
    x.erase()
    y.erase()
    return True


def as_load(group: Any, read_data: dict[int, Any]) -> Load | None:
    """The Load a group performs, if it is exactly `reg.in = read_data; write_en = 1; done`."""
    ir = mlir.ir
    reg = data = None
    write_en_one = done_ok = False
    for op in group.regions[0].blocks[0].operations:
        op = op.operation
        operands = list(op.operands)
        if op.name == "calyx.assign":
            dest, src = operands[0], operands[1]
            owner = dest.owner
            if isinstance(src.owner, ir.Block) and ir.BlockArgument(src).arg_number in read_data:
                if len(operands) > 2 or reg is not None or not _is_register(owner):
                    return None
                reg, data = owner.operation, src
            elif _is_register(owner) and ir.OpResult(dest).result_number == 1:
                write_en_one = _is_true(src) and len(operands) == 2
        elif op.name == "calyx.group_done":
            done_ok = len(operands) == 1 and reg is not None and operands[0] == reg.results[5]
    if reg is None or not (write_en_one and done_ok):
        return None
    return Load(reg, data)


def _fuse(component: Any, gx: Any, gy: Any, load: Load) -> str:
    """A new group with gx's assignments and gy's, gy reading `read_data` for the register."""
    ir = mlir.ir
    wires = child(component, "calyx.wires")
    name = unique_name(component, "chain")
    group = create("calyx.group", attributes={"sym_name": ir.StringAttr.get(name)}, regions=1,
                   block=wires.regions[0].blocks[0])
    body = new_block(group)
    ip = ir.InsertionPoint(body)
    for op in gx.regions[0].blocks[0].operations:
        if op.operation.name != "calyx.group_done":
            op.operation.clone(ip=ip)
    mapping = {load.reg.results[4]: load.read_data}
    for op in gy.regions[0].blocks[0].operations:
        clone = op.operation.clone(ip=ip)
        for old, new in mapping.items():
            clone.operation.replace_uses_of_with(old, new)
        for old, new in zip(op.operation.results, clone.results):
            mapping[old] = new
    return name


def _starts_a_pipe(group: Any) -> bool:
    """Whether `group` drives a pipelined unit (multiplier, divider, float unit)."""
    for op in body_ops(group):
        if op.name == "calyx.assign":
            cell = op.operands[0].owner
            if not isinstance(cell, mlir.ir.Block) and cell.operation.name.endswith("_pipe"):
                return True
    return False


def _is_register(owner: Any) -> bool:
    return not isinstance(owner, mlir.ir.Block) and owner.operation.name == "calyx.register"


def _is_true(value: Any) -> bool:
    owner = value.owner
    if isinstance(owner, mlir.ir.Block) or owner.operation.name != "hw.constant":
        return False
    return mlir.ir.IntegerAttr(owner.operation.attributes["value"]).value in (1, -1)


def _tag(attrs: Any) -> str:
    return mlir.ir.StringAttr(mlir.ir.DictAttr(attrs["mem"])["tag"]).value
