"""Drives every component output port that no assignment drives with 0.

Calyx gives unassigned ports the value 0; lower-calyx-to-hw leaves them as undriven
wires instead (e.g. write_en of a memory that is only read), which lint and simulators
see as `z`/`x`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from calyx_flow.calyx_ir import child, component_ports, components, constant, create, walk
from unified.core import mlir
from unified.core.passes import ModulePass


def output_flags(component: Any) -> list[bool]:
    """Whether each port of `component` is an output (read from `portDirections`)."""
    ports = len(component_ports(component))
    bits = mlir.ir.IntegerAttr(component.attributes["portDirections"]).value & ((1 << ports) - 1)
    return [bool(bits >> i & 1) for i in range(ports)]


@dataclass(frozen=True)
class TieUnusedOutputs(ModulePass):
    """Adds `calyx.assign %port = 0` for each output port no calyx.assign drives."""

    name: ClassVar[str] = "tie-unused-outputs"
    build: ClassVar[str] = "pycde"

    def apply(self, module: Any) -> None:
        for component in components(module):
            wires = child(component, "calyx.wires")
            driven = {op.operands[0] for op in walk(wires) if op.name == "calyx.assign"}
            ports = component_ports(component)
            for (_, value, attrs), out in zip(ports, output_flags(component)):
                if out and value not in driven and "done" not in attrs:  # the FSM drives done
                    width = mlir.ir.IntegerType(value.type).width
                    zero = constant(0, width, before=wires)
                    create("calyx.assign", operands=[value, zero],
                           block=wires.regions[0].blocks[0], loc=component.location)
