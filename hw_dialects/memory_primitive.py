"""The one memory primitive: a Verilog-2001 RAM that Yosys infers as LUT-RAM or block RAM.

`reg [W-1:0] mem [0:D-1]`, one write port (written on the rising edge when `we` is high)
and N read ports. A small memory reads asynchronously (`rdata = mem[raddr]`: distributed
RAM, `synth_xilinx` RAM32M/RAM64M/RAM64X1D..., `synth_ecp5` TRELLIS_DPR16X4); a memory of
`BLOCK_FROM_BITS` bits or more is a block RAM (RAMB18/RAMB36, DP16KD) whose read port is
synchronous but clocked on the falling edge: `rdata` is registered in the middle of the
cycle the address is presented in, so the core still sees its data in that cycle and every
schedule, cycle count and port protocol stays what it is with asynchronous reads. What it
costs is time, not cycles: the address must settle in the first half of the cycle and the
data is used in the second, which place and route measures (`unified compile --timing`).
Only memories of fewer than `REGISTER_BELOW` words, i.e. one word, are registers
(`(* ram_style = "registers" *)`): measured with Yosys 0.23 `synth_xilinx` for 32 bits and
one read port, 2 words cost 34 LUTs + 64 FFs as registers and 24 LUT sites as RAM32M, 4
words 36 LUTs + 128 FFs against the same 24 sites. `BLOCK_FROM_BITS` is 256 bits, 8 words of
32 bits: the size of one bank of an 8x8 i32 array in 8 banks (-O3), so PolyBench 8x8's banks
are block RAM as Vivado HLS makes partitioned arrays; a smaller memory costs at most 24 LUT
sites as LUT-RAM. The text comes from a template (CIRCT arrays are what Yosys 0.23 cannot
read); `attach` puts it in the module being built as an `sv.verbatim` with its own output
file, so that `export_split_verilog` writes it beside the modules that instantiate it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

REGISTER_BELOW = 2  # words; below this, registers (see the module docstring)
BLOCK_FROM_BITS = 256  # from this size on, block RAM read on the falling edge

_TEMPLATE = """\
// {name}: {depth} x {width}-bit RAM, one write port, {ports} {kind} read port(s).
module {name} (
  input wire clk,
  input wire we,
  input wire [{aw1}:0] waddr,
  input wire [{w1}:0] wdata,
{read_ports}
);
  {style}reg [{w1}:0] mem [0:{d1}];
  always @(posedge clk) begin
    if (we) mem[waddr] <= wdata;
  end
{block}{asynchronous}endmodule
"""


@dataclass(frozen=True)
class Ram:
    """A RAM of `depth` words of `width` bits with `read_ports` read ports."""

    width: int
    depth: int
    read_ports: int = 1
    block: bool = False  # read ports registered on the falling edge: block RAM

    @staticmethod
    def sized(width: int, depth: int) -> Ram:
        """The RAM of `depth` words of `width` bits, block RAM from `BLOCK_FROM_BITS` on."""
        return Ram(width, depth, block=width * depth >= BLOCK_FROM_BITS)

    @property
    def name(self) -> str:
        kind = "b" if self.block else "a"
        return f"unified_ram_{self.depth}x{self.width}_r{self.read_ports}{kind}"

    @property
    def file_name(self) -> str:
        return f"{self.name}.sv"

    @property
    def addr_width(self) -> int:
        """Bits of `waddr` and `raddr<i>` (at least 1)."""
        return max(1, (self.depth - 1).bit_length())

    def ports(self) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
        """(inputs, outputs) as (name, width), in the module's port order."""
        ins = [("clk", 1), ("we", 1), ("waddr", self.addr_width), ("wdata", self.width)]
        ins += [(f"raddr{i}", self.addr_width) for i in range(self.read_ports)]
        return ins, [(f"rdata{i}", self.width) for i in range(self.read_ports)]

    def verilog(self) -> str:
        """The module's Verilog-2001 text."""
        out = "output reg" if self.block else "output wire"
        reads = [f"  input wire [{self.addr_width - 1}:0] raddr{i},\n"
                 f"  {out} [{self.width - 1}:0] rdata{i}" for i in range(self.read_ports)]
        indexes = range(self.read_ports)
        block = "  always @(negedge clk) begin\n" + "".join(
            f"    rdata{i} <= mem[raddr{i}];\n" for i in indexes) + "  end\n"
        asynchronous = "".join(f"  assign rdata{i} = mem[raddr{i}];\n" for i in indexes)
        return _TEMPLATE.format(
            name=self.name, depth=self.depth, width=self.width, ports=self.read_ports,
            kind="block (falling-edge)" if self.block else "asynchronous",
            aw1=self.addr_width - 1, w1=self.width - 1, d1=self.depth - 1,
            read_ports=",\n".join(reads),
            style=self._style(),
            block=block if self.block else "",
            asynchronous="" if self.block else asynchronous)


    def _style(self) -> str:
        """The `ram_style` attribute that holds Yosys to the kind chosen here (left alone,
        `synth_xilinx` puts a small synchronous RAM in LUT-RAM and output registers)."""
        if self.depth < REGISTER_BELOW:
            return '(* ram_style = "registers" *) '
        return '(* ram_style = "block" *) ' if self.block else ""


def attach(ram: Ram, top_block: Any) -> None:
    """Adds `ram`'s text to the builtin module body `top_block` as a top-level `sv.verbatim`
    in its own output file (once: a second call for the same RAM does nothing)."""
    from unified.core import mlir

    ir, hw, sv = mlir.ir, mlir.dialect("hw"), mlir.dialect("sv")
    for op in top_block.operations:
        op = op.operation
        if op.name == "sv.verbatim" and "output_file" in op.attributes \
                and ram.file_name in str(op.attributes["output_file"]):
            return
    with ir.InsertionPoint(top_block):
        verbatim = sv.VerbatimOp(ram.verilog(), [])
    verbatim.operation.attributes["output_file"] = hw.OutputFileAttr.get_from_filename(
        ir.StringAttr.get(ram.file_name), False, False)
