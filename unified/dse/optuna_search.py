"""`unified dse --optuna N`: N points of the design space chosen by Optuna's NSGA-II.

Hardware and software points are searched in two studies, each on its own two objectives:
hardware minimises (Verilator cycles, Yosys LUTs), software (qemu instructions, VLEN). Each
axis of a kind (-O level, unroll, banks, pipeline; VLEN, LMUL, tile) is one parameter of
its study, so the search moves along the axes instead of over opaque point names.
"""

from __future__ import annotations

from typing import Any

from unified.core.source import Source
from unified.dse.points import Point, Result
from unified.dse.runner import Progress, optional_module, run_points

AXES = {"hw": ("opt_level", "unroll", "banks", "pipeline"), "sw": ("vlen", "lmul", "tile")}


def import_optuna() -> Any:
    """The `optuna` module, or a UnifiedError saying how to install it."""
    return optional_module("optuna", "--optuna", "pip install 'unified[dse]'", "for the full sweep")


def objectives(result: Result) -> tuple[float, float]:
    """What the search minimises: (cycles, LUTs) for hardware, (instructions, VLEN) software."""
    if result.point.kind == "hw":
        return float(result.cycles or 0), float(result.luts or 0)
    return float(result.instructions or 0), float(result.point.vlen)


def trial_shares(points: list[Point], trials: int) -> dict[str, int]:
    """Trials per kind, in proportion to the kind's points (at least one for each kind)."""
    sizes = {k: sum(p.kind == k for p in points) for k in AXES}
    sizes = {k: n for k, n in sizes.items() if n}
    shares = {k: max(1, round(trials * n / len(points))) for k, n in sizes.items()}
    if len(shares) == 2 and sum(shares.values()) > trials >= 2:
        biggest = max(shares, key=lambda k: shares[k])
        shares[biggest] -= sum(shares.values()) - trials
    return shares


def optuna_search(src: Source, func: str, points: list[Point], trials: int, *, jobs: int = 2,
                  ray_address: str | None = None, progress: Progress | None = None,
                  seed: int | None = None) -> list[Result]:
    """About `trials` points of `points` (a product of axes per kind, as `dse.space` makes)
    chosen by NSGA-II, measured in batches of `jobs`; returns each distinct point once.

    Unseeded by default (a fixed seed gives every trial of a batch the same point)."""
    optuna = import_optuna()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    seen: dict[Point, Result] = {}
    shares = trial_shares(points, trials)
    total = sum(shares.values())
    count = 0

    def counted(result: Result, _done: int, _total: int) -> None:
        nonlocal count
        count += 1  # trials that picked a point already measured in their batch show once
        if progress:
            progress(result, count, total)

    for kind, share in shares.items():
        mine = [p for p in points if p.kind == kind]
        choices = {axis: list(dict.fromkeys(getattr(p, axis) for p in mine)) for axis in AXES[kind]}
        sampler = optuna.samplers.NSGAIISampler(seed=seed, population_size=max(2, min(50, share)))
        study = optuna.create_study(directions=["minimize", "minimize"], sampler=sampler)
        left = share
        while left > 0:
            batch = [study.ask() for _ in range(min(max(1, jobs), left))]
            left -= len(batch)
            chosen = [Point(kind, **{axis: t.suggest_categorical(axis, values)
                                     for axis, values in choices.items()}) for t in batch]
            for r in run_points(src, func, chosen, jobs=jobs, ray_address=ray_address,
                                progress=counted):
                seen.setdefault(r.point, r)
            for t, p in zip(batch, chosen):
                r = seen[p]
                if r.error or not r.correct:
                    study.tell(t, state=optuna.trial.TrialState.FAIL)
                else:
                    study.tell(t, list(objectives(r)))
    return list(seen.values())
