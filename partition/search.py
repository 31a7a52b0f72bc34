"""Choosing the placement: exact over all 2^n choices for small call graphs, greedy beyond.

The objective is the estimated time of one run of the entry, in nanoseconds: software at
the CPU clock, hardware at the accelerator clock with its bus transfers; the constraint is
the area budget. Forced kernels are fixed before the search starts.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from partition.cost_model import KernelCost
from unified.core.platform import Platform

EXACT_LIMIT = 16  # free kernels up to which every placement is tried (65536 placements)


@dataclass
class Choice:
    """A placement: the hardware kernels, the estimated time of a run and the LUTs they take."""

    hw: frozenset[str]
    total_ns: float
    total_cycles: float  # the same time in CPU cycles (at `cpu_mhz`)
    luts: int
    exact: bool  # every placement was tried


def total_ns(hw: frozenset[str] | set[str], costs: dict[str, KernelCost],
             calls: dict[str, int], platform: Platform) -> float:
    """Estimated nanoseconds of one run of the entry when the kernels in `hw` are hardware
    (`costs` holds the entry too: its own code runs once, in software)."""
    total = 0.0
    for k, c in costs.items():
        per_call = c.hw_total_ns(platform) if k in hw else c.sw_ns(platform)
        total += calls.get(k, 1) * per_call
    return total


def total_cycles(hw: frozenset[str] | set[str], costs: dict[str, KernelCost],
                 calls: dict[str, int], platform: Platform) -> float:
    """`total_ns` in CPU cycles: software kernels' own cycles, hardware ones' time at `cpu_mhz`."""
    return sum(calls.get(k, 1) * (c.hw_total(platform) if k in hw else c.sw_cycles)
               for k, c in costs.items())


def _choice(hw: frozenset[str], costs: dict[str, KernelCost], calls: dict[str, int],
            platform: Platform, luts: int, exact: bool, ns: float | None = None) -> Choice:
    ns = total_ns(hw, costs, calls, platform) if ns is None else ns
    return Choice(hw, ns, total_cycles(hw, costs, calls, platform), luts, exact)


def choose(costs: dict[str, KernelCost], calls: dict[str, int], platform: Platform, *,
           forced_hw: set[str], free: list[str]) -> Choice:
    """The fastest placement of `free` kernels that fits the area budget with `forced_hw`."""
    budget = platform.area_budget_luts
    fixed_luts = sum(costs[k].luts or 0 for k in forced_hw)
    if len(free) <= EXACT_LIMIT:
        best: Choice | None = None
        for picks in itertools.product((False, True), repeat=len(free)):
            hw = frozenset(forced_hw | {k for k, p in zip(free, picks) if p})
            luts = fixed_luts + sum(costs[k].luts or 0 for k, p in zip(free, picks) if p)
            if luts > budget:
                continue
            t = total_ns(hw, costs, calls, platform)
            if best is None or t < best.total_ns - 1e-9:
                best = _choice(hw, costs, calls, platform, luts, True, t)
        assert best is not None  # all-software always fits
        return best
    return _greedy(costs, calls, platform, forced_hw, free, fixed_luts)


def _greedy(costs: dict[str, KernelCost], calls: dict[str, int], platform: Platform,
            forced_hw: set[str], free: list[str], luts: int) -> Choice:
    """Kernels by time saved per LUT, taken while they save time and fit the budget."""
    def saving(k: str) -> float:
        return calls.get(k, 1) * (costs[k].sw_ns(platform) - costs[k].hw_total_ns(platform))

    hw = set(forced_hw)
    for k in sorted(free, key=lambda k: -saving(k) / max(1, costs[k].luts or 1)):
        if saving(k) > 0 and luts + (costs[k].luts or 0) <= platform.area_budget_luts:
            hw.add(k)
            luts += costs[k].luts or 0
    frozen = frozenset(hw)
    return _choice(frozen, costs, calls, platform, luts, False)
