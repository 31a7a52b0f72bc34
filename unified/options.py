"""Options the commands share: the hardware optimisation flags and the common switches."""

from __future__ import annotations

import argparse

from hls.opt_pipeline import HlsOptions
from unified.core.errors import UnifiedError

# The level a user should use: -O3 is 0.27x Vivado HLS's cycles at 1.79x its LUTs on the
# PolyBench bench (bench/hw_latency.py); -O0 (one state per operation) stays selectable.
DEFAULT_LEVEL = 3


def add_common(p: argparse.ArgumentParser) -> None:
    """The flags `compile`, `sim` and `fuzz` share: -O and its knobs, --entry, --vlen, --dlen,
    -q."""
    p.add_argument("-O", dest="opt_level", type=int, default=DEFAULT_LEVEL, choices=range(4),
                   metavar="N", help="hardware optimisation level 0-3 (default 3: reductions in "
                   "registers, budgeted unrolling, 8 memory banks, merged steps, pipelined inner "
                   "loops; 0 is one state per operation)")
    p.add_argument("--unroll", type=int, metavar="N",
                   help="hardware: unroll innermost loops by N instead of the level's choice")
    p.add_argument("--banks", type=int, metavar="N",
                   help="hardware: split memref arguments cyclically into N memories, one port "
                   "each, where every access's bank is known (default: 8 at -O3, else 1)")
    p.add_argument("--pipeline", choices=("on", "off"),
                   help="hardware: software-pipeline innermost loops on a static schedule "
                   "(default: on at -O3)")
    p.add_argument("--entry", default="main", help="the application's entry function (default main)")
    p.add_argument("--vlen", type=int, metavar="BITS",
                   help="RISC-V vector length in bits that the RVV code is built for and qemu runs "
                   "(default: the module's unified.platform vlen, else 128)")
    p.add_argument("--dlen", type=int, metavar="BITS",
                   help="bits the vector datapath handles a cycle, for the RVV timing model's "
                   "cycles (sim --target rvv, compile's software figures): an LMUL-8 instruction "
                   "takes 8 x VLEN/DLEN cycles (default: the platform's dlen for its VLEN, else "
                   "VLEN/2 as SiFive's X280)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress messages")


def hls_options(args: argparse.Namespace) -> HlsOptions:
    """The hardware optimisation options -O, --unroll, --banks and --pipeline ask for."""
    for flag, value in (("--unroll", args.unroll), ("--banks", args.banks)):
        if value is not None and value < 1:
            raise UnifiedError(f"{flag} {value}: the factor is at least 1", hint=f"e.g. {flag} 2")
    pipeline = None if args.pipeline is None else args.pipeline == "on"
    return HlsOptions(args.opt_level, args.unroll, args.banks, pipeline)
