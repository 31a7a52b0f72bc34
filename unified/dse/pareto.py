"""Pareto fronts: the points no other point beats on every objective (all minimised)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def dominates(a: Sequence[float], b: Sequence[float]) -> bool:
    """True when `a` is no worse than `b` everywhere and strictly better somewhere."""
    return all(x <= y for x, y in zip(a, b)) and any(x < y for x, y in zip(a, b))


def front(items: Sequence[T], objectives: Callable[[T], Sequence[float]]) -> list[T]:
    """The non-dominated `items`, sorted by their first objective; ties on all objectives stay."""
    scored = [(objectives(item), item) for item in items]
    kept = [(s, item) for s, item in scored if not any(dominates(o, s) for o, _ in scored)]
    return [item for _, item in sorted(kept, key=lambda pair: tuple(pair[0]))]
