"""ungate-stream-cells: a static loop's registers take a write every cycle, its multipliers
answer in the cycle.

Runs right after lower-calyx-to-hw, on the cells `calyx-static-loops` named
`unified.stream`. CIRCT lowers a Calyx register to `seq.compreg.ce` enabled by
`write_en & ~done`, where `done` is `write_en` one cycle late: a write in the cycle after a
write is dropped, which a loop running one iteration a cycle cannot have. The enable
becomes `write_en`. A `std_mult_pipe` is lowered to `comb.mul` into such a register; the
static loop reads the product in the cycle it drives the operands (a chained
multiply-add), so the register is bypassed and the product taken from `comb.mul`.

A named cell whose lowering does not have that shape is an error, not a silent miscompile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from calyx_flow.calyx_ir import cell_of
from calyx_flow.static_loops import STREAM
from unified.core.errors import UnifiedError
from unified.core.mlir import walk
from unified.core.passes import ModulePass

_INPUT, _ENABLE = 0, 2  # seq.compreg.ce operands: input, clk, clock enable, reset, value


@dataclass(frozen=True)
class UngateStreamCells(ModulePass):
    """Enables static-loop registers on `write_en` alone; bypasses their multipliers' register."""

    name: ClassVar[str] = "ungate-stream-cells"
    build: ClassVar[str] = "pycde"

    def apply(self, module: Any) -> None:
        for op in [op for op in walk(module.operation) if op.name == "seq.compreg.ce"]:
            if STREAM not in str(op.location):
                continue
            source = cell_of(op.operands[_INPUT])
            if source is not None and source.name == "comb.mul":
                op.results[0].replace_all_uses_with(op.operands[_INPUT])
                op.erase()
                continue
            enable = cell_of(op.operands[_ENABLE])
            gate = None if enable is None or len(enable.operands) != 2 else \
                cell_of(enable.operands[1])
            if enable.name != "comb.and" or gate is None or gate.name != "comb.xor":
                raise UnifiedError(f"ungate-stream-cells: unexpected register lowering at "
                                   f"{op.location}")
            op.replace_uses_of_with(enable.results[0], enable.operands[0])
