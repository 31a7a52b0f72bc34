"""Measured figures for one kernel: exact hardware cycles (Verilator), RVV instructions (qemu).

The kernels of this flow have static loop bounds, so their cycle and instruction counts do
not depend on the data: a run on fixed pseudo-random inputs of the right shapes measures them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from unified.core.kernels import Function
from unified.core.source import Source


def sample_inputs(fn: Function, seed: int = 0) -> dict[str, np.ndarray]:
    """Pseudo-random inputs of `fn`'s argument shapes and types (small values, no overflow)."""
    rng = np.random.default_rng(seed)
    out = {}
    for arg in fn.args:
        if arg.is_float:
            out[arg.name] = rng.standard_normal(arg.shape).astype(arg.numpy_dtype)
        else:
            out[arg.name] = rng.integers(-8, 8, size=arg.shape).astype(arg.numpy_dtype)
    return out


def kernel_cycles(src: Source, kernel: str, *, opt_level: int = 0) -> dict[str, Any]:
    """{"cycles": go-to-done cycles in Verilator, "estimated_cycles": the schedule's figure}."""
    from unified import hw_sim

    fn = src.function(kernel)
    result = hw_sim.simulate(src, kernel, sample_inputs(fn), opt_level=opt_level)
    return {k: v for k, v in result.report.items() if k in ("cycles", "estimated_cycles")}


def kernel_rvv(src: Source, kernel: str, *, vlen: int = 128, dlen: int = 0) -> dict[str, int]:
    """{"instructions", "cycles"} of one call of `kernel` under qemu (RVV at `vlen` bits),
    cycles from the RVV timing model (sw_dialects.rvv_timing) at `dlen` (0: the platform's
    for this VLEN, else vlen/2)."""
    from unified import sw_run

    fn = src.function(kernel)
    result = sw_run.simulate(src, kernel, sample_inputs(fn), target="rvv", vlen=vlen, dlen=dlen)
    return {k: int(result.report[k]) for k in ("instructions", "cycles")}
