"""calyx-ungate-data: the one guarded driver of a data input loses its guard.

After `calyx-remove-groups-fsm`, a group's assignment is `calyx.assign %r.in = %g ? %x`,
and lower-calyx-to-hw drives 0 while `%g` is low: `r_in = g ? x : 0`, an AND gate per bit
(most of the LUTs of gemm at -O3: the operands of 17 multipliers and 10 adders and the
inputs of their result registers). A data input whose value only matters while its cell
is told to act (a register's `in` under `write_en`, a pipelined multiplier's operands
under `go`, a combinational cell's operands when its output is read only by the group that
drives them) needs no gate when that assignment is its only driver, so the guard goes.
Control inputs (write_en, go), component outputs, ports with several drivers and constant
sources keep their guards (`g ? 1` is the value g: the FSM's group-done registers and
calyx-par-to-group's toggles are written that way). Dropping a guard removes a dependency and adds none, so no loop can appear.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from calyx_flow.calyx_ir import COMBINATIONAL, cell_of, child, components, constant_of, create, walk
from unified.core import mlir
from unified.core.passes import ModulePass

# Result indices of the data inputs of sequential primitives (their other inputs say when).
_SEQUENTIAL_DATA: dict[str, tuple[int, ...]] = {
    "calyx.register": (0,),
    "calyx.std_mult_pipe": (3, 4),
    "calyx.std_divu_pipe": (3, 4),
    "calyx.std_divs_pipe": (3, 4),
    "calyx.std_remu_pipe": (3, 4),
    "calyx.std_rems_pipe": (3, 4),
}
@dataclass(frozen=True)
class UngateData(ModulePass):
    """Drops the guard of each single-driver assignment to a cell's data input (no groups left)."""

    name: ClassVar[str] = "calyx-ungate-data"
    build: ClassVar[str] = "pycde"

    def apply(self, module: Any) -> None:
        for component in components(module):
            wires = child(component, "calyx.wires")
            drivers: dict[Any, list[Any]] = {}
            for op in walk(wires):
                if op.name == "calyx.assign":
                    drivers.setdefault(op.operands[0], []).append(op)
            for dest, ops in drivers.items():
                op = ops[0]
                if (len(ops) == 1 and len(op.operands) == 3 and is_data_input(dest)
                        and op.parent.operation == wires and not _is_constant(op.operands[1])):
                    create("calyx.assign", operands=[dest, op.operands[1]], before=op,
                           loc=op.location)
                    op.erase()


def _is_constant(value: Any) -> bool:
    """A constant source: its guard is the data (`done.in = g ? 1`), so the guard stays."""
    return constant_of(value) is not None


def is_data_input(value: Any) -> bool:
    """True when `value` is a data input of a Calyx cell (not go, write_en, clk, reset)."""
    cell = cell_of(value)
    if cell is None:
        return False  # a component port: what drives it outside is not ours to know
    index = mlir.ir.OpResult(value).result_number
    if cell.name in _SEQUENTIAL_DATA:
        return index in _SEQUENTIAL_DATA[cell.name]
    return cell.name in COMBINATIONAL and index < len(cell.results) - 1
