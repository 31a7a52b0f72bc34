"""`unified dse`: design-space exploration of one kernel, every point measured for real.

Hardware points (an -O level, unroll factor, memory banks, loop pipelining) give Verilator
cycles and Yosys LUTs; software points (VLEN, LMUL, loop tiling) give qemu instruction
counts. Every point also runs the kernel on the host on the same pseudo-random inputs and
records whether its outputs agree; a point the flow cannot build is a row with its error.
A point's result is cached by content (source, function, point, compiler code and tools).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import importlib
import itertools
import json
import multiprocessing
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from unified import cache, tools
from unified.errors import UnifiedError
from unified.source import Source

if TYPE_CHECKING:
    from hls.opt_pipeline import HlsOptions

# The pass each hardware knob needs in the flow; a point asking for it fails until it is there.
KNOB_PASSES = {"banks": "hls-bank-memories", "pipeline": "hls-pipeline-loops"}


@dataclasses.dataclass(frozen=True)
class Point:
    """One design choice: hardware at -O`opt_level` with its knobs (None: the level decides),
    or software at `vlen` bits, `lmul` (0: the vectorizer chooses) and `tile` (0: untiled)."""

    kind: str  # "hw" or "sw"
    opt_level: int = 0
    unroll: int | None = None
    banks: int | None = None
    pipeline: bool | None = None
    vlen: int = 0
    lmul: int = 0
    tile: int = 0

    def hls(self) -> HlsOptions:
        """The hardware flow's options for this point."""
        from hls.opt_pipeline import HlsOptions

        return HlsOptions(self.opt_level, self.unroll, self.banks, self.pipeline)

    def level_banks(self) -> int:
        """The banks the -O level alone would choose."""
        from hls.opt_pipeline import HlsOptions

        return HlsOptions(self.opt_level).bank_factor

    def label(self) -> str:
        """A short name: `hw -O1 u4 b2 pipe`, `sw vlen=256` or `sw vlen=256 lmul=4 tile=16`."""
        if self.kind == "hw":
            knobs = [f"u{self.unroll}" if self.unroll is not None else "",
                     f"b{self.banks}" if self.hls().bank_factor != self.level_banks() else "",
                     {None: "", True: "pipe", False: "nopipe"}[self.pipeline]]
            return " ".join([f"hw -O{self.opt_level}", *filter(None, knobs)])
        return (f"sw vlen={self.vlen}" + (f" lmul={self.lmul}" if self.lmul else "")
                + (f" tile={self.tile}" if self.tile else ""))


@dataclasses.dataclass(frozen=True)
class Result:
    """The measured figures of a point; hardware has cycles and LUTs, software instructions.
    A point that could not be built or run has `error` set and no figures; a point whose
    hardware flow is the one of an earlier point shares its figures and names it in `same_as`."""

    point: Point
    correct: bool
    cycles: int | None = None
    luts: int | None = None
    instructions: int | None = None
    seconds: float = 0.0
    cached: bool = False
    error: str = ""
    same_as: str = ""

    def row(self) -> dict[str, Any]:
        """One CSV row: kind, parameters, figures (empty when not applicable), correct, error."""
        p = self.point
        hw = p.kind == "hw"
        return {"kind": p.kind, "opt_level": p.opt_level if hw else "",
                "unroll": ("auto" if p.unroll is None else p.unroll) if hw else "",
                "banks": ("auto" if p.banks is None else p.banks) if hw else "",
                "pipeline": {None: "auto", True: "on", False: "off"}[p.pipeline] if hw else "",
                "vlen": "" if hw else p.vlen, "lmul": "" if hw else p.lmul,
                "tile": "" if hw else p.tile,
                "cycles": _blank(self.cycles), "luts": _blank(self.luts),
                "instructions": _blank(self.instructions), "correct": self.correct,
                "error": self.error, "same_as": self.same_as, "seconds": f"{self.seconds:.1f}"}


def _blank(value: int | None) -> int | str:
    return "" if value is None else value


def space(opt_levels: Iterable[int], vlens: Iterable[int], lmuls: Iterable[int], *,
          unrolls: Iterable[int | None] = (None,), banks: Iterable[int | None] = (None,),
          pipelines: Iterable[bool | None] = (None,), tiles: Iterable[int] = (0,)) -> list[Point]:
    """The full sweep: a hardware point per (-O level, unroll, banks, pipeline), a software
    point per (VLEN, LMUL, tile)."""
    points = [Point("hw", opt_level=o, unroll=u, banks=b, pipeline=pipe)
              for o, u, b, pipe in itertools.product(opt_levels, unrolls, banks, pipelines)]
    points += [Point("sw", vlen=v, lmul=m, tile=t)
               for v, m, t in itertools.product(vlens, lmuls, tiles)]
    return points


# ---------------------------------------------------------------------------- measuring


def point_digest(src: Source, func: str, point: Point) -> str:
    """The cache key of a point: source text and file (a failed point's message names the
    file), function, point, compiler code, tool versions."""
    from calyx_flow.kernel_cache import compiler_digest
    from sw_dialects.run import flow_fingerprint

    versions = [tools.version(t) or "" for t in ("verilator", "yosys", "qemu-riscv64")]
    where = str(Path(src.path).resolve())
    return cache.key("dse-point", src.text, where, func, json.dumps(dataclasses.asdict(point)),
                     compiler_digest(), flow_fingerprint(), *versions)


def cached_result(src: Source, func: str, point: Point) -> Result | None:
    """The stored result of `point`, or None when it was never measured."""
    folder = cache.root() / "dse-point" / point_digest(src, func, point)
    if not (folder / "result.json").exists():
        return None
    data = json.loads((folder / "result.json").read_text())
    return dataclasses.replace(_from_json(data), cached=True)


def measure(src: Source, func: str, point: Point) -> Result:
    """Measures `point` (or reads it from the cache): runs in a pool process or a Ray task.
    A point the flow rejects (a UnifiedError) is a result with `error` set, cached as well."""
    def build(folder: Path) -> None:
        try:
            result = _measure_uncached(src, func, point)
        except UnifiedError as e:
            result = Result(point, False, error=_one_line(e.render()))
        (folder / "result.json").write_text(json.dumps(_to_json(result)))

    folder = cache.entry("dse-point", point_digest(src, func, point), build)
    return _from_json(json.loads((folder / "result.json").read_text()))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def hw_flow_key(point: Point) -> tuple[str, str]:
    """(the hardware flow `point` compiles with, as text; why it cannot be built, or "").

    A point asking for banking or pipelining cannot be built while the flow lacks the pass
    that does it (the knob would change nothing). Two points with one flow measure alike."""
    from unified import hw_flow

    flow = hw_flow.stages("kernel", opt_level=point.hls())
    names = {getattr(step, "name", "") for stage in flow for step in stage.steps}
    asked = {"banks": point.hls().bank_factor > 1, "pipeline": point.hls().pipelined}
    for knob, needed in KNOB_PASSES.items():
        if asked[knob] and needed not in names:
            return "", (f"--{knob} needs the {needed} pass, which this hardware flow does "
                        "not have yet")
    return repr(flow), ""


def _measure_uncached(src: Source, func: str, point: Point) -> Result:
    from sw_dialects import run as sw_run
    from unified.measure import sample_inputs

    start = time.monotonic()
    fn = src.function(func)
    inputs = sample_inputs(fn)
    expected = sw_run.simulate(src, func, inputs, target="sw").outputs
    if point.kind == "hw":
        from calyx_flow import simulate as hw_sim
        from calyx_flow.kernel_cache import compile_cached
        from calyx_flow.synth import area

        run = hw_sim.simulate(src, func, inputs, opt_level=point.hls())
        # Verilator reports the memref arguments after the run (a scalar result stays inside).
        expected = {a.name: expected[a.name] for a in fn.args if a.kind == "memref"}
        art = compile_cached(src.text, func, opt_level=point.hls(), path=src.path)
        return Result(point, _agree(run.outputs, expected), cycles=int(run.report["cycles"]),
                      luts=int(area(art)["luts"]), seconds=time.monotonic() - start)
    run = sw_run.simulate(src, func, inputs, target="rvv", vlen=point.vlen, lmul=point.lmul,
                          tile=point.tile)
    return Result(point, _agree(run.outputs, expected),
                  instructions=int(run.report["instructions"]), seconds=time.monotonic() - start)


def _agree(got: dict[str, np.ndarray], want: dict[str, np.ndarray]) -> bool:
    """Every output equal to the host's (floats within a small relative tolerance)."""
    for name, value in want.items():
        if name not in got:
            return False
        a, b = np.asarray(got[name]), np.asarray(value)
        if a.shape != b.shape:
            return False
        if np.issubdtype(b.dtype, np.floating):
            if not np.allclose(a, b, rtol=1e-4, atol=1e-5):
                return False
        elif not np.array_equal(a, b):
            return False
    return True


def _to_json(result: Result) -> dict[str, Any]:
    data = dataclasses.asdict(result)
    data.pop("cached")
    data.pop("same_as")
    return data


def _from_json(data: dict[str, Any]) -> Result:
    return Result(**{**data, "point": Point(**data["point"])})


# ---------------------------------------------------------------------------- running


Progress = Callable[[Result, int, int], None]


def run_points(src: Source, func: str, points: list[Point], *, jobs: int = 2,
               ray_address: str | None = None, progress: Progress | None = None) -> list[Result]:
    """Measures `points` (cached ones at once, the rest in a process pool or on Ray), in order.

    A hardware point whose flow equals an earlier point's takes that point's figures
    (`same_as`); a point that fails is a result with `error` set, never a failed sweep."""
    results: dict[Point, Result] = {}
    unique = list(dict.fromkeys(points))
    done = 0

    def finished(result: Result) -> None:
        nonlocal done
        done += 1
        results[result.point] = result
        if progress:
            progress(result, done, len(unique))

    todo: list[Point] = []
    twins: dict[Point, Point] = {}
    first: dict[str, Point] = {}
    for point in unique:
        key, problem = hw_flow_key(point) if point.kind == "hw" else (point.label(), "")
        if problem:
            finished(Result(point, False, error=problem))
        elif key in first:
            twins[point] = first[key]
        else:
            first[key] = point
            hit = cached_result(src, func, point)
            if hit is None:
                todo.append(point)
            else:
                finished(hit)
    if todo and ray_address is not None:
        _run_on_ray(ray_address, src, func, todo, finished)
    elif todo:
        context = multiprocessing.get_context("spawn")  # our worker processes hold threads
        with concurrent.futures.ProcessPoolExecutor(max(1, jobs), mp_context=context) as pool:
            futures = {pool.submit(measure, src, func, p): p for p in todo}
            for future in concurrent.futures.as_completed(futures):
                finished(_result_of(futures[future], future.result))
    for twin, original in twins.items():
        finished(dataclasses.replace(results[original], point=twin, same_as=original.label()))
    return [results[p] for p in points]


def _result_of(point: Point, get: Callable[[], Result]) -> Result:
    """`get()`, or a result holding the error when the point's process failed unexpectedly."""
    try:
        return get()
    except Exception as e:  # noqa: BLE001 - a crashed process or tool: one row, the sweep goes on
        return Result(point, False, error=_one_line(f"{type(e).__name__}: {e}"))


def optional_module(name: str, flag: str, install: str, instead: str) -> Any:
    """The optional package `name` that `flag` needs, or a UnifiedError saying how to
    install it (`install`) or do without it (`instead`)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        raise UnifiedError(f"{flag} needs the {name} package, which is not installed",
                           hint=f"{install} (in the project's .venv), or run without {flag} "
                           f"{instead}") from None


def import_ray() -> Any:
    """The `ray` module, or a UnifiedError saying how to install it."""
    return optional_module("ray", "--ray", "pip install ray", "for the local process pool")


def _run_on_ray(address: str, src: Source, func: str, points: list[Point],
                finished: Callable[[Result], None]) -> None:
    ray = import_ray()
    ray.init(address=address, ignore_reinit_error=True)
    task = ray.remote(measure)
    refs = [task.remote(src, func, p) for p in points]
    pending = list(refs)
    while pending:
        ready, pending = ray.wait(pending, num_returns=1)
        for ref in ready:
            finished(_result_of(points[refs.index(ref)], lambda ref=ref: ray.get(ref)))


# ---------------------------------------------------------------------------- the command


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
    from unified import dse_report, source

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
        from unified.dse_optuna import optuna_search

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
