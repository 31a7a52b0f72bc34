"""`unified fuzz`: a differential campaign of random kernels over the flows, with reduction.

    unified fuzz --count 200 --seed 1 --targets hw-O0,hw-O3,sw,rvv128 -j 2 --csv out.csv
    python -m unified.fuzz ...      (the same, until `unified fuzz` is wired in)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

TARGETS_HELP = ("comma-separated targets among hw-O0, hw-O1, hw-O2, hw-O3 (Verilator at that "
                "level), hw-rand (Verilator, -O level, --unroll 2|4, --banks 2|4 drawn from the "
                "kernel's seed, pipelining on), sw (the host), rvv128, rvv256, rvv512 "
                "(qemu-riscv64 at that vector length); 'all' for every one (default: all)")


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of `unified fuzz` (and of bench/fuzz.py)."""
    p.add_argument("--count", type=int, default=20, metavar="N",
                   help="how many kernels to generate and run (default 20)")
    p.add_argument("--seed", type=int, default=0, metavar="S",
                   help="campaign seed: kernel I gets its own seed from (S, I), so one kernel "
                   "reruns alone with --only I (default 0)")
    p.add_argument("--only", default=None, metavar="I[,J...]",
                   help="run only these kernel indices of the campaign (a failure's rerun)")
    p.add_argument("--targets", default="all", metavar="LIST", help=TARGETS_HELP)
    p.add_argument("--profile", choices=("basic", "full", "float", "layers"), default="full",
                   help="what kernels may hold: full (every integer op, casts i8..i64, calls, "
                   "scf.if/affine.if, iter_args, local buffers, steps), basic (i32 "
                   "add/sub/mul/bitwise/shift/min/max loops only) or float (f32 memrefs and "
                   "values with addf subf mulf divf maximumf minimumf negf cmpf select, "
                   "mixed with i8..i64 through sitofp uitofp and clamped fptosi fptoui, and "
                   "the full profile's control flow), or layers (full, and first a perfect "
                   "loop nest around one memory reduction, as a gemm or a convolution) "
                   "(default full)")
    p.add_argument("--without", default="", metavar="F[,G...]",
                   help="leave these features or ops out of the profile, e.g. "
                   "calls,allocs,divsi (features: casts index_cast scalars calls scf_if "
                   "affine_if iter_args allocs steps negative_strides pad_shapes exact_sw)")
    p.add_argument("-j", "--jobs", type=int, default=2, metavar="N",
                   help="kernels run in parallel in local processes (default 2)")
    p.add_argument("--ray", metavar="ADDRESS", default=None,
                   help="run the kernels as tasks on a Ray cluster (e.g. auto or "
                   "ray://head:10001) instead of the local pool; needs 'pip install ray'")
    p.add_argument("--csv", metavar="OUT.csv", default=None,
                   help="write seed,index,target,outcome,detail,seconds per kernel and target "
                   "(rows appended as kernels finish, sorted at the end)")
    p.add_argument("--reduce", metavar="DIR", default=None,
                   help="shrink each failing kernel (per target and failure) to a minimal "
                   "reproducer, print it and write DIR/<target>_s<seed>.mlir (its header names "
                   "the targets it fails on), .inputs.npz and .expected.npz (the reference's "
                   "outputs): a regression case for tests/fuzz/cases")
    p.add_argument("--reduce-budget", type=int, default=150, metavar="N",
                   help="at most N runs of the failing target per reduction (default 150)")
    p.add_argument("--cache-dir", metavar="DIR", default=None,
                   help="build cache for the campaign's kernels (default: a temporary folder, "
                   "removed at the end, so random kernels do not fill ~/.cache/unified)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress line per kernel")


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Adds the `fuzz` command to `unified`'s subparsers; returns its parser."""
    p = subparsers.add_parser(
        "fuzz", help="differential fuzzing of the flows on random integer or f32 kernels",
        description="Generate random affine kernels (seeded; integer, or f32 with --profile "
        "float), run each on the chosen "
        "targets and compare every memref argument bit for bit with an independent Python "
        "interpreter. Each target ends ok, mismatch, error (a flow error), unsupported (a "
        "construct the flow rejects by design) or crash (an unexpected exception). Exit code "
        "1 when any mismatch, error or crash was seen.")
    add_arguments(p)
    return p


def target_names(spec: str) -> list[str]:
    """The target list of --targets (validated)."""
    from unified.fuzz import targets

    names = list(targets.ALL_TARGETS) if spec == "all" else [t for t in spec.split(",") if t]
    for n in names:
        targets.parse_target(n)
    return names


def main(args: argparse.Namespace) -> int:
    """Runs the campaign `args` describe; 1 if any kernel failed on any target, else 0."""
    from unified.fuzz import runner, targets
    from unified.fuzz.generator import features

    try:
        names = target_names(args.targets)
        feats = features(args.profile, [w for w in args.without.split(",") if w])
        indices = ([int(i) for i in args.only.split(",")] if args.only
                   else list(range(args.count)))
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    if args.ray is not None:
        try:
            targets.import_ray()
        except targets.unified_error() as e:
            print(targets.render(e), file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory(prefix="unified-fuzz-cache-") as tmp_cache:
        cache = args.cache_dir or tmp_cache
        done = [0]

        if args.csv:
            runner.write_csv(args.csv, [])

        def progress(batch: list[runner.Row]) -> None:
            done[0] += 1
            if args.csv:
                runner.write_csv(args.csv, batch, append=True)
            if not args.quiet:
                print(runner.summary_line(done[0], len(indices), batch), file=sys.stderr,
                      flush=True)

        start = time.monotonic()
        rows = runner.campaign(args.seed, indices, names, feats, jobs=args.jobs,
                               ray_address=args.ray, cache_dir=cache, on_kernel=progress)
        wall = time.monotonic() - start
        if args.csv:
            runner.write_csv(args.csv, rows)  # again, sorted by kernel
        runner.print_summary(rows, wall)
        failing = [r for r in rows if r.outcome in runner.FAILURES]
        if args.reduce and failing:
            from unified.fuzz import reduce

            reduce.reduce_failures(failing, feats, Path(args.reduce), jobs=args.jobs,
                                   budget=args.reduce_budget, cache_dir=cache)
    return 1 if failing else 0


def run(argv: list[str] | None = None, prog: str = "unified fuzz") -> int:
    """Parses `argv` as `unified fuzz` options and runs the campaign."""
    p = argparse.ArgumentParser(prog=prog, description=__doc__.splitlines()[0])
    add_arguments(p)
    return main(p.parse_args(argv))
