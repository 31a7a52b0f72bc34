"""Shrinks a failing kernel to a small reproducer while a predicate (it still fails) holds.

Greedy, coarse to fine: drop runs of statements (halves, quarters, ... one), run loops once
(inline their bodies), keep one arm of an if, shrink loop bounds, drop memref dimensions,
replace operands by constants, simplify affine indices; dead code and unused arguments go
after every step. A candidate the reference interpreter finds undefined is never tried
on the target. The result is written as NAME.mlir, NAME.inputs.npz, NAME.expected.npz.
"""

from __future__ import annotations

import copy
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import numpy as np

from unified.fuzz import edit, targets
from unified.fuzz.desc import Aff, For, If, Kernel, Load, Store, finalize, walk
from unified.fuzz.generator import Features, generate, make_inputs, numpy_dtype
from unified.fuzz.printer import to_mlir
from unified.fuzz.reference import Undefined
from unified.fuzz.reference import run as reference_run

Predicate = Callable[[Kernel, dict[str, np.ndarray]], bool]
Candidate = tuple[str, Callable[[Kernel], object]]


def inputs_by_name(kernel: Kernel, inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Inputs keyed by argument name instead of position (names survive dropped arguments)."""
    return {a.name: inputs[f"arg{k}"] for k, a in enumerate(kernel.args)}


def adapt_inputs(kernel: Kernel, named: dict[str, np.ndarray], seed: int) -> dict[str, np.ndarray]:
    """Inputs arg0.. for `kernel`: the old values where an argument keeps its place and rank."""
    rng = np.random.default_rng(seed)
    out = {}
    for k, a in enumerate(kernel.args):
        old = named.get(a.name)
        shape = a.shape if a.is_memref else ()
        new = rng.integers(-100, 101, size=shape).astype(numpy_dtype(a.elem))
        if old is not None and old.ndim == len(shape):
            overlap = tuple(slice(0, min(x, y)) for x, y in zip(old.shape, shape))
            new[overlap] = old[overlap]
        out[f"arg{k}"] = np.asarray(new)
    return out


def candidates(kernel: Kernel) -> Iterator[Candidate]:
    """Every one-step simplification of `kernel`, biggest first (each applies to a copy)."""
    blocks = list(edit.locations(kernel))
    for path, block in blocks:
        n = len(block)
        chunk = n
        while chunk >= 1:
            for start in range(0, n, chunk):
                stop = min(start + chunk, n)
                yield (f"drop {path}[{start}:{stop}]",
                       lambda k, p=path, a=start, b=stop: edit.remove_range(k, p, a, b))
            chunk //= 2
    for path, block in blocks:
        for i, s in enumerate(block):
            if isinstance(s, For):
                yield f"inline loop {s.var}", lambda k, p=path, i=i: edit.inline_loop(k, p, i)
            elif isinstance(s, If):
                for arm in (True, False):
                    yield (f"keep {'then' if arm else 'else'} arm",
                           lambda k, p=path, i=i, arm=arm: edit.pick_arm(k, p, i, arm))
    for path, block in blocks:
        for i, s in enumerate(block):
            if isinstance(s, For) and len(s.indices()) > 1:
                for trips in sorted({1, len(s.indices()) // 2, len(s.indices()) - 1}):
                    yield (f"loop {s.var} to {trips} trips",
                           lambda k, p=path, i=i, t=trips: _set_trips(k, p, i, t))
            if isinstance(s, For) and (s.lo or s.step != 1):
                yield f"loop {s.var} from 0 step 1", lambda k, p=path, i=i: _unit_loop(k, p, i)
    for a in kernel.args:
        if any(a.pad):
            yield f"no padding of {a.name}", lambda k, n=a.name: _unpad(k, n)
    for mem, (_, shape) in kernel.memrefs().items():
        for d in range(len(shape)):
            if len(shape) > 1:
                yield f"drop dim {d} of {mem}", lambda k, m=mem, d=d: edit.drop_dimension(k, m, d)
    for path, block in blocks:
        for i, s in enumerate(block):
            for slot in range(3):
                yield (f"constant operand {slot} of {type(s).__name__}",
                       lambda k, p=path, i=i, slot=slot: edit.constant_operand(k, p, i, slot))
    for path, block in blocks:
        for i, s in enumerate(block):
            if isinstance(s, Load | Store):
                for d, e in enumerate(s.idx):
                    for simpler in _simpler(e):
                        yield (f"index {d} of {s.mem} -> {simpler}",
                               lambda k, p=path, i=i, d=d, e=simpler: _set_index(k, p, i, d, e))


def _unpad(k: Kernel, name: str) -> None:
    arg = next(a for a in k.args if a.name == name)
    arg.pad = (0,) * arg.ndim


def _simpler(e: Aff) -> list[Aff]:
    out = [Aff(e.terms[:k] + e.terms[k + 1:], e.const) for k in range(len(e.terms))]
    if e.const:
        out.append(Aff(e.terms, 0))
    out += [Aff(tuple((v, 1) for v, _ in e.terms), e.const)] if any(
        c != 1 for _, c in e.terms) else []
    return out


def _set_index(k: Kernel, path: edit.Path, i: int, d: int, e: Aff) -> None:
    edit.block_at(k, path)[i].idx[d] = e


def _set_trips(k: Kernel, path: edit.Path, i: int, trips: int) -> None:
    s = edit.block_at(k, path)[i]
    s.hi = s.lo + (trips - 1) * s.step + 1


def _unit_loop(k: Kernel, path: edit.Path, i: int) -> None:
    """`for i = lo to hi step s` -> `for i' = 0 to trips`, every use of i as lo + s * i'."""
    s = edit.block_at(k, path)[i]
    if any(getattr(x, "op", "") == "index_cast" and getattr(x, "a", "") == s.var
           for x in walk(s.body)):
        raise Undefined("an index_cast of the loop variable would change")
    for stmt in walk(s.body):
        if isinstance(stmt, Load | Store):
            stmt.idx = [_rescale(e, s.var, s.lo, s.step) for e in stmt.idx]
        elif isinstance(stmt, If):
            stmt.conds = [_rescale(e, s.var, s.lo, s.step) for e in stmt.conds]
    s.lo, s.step, s.hi = 0, 1, len(s.indices())


def _rescale(e: Aff, var: str, lo: int, step: int) -> Aff:
    c = sum(c for v, c in e.terms if v == var)
    terms = tuple((v, c * step if v == var else c) for v, c in e.terms)
    return Aff(terms, e.const + c * lo)


def reduce(kernel: Kernel, inputs: dict[str, np.ndarray], still_fails: Predicate, *,
           budget: int = 150, log: Callable[[str], None] | None = None
           ) -> tuple[Kernel, dict[str, np.ndarray]]:
    """The smallest kernel (and inputs) found for which `still_fails` holds; at most `budget`
    calls of `still_fails` besides the first, which checks that `kernel` fails at all."""
    if not still_fails(kernel, inputs):
        raise ValueError("the kernel does not fail to begin with: nothing to reduce")
    best, best_inputs = copy.deepcopy(kernel), dict(inputs)
    tried: set[str] = set()
    runs = 0
    progress = True
    while progress and runs < budget:
        progress = False
        for what, change in candidates(best):
            if runs >= budget:
                break
            trial = copy.deepcopy(best)
            try:
                if change(trial) is False:
                    continue
                edit.drop_unused(trial)
                finalize(trial)
                trial_inputs = adapt_inputs(trial, inputs_by_name(best, best_inputs), kernel.seed)
                reference_run(trial, trial_inputs)
            except (Undefined, KeyError, IndexError, ValueError):
                continue  # ill-formed or undefined: never worth a run
            if not any(isinstance(s, Store) for s in walk(trial.body)):
                continue  # a reproducer still writes memory (flows reject empty kernels)
            text = to_mlir(trial)
            if text in tried:
                continue
            tried.add(text)
            runs += 1
            if still_fails(trial, trial_inputs):
                best, best_inputs = trial, trial_inputs
                progress = True
                if log:
                    log(f"  reduce: {what} -> size {edit.size(best)} ({runs} runs)")
                break
    return best, best_inputs


def same_failure(target: targets.Target, outcome: str, detail: str) -> Predicate:
    """A predicate: the kernel still ends in `outcome` on `target` (errors: the same message)."""
    from unified.fuzz.runner import check

    want = _signature(detail)

    def predicate(k: Kernel, inputs: dict[str, np.ndarray]) -> bool:
        with tempfile.TemporaryDirectory(prefix="fuzz-reduce-") as tmp:
            got, got_detail = check(k, inputs, target, Path(tmp))
        return got == outcome and (outcome == "mismatch" or _signature(got_detail) == want)

    return predicate


def _signature(detail: str) -> str:
    """An error message without locations, names and numbers (what stays when code shrinks)."""
    import re

    text = re.sub(r"\S+\.mlir:\d+:\d+:?", "", detail)
    text = re.sub(r"%[\w#]+|@\w+|\d+|/\S+", "_", text)
    return text.split(" — ")[0][:120]


def write_case(folder: Path, name: str, kernel: Kernel, inputs: dict[str, np.ndarray],
               header: list[str]) -> Path:
    """NAME.mlir (header as comments), NAME.inputs.npz, NAME.expected.npz in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    expected = reference_run(kernel, inputs)
    path = folder / f"{name}.mlir"
    lines = [f"// {h}" for h in header] + [f"// fuzz: func={kernel.name}"]
    path.write_text("\n".join(lines) + "\n" + to_mlir(kernel))
    np.savez(folder / f"{name}.inputs.npz", **inputs)
    np.savez(folder / f"{name}.expected.npz", **expected)
    return path


@dataclass
class Job:
    """One reduction: kernel `seed` fails on `target` with `outcome` (`detail`)."""

    seed: int
    index: int
    target: str
    outcome: str
    detail: str


def reduce_one(job: Job, feats: Features, folder: str, budget: int, check_targets: list[str],
               cache_dir: str | None = None) -> str:
    """Reduces one failure, writes the case to `folder`; returns a summary paragraph."""
    from unified.fuzz.runner import check

    if cache_dir:
        os.environ["UNIFIED_CACHE"] = cache_dir
    if job.outcome in ("ok", "unsupported"):
        return f"== kernel {job.index} (seed {job.seed}) on {job.target}: {job.outcome}, no bug"
    kernel = generate(job.seed, feats)
    inputs = make_inputs(kernel, job.seed)
    target = targets.parse_target(job.target, job.seed)
    notes: list[str] = []
    try:
        small, small_inputs = reduce(kernel, inputs, same_failure(target, job.outcome,
                                                                  job.detail),
                                     budget=budget, log=notes.append)
    except ValueError as e:
        return f"== kernel {job.index} (seed {job.seed}) on {job.target}: {e}"
    failing, checks = [], [f"check: sw ({targets.parse_target('sw').sim_flags()})"]
    with tempfile.TemporaryDirectory(prefix="fuzz-recheck-") as tmp:
        for name in dict.fromkeys([job.target, *check_targets]):
            t = targets.parse_target(name, job.seed)
            outcome, detail = check(small, small_inputs, t, Path(tmp))
            if outcome != "ok":
                short = detail if len(detail) <= 160 else detail[:157] + "..."
                failing.append(f"{name} ({t.sim_flags()}): {outcome}: {short}")
                checks.insert(-1, f"check: {name} ({t.sim_flags()})")
    name = f"{job.target}_s{job.seed}"
    found = (f"Reduced by unified.fuzz from kernel {job.index} (seed {job.seed}); found on "
             f"{job.target} ({target.sim_flags()}): {job.outcome}.")
    header = [found, *dict.fromkeys(checks), *(f"fails: {f}" for f in failing)]
    path = write_case(Path(folder), name, small, small_inputs, header)
    return "\n".join([f"== {path} ({edit.size(kernel)} -> {edit.size(small)})", *header,
                      to_mlir(small)])


def pick_jobs(rows: list, per_class: int = 2) -> list[Job]:
    """Failures worth reducing: per kernel, the first failing target of each family (hw, sw,
    rvv) and outcome; at most `per_class` kernels per family, outcome and message."""
    seen: dict[tuple[str, str, str], int] = {}
    jobs: list[Job] = []
    order = {n: i for i, n in enumerate(targets.ALL_TARGETS)}
    for r in sorted(rows, key=lambda r: (r.index, order.get(r.target, 99))):
        family = r.target.rstrip("0123456789").split("-")[0]
        key = (family, r.outcome, "" if r.outcome == "mismatch" else _signature(r.detail))
        if any(j.seed == r.seed and j.target.startswith(family) and j.outcome == r.outcome
               for j in jobs):
            continue
        if seen.get(key, 0) >= per_class:
            continue
        seen[key] = seen.get(key, 0) + 1
        jobs.append(Job(r.seed, r.index, r.target, r.outcome, r.detail))
    return jobs


def reduce_failures(rows: list, feats: Features, folder: Path, *, jobs: int = 2,
                    budget: int = 150, cache_dir: str | None = None,
                    per_class: int = 2) -> list[str]:
    """Reduces the failures of a campaign's rows in parallel; prints and returns summaries."""
    todo = pick_jobs(rows, per_class)
    check_targets = sorted({r.target for r in rows}, key=targets.ALL_TARGETS.index)
    print(f"reducing {len(todo)} failures into {folder}", file=sys.stderr, flush=True)
    out: list[str] = []
    with ProcessPoolExecutor(max_workers=max(jobs, 1), mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(reduce_one, j, feats, str(folder), budget, check_targets,
                               cache_dir) for j in todo]
        for f in futures:
            try:
                text = f.result()
            except Exception as e:  # noqa: BLE001 - one reduction failing must not stop others
                text = f"reduction failed: {type(e).__name__}: {e}"
            print(text, flush=True)
            out.append(text)
    return out
