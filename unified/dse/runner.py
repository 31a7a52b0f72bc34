"""Measuring `unified dse` points: one at a time (cached), in a local pool, or on Ray.

Hardware points (an -O level, unroll factor, memory banks, loop pipelining) give Verilator
cycles and Yosys LUTs; software points (VLEN, LMUL, loop tiling) give qemu instruction
counts. Every point also runs the kernel on the host on the same pseudo-random inputs and
records whether its outputs agree; a point the flow cannot build is a row with its error.
A point's result is cached by content (source, function, point, compiler code and tools).
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import importlib
import json
import multiprocessing
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from unified.core import cache, tools
from unified.core.errors import UnifiedError
from unified.core.source import Source
from unified.dse.points import KNOB_PASSES, Point, Result


def point_digest(src: Source, func: str, point: Point) -> str:
    """The cache key of a point: source text and file (a failed point's message names the
    file), function, point, compiler code, tool versions."""
    from unified.kernel_cache import compiler_digest
    from unified.sw_run import flow_fingerprint

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
    from unified import sw_run
    from unified.measure import sample_inputs

    start = time.monotonic()
    fn = src.function(func)
    inputs = sample_inputs(fn)
    expected = sw_run.simulate(src, func, inputs, target="sw").outputs
    if point.kind == "hw":
        from calyx_flow.synth import area
        from unified import hw_sim
        from unified.kernel_cache import compile_cached

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
