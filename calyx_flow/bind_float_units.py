"""bind-float-units: our IEEE-754 units where float-to-bits' placeholder dividers stand.

Runs right after lower-calyx-to-hw. Each placeholder `calyx.std_divu_pipe` cell (its
location named `unified.float.<kind>`, see calyx_flow.float_to_bits) has become port wires
`<cell>_{clk,reset,go,left,right}` read by a divider and two registers that drive the
wires `<cell>_out_quotient` and `<cell>_done`. This pass builds the pipelined hw.module
@unified_f32_<kind> once per kind, instantiates it on the input wires, drives `_out` and
`_done` from it and erases the divider and its registers. The groups wait for `done`, so
the FSM takes the unit's latency as it is; the schedule model reads the same latency
(calyx_flow.schedule.pipe_latency).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from calyx_flow.float_to_bits import float_kind
from calyx_flow.float_units.units import build_unit, module_name, width
from unified.core import mlir
from unified.core.mlir import walk
from unified.core.passes import ModulePass

INPUTS = ("clk", "reset", "go", "left", "right")
OUTPUTS = ("out_quotient", "done")  # the divider's output wires; the unit's `out`, `done`
PURE = ("comb.", "hw.constant", "seq.compreg", "seq.to_clock", "sv.read_inout")


@dataclass(frozen=True)
class BindFloatUnits(ModulePass):
    """Replaces the lowered placeholder dividers of float ops by IEEE-754 unit instances."""

    name: ClassVar[str] = "bind-float-units"
    build: ClassVar[str] = "pycde"

    def apply(self, module: Any) -> None:
        ir = mlir.ir
        built: set[str] = set()
        for top in [op.operation for op in module.body.operations]:
            if top.name != "hw.module":
                continue
            cells = _placeholder_cells(top)
            for (prefix, kind), wires in cells.items():
                if kind not in built:
                    build_unit(kind, ir.InsertionPoint.at_block_begin(module.body))
                    built.add(kind)
                _bind(top, prefix, kind, wires)


def _placeholder_cells(module: Any) -> dict[tuple[str, str], dict[str, Any]]:
    """(cell name, unit kind) -> {port: its sv.wire} for every placeholder in `module`."""
    ir = mlir.ir
    wires = {}
    for op in module.regions[0].blocks[0].operations:
        op = op.operation
        if op.name == "sv.wire" and "name" in op.attributes:
            kind = float_kind(op.location)
            if kind is not None:
                wires[ir.StringAttr(op.attributes["name"]).value] = (kind, op)
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for name, (kind, _) in wires.items():
        if name.endswith("_done"):
            prefix = name[: -len("_done")]
            ports = {p: wires.get(f"{prefix}_{p}", (None, None))[1] for p in INPUTS + OUTPUTS}
            if all(ports.values()):
                cells[(prefix, kind)] = ports
    return cells


def _bind(module: Any, prefix: str, kind: str, wires: dict[str, Any]) -> None:
    """Instantiates unit `kind` on the cell's input wires and drives its output wires."""
    ir = mlir.ir
    block = module.regions[0].blocks[0]
    reads = {op.operation.operands[0]: op.operation.results[0] for op in block.operations
             if op.operation.name == "sv.read_inout"}
    sv = mlir.dialect("sv")
    terminator = list(block.operations)[-1]
    ip = ir.InsertionPoint(terminator)
    values = []
    for port in INPUTS:
        wire = wires[port].results[0]
        values.append(reads[wire] if wire in reads else sv.ReadInOutOp(wire, ip=ip).result)
    i1, data = (ir.IntegerType.get_signless(w) for w in (1, width(kind)))
    names = ir.ArrayAttr.get([ir.StringAttr.get(p) for p in INPUTS])
    instance = ir.Operation.create(
        "hw.instance", results=[data, i1], operands=values,
        attributes={"instanceName": ir.StringAttr.get(f"{prefix}_unit"),
                    "moduleName": ir.FlatSymbolRefAttr.get(module_name(kind)),
                    "argNames": names,
                    "resultNames": ir.ArrayAttr.get([ir.StringAttr.get(p) for p in ("out", "done")]),
                    "parameters": ir.ArrayAttr.get([])},
        loc=wires["done"].location, ip=ip)
    for port, value in zip(OUTPUTS, instance.results):
        target = wires[port].results[0]
        for op in [o for o in walk(module) if o.name == "sv.assign" and o.operands[0] == target]:
            old = op.operands[1]
            op.operands[1] = value
            _erase_dead(old)


def _erase_dead(value: Any) -> None:
    """Erases the side-effect-free op defining `value` once nothing uses it, and so on up."""
    owner = value.owner
    if isinstance(owner, mlir.ir.Block):
        return
    op = owner.operation if hasattr(owner, "operation") else owner
    if not op.name.startswith(PURE) or any(len(list(r.uses)) for r in op.results):
        return
    operands = list(op.operands)
    op.erase()
    for operand in operands:
        _erase_dead(operand)
