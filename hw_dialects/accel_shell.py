"""One accelerator's shell in PyCDE: control/status registers, scalar registers, scratchpads, core.

Runs inside the `pycde` worker. The shell talks to the bus through a simple register port
(`wen`/`waddr`/`wdata` for writes, `raddr` -> `rdata` one cycle later for reads, so that a
block RAM's word, out on the falling edge, lands in a register before any bus logic: the
half cycle after the edge holds a wire, not the read multiplexers; addresses are word
indexes inside the accelerator's window); `unified_top` turns AXI4-Lite into that port.
The core is an `hw.module.extern` of the core's SystemVerilog module: the generated Calyx core
or a hand-written `hw.module` with the same ports (clk, reset, go, done, in<arg>, ext_mem<n>_*).
"""

from __future__ import annotations

from typing import Any

from calyx_flow.artifacts import HwArtifacts
from glue.register_map import CTRL, CYCLES, AccelMap
from hw_dialects.scratchpad import clog2, scratchpad_module


def core_extern(hw: HwArtifacts) -> Any:
    """A PyCDE extern module with the core's ports, named as its SystemVerilog module."""
    from pycde import Input, Module, Output
    from pycde.types import Bits

    ports: dict[str, Any] = {
        hw.clock: Input(Bits(1)), hw.reset: Input(Bits(1)), hw.go: Input(Bits(1)),
        hw.done: Output(Bits(1)),
    }
    for s in hw.scalars:
        ports[s.port] = Input(Bits(s.width))
    for m in hw.memories:
        ports[f"{m.prefix}read_data"] = Input(Bits(m.data_width))
        ports[f"{m.prefix}done"] = Input(Bits(1))
        ports[f"{m.prefix}write_data"] = Output(Bits(m.data_width))
        ports[f"{m.prefix}write_en"] = Output(Bits(1))
        for d, aw in enumerate(m.addr_widths):
            ports[f"{m.prefix}addr{d}"] = Output(Bits(aw))
    ports["module_name"] = hw.top
    return type(f"{hw.top}_core", (Module,), ports)


def _memory(memories: dict[tuple, Any], m: Any) -> Any:
    """The scratchpad module for memories shaped like `m` (one per shape, shared)."""
    key = (m.shape, m.data_width, m.addr_widths, m.read_latency)
    if key not in memories:
        shape = "x".join(map(str, m.shape))
        addrs = "_".join(map(str, m.addr_widths))
        memories[key] = scratchpad_module(
            f"scratchpad_{shape}xi{m.data_width}_a{addrs}_l{m.read_latency}", m)
    return memories[key]


def shell_module(hw: HwArtifacts, amap: AccelMap, window: int,
                 memories: dict[tuple, Any] | None = None) -> Any:
    """The PyCDE module `<kernel>_shell` wrapping core `hw` at the offsets of `amap`.

    `memories` collects the scratchpad modules by shape, so that accelerators share them.
    """
    memories = memories if memories is not None else {}
    from pycde import Clock, Input, Module, Output, generator
    from pycde.constructs import Mux, Reg, Wire
    from pycde.signals import BitsSignal
    from pycde.types import Bits, UInt

    aw = clog2(window) - 2  # word address bits inside the window
    core = core_extern(hw)
    pads = {(p.arg_index, p.copy, p.bank): (p, _memory(memories, m)) for p in amap.scratchpads
            for m in hw.memories if (m.arg_index, m.copy, m.bank) == (p.arg_index, p.copy, p.bank)}
    ports: dict[str, Any] = {
        "clk": Clock(), "reset": Input(Bits(1)),
        "wen": Input(Bits(1)), "waddr": Input(Bits(aw)), "wdata": Input(Bits(32)),
        "raddr": Input(Bits(aw)), "rdata": Output(Bits(32)),
        "busy": Output(Bits(1)), "irq": Output(Bits(1)),
    }

    def word(offset: int) -> Any:
        return Bits(aw)(offset >> 2)

    def in_window(addr: Any, offset: int, span: int) -> Any:
        low = clog2(span) - 2  # word-index bits inside the scratchpad
        return addr[low:aw] == Bits(aw - low)(offset >> (low + 2))

    def build(p: Any) -> None:
        one, zero = Bits(1)(1), Bits(1)(0)
        ctrl_write = p.wen & (p.waddr == word(CTRL))
        busy = Reg(Bits(1), p.clk, p.reset, 0, name="busy")
        done = Reg(Bits(1), p.clk, p.reset, 0, name="done")
        ie = Reg(Bits(1), p.clk, p.reset, 0, name="irq_enable")
        cycles = Reg(Bits(32), p.clk, p.reset, 0, name="cycles")
        start = ctrl_write & p.wdata[0] & ~busy
        raddr = Reg(Bits(aw), p.clk, p.reset, 0, name="raddr_q")  # the word being read out
        raddr.assign(p.raddr)

        # Scalar registers: one bus word each, concatenated (low word first) for wide ones.
        scalar_values: dict[int, Any] = {}
        read_sources: list[tuple[Any, Any]] = []
        for s in amap.scalars:
            words = []
            for w in range(s.words):
                reg = Reg(Bits(32), p.clk, p.reset, 0, name=f"arg{s.arg_index}_w{w}")
                hit = p.wen & (p.waddr == word(s.offset + 4 * w))
                reg.assign(Mux(hit, reg, p.wdata))
                words.append(reg)
                read_sources.append((raddr == word(s.offset + 4 * w), reg))
            value = words[0] if len(words) == 1 else BitsSignal.concat(list(reversed(words)))
            scalar_values[s.arg_index] = value

        # Calyx cores stop in their FSM's exit state until reset: reset the core with every
        # start (the cycle before go rises), so each run begins from the entry state.
        core_inputs: dict[str, Any] = {hw.clock: p.clk.to_bit(), hw.reset: p.reset | start,
                                       hw.go: busy}
        for sp in hw.scalars:
            v = scalar_values[sp.arg_index]
            core_inputs[sp.port] = v.pad_or_truncate(sp.width)
        # Scratchpads and core feed each other: the core's memory outputs go through Wires.
        mem_wires: dict[tuple[int, int, int], dict[str, Any]] = {}  # (argument, copy, bank)
        for m in hw.memories:
            wires = {"write_data": Wire(Bits(m.data_width)), "write_en": Wire(Bits(1))}
            for d, w in enumerate(m.addr_widths):
                wires[f"addr{d}"] = Wire(Bits(w))
            mem_wires[m.arg_index, m.copy, m.bank] = wires
        for m in hw.memories:
            pad, cls = pads[m.arg_index, m.copy, m.bank]
            low = clog2(pad.span) - 2
            iw = max(clog2(pad.elements), 1)
            windex = p.waddr[0:low].pad_or_truncate(iw) if low else Bits(iw)(0)
            rindex = p.raddr[0:low].pad_or_truncate(iw) if low else Bits(iw)(0)
            inst = cls(clk=p.clk, reset=p.reset, idle=~busy,
                       bus_we=p.wen & in_window(p.waddr, pad.offset, pad.span),
                       bus_windex=windex, bus_wdata=p.wdata, bus_rindex=rindex,
                       **mem_wires[m.arg_index, m.copy, m.bank], instance_name=pad.name.lower())
            core_inputs[f"{m.prefix}read_data"] = inst.read_data
            core_inputs[f"{m.prefix}done"] = inst.done
            read_sources.append((in_window(raddr, pad.offset, pad.span), inst.bus_rdata))
        c = core(**core_inputs, instance_name="core")
        for m in hw.memories:
            for port, wire in mem_wires[m.arg_index, m.copy, m.bank].items():
                wire.assign(getattr(c, f"{m.prefix}{port}"))

        core_done = getattr(c, hw.done) & busy
        busy.assign(Mux(start, Mux(core_done, busy, zero), one))
        clear = ctrl_write & p.wdata[1]
        done.assign(Mux(start, Mux(core_done, Mux(clear, done, zero), one), zero))
        ie.assign(Mux(ctrl_write, ie, p.wdata[2]))
        count = (cycles.as_uint() + UInt(1)(1)).as_bits()[0:32]
        # Rising edges from go until done shows (the cycle done is high is not counted).
        cycles.assign(Mux(start, Mux(busy & ~core_done, cycles, count), Bits(32)(0)))

        status = BitsSignal.concat([Bits(29)(0), ie, done, busy])  # most significant first
        read_sources = [(raddr == word(CTRL), status), (raddr == word(CYCLES), cycles)] \
            + read_sources
        rdata = Bits(32)(0)
        for hit, value in reversed(read_sources):
            rdata = Mux(hit, rdata, value)
        p.rdata = rdata
        p.busy = busy
        p.irq = done & ie

    ports["build"] = generator(build)
    ports["module_name"] = f"{hw.kernel}_shell"
    return type(f"{hw.kernel}_shell", (Module,), ports)
