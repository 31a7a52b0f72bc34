"""Per kernel: software cycles, hardware cycles, transfer cycles and area, from the IR.

Every estimate is a weighted count of the operations the IR executes per call (see
`partition.ir_profile`); the weights are calibrated against the real tools by
`bench/calibrate_cost_model.py` and stored below. Hardware cycles prefer the Calyx
schedule's `estimated_cycles` when the hardware flow gives one; area comes from Yosys.

Each side counts in its own clock: software in CPU cycles at `Platform.cpu_mhz` (the RVV
timing model's cycles, sw_dialects/rvv_timing.py), hardware in accelerator cycles at
`Platform.clock_mhz`, transfers in bus cycles (the AXI4-Lite shell and the DMA engine run on
the accelerator's clock). Placements compare nanoseconds per call.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from partition.ir_profile import FunctionProfile
from unified.core.durations import cycles_to_ns, ns_to_cycles
from unified.core.kernels import Function
from unified.core.platform import REGISTER_BYTES, Platform, scratchpad_span

# Modelled CPU cycles per operation executed at the software flow's vector level (after
# its vectorizer and short-loop unrolling; a vector op counts once): the RVV timing model
# (VLEN 128, DLEN 64) over qemu's instruction stream of one call, fitted by
# bench/calibrate_cost_model.py over the 20 kernels of examples/cnn.mlir and
# examples/kernels/ (non-negative least squares over operation groups; refit 2026-12-02
# after the timing model learnt register dependences and in-order write-back: median error
# 38% -> 23%). The set holds one float kernel only, too few to fit (it fits to zero):
# floats weigh as ALU ops.
SW_WEIGHTS: dict[str, float] = {"load": 0.587, "store": 0.587, "alu": 0.351, "other": 0.351,
                                "mul": 1.076, "div": 1.076, "float": 0.351, "vector": 0.753,
                                "iter": 1.677, "call": 10.0, "alloc": 71.4}
SW_CALL_OVERHEAD = 33.2  # prologue, epilogue, vector set-up per call (fitted likewise)
# "alloc" (memref.alloc/dealloc: malloc/free in libc) is measured apart by the same bench
# on the CNN's @main, the one entry of the set that allocates.

# Accelerator cycles (go to done) per executed operation at -O0, fitted by the same bench
# against Verilator (12 kernels, each within 22%): a memory access takes its group's
# cycles, combinational ALU ops share their group's cycle, a loop iteration pays the
# FSM's compare-and-branch states of the scf.while the flow builds.
HW_WEIGHTS: dict[str, float] = {"load": 1.591, "store": 1.591, "alu": 0.0, "other": 0.0,
                                "mul": 1.567, "div": 1.567, "float": 0.0, "vector": 0.0, "iter": 12.116,
                                "call": 0.0, "alloc": 0.0}
HW_START_CYCLES = 0.0  # fitted: go to the first state and the last state to done are free

# Bus transactions per hardware call beyond the data: write CTRL to start, read it done.
CONTROL_TRANSACTIONS = 2
# Cycles an AXI4-Lite read of a data word takes beyond a write: the shell answers a read a
# cycle after its address (hw_dialects/axi_top.py PORT_READ_LATENCY: a register behind
# each block RAM).
SHELL_READ_CYCLES = 1
# The DMA engine (hw_dialects/dma.py, driven by glue/driver_c.py): seven register writes
# program a transfer; a burst costs its address handshake and the engine's turn-around
# after the last beat besides the memory's latency (Platform.dma_latency).
DMA_PROGRAM_WRITES = 7
DMA_BURST_SETUP = 2
DMA_MAX_BEATS = 256

# Area estimate when Yosys is not available: LUTs per distinct operation kind used.
LUTS_BASE = 150
LUTS_PER_MEMORY_PORT = 40
LUTS_PER_MUL = 0  # a DSP block


@dataclass
class KernelCost:
    """The cost model's view of one kernel (cycles are per call)."""

    kernel: str
    sw_cycles: float
    hw_cycles: float | None  # None: cannot be hardware
    transfer_cycles: float
    transfer_bytes: int
    luts: int | None = None
    area: dict[str, int] | None = None  # cells, luts, ffs, dsps, latches from Yosys
    hw_source: str = "ir"  # where hw_cycles came from: "ir", "schedule" or "simulation"
    no_hw_reason: str | None = None  # why it cannot be hardware
    fmax_mhz: float | None = None  # the core's placed-and-routed clock (--timing), else clock_mhz

    def sw_ns(self, platform: Platform) -> float:
        """Nanoseconds of one call in software (CPU cycles at `cpu_mhz`)."""
        return cycles_to_ns(self.sw_cycles, platform.cpu_mhz)

    def hw_ns(self, platform: Platform) -> float:
        """Nanoseconds of one call in hardware, go to done (accelerator cycles at the core's
        Fmax when place and route gave one, else at `clock_mhz`)."""
        assert self.hw_cycles is not None
        return cycles_to_ns(self.hw_cycles, self.fmax_mhz or platform.clock_mhz)

    def transfer_ns(self, platform: Platform) -> float:
        """Nanoseconds of one hardware call's bus traffic (bus cycles at the accelerator clock)."""
        return cycles_to_ns(self.transfer_cycles, platform.clock_mhz)

    def hw_total_ns(self, platform: Platform) -> float:
        """Nanoseconds of one call in hardware with its transfer."""
        return self.hw_ns(platform) + self.transfer_ns(platform)

    def hw_total(self, platform: Platform) -> float:
        """One call in hardware with its transfer, in CPU cycles (at `cpu_mhz`)."""
        return ns_to_cycles(self.hw_total_ns(platform), platform.cpu_mhz)


def sw_cycles(prof: FunctionProfile) -> float:
    """Estimated CPU cycles of one call in software, from the weighted op counts."""
    return SW_CALL_OVERHEAD + sum(SW_WEIGHTS[k] * n for k, n in prof.ops.items())


def hw_cycles(prof: FunctionProfile) -> float:
    """Estimated accelerator cycles (go to done) of one call, from the weighted op counts."""
    return HW_START_CYCLES + sum(HW_WEIGHTS[k] * n for k, n in prof.ops.items())


def transfer(fn: Function, platform: Platform, copies: dict[int, int] | None = None,
             banks: dict[int, int] | None = None) -> tuple[int, float]:
    """(bytes, bus cycles) one hardware call moves across the bus, as the C driver does it.

    The driver (glue/driver_c.py) fills every scratchpad of a memref (each of its `banks`, in
    each of its `copies`, by argument index), reads copy 0 back unless the kernel only loads it, writes each scalar, starts
    the core and reads CTRL once done. A scratchpad moves in one DMA transfer
    (`dma_transfer_cycles`) when the platform has the engine and that is cheaper, else one
    AXI4-Lite transaction per element, each costing `bus_cycles_per_beat` (a read
    `SHELL_READ_CYCLES` more).
    """
    nbytes, writes, reads, cycles = 0, CONTROL_TRANSACTIONS, 0, 0.0
    for arg in fn.args:
        if arg.kind == "memref":
            elements = math.prod(arg.shape)
            fills = (copies or {}).get(arg.index, 1)
            back = 0 if arg.read_only else 1
            nbytes += (fills + back) * elements * max(1, arg.bits // 8)
            parts = (banks or {}).get(arg.index, 1)
            words = -(-elements // parts)
            if uses_dma(words, platform):
                cycles += (fills + back) * parts * dma_transfer_cycles(words, platform)
            else:
                writes += fills * parts * words
                reads += back * parts * words
        else:
            nbytes += max(1, arg.bits // 8)
            writes += -(-arg.bits // platform.bus_width)
    return nbytes, cycles + lite_cycles(writes, reads, platform)


def lite_cycles(writes: int, reads: int, platform: Platform) -> float:
    """Bus cycles of AXI4-Lite transactions: `reads` are data words read back, a cycle
    longer each; `writes` the rest (polls count as writes: their answer's extra cycle
    overlaps the run or the transfer they wait for)."""
    return (writes + reads) * platform.bus_cycles_per_beat + reads * SHELL_READ_CYCLES


def dma_bursts(words: int, platform: Platform) -> int:
    """AXI4 bursts the DMA engine takes for `words` 32-bit words (at most 256 beats and 4 KiB
    each; a buffer that starts on a page crosses no boundary it could avoid)."""
    beat_bytes = platform.dma_width // 8
    beats = -(-words * 4 // beat_bytes)
    return -(-beats // min(DMA_MAX_BEATS, 4096 // beat_bytes))


def dma_transfer_cycles(words: int, platform: Platform) -> float:
    """Bus cycles of one DMA transfer of `words` words, as the driver sees it: its register
    writes, each burst's set-up (address handshake, memory latency, the engine's turn-around)
    plus one word a cycle (the shell's register port takes one 32-bit word a cycle, so a
    64-bit beat takes two), and the poll that sees it done."""
    setup = DMA_BURST_SETUP + platform.dma_latency
    return dma_bursts(words, platform) * setup + words + \
        lite_cycles(DMA_PROGRAM_WRITES + 1, 0, platform)


def uses_dma(words: int, platform: Platform) -> bool:
    """Whether the driver moves a scratchpad of `words` words with the DMA engine: when the
    platform has one and a transfer costs less than `words` AXI4-Lite transactions."""
    return platform.dma and dma_transfer_cycles(words, platform) < \
        words * platform.bus_cycles_per_beat


def dma_min_words(platform: Platform) -> int:
    """The smallest scratchpad the driver moves with the DMA engine (0: it never does)."""
    return next((n for n in range(1, 1 << 16) if uses_dma(n, platform)), 0) if platform.dma \
        else 0


def luts_from_ir(prof: FunctionProfile, fn: Function) -> int:
    """A rough LUT count when Yosys figures are missing: control plus memory ports."""
    ports = sum(1 for a in fn.args if a.kind == "memref")
    return LUTS_BASE + LUTS_PER_MEMORY_PORT * ports + LUTS_PER_MUL * (prof.ops["mul"] > 0)


def no_hw_reason(prof: FunctionProfile, fn: Function, path: str) -> str | None:
    """Why this kernel cannot become hardware (floats, calls, unsupported ops), or None."""
    if prof.float_op is not None:
        op, loc = prof.float_op
        return (f"uses floating point the hardware units do not cover ({op} at "
                f"{_where(path, loc)}; f32 add, sub, mul, div, compare, max/min and i8-i32 "
                "conversions are covered)")
    if any(a.is_float and (a.element != "f32" or a.kind != "memref") for a in fn.args):
        return ("takes floating-point arguments other than f32 memrefs, which do not reach "
                "hardware in this flow")
    if prof.calls:
        return f"calls @{prof.calls[0].callee}; only leaf kernels become hardware"
    if fn.results:
        return "returns values; hardware kernels pass results through memref arguments"
    if prof.unsupported is not None:
        op, loc = prof.unsupported
        return f"uses {op} ({_where(path, loc)}), which the hardware flow does not take"
    return None


def _where(path: str, loc: tuple[str, int, int]) -> str:
    """`path:line:col`, or the op's name where it has no line (an imported model's node)."""
    name, line, col = loc
    if line:
        return f"{path}:{line}:{col}"
    return f"node '{name}' of {path}" if name and name != path else path


def memory_reason(fn: Function, platform: Platform) -> str | None:
    """Why the kernel's memrefs do not fit on chip (the budget, or the MMIO window its
    scratchpads are mapped into, each rounded up to a power of two of words), or None."""
    memrefs = [a for a in fn.args if a.kind == "memref" and all(d > 0 for d in a.shape)]
    nbytes = sum(math.prod(a.shape) * max(1, a.bits // 8) for a in memrefs)
    if nbytes > platform.onchip_memory_bytes:
        return (f"has {nbytes:,} bytes of memrefs, more than the on-chip memory budget "
                f"({platform.onchip_memory_bytes:,} bytes, onchip_memory_bytes), and could "
                "not be tiled")
    window = REGISTER_BYTES + sum(scratchpad_span(math.prod(a.shape)) for a in memrefs)
    if window > platform.window:
        return (f"needs 0x{window:x} bytes of MMIO space for its scratchpads, more than the "
                f"platform's window (0x{platform.window:x})")
    return None


def estimate(fn: Function, prof: FunctionProfile, platform: Platform, path: str) -> KernelCost:
    """The IR-only cost of one kernel (schedule, area and simulation refine it later)."""
    nbytes, tcycles = transfer(fn, platform)
    reason = no_hw_reason(prof, fn, path) or memory_reason(fn, platform)
    return KernelCost(
        kernel=fn.name,
        sw_cycles=sw_cycles(prof),
        hw_cycles=None if reason else hw_cycles(prof),
        transfer_cycles=tcycles,
        transfer_bytes=nbytes,
        luts=None if reason else luts_from_ir(prof, fn),
        no_hw_reason=reason,
    )
