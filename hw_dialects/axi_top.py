"""`unified_top` in PyCDE: an AXI4-Lite slave decoding the address to each accelerator's shell.

Runs inside the `pycde` worker. One transaction at a time per channel: a write is accepted
when AWVALID and WVALID are both high and no response is pending (AWREADY = WREADY = that
condition), answered with BVALID the next cycle; a read is accepted while no read data is
pending and answered with RVALID + RDATA the next cycle. Writes are full words (WSTRB is
ignored). An address outside every window answers DECERR (2'b11); reads there give 0.
Outputs `busy[i]` (accelerator i runs: go is high) and `irq[i]` (done and interrupt enable).
"""

from __future__ import annotations

from typing import Any

from glue.register_map import RegisterMap
from hw_dialects.scratchpad import clog2

ADDR_WIDTH = 32
TOP = "unified_top"


def top_module(rmap: RegisterMap, shells: list[Any]) -> Any:
    """The PyCDE module `unified_top` over `shells` (one per accelerator of `rmap`, in order)."""
    from pycde import Clock, Input, Module, Output, generator
    from pycde.constructs import Mux, Reg
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
        do_read = p.s_axil_arvalid & ~rvalid
        rsel = selects(p.s_axil_araddr)
        rword = p.s_axil_araddr[2:low]

        busy, irq = [], []
        read_value, read_hit = Bits(32)(0), zero
        for shell, ws, rs in zip(shells, wsel, rsel):
            inst = shell(clk=p.clk, reset=p.reset, wen=do_write & ws, waddr=wword,
                         wdata=p.s_axil_wdata, raddr=rword)
            busy.append(inst.busy)
            irq.append(inst.irq)
            read_value = Mux(rs, read_value, inst.rdata)
            read_hit = read_hit | rs
        write_hit = zero
        for ws in wsel:
            write_hit = write_hit | ws

        bvalid.assign(Mux(do_write, Mux(p.s_axil_bready, bvalid, zero), one))
        bresp.assign(Mux(do_write, bresp, Mux(write_hit, decerr, okay)))
        rvalid.assign(Mux(do_read, Mux(p.s_axil_rready, rvalid, zero), one))
        rdata.assign(Mux(do_read, rdata, read_value))
        rresp.assign(Mux(do_read, rresp, Mux(read_hit, decerr, okay)))

        p.s_axil_awready = do_write
        p.s_axil_wready = do_write
        p.s_axil_bvalid = bvalid
        p.s_axil_bresp = bresp
        p.s_axil_arready = ~rvalid
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


def generate(module: Any, rmap: RegisterMap, kernels: list[Any], plain_verilog: bool = False
             ) -> dict[str, str]:
    """Builds the shells and the top with PyCDE; returns {"hw": MLIR, "files": {name: SV}}.
    `plain_verilog`: Verilog-2001 instead (registers in `always @`, CIRCT's 2001 options).

    Called through `worker("pycde").call(...)`; `module` (the worker's parsed input) is unused.
    """
    import tempfile
    from pathlib import Path

    from pycde import System
    from pycde.circt import export_split_verilog
    from pycde.circt.ir import StringAttr

    from hw_dialects.accel_shell import shell_module

    memories: dict[tuple, Any] = {}  # scratchpad modules shared by shape
    shells = [shell_module(hw, rmap.accel(hw.kernel), rmap.window, memories) for hw in kernels]
    top = top_module(rmap, shells)
    with tempfile.TemporaryDirectory(prefix="unified-shell-") as tmp:
        system = (_plain_system(System) if plain_verilog else System)(
            [top], name=TOP, output_directory=tmp)
        system.generate()
        hw_text = str(system.mod)
        # No source-location comments; no `automatic logic` locals (Yosys 0.23 rejects them).
        options = ["locationInfoStyle=none,disallowLocalVariables"]
        if plain_verilog:
            from calyx_flow.export_sv import VERILOG_2001_OPTIONS

            options.append(VERILOG_2001_OPTIONS)
        system.mod.operation.attributes["circt.loweringOptions"] = StringAttr.get(
            ",".join(options), system.mod.context)
        system.run_passes()
        out = Path(tmp) / "sv"
        export_split_verilog(system.mod, str(out))
        files = {f.name: f.read_text() for f in sorted(out.glob("*.sv"))}
    return {"hw": hw_text, "files": files}
