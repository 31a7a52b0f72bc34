"""`unified dse`: design-space exploration of one kernel, every point measured for real.

Hardware points (an -O level, unroll factor, memory banks, loop pipelining) give Verilator
cycles and Yosys LUTs; software points (VLEN, LMUL, loop tiling) give qemu instruction
counts. Every point also runs the kernel on the host on the same pseudo-random inputs and
records whether its outputs agree; a point the flow cannot build is a row with its error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from unified.core.errors import UnifiedError
from unified.dse.points import Result, space
from unified.dse.runner import import_ray, run_points


def _int_list(text: str) -> list[int]:
    if text.strip().lower() in ("", "none"):
        return []
    try:
        return [int(x) for x in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a comma-separated list of "
                                         "integers (or 'none')") from None


def _unroll_list(text: str) -> list[int | None]:
    """`auto` (the level's factor) or integers, comma-separated."""
    values = [x.strip().lower() for x in text.split(",")]
    return [None if x == "auto" else _int_list(x)[0] for x in values if x]


def _switch_list(text: str) -> list[bool | None]:
    """`on`, `off` or `auto` (the level's choice), comma-separated."""
    meaning = {"on": True, "off": False, "auto": None}
    values = [x.strip().lower() for x in text.split(",") if x.strip()]
    bad = [x for x in values if x not in meaning]
    if bad or not values:
        raise argparse.ArgumentTypeError(f"'{text}' is not a comma-separated list of on, off "
                                         "and auto")
    return [meaning[x] for x in values]


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of `unified dse` (each explained in --help)."""
    p.add_argument("input", help="the MLIR module holding the kernel")
    p.add_argument("--func", required=True, metavar="NAME", help="the kernel function to explore")
    p.add_argument("--opt-levels", type=_int_list, default=[0, 1, 2, 3], metavar="LIST",
                   help="hardware points: comma-separated -O levels 0-3 (-O2/-O3 unroll "
                   "innermost loops by 2/8), or 'none' for no hardware (default 0,1,2,3)")
    p.add_argument("--unroll", type=_unroll_list, default=[None], metavar="LIST",
                   help="hardware: innermost-loop unroll factors, e.g. 1,2,4,8; 'auto' is the "
                   "level's choice; each -O level is run with each (default auto)")
    p.add_argument("--banks", type=_unroll_list, default=[None], metavar="LIST",
                   help="hardware: memory banks per memref argument, e.g. 1,2,4; 'auto' is the "
                   "level's choice (8 at -O3, else 1; default auto)")
    p.add_argument("--pipeline", type=_switch_list, default=[None], metavar="LIST",
                   help="hardware: loop pipelining, e.g. off,on; 'auto' is the level's choice "
                   "(default auto)")
    p.add_argument("--vlens", type=_int_list, default=[128, 256, 512], metavar="LIST",
                   help="software points: RISC-V vector lengths in bits, or 'none' for no "
                   "software (default 128,256,512)")
    p.add_argument("--lmuls", type=_int_list, default=[0], metavar="LIST",
                   help="software points: vector register grouping (LMUL) 1,2,4,8 or 0 for "
                   "the vectorizer's choice; each VLEN is run with each LMUL (default 0)")
    p.add_argument("--tiles", type=_int_list, default=[0], metavar="LIST",
                   help="software: loop tile sizes, in iterations of the vectorized loop nest "
                   "(whole vectors along the vectorized loop); 0 for untiled; nests whose "
                   "iterations depend on each other stay untiled; e.g. 0,2,4 (default 0)")
    p.add_argument("--jobs", "-j", type=int, default=2, metavar="N",
                   help="points measured at once in the local process pool (default 2)")
    p.add_argument("--ray", metavar="ADDRESS",
                   help="run the points as tasks on the existing Ray cluster at ADDRESS "
                   "(e.g. auto or ray://head:10001) instead of the local pool; needs "
                   "'pip install ray'")
    p.add_argument("--optuna", type=int, metavar="N",
                   help="measure only about N points chosen by Optuna's multi-objective NSGA-II "
                   "(hardware: cycles, LUTs; software: instructions, VLEN) instead of the full "
                   "sweep; needs 'pip install optuna'")
    p.add_argument("--csv", metavar="OUT.csv",
                   help="write one row per point: kind, opt_level, unroll, banks, pipeline, "
                   "vlen, lmul, tile, cycles, luts, instructions, correct, error, same_as, seconds")
    p.add_argument("--plot", metavar="OUT.png",
                   help="write a Pareto plot: hardware cycles vs LUTs (front highlighted) and "
                   "software instructions vs VLEN")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress line per point")


def check_axes(args: argparse.Namespace) -> None:
    """Raises a UnifiedError naming the first axis value the flows do not have."""
    bad = [o for o in args.opt_levels if o not in range(4)]
    if bad:
        raise UnifiedError(f"no hardware level -O{bad[0]}", hint="use levels 0-3")
    for flag, values in (("--unroll", [u for u in args.unroll if u is not None]),
                         ("--banks", [b for b in args.banks if b is not None])):
        if any(v < 1 for v in values):
            raise UnifiedError(f"every {flag} factor must be at least 1", hint=f"e.g. {flag} 1,2,4")
    if any(v < 64 or v & (v - 1) for v in args.vlens):
        raise UnifiedError("every VLEN must be a power of two of at least 64",
                           hint="e.g. --vlens 128,256,512")
    if any(m not in (0, 1, 2, 4, 8) for m in args.lmuls):
        raise UnifiedError("LMUL must be one of 0 (auto), 1, 2, 4, 8", hint="e.g. --lmuls 0,4")
    if any(t < 0 for t in args.tiles):
        raise UnifiedError("a tile size is 0 (untiled) or positive", hint="e.g. --tiles 0,2,4")


def main(args: argparse.Namespace) -> int:
    """Runs `unified dse`: measure, write CSV/PNG, print the fronts and the failed points.
    Exit 1 if a point computes wrong outputs or no point could be measured."""
    from unified.core import source
    from unified.dse import report as dse_report

    check_axes(args)
    src = source.read(args.input)
    src.function(args.func)
    points = space(args.opt_levels, args.vlens, args.lmuls, unrolls=args.unroll,
                   banks=args.banks, pipelines=args.pipeline, tiles=args.tiles)
    if not points:
        raise UnifiedError("the design space is empty", hint="give --opt-levels or --vlens")
    if args.ray is not None:
        import_ray()

    def progress(result: Result, done: int, total: int) -> None:
        if not args.quiet:
            print(f"[{done}/{total}] {dse_report.describe(result)}", file=sys.stderr, flush=True)

    if args.optuna:
        from unified.dse.optuna_search import optuna_search

        results = optuna_search(src, args.func, points, args.optuna, jobs=args.jobs,
                                ray_address=args.ray, progress=progress)
    else:
        results = run_points(src, args.func, points, jobs=args.jobs, ray_address=args.ray,
                             progress=progress)
    if args.csv:
        dse_report.write_csv(args.csv, results)
    if args.plot:
        dse_report.plot(args.plot, results, title=f"@{args.func} ({Path(args.input).name})")
    print(dse_report.front_table(results))
    failed = dse_report.failed_table(results)
    if failed:
        print(failed)
    wrong = [r.point.label() for r in results if not r.correct and not r.error]
    if wrong:
        print(f"error: outputs differ from the host's for {', '.join(wrong)}", file=sys.stderr)
        return 1
    if all(r.error for r in results):
        print("error: no point of the space could be measured (see 'failed' above)",
              file=sys.stderr)
        return 1
    return 0
