"""`unified sim --target hw`: one kernel compiled to SystemVerilog and run in Verilator.

The kernel is compiled once per (source, function, -O level) and its Verilator model once
per SystemVerilog text (both cached by content), so repeated runs only load new inputs.
"""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

import numpy as np

from calyx_flow import verilator_model
from hls.opt_pipeline import HlsOptions, hls_options
from unified.core.errors import SimulationError
from unified.core.progress import Progress
from unified.core.sim_io import SimResult
from unified.core.source import Source
from unified.kernel_cache import compile_cached


def simulate(src: Source, func: str, inputs: dict[str, np.ndarray], *,
             opt_level: int | HlsOptions = 0,
             vcd: str | Path | None = None, max_cycles: int = 10_000_000,
             progress: bool = False) -> SimResult:
    """Runs @func of `src` in hardware on checked `inputs` (arg0, ...; see unified.sim_io).

    Outputs hold every memref argument after the run; the report the exact cycle count
    from go to done, `target` "hw" and `kernel` (and, with banking on, `memories`: how each
    memref argument is held).
    """
    fn = src.function(func)
    art = compile_cached(src.text, func, opt_level=opt_level, path=src.path)
    model = verilator_model.build(art, trace=vcd is not None)
    # A banked argument goes in as its banks (one memory each) and comes back joined.
    memories = [inputs[f"arg{p.arg_index}"][p.region()] for p in art.memories]
    scalars = [int(np.asarray(inputs[f"arg{s.arg_index}"])) for s in art.scalars]
    try:
        with Progress(f"simulating @{func} in Verilator") if progress else nullcontext():
            run = model.run(memories, scalars, max_cycles=max_cycles, vcd=vcd)
    except SimulationError as e:
        e.loc = src.loc(fn.loc)
        raise
    outputs: dict[str, np.ndarray] = {}
    for arg in fn.args:
        if arg.kind != "memref":
            continue
        # An argument the core has no ports for is never touched: it comes back as it went in.
        value = np.array(inputs[arg.name], dtype=arg.numpy_dtype).reshape(arg.shape)
        for port, memory in zip(art.memories, run.memories):
            if port.arg_index == arg.index and port.copy == 0:  # copies are read-only
                value[port.region()] = np.asarray(memory).astype(arg.numpy_dtype)
        outputs[arg.name] = value
    report = {"cycles": run.cycles, "target": "hw", "kernel": func}
    if art.estimated_cycles is not None:
        report["estimated_cycles"] = art.estimated_cycles
    if art.loops:
        report["loops"] = art.loops  # line, trips, initiation interval in cycles
    if hls_options(opt_level).bank_factor > 1:
        report["memories"] = art.banking()  # which arguments were banked, and how
    return SimResult(outputs, report)
