"""Reads the ports of the top Calyx component: what the memories and scalars attach to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from calyx_flow.calyx_ir import component_ports, components, symbol
from calyx_flow.tie_unused_outputs import output_flags
from unified.core import mlir


@dataclass(frozen=True)
class Port:
    """One port of the top component: name, direction, width and its ext_mem description."""

    name: str
    output: bool
    width: int
    flags: tuple[str, ...]  # unit attributes: clk, reset, go, done
    mem_id: int | None = None
    mem_tag: str = ""  # addr, read_data, write_data, write_en, done
    addr_idx: int | None = None


def _int(attr: Any) -> int:
    return mlir.ir.IntegerAttr(attr).value


def top_ports(module: Any, top: str) -> list[Port]:
    """The ports of calyx.component @top (run in the pycde worker on Calyx-level IR)."""
    ir = mlir.ir
    for component in components(module):
        if symbol(component) != top:
            continue
        out = []
        for (name, value, attrs), is_out in zip(component_ports(component),
                                                output_flags(component)):
            flags = tuple(k for k in ("clk", "reset", "go", "done") if k in attrs)
            mem_id = tag = addr = None
            if "mem" in attrs:
                mem = ir.DictAttr(attrs["mem"])
                mem_id = _int(mem["id"])
                tag = ir.StringAttr(mem["tag"]).value
                addr = _int(mem["addr_idx"]) if "addr_idx" in mem else None
            out.append(Port(name, is_out, ir.IntegerType(value.type).width, flags, mem_id,
                            tag or "", addr))
        return out
    raise LookupError(f"no calyx.component @{top}")
