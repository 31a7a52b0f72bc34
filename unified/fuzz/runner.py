"""Runs generated kernels on the targets and compares every memref argument with `reference`.

One kernel is one job: it is generated from its own seed (`kernel_seed(campaign, index)`),
written to a temporary folder, parsed once and run on every target in turn. Each target
ends in one outcome:

  ok           every memref argument equals the reference, bit for bit (f32: any NaN
               equals any NaN, +0 and -0 differ)
  mismatch     some element differs (the detail names the first one)
  error        the flow raised a UnifiedError (the detail is its one-line message)
  unsupported  ... one saying a construct is not supported (a limitation, not a bug)
  crash        any other exception: a bug in the flow's own code
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import numpy as np

from unified.fuzz import targets
from unified.fuzz.desc import Kernel
from unified.fuzz.generator import Features, generate, make_inputs
from unified.fuzz.printer import to_mlir
from unified.fuzz.reference import run as reference_run

OUTCOMES = ("ok", "mismatch", "error", "unsupported", "crash")
FAILURES = ("mismatch", "error", "crash")


@dataclass
class Row:
    """One CSV row: a kernel on a target."""

    seed: int
    index: int
    target: str
    outcome: str
    detail: str
    seconds: float


def kernel_seed(campaign: int, index: int) -> int:
    """The seed of kernel `index` of campaign `campaign` (rerun it alone with this)."""
    digest = hashlib.sha256(f"unified-fuzz:{campaign}:{index}".encode()).digest()
    return int.from_bytes(digest[:4], "little")


def compare(got: dict[str, np.ndarray], want: dict[str, np.ndarray]) -> str | None:
    """None when every array of `want` is in `got` with the same bits; else the first difference."""
    for name, w in want.items():
        if name not in got:
            return f"{name} missing from the outputs"
        g = np.asarray(got[name])
        if g.shape != w.shape:
            return f"{name} has shape {g.shape}, expected {w.shape}"
        if w.dtype == np.float32:
            if g.dtype.kind in "iu" and g.dtype.itemsize == 4:
                g = g.view(np.float32)  # bit patterns
            g = g.astype(np.float32)
            same = (g.view(np.uint32) == w.view(np.uint32)) | (np.isnan(g) & np.isnan(w))
            diff = np.argwhere(~same)
        else:
            g = g.astype(w.dtype, casting="unsafe")
            diff = np.argwhere(g != w)
        if len(diff):
            where = tuple(int(i) for i in diff[0])
            return (f"{name}{list(where)}: expected {_show(w[where])}, got {_show(g[where])} "
                    f"({len(diff)} of {w.size} elements differ)")
    return None


def _show(x: object) -> str:
    """An element for a mismatch message: an f32 with its bit pattern (0x80000000 is -0)."""
    if isinstance(x, np.float32):
        return f"{x!r} (0x{int(np.array(x).view(np.uint32)):08x})"
    return str(x)


def check(kernel: Kernel, inputs: dict[str, np.ndarray], target: targets.Target,
          workdir: Path, expected: dict[str, np.ndarray] | None = None,
          source: object | None = None) -> tuple[str, str]:
    """Runs `kernel` on `target`: (outcome, detail). Writes the kernel into `workdir`."""
    if expected is None:
        expected = reference_run(kernel, inputs)
    error = targets.unified_error()
    try:
        if source is None:
            path = workdir / "kernel.mlir"
            path.write_text(to_mlir(kernel))
            source = targets.read_source(path)
        got = targets.simulate(source, kernel.name, inputs, target)
    except error as e:
        message = targets.render(e)
        return ("unsupported" if targets.is_unsupported(message) else "error"), message
    except Exception as e:  # noqa: BLE001 - anything else is the flow's own bug
        return "crash", " ".join(f"{type(e).__name__}: {e}".split())[:500]
    diff = compare(got, expected)
    return ("ok", "") if diff is None else ("mismatch", diff)


def run_kernel(seed: int, index: int, names: list[str], feats: Features) -> list[Row]:
    """Generates kernel `seed` and runs it on each target in `names`; one Row per target."""
    kernel = generate(seed, feats)
    inputs = make_inputs(kernel, seed)
    expected = reference_run(kernel, inputs)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix=f"fuzz-{seed}-") as tmp:
        path = Path(tmp) / "kernel.mlir"
        path.write_text(to_mlir(kernel))
        source: object | None = None
        try:
            source = targets.read_source(path)
        except Exception as e:  # noqa: BLE001 - a kernel the parser rejects fails everywhere
            message = targets.render(e)
            return [Row(seed, index, n, "crash", f"parse: {message}", 0.0) for n in names]
        for name in names:
            target = targets.parse_target(name, seed)
            start = time.monotonic()
            outcome, detail = check(kernel, inputs, target, Path(tmp), expected, source)
            if outcome != "ok" and target.kind == "hw" and name == "hw-rand":
                detail = f"[{target.sim_flags()}] {detail}"
            rows.append(Row(seed, index, name, outcome, detail, time.monotonic() - start))
    return rows


def _init_worker(cache_dir: str | None) -> None:
    if cache_dir:
        os.environ["UNIFIED_CACHE"] = cache_dir


def summary_line(done: int, total: int, rows: list[Row]) -> str:
    """`[ 12/100] kernel 11 seed 123: 9 ok, mismatch hw-O3 (41.2 s)`."""
    r0 = rows[0]
    bad = [f"{r.outcome} {r.target}" for r in rows if r.outcome != "ok"]
    ok = sum(r.outcome == "ok" for r in rows)
    seconds = sum(r.seconds for r in rows)
    width = len(str(total))
    return (f"[{done:>{width}}/{total}] kernel {r0.index} seed {r0.seed}: {ok} ok"
            + (", " + ", ".join(bad) if bad else "") + f" ({seconds:.1f} s)")


def campaign(seed: int, indices: Iterable[int], names: list[str], feats: Features, *,
             jobs: int = 2, ray_address: str | None = None, cache_dir: str | None = None,
             on_kernel: Callable[[list[Row]], None] | None = None) -> list[Row]:
    """Runs kernels `indices` of campaign `seed` on `names`; calls on_kernel per finished kernel."""
    todo = [(kernel_seed(seed, i), i) for i in indices]
    if ray_address is not None:
        return _campaign_ray(ray_address, todo, names, feats, on_kernel)
    rows: list[Row] = []

    def finished(batch: list[Row]) -> None:
        rows.extend(batch)
        if on_kernel:
            on_kernel(batch)

    pending = list(todo)
    while pending:
        with ProcessPoolExecutor(max_workers=max(jobs, 1), mp_context=get_context("spawn"),
                                 initializer=_init_worker, initargs=(cache_dir,)) as pool:
            futures: dict[Future, tuple[int, int]] = {
                pool.submit(run_kernel, s, i, names, feats): (s, i) for s, i in pending}
            pending = []
            left = set(futures)
            while left:
                done, left = wait(left, return_when=FIRST_COMPLETED)
                for f in done:
                    s, i = futures[f]
                    try:
                        finished(f.result())
                    except BrokenProcessPool:
                        pending = [futures[g] for g in left]  # rerun them in a fresh pool
                        finished([Row(s, i, n, "crash", "the worker process died", 0.0)
                                  for n in names])
                        left = set()
                    except Exception as e:  # noqa: BLE001 - the generator or reference failed
                        finished([Row(s, i, n, "crash", f"{type(e).__name__}: {e}", 0.0)
                                  for n in names])
    return rows


def _campaign_ray(address: str, todo: list[tuple[int, int]], names: list[str], feats: Features,
                  on_kernel: Callable[[list[Row]], None] | None) -> list[Row]:
    ray = targets.import_ray()
    ray.init(address=address, ignore_reinit_error=True)
    task = ray.remote(run_kernel)
    refs = [task.remote(s, i, names, feats) for s, i in todo]
    rows: list[Row] = []
    pending = list(refs)
    while pending:
        ready, pending = ray.wait(pending, num_returns=1)
        batch = ray.get(ready[0])
        rows.extend(batch)
        if on_kernel:
            on_kernel(batch)
    return rows


CSV_HEADER = ("seed", "index", "target", "outcome", "detail", "seconds")


def write_csv(path: str | Path, rows: list[Row], *, append: bool = False) -> None:
    """seed,index,target,outcome,detail,seconds — one line per kernel and target (a new file
    gets the header; `append` adds rows to what is there, as kernels finish)."""
    import csv

    path = Path(path)
    fresh = not append or not path.exists()
    with open(path, "w" if fresh else "a", newline="") as f:
        w = csv.writer(f)
        if fresh:
            w.writerow(CSV_HEADER)
        for r in sorted(rows, key=lambda r: (r.index, r.target)):
            w.writerow([r.seed, r.index, r.target, r.outcome, r.detail, f"{r.seconds:.2f}"])


def print_summary(rows: list[Row], wall: float, out=sys.stderr) -> None:
    """Counts per target and outcome, and seconds per kernel per target."""
    names = sorted({r.target for r in rows})
    kernels = len({r.index for r in rows})
    print(f"{kernels} kernels, {wall:.0f} s wall", file=out)
    print(f"{'target':<10}" + "".join(f"{o:>12}" for o in OUTCOMES) + f"{'s/kernel':>10}",
          file=out)
    for n in names:
        mine = [r for r in rows if r.target == n]
        counts = "".join(f"{sum(r.outcome == o for r in mine):>12}" for o in OUTCOMES)
        mean = sum(r.seconds for r in mine) / max(len(mine), 1)
        print(f"{n:<10}{counts}{mean:>10.1f}", file=out)
