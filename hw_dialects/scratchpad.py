"""A dual-port scratchpad in PyCDE: one port for the bus, one for the core's ext_mem interface.

Runs inside the `pycde` worker. The memory is an array of registers (elements are few in the
kernels we place in hardware), so both ports read combinationally and write on the same clock
edge; a core write wins over a bus write to the same element. The core port follows Calyx's
`std_mem` convention: `addr0..addrN-1` (row-major), `write_data`, `write_en`, `read_data`
(after `read_latency` cycles) and `done` one cycle after `write_en`.
"""

from __future__ import annotations

from math import prod
from typing import Any

from calyx_flow.artifacts import MemPort


def clog2(n: int) -> int:
    """Bits to index `n` things (0 for one thing)."""
    return max(0, (n - 1).bit_length())


def scratchpad_module(name: str, mem: MemPort) -> Any:
    """A PyCDE module class `name` holding memref `mem`; its bus index is a word index."""
    from pycde import Clock, Input, Module, Output, generator
    from pycde.constructs import Mux, Reg
    from pycde.types import Bits, UInt

    elements = prod(mem.shape)
    width = mem.data_width
    iw = clog2(elements)
    ports: dict[str, Any] = {
        "clk": Clock(),
        "reset": Input(Bits(1)),
        "bus_we": Input(Bits(1)),
        "bus_windex": Input(Bits(max(iw, 1))),
        "bus_wdata": Input(Bits(32)),
        "bus_rindex": Input(Bits(max(iw, 1))),
        "bus_rdata": Output(Bits(32)),
        "write_data": Input(Bits(width)),
        "write_en": Input(Bits(1)),
        "read_data": Output(Bits(width)),
        "done": Output(Bits(1)),
    }
    for d, aw in enumerate(mem.addr_widths):
        ports[f"addr{d}"] = Input(Bits(aw))

    def build(p: Any) -> None:
        # Row-major linear index from the core's address ports.
        linear = None
        dims = mem.shape if len(mem.addr_widths) == len(mem.shape) else (elements,)
        for d, size in enumerate(dims):
            a = getattr(p, f"addr{d}").as_uint()
            linear = a if linear is None else linear * UInt(clog2(size) + 1)(size) + a
        index = linear.as_bits().pad_or_truncate(max(iw, 1))
        cells = []
        for i in range(elements):
            cell = Reg(Bits(width), p.clk, name=f"cell{i}")
            core_hit = p.write_en & (index == Bits(max(iw, 1))(i))
            bus_hit = p.bus_we & (p.bus_windex == Bits(max(iw, 1))(i))
            bus_value = p.bus_wdata[0:width] if width < 32 else p.bus_wdata
            cell.assign(Mux(core_hit, Mux(bus_hit, cell, bus_value), p.write_data))
            cells.append(cell)
        core_read, bus_read = _select(cells, index, iw), _select(cells, p.bus_rindex, iw)
        for stage in range(mem.read_latency):
            core_read = core_read.reg(p.clk, name=f"read_stage{stage}")
        p.read_data = core_read
        p.bus_rdata = bus_read.pad_or_truncate(32) if width < 32 else bus_read
        p.done = p.write_en.reg(p.clk, p.reset, name="write_done")

    def _select(cells: list[Any], index: Any, bits: int) -> Any:
        # A binary tree of 2:1 muxes on the index bits, least significant first (no arrays:
        # Yosys 0.23 cannot read the packed arrays CIRCT emits for hw.array_get).
        level = cells + [Bits(width)(0)] * ((1 << bits) - len(cells))
        for b in range(bits):
            level = [Mux(index[b], level[i], level[i + 1]) for i in range(0, len(level), 2)]
        return level[0]

    ports["build"] = generator(build)
    ports["module_name"] = name
    return type(name, (Module,), ports)
