"""Per kernel: software cycles, hardware cycles, transfer cycles and area, from the IR.

Every estimate is a weighted count of the operations the IR executes per call (see
`partition.ir_profile`); the weights are calibrated against the real tools by
`bench/calibrate_cost_model.py` and stored below. Hardware cycles prefer the Calyx
schedule's `estimated_cycles` when the hardware flow gives one; area comes from Yosys.

Each side counts in its own clock: software in CPU cycles at `Platform.cpu_mhz` (the RVV
timing model's cycles, sw_dialects/rvv_timing.py), hardware in accelerator cycles at
`Platform.clock_mhz`, transfers in bus cycles (the AXI4-Lite shell runs on the
accelerator's clock). Placements compare nanoseconds per call.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from partition.ir_profile import FunctionProfile
from unified.core.durations import cycles_to_ns, ns_to_cycles
from unified.core.kernels import Function
from unified.core.platform import Platform

# Modelled CPU cycles per operation executed at the software flow's vector level (after
# its vectorizer and short-loop unrolling; a vector op counts once): the RVV timing model
# (VLEN 128, DLEN 64) over qemu's instruction stream of one call, fitted by
# bench/calibrate_cost_model.py over the 20 kernels of examples/cnn.mlir and
# examples/kernels/ (non-negative least squares over operation groups, 2026-12-02; refit
# when the software flow or the timing model changes). Loop iterations fit to zero: their
# compare-and-branch hides behind the vector units. The set holds one float kernel only,
# too few to fit: floats weigh as ALU ops.
SW_WEIGHTS: dict[str, float] = {"load": 0.276, "store": 0.276, "alu": 2.142, "other": 2.142,
                                "mul": 0.751, "div": 0.751, "float": 2.142, "vector": 0.607,
                                "iter": 0.0, "call": 10.0, "alloc": 75.0}
SW_CALL_OVERHEAD = 23.6  # prologue, epilogue, vector set-up per call (fitted likewise)
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

    def sw_ns(self, platform: Platform) -> float:
        """Nanoseconds of one call in software (CPU cycles at `cpu_mhz`)."""
        return cycles_to_ns(self.sw_cycles, platform.cpu_mhz)

    def hw_ns(self, platform: Platform) -> float:
        """Nanoseconds of one call in hardware, go to done (accelerator cycles at `clock_mhz`)."""
        assert self.hw_cycles is not None
        return cycles_to_ns(self.hw_cycles, platform.clock_mhz)

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


def transfer(fn: Function, platform: Platform,
             copies: dict[int, int] | None = None) -> tuple[int, float]:
    """(bytes, bus cycles) one hardware call moves across the bus, as the C driver does it.

    The driver (hw_dialects/driver_c.py) writes every memref element into its scratchpad
    (into each copy of a replicated argument: `copies` by argument index) and reads every
    one back, one element per bus word, writes each scalar, starts the core and reads CTRL
    once done; each transaction costs `bus_cycles_per_beat`.
    """
    nbytes, beats = 0, CONTROL_TRANSACTIONS
    for arg in fn.args:
        if arg.kind == "memref":
            elements = math.prod(arg.shape)
            moves = (copies or {}).get(arg.index, 1) + 1
            nbytes += moves * elements * max(1, arg.bits // 8)
            beats += moves * elements
        else:
            nbytes += max(1, arg.bits // 8)
            beats += -(-arg.bits // platform.bus_width)
    return nbytes, float(beats * platform.bus_cycles_per_beat)


def luts_from_ir(prof: FunctionProfile, fn: Function) -> int:
    """A rough LUT count when Yosys figures are missing: control plus memory ports."""
    ports = sum(1 for a in fn.args if a.kind == "memref")
    return LUTS_BASE + LUTS_PER_MEMORY_PORT * ports + LUTS_PER_MUL * (prof.ops["mul"] > 0)


def no_hw_reason(prof: FunctionProfile, fn: Function, path: str) -> str | None:
    """Why this kernel cannot become hardware (floats, calls, unsupported ops), or None."""
    if prof.float_op is not None:
        op, (_, line, col) = prof.float_op
        return (f"uses floating point the hardware units do not cover ({op} at "
                f"{path}:{line}:{col}; f32 add, sub, mul, div, compare, max/min and i8-i32 "
                "conversions are covered)")
    if any(a.is_float and (a.element != "f32" or a.kind != "memref") for a in fn.args):
        return ("takes floating-point arguments other than f32 memrefs, which do not reach "
                "hardware in this flow")
    if prof.calls:
        return f"calls @{prof.calls[0].callee}; only leaf kernels become hardware"
    if fn.results:
        return "returns values; hardware kernels pass results through memref arguments"
    if prof.unsupported is not None:
        op, (_, line, col) = prof.unsupported
        return f"uses {op} ({path}:{line}:{col}), which the hardware flow does not take"
    return None


def estimate(fn: Function, prof: FunctionProfile, platform: Platform, path: str) -> KernelCost:
    """The IR-only cost of one kernel (schedule, area and simulation refine it later)."""
    nbytes, tcycles = transfer(fn, platform)
    reason = no_hw_reason(prof, fn, path)
    return KernelCost(
        kernel=fn.name,
        sw_cycles=sw_cycles(prof),
        hw_cycles=None if reason else hw_cycles(prof),
        transfer_cycles=tcycles,
        transfer_bytes=nbytes,
        luts=None if reason else luts_from_ir(prof, fn),
        no_hw_reason=reason,
    )
