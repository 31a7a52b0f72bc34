"""`unified sim`: one function on hardware (Verilator), the host, RVV under qemu, or co-simulated."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from unified import options
from unified.core import sim_io, source
from unified.core.sim_io import SimResult


def run(src: source.Source, func: str, inputs: dict, target: str, *, opt_level: int = 0,
        vlen: int = 0, vcd: str | None = None, max_cycles: int = 100_000_000,
        entry: str = "main", progress: bool = False, dlen: int = 0) -> SimResult:
    """Runs @func of `src` on `target` with `inputs` (arg0, ...) and returns outputs + report.

    rvv: `vlen` and `dlen` (the RVV timing model's datapath) 0 take the platform's."""
    fn = src.function(func)
    checked = sim_io.check_inputs(fn, inputs, src.path)
    if target == "hw":
        from unified import hw_sim

        return hw_sim.simulate(src, func, checked, opt_level=opt_level, vcd=vcd,
                               max_cycles=max_cycles, progress=progress)
    if target in ("sw", "rvv"):
        from unified import sw_run

        return sw_run.simulate(src, func, checked, target=target, vlen=vlen, dlen=dlen)
    from unified import cosim

    return cosim.simulate(src, func, checked, opt_level=opt_level, vlen=vlen or 128,
                          max_cycles=max_cycles, progress=progress)


def main(args: argparse.Namespace) -> int:
    from unified.model_input import resolve

    src = source.read(resolve(args.input))
    inputs = sim_io.load_inputs(args.inputs) if args.inputs else {}
    result = run(src, args.func, inputs, args.target, opt_level=options.hls_options(args),
                 vlen=args.vlen or 0, dlen=args.dlen or 0,
                 vcd=args.vcd, max_cycles=args.max_cycles, entry=args.entry,
                 progress=not args.quiet)
    result.report.setdefault("target", args.target)
    result.report.setdefault("function", args.func)
    if args.outputs:
        sim_io.save_outputs(args.outputs, result.outputs)
    if args.report:
        Path(args.report).write_text(json.dumps(result.report, indent=2) + "\n")
    if not args.quiet:
        summary = ", ".join(f"{k}={v}" for k, v in result.report.items()
                            if isinstance(v, (int, float, str)))
        print(summary, file=sys.stderr)
    return 0

