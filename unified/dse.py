"""`unified dse`: design-space exploration of one kernel, every point measured for real.

Hardware points (-O level) give Verilator cycles and Yosys LUTs; software points (VLEN,
LMUL) give qemu instruction counts. Every point also runs the kernel on the host on the
same pseudo-random inputs and records whether its outputs agree. A point's result is
cached by content (source, function, point, compiler code and tool versions).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import json
import multiprocessing
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

from unified import cache, tools
from unified.errors import UnifiedError
from unified.source import Source

HW_OBJECTIVES = ("cycles", "luts")


@dataclasses.dataclass(frozen=True)
class Point:
    """One design choice: hardware at -O`opt_level`, or software at `vlen` bits and `lmul`."""

    kind: str  # "hw" or "sw"
    opt_level: int = 0
    vlen: int = 0
    lmul: int = 0  # 0: the vectorizer chooses

    def label(self) -> str:
        """A short name: `hw -O2`, `sw vlen=256` or `sw vlen=256 lmul=4`."""
        if self.kind == "hw":
            return f"hw -O{self.opt_level}"
        return f"sw vlen={self.vlen}" + (f" lmul={self.lmul}" if self.lmul else "")


@dataclasses.dataclass(frozen=True)
class Result:
    """The measured figures of a point; hardware has cycles and LUTs, software instructions."""

    point: Point
    correct: bool
    cycles: int | None = None
    luts: int | None = None
    instructions: int | None = None
    seconds: float = 0.0
    cached: bool = False

    def row(self) -> dict[str, Any]:
        """One CSV row: kind, parameters, figures (empty when not applicable), correct."""
        p = self.point
        hw = p.kind == "hw"
        return {"kind": p.kind, "opt_level": p.opt_level if hw else "",
                "vlen": "" if hw else p.vlen, "lmul": "" if hw else p.lmul,
                "cycles": _blank(self.cycles), "luts": _blank(self.luts),
                "instructions": _blank(self.instructions), "correct": self.correct,
                "seconds": f"{self.seconds:.1f}"}


def _blank(value: int | None) -> int | str:
    return "" if value is None else value


def space(opt_levels: Iterable[int], vlens: Iterable[int], lmuls: Iterable[int]) -> list[Point]:
    """The full sweep: one hardware point per -O level, one software point per (VLEN, LMUL)."""
    points = [Point("hw", opt_level=o) for o in opt_levels]
    points += [Point("sw", vlen=v, lmul=m) for v in vlens for m in lmuls]
    return points


# ---------------------------------------------------------------------------- measuring


def point_digest(src: Source, func: str, point: Point) -> str:
    """The cache key of a point: source text, function, point, compiler code, tool versions."""
    from calyx_flow.kernel_cache import compiler_digest
    from sw_dialects.run import flow_fingerprint

    versions = [tools.version(t) or "" for t in ("verilator", "yosys", "qemu-riscv64")]
    return cache.key("dse-point", src.text, func, json.dumps(dataclasses.asdict(point)),
                     compiler_digest(), flow_fingerprint(), *versions)


def cached_result(src: Source, func: str, point: Point) -> Result | None:
    """The stored result of `point`, or None when it was never measured."""
    folder = cache.root() / "dse-point" / point_digest(src, func, point)
    if not (folder / "result.json").exists():
        return None
    data = json.loads((folder / "result.json").read_text())
    return dataclasses.replace(_from_json(data), cached=True)


def measure(src: Source, func: str, point: Point) -> Result:
    """Measures `point` (or reads it from the cache): runs in a pool process or a Ray task."""
    def build(folder: Path) -> None:
        result = _measure_uncached(src, func, point)
        (folder / "result.json").write_text(json.dumps(_to_json(result)))

    folder = cache.entry("dse-point", point_digest(src, func, point), build)
    return _from_json(json.loads((folder / "result.json").read_text()))


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

        run = hw_sim.simulate(src, func, inputs, opt_level=point.opt_level)
        # Verilator reports the memref arguments after the run (a scalar result stays inside).
        expected = {a.name: expected[a.name] for a in fn.args if a.kind == "memref"}
        art = compile_cached(src.text, func, opt_level=point.opt_level, path=src.path)
        return Result(point, _agree(run.outputs, expected), cycles=int(run.report["cycles"]),
                      luts=int(area(art)["luts"]), seconds=time.monotonic() - start)
    run = sw_run.simulate(src, func, inputs, target="rvv", vlen=point.vlen, lmul=point.lmul)
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
    return data


def _from_json(data: dict[str, Any]) -> Result:
    return Result(**{**data, "point": Point(**data["point"])})


# ---------------------------------------------------------------------------- running


Progress = Callable[[Result, int, int], None]


def run_points(src: Source, func: str, points: list[Point], *, jobs: int = 2,
               ray_address: str | None = None, progress: Progress | None = None) -> list[Result]:
    """Measures `points` (cached ones at once, the rest in a process pool or on Ray), in order."""
    results: dict[Point, Result] = {}
    done = 0

    def finished(result: Result) -> None:
        nonlocal done
        done += 1
        results[result.point] = result
        if progress:
            progress(result, done, len(unique))

    unique = list(dict.fromkeys(points))
    todo = []
    for point in unique:
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
            futures = [pool.submit(measure, src, func, p) for p in todo]
            for future in concurrent.futures.as_completed(futures):
                finished(future.result())
    return [results[p] for p in points]


def import_ray() -> Any:
    """The `ray` module, or a UnifiedError saying how to install it."""
    try:
        import ray
    except ImportError:
        raise UnifiedError("--ray needs the Ray package, which is not installed",
                           hint="pip install ray (in the project's .venv), "
                           "or run without --ray for the local process pool") from None
    return ray


def _run_on_ray(address: str, src: Source, func: str, points: list[Point],
                finished: Callable[[Result], None]) -> None:
    ray = import_ray()
    ray.init(address=address, ignore_reinit_error=True)
    task = ray.remote(measure)
    pending = [task.remote(src, func, p) for p in points]
    while pending:
        ready, pending = ray.wait(pending, num_returns=1)
        for ref in ready:
            finished(ray.get(ref))


def optuna_search(src: Source, func: str, points: list[Point], trials: int, *, jobs: int = 2,
                  ray_address: str | None = None, progress: Progress | None = None,
                  seed: int | None = None) -> list[Result]:
    """`trials` points chosen by Optuna's NSGA-II, minimising `objectives` (time, area).

    Trials run in batches of `jobs`; unseeded by default (a fixed seed gives every trial
    of a batch the same point in Optuna 5)."""
    try:
        import optuna
    except ImportError:
        raise UnifiedError("--optuna needs the Optuna package, which is not installed",
                           hint="pip install optuna (in the project's .venv), "
                           "or run without --optuna for the full sweep") from None
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    labels = [p.label() for p in points]
    by_label = dict(zip(labels, points))
    study = optuna.create_study(directions=["minimize", "minimize"],
                                sampler=optuna.samplers.NSGAIISampler(seed=seed))
    seen: dict[Point, Result] = {}
    left = trials
    count = 0

    def counted(result: Result, _done: int, _total: int) -> None:
        nonlocal count
        count += 1  # trials that picked a point already measured in their batch show once
        if progress:
            progress(result, count, trials)

    while left > 0:
        batch = [study.ask() for _ in range(min(max(1, jobs), left))]
        left -= len(batch)
        chosen = [by_label[t.suggest_categorical("point", labels)] for t in batch]
        for r in run_points(src, func, chosen, jobs=jobs, ray_address=ray_address,
                            progress=counted):
            seen[r.point] = r
        for t, p in zip(batch, chosen):
            study.tell(t, list(objectives(seen[p])))
    return list(seen.values())


def objectives(result: Result) -> tuple[float, float]:
    """(time, area) of a result for the joint search: cycles or instructions, LUTs or 0."""
    if result.point.kind == "hw":
        return float(result.cycles or 0), float(result.luts or 0)
    return float(result.instructions or 0), 0.0


# ---------------------------------------------------------------------------- the command


def _int_list(text: str) -> list[int]:
    if text.strip().lower() in ("", "none"):
        return []
    try:
        return [int(x) for x in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a comma-separated list of "
                                         "integers (or 'none')") from None


def add_arguments(p: argparse.ArgumentParser) -> None:
    """The options of `unified dse` (each explained in --help)."""
    p.add_argument("input", help="the MLIR module holding the kernel")
    p.add_argument("--func", required=True, metavar="NAME", help="the kernel function to explore")
    p.add_argument("--opt-levels", type=_int_list, default=[0, 1, 2, 3], metavar="LIST",
                   help="hardware points: comma-separated -O levels 0-3 (-O2/-O3 unroll "
                   "innermost loops by 2/8), or 'none' for no hardware (default 0,1,2,3)")
    p.add_argument("--vlens", type=_int_list, default=[128, 256, 512], metavar="LIST",
                   help="software points: RISC-V vector lengths in bits, or 'none' for no "
                   "software (default 128,256,512)")
    p.add_argument("--lmuls", type=_int_list, default=[0], metavar="LIST",
                   help="software points: vector register grouping (LMUL) 1,2,4,8 or 0 for "
                   "the vectorizer's choice; each VLEN is run with each LMUL (default 0)")
    p.add_argument("--jobs", "-j", type=int, default=2, metavar="N",
                   help="points measured at once in the local process pool (default 2)")
    p.add_argument("--ray", metavar="ADDRESS",
                   help="run the points as tasks on the existing Ray cluster at ADDRESS "
                   "(e.g. auto or ray://head:10001) instead of the local pool; needs "
                   "'pip install ray'")
    p.add_argument("--optuna", type=int, metavar="N",
                   help="measure only N points chosen by Optuna's multi-objective NSGA-II "
                   "search (time, area) instead of the full sweep; needs 'pip install optuna'")
    p.add_argument("--csv", metavar="OUT.csv",
                   help="write one row per point: kind, opt_level, vlen, lmul, cycles, luts, "
                   "instructions, correct, seconds")
    p.add_argument("--plot", metavar="OUT.png",
                   help="write a Pareto plot: hardware cycles vs LUTs (front highlighted) and "
                   "software instructions vs VLEN")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress line per point")


def main(args: argparse.Namespace) -> int:
    """Runs `unified dse`: measure, write CSV/PNG, print the fronts; 1 if a point is wrong."""
    from unified import dse_report, source

    bad = [o for o in args.opt_levels if o not in range(4)]
    if bad:
        raise UnifiedError(f"no hardware level -O{bad[0]}", hint="use levels 0-3")
    if any(v < 64 or v & (v - 1) for v in args.vlens):
        raise UnifiedError("every VLEN must be a power of two of at least 64",
                           hint="e.g. --vlens 128,256,512")
    if any(m not in (0, 1, 2, 4, 8) for m in args.lmuls):
        raise UnifiedError("LMUL must be one of 0 (auto), 1, 2, 4, 8", hint="e.g. --lmuls 0,4")
    src = source.read(args.input)
    src.function(args.func)
    points = space(args.opt_levels, args.vlens, args.lmuls)
    if not points:
        raise UnifiedError("the design space is empty", hint="give --opt-levels or --vlens")
    if args.ray is not None:
        import_ray()

    def progress(result: Result, done: int, total: int) -> None:
        if not args.quiet:
            print(f"[{done}/{total}] {dse_report.describe(result)}", file=sys.stderr, flush=True)

    if args.optuna:
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
    wrong = [r.point.label() for r in results if not r.correct]
    if wrong:
        print(f"error: outputs differ from the host's for {', '.join(wrong)}", file=sys.stderr)
        return 1
    return 0
