"""Drives the clk and reset ports of every clocked Calyx cell from the component's own ports.

Without these continuous assignments lower-calyx-to-hw leaves them undriven and the
registers get `1'bz` clocks (what Calyx's `clk-insertion` / `reset-insertion` do).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from calyx_flow.calyx_ir import CLOCKED_PORTS, child, component_port, components, create
from unified.core.passes import ModulePass


@dataclass(frozen=True)
class InsertClockReset(ModulePass):
    """Adds `calyx.assign %cell.clk = %clk` and `%cell.reset = %reset` for each clocked cell."""

    name: ClassVar[str] = "insert-clock-reset"
    build: ClassVar[str] = "pycde"

    def apply(self, module: Any) -> None:
        for component in components(module):
            clk = component_port(component, "clk")
            reset = component_port(component, "reset")
            wires_block = child(component, "calyx.wires").regions[0].blocks[0]
            driven = {op.operation.operands[0] for op in wires_block.operations
                      if op.operation.name == "calyx.assign"}
            for cell in component.regions[0].blocks[0].operations:
                cell = cell.operation
                if cell.name not in CLOCKED_PORTS:
                    continue
                for index, source in zip(CLOCKED_PORTS[cell.name], (clk, reset)):
                    port = cell.results[index]
                    if port not in driven:
                        create("calyx.assign", operands=[port, source], block=wires_block,
                               loc=cell.location)
