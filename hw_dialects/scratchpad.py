"""A dual-port scratchpad in PyCDE: one port for the bus, one for the core's ext_mem interface.

Runs inside the `pycde` worker. The words live in one `memory_primitive.Ram` with one
read port and one write port, which Yosys maps to block RAM from `BLOCK_FROM_BITS` on (read
on the falling edge, so the data still comes in the cycle of the address), to LUT-RAM
below, and to registers below `REGISTER_BELOW` words. The bus uses the memory only while the core is idle: the read
address is the bus's while `idle` is high (a bus read while the core runs gives the core's
word), the write port the core's while `write_en` is high and the bus's otherwise. The bus
reads a cycle after its index, from a register right behind the memory. The core
port follows Calyx's `std_mem` convention: `addr0..addrN-1` (row-major), `write_data`,
`write_en`, `read_data` (after `read_latency` cycles) and `done` one cycle after `write_en`.
"""

from __future__ import annotations

import functools
from math import prod
from typing import Any

from calyx_flow.artifacts import MemPort
from hw_dialects.memory_primitive import Ram, attach


def clog2(n: int) -> int:
    """Bits to index `n` things (0 for one thing)."""
    return max(0, (n - 1).bit_length())


def scratchpad_module(name: str, mem: MemPort) -> Any:
    """A PyCDE module class `name` holding memref `mem`; its bus index is a word index."""
    from pycde import Clock, Input, Module, Output, System, generator
    from pycde.constructs import Mux
    from pycde.types import Bits, UInt

    elements = prod(mem.shape)
    width = mem.data_width
    iw = clog2(elements)
    ports: dict[str, Any] = {
        "clk": Clock(),
        "reset": Input(Bits(1)),
        "idle": Input(Bits(1)),
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

    ram = Ram.sized(width, elements)
    ram_cls = ram_extern(ram)

    def build(p: Any) -> None:
        # Row-major linear index from the core's address ports (a dimension of size 1, as
        # in the banks of a banked dimension, only ever has index 0: its port is not read).
        linear = None
        dims = mem.shape if len(mem.addr_widths) == len(mem.shape) else (elements,)
        for d, size in enumerate(dims):
            if size > 1:
                a = getattr(p, f"addr{d}").as_uint()
                linear = a if linear is None else linear * UInt(clog2(size) + 1)(size) + a
        index = (Bits(ram.addr_width)(0) if linear is None
                 else linear.as_bits().pad_or_truncate(ram.addr_width))
        for d, size in enumerate(dims):
            if size == 1:
                _mark_unused(getattr(p, f"addr{d}"), f"unused_addr{d}")
        bus_value = p.bus_wdata[0:width] if width < 32 else p.bus_wdata
        attach(ram, System.current().body)
        cells = ram_cls(clk=p.clk.to_bit(), we=p.write_en | p.bus_we,
                        waddr=Mux(p.write_en, p.bus_windex, index),
                        wdata=Mux(p.write_en, bus_value, p.write_data),
                        raddr0=Mux(p.idle, index, p.bus_rindex), instance_name="words")
        core_read = bus_read = cells.rdata0
        for stage in range(mem.read_latency):
            core_read = core_read.reg(p.clk, name=f"read_stage{stage}")
        p.read_data = core_read
        bus_read = bus_read.reg(p.clk, name="bus_read")  # the bus port reads a cycle later
        p.bus_rdata = bus_read.pad_or_truncate(32) if width < 32 else bus_read
        p.done = p.write_en.reg(p.clk, p.reset, name="write_done")

    ports["build"] = generator(build)
    ports["module_name"] = name
    return type(name, (Module,), ports)


@functools.cache
def ram_extern(ram: Ram) -> Any:
    """A PyCDE extern module with `ram`'s ports, named as its Verilog module (one class per
    RAM: PyCDE would give a second extern of the same name a suffixed symbol)."""
    from pycde import Input, Module, Output
    from pycde.types import Bits

    ins, outs = ram.ports()
    ports: dict[str, Any] = {n: Input(Bits(w)) for n, w in ins}
    ports.update({n: Output(Bits(w)) for n, w in outs})
    ports["module_name"] = ram.name
    return type(ram.name, (Module,), ports)


def _mark_unused(signal: Any, name: str) -> None:
    """A wire `name` driven by `signal`, kept by its inner symbol and exempt from Verilator's
    UNUSEDSIGNAL by its name (default `--unused-regexp *unused*`): no logic, lint clean."""
    from pycde.circt.dialects import hw, sv

    wire = sv.WireOp(hw.InOutType.get(signal.value.type), name, sym_name=name)
    sv.AssignOp(wire.result, signal.value)
