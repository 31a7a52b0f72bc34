"""`unified_top` in PyCDE: an AXI4-Lite slave decoding the address to each accelerator's shell.

Runs inside the `pycde` worker. One transaction at a time per channel: a write is accepted
when AWVALID and WVALID are both high and no response is pending (AWREADY = WREADY = that
condition), answered with BVALID the next cycle; a read is accepted while no read data is
pending and answered with RVALID + RDATA the next cycle. Writes are full words (WSTRB is
ignored). An address outside every window answers DECERR (2'b11); reads there give 0.
Outputs `busy[i]` (accelerator i runs: go is high) and `irq[i]` (done and interrupt enable).

With a DMA engine in the register map (hw_dialects/dma.py) the top also has its registers in
the window after the last accelerator's, its AXI4 master port `m_axi_*` and `dma_busy`; while
a transfer runs, the engine drives the target shell's register port (AXI4-Lite accesses to
that shell then are not served: the driver polls the engine, not the shell).
"""

from __future__ import annotations

from typing import Any

from glue.register_map import RegisterMap
from hw_dialects.scratchpad import clog2

ADDR_WIDTH = 32
TOP = "unified_top"
# Cycles from the shell port's raddr to its rdata (accel_shell.py: one, a register behind
# each block RAM); the DMA engine addresses a word that many cycles ahead of sending it, and
# an AXI4-Lite read answers a cycle after its address handshake.
PORT_READ_LATENCY = 1


def _master_ports(width: int) -> dict[str, tuple[bool, int]]:
    """The AXI4 master port: name -> (is an output of the top, bits)."""
    return {"arvalid": (True, 1), "arready": (False, 1), "araddr": (True, 64), "arlen": (True, 8),
            "arsize": (True, 3), "arburst": (True, 2), "rvalid": (False, 1), "rready": (True, 1),
            "rdata": (False, width), "rresp": (False, 2), "rlast": (False, 1),
            "awvalid": (True, 1), "awready": (False, 1), "awaddr": (True, 64),
            "awlen": (True, 8), "awsize": (True, 3), "awburst": (True, 2),
            "wvalid": (True, 1), "wready": (False, 1), "wdata": (True, width),
            "wstrb": (True, width // 8), "wlast": (True, 1),
            "bvalid": (False, 1), "bready": (True, 1), "bresp": (False, 2)}


def top_module(rmap: RegisterMap, shells: list[Any], dma_fault: str = "") -> Any:
    """The PyCDE module `unified_top` over `shells` (one per accelerator of `rmap`, in order);
    `dma_fault` plants a protocol violation in the DMA engine (tests of the checker only)."""
    from pycde import Clock, Input, Module, Output, generator
    from pycde.constructs import Mux, Reg, Wire
    from pycde.signals import BitsSignal
    from pycde.types import Bits

    n = max(len(shells), 1)
    low = clog2(rmap.window)
    ports: dict[str, Any] = {
        "clk": Clock(), "reset": Input(Bits(1)),
        "s_axil_awvalid": Input(Bits(1)), "s_axil_awaddr": Input(Bits(ADDR_WIDTH)),
        "s_axil_awready": Output(Bits(1)),
        "s_axil_wvalid": Input(Bits(1)), "s_axil_wdata": Input(Bits(32)),
        "s_axil_wstrb": Input(Bits(4)), "s_axil_wready": Output(Bits(1)),
        "s_axil_bvalid": Output(Bits(1)), "s_axil_bresp": Output(Bits(2)),
        "s_axil_bready": Input(Bits(1)),
        "s_axil_arvalid": Input(Bits(1)), "s_axil_araddr": Input(Bits(ADDR_WIDTH)),
        "s_axil_arready": Output(Bits(1)),
        "s_axil_rvalid": Output(Bits(1)), "s_axil_rdata": Output(Bits(32)),
        "s_axil_rresp": Output(Bits(2)), "s_axil_rready": Input(Bits(1)),
        "busy": Output(Bits(n)), "irq": Output(Bits(n)),
    }
    aw = low - 2  # word address bits inside a window
    dma = None
    if rmap.dma is not None:
        from hw_dialects.dma import dma_module

        dma = dma_module(rmap.dma.width, aw, max(clog2(n), 1), PORT_READ_LATENCY, dma_fault)
        for name, (out, bits) in _master_ports(rmap.dma.width).items():
            ports[f"m_axi_{name}"] = Output(Bits(bits)) if out else Input(Bits(bits))
        ports["dma_busy"] = Output(Bits(1))

    def build(p: Any) -> None:
        one, zero = Bits(1)(1), Bits(1)(0)
        okay, decerr = Bits(2)(0), Bits(2)(3)

        def selects(addr: Any) -> list[Any]:
            page = addr[low:ADDR_WIDTH]
            return [page == Bits(ADDR_WIDTH - low)(a.base >> low) for a in rmap.accels]

        # Write channel.
        bvalid = Reg(Bits(1), p.clk, p.reset, 0, name="bvalid")
        bresp = Reg(Bits(2), p.clk, p.reset, 0, name="bresp")
        do_write = p.s_axil_awvalid & p.s_axil_wvalid & ~bvalid
        wsel = selects(p.s_axil_awaddr)
        wword = p.s_axil_awaddr[2:low]
        # Read channel.
        rvalid = Reg(Bits(1), p.clk, p.reset, 0, name="rvalid")
        rdata = Reg(Bits(32), p.clk, p.reset, 0, name="rdata")
        rresp = Reg(Bits(2), p.clk, p.reset, 0, name="rresp")
        reading = Reg(Bits(1), p.clk, p.reset, 0, name="reading")  # the shells answer now
        raddr = Reg(Bits(ADDR_WIDTH), p.clk, p.reset, 0, name="araddr_q")
        do_read = p.s_axil_arvalid & ~rvalid & ~reading
        rsel = selects(raddr)  # which window the word being answered is from
        rword = p.s_axil_araddr[2:low]  # the shells register the address themselves

        busy, irq = [], []
        read_value, read_hit = Bits(32)(0), zero
        engine = None
        if dma is not None:
            page = Bits(ADDR_WIDTH - low)(rmap.dma.base >> low)
            dma_write = p.s_axil_awaddr[low:ADDR_WIDTH] == page
            dma_read = raddr[low:ADDR_WIDTH] == page
            engine_rdata = Wire(Bits(32))
            masters = {f"m_axi_{k}": getattr(p, f"m_axi_{k}")
                       for k, (out, _) in _master_ports(rmap.dma.width).items() if not out}
            engine = dma(clk=p.clk, reset=p.reset, reg_wen=do_write & dma_write,
                         reg_waddr=wword[0:4], reg_wdata=p.s_axil_wdata,
                         reg_raddr=raddr[2:low][0:4],
                         port_rdata=engine_rdata, **masters, instance_name="dma")
            for k, (out, _) in _master_ports(rmap.dma.width).items():
                if out:
                    setattr(p, f"m_axi_{k}", getattr(engine, f"m_axi_{k}"))
            p.dma_busy = engine.busy
        port_rdata = []
        for i, (shell, ws, rs) in enumerate(zip(shells, wsel, rsel)):
            port = {"wen": do_write & ws, "waddr": wword, "wdata": p.s_axil_wdata, "raddr": rword}
            if engine is not None:  # the engine owns its target's port while it runs
                mine = engine.busy & (engine.accel == Bits(engine.accel.type.width)(i))
                port = {"wen": Mux(mine, port["wen"], engine.port_wen),
                        "waddr": Mux(mine, wword, engine.port_waddr),
                        "wdata": Mux(mine, p.s_axil_wdata, engine.port_wdata),
                        "raddr": Mux(mine, rword, engine.port_raddr)}
            inst = shell(clk=p.clk, reset=p.reset, **port)
            busy.append(inst.busy)
            irq.append(inst.irq)
            port_rdata.append(inst.rdata)
            read_value = Mux(rs, read_value, inst.rdata)
            read_hit = read_hit | rs
        write_hit = zero
        for ws in wsel:
            write_hit = write_hit | ws
        if engine is not None:
            target = Bits(32)(0)
            for i, value in enumerate(port_rdata):
                target = Mux(engine.accel == Bits(engine.accel.type.width)(i), target, value)
            engine_rdata.assign(target)
            read_value = Mux(dma_read, read_value, engine.reg_rdata)
            read_hit = read_hit | dma_read
            write_hit = write_hit | dma_write

        bvalid.assign(Mux(do_write, Mux(p.s_axil_bready, bvalid, zero), one))
        bresp.assign(Mux(do_write, bresp, Mux(write_hit, decerr, okay)))
        reading.assign(do_read)
        raddr.assign(Mux(do_read, raddr, p.s_axil_araddr))
        rvalid.assign(Mux(reading, Mux(p.s_axil_rready, rvalid, zero), one))
        rdata.assign(Mux(reading, rdata, read_value))
        rresp.assign(Mux(reading, rresp, Mux(read_hit, decerr, okay)))

        p.s_axil_awready = do_write
        p.s_axil_wready = do_write
        p.s_axil_bvalid = bvalid
        p.s_axil_bresp = bresp
        p.s_axil_arready = ~rvalid & ~reading
        p.s_axil_rvalid = rvalid
        p.s_axil_rdata = rdata
        p.s_axil_rresp = rresp
        msb_first = list(reversed(busy)) or [zero]
        p.busy = BitsSignal.concat(msb_first) if len(msb_first) > 1 else msb_first[0]
        msb_first = list(reversed(irq)) or [zero]
        p.irq = BitsSignal.concat(msb_first) if len(msb_first) > 1 else msb_first[0]

    ports["build"] = generator(build)
    ports["module_name"] = TOP
    return type(TOP, (Module,), ports)


def _plain_system(system: type) -> type:
    """PyCDE's System with registers lowered to `always @(posedge)`, not always_ff (its pass
    strings are format templates: braces doubled)."""
    seq_to_sv = "builtin.module(lower-seq-to-sv)"
    steps = [("builtin.module(lower-seq-to-sv{{lower-to-always-ff=false}})" if step == seq_to_sv
              else step) for step in system.FINAL_LOWERING_PASSES]
    assert seq_to_sv in system.FINAL_LOWERING_PASSES, "PyCDE's final passes changed"
    return type("PlainVerilogSystem", (system,), {"FINAL_LOWERING_PASSES": steps})


def generate(module: Any, rmap: RegisterMap, kernels: list[Any], plain_verilog: bool = False,
             dma_fault: str = "") -> dict[str, str]:
    """Builds the shells and the top with PyCDE; returns {"hw": MLIR, "files": {name: SV}}.
    `plain_verilog`: Verilog-2001 instead (registers in `always @`, CIRCT's 2001 options).

    Called through `worker("pycde").call(...)`; `module` (the worker's parsed input) is unused.
    """
    import tempfile
    from pathlib import Path

    from pycde import System
    from pycde.circt import export_split_verilog
    from pycde.circt.ir import StringAttr
    from pycde.circt.passmanager import PassManager

    from hw_dialects.accel_shell import shell_module

    memories: dict[tuple, Any] = {}  # scratchpad modules shared by shape
    shells = [shell_module(hw, rmap.accel(hw.kernel), rmap.window, memories) for hw in kernels]
    top = top_module(rmap, shells, dma_fault)
    with tempfile.TemporaryDirectory(prefix="unified-shell-") as tmp:
        system = (_plain_system(System) if plain_verilog else System)(
            [top], name=TOP, output_directory=tmp)
        system.generate()
        hw_text = str(system.mod)
        # No source-location comments; no `automatic logic` locals and no packed arrays (the
        # read-data mux of three or more accelerators and the DMA): Yosys 0.23 rejects both.
        options = ["locationInfoStyle=none,disallowLocalVariables,disallowPackedArrays"]
        if plain_verilog:
            from calyx_flow.export_sv import VERILOG_2001_OPTIONS

            options.append(VERILOG_2001_OPTIONS)
        system.mod.operation.attributes["circt.loweringOptions"] = StringAttr.get(
            ",".join(options), system.mod.context)
        system.run_passes()
        # the emitter honours disallowPackedArrays only after this pass rewrote the arrays
        PassManager.parse("builtin.module(hw.module(hw-legalize-modules))",
                          system.mod.context).run(system.mod.operation)
        out = Path(tmp) / "sv"
        export_split_verilog(system.mod, str(out))
        files = {f.name: f.read_text() for f in sorted(out.glob("*.sv"))}
    return {"hw": hw_text, "files": files}
