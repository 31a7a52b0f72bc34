"""Cycles at a clock as time, and time as a person reads it ("850 ns", "2.1 µs", "1.3 ms")."""

from __future__ import annotations


def cycles_to_ns(cycles: float, mhz: float) -> float:
    """Nanoseconds that `cycles` take at a clock of `mhz` MHz."""
    return cycles * 1000.0 / mhz


def ns_to_cycles(ns: float, mhz: float) -> float:
    """Cycles of a `mhz` MHz clock in `ns` nanoseconds."""
    return ns * mhz / 1000.0


def human(ns: float) -> str:
    """`ns` nanoseconds with three significant figures at most, in ns, µs, ms or s."""
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if abs(ns) >= scale:
            return f"{_figures(ns / scale)} {unit}"
    return f"{_figures(ns)} ns"


def _figures(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}"
