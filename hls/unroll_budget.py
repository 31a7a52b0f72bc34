"""hls-unroll-budget: innermost affine loops unrolled by `factor` while the copies fit a multiplier budget.

A function's innermost `affine.for` loops share a budget of `max_multipliers` copied
`arith.muli` ops (16 32-bit products are 48 DSP48s): the loops with the fewest
multipliers are served first, each unrolled by the largest of `factor`, `factor`/2, ...
that still fits, by `fallback` when none does, never by more than its trip count (a
4-trip loop is unrolled fully by 4). A loop that a full unroll leaves innermost (the outer
loop of a convolution's 3x3 window) is unrolled fully too while the function's multipliers
stay within the budget. The copies of the multipliers cost little, but each
copy also brings its load registers, address muxes and control, and those are LUTs.
The unrolling itself is upstream's (`transform.loop.unroll` on each loop in turn). Loops
with a dynamic trip count stay rolled. `uniform=N` (the -O2 level and `--unroll N`) unrolls
every constant loop of at least N trips by N instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from hls.transform import apply_to
from unified.core import mlir
from unified.core.passes import ModulePass

JAMMED = "hls.jammed"  # hls-jam-outputs' mark: the loop holds its copies already


def innermost_loops(op: Any) -> list[Any]:
    """The `affine.for` ops nested in `op` that have no `affine.for` inside."""
    loops = [o for o in mlir.walk(op) if o.name == "affine.for"]
    return [loop for loop in loops if not any(o.name == "affine.for" for o in mlir.walk(loop))]


def affine_trips(loop: Any) -> int | None:
    """Iterations of an affine.for with constant bounds, else None."""
    ir = mlir.ir
    lower = ir.AffineMapAttr(loop.attributes["lowerBoundMap"]).value
    upper = ir.AffineMapAttr(loop.attributes["upperBoundMap"]).value
    bounds = [m.results[0] for m in (lower, upper) if not m.n_inputs and len(m.results) == 1]
    if len(bounds) != 2 or not all(isinstance(b, ir.AffineConstantExpr) for b in bounds):
        return None
    step = ir.IntegerAttr(loop.attributes["step"]).value
    return max(0, -(-(bounds[1].value - bounds[0].value) // step))


def loop_multipliers(loop: Any) -> int:
    """How many `arith.muli` ops one copy of `loop`'s body holds."""
    return sum(1 for o in mlir.walk(loop) if o.name == "arith.muli")


def factors(loops: list[Any], factor: int, fallback: int, budget: int) -> list[int]:
    """An unroll factor per innermost loop: the budget of multipliers goes first to the
    loops with the fewest (each gets the largest power-of-two share of `factor` that
    fits, `fallback` when none does), never more than a loop's trip count."""
    out = [fallback] * len(loops)
    left = budget
    for i in sorted(range(len(loops)), key=lambda i: loop_multipliers(loops[i])):
        muls = loop_multipliers(loops[i])
        f = factor
        while f > fallback and muls * f > left:
            f //= 2
        f = max(f, fallback)
        trips = affine_trips(loops[i])
        if JAMMED in loops[i].attributes:
            f = 1  # hls-jam-outputs already put `factor` copies in it
        elif trips is None:
            # a dynamic trip count needs a remainder bound (a divider and a multiplier) that
            # lower-scf-to-calyx puts, pipelined, into the loop test's combinational group
            f = 1
        elif trips > 1:
            f = even_factor(loops[i], min(f, trips), trips)
        out[i] = f
        left -= muls * f
    return out


def uniform_factors(loops: list[Any], factor: int) -> list[int]:
    """`factor` for each loop with a constant trip count of at least `factor` (what upstream
    affine-loop-unroll does to those), 1 for the others: shorter loops and dynamic ones."""
    return [even_factor(loop, factor, t) if (t := affine_trips(loop)) is not None and t >= factor
            else 1 for loop in loops]


def even_factor(loop: Any, factor: int, trips: int) -> int:
    """`factor`, or for a loop with iter_args the largest factor up to it that divides
    `trips`: upstream's cleanup loop after an uneven unroll starts an iter_arg whose yield is
    loop-invariant from the wrong value (tests/fuzz/cases/hw-O2_unroll_iter_args_*)."""
    if not len(loop.results):
        return factor
    while factor > 1 and trips % factor:
        factor -= 1
    return factor


@dataclass(frozen=True)
class UnrollBudget(ModulePass):
    """Unrolls each function's innermost loops as far as its multiplier budget allows."""

    name: ClassVar[str] = "hls-unroll-budget"
    build: ClassVar[str] = "mlir"
    factor: int = 8
    fallback: int = 2
    max_multipliers: int = 16
    uniform: int = 0  # > 0: every constant loop of at least this many trips, by this factor

    def apply(self, module: Any) -> None:
        for op in module.body.operations:
            fn = op.operation
            if fn.name != "func.func" or not fn.regions[0].blocks:
                continue
            loops = innermost_loops(fn)
            chosen = (uniform_factors(loops, self.uniform) if self.uniform else
                      factors(loops, self.factor, self.fallback, self.max_multipliers))
            for loop, f in zip(loops, chosen):
                if f > 1:
                    apply_to(module, loop,
                             f"transform.loop.unroll %op {{factor = {f}}} : !transform.any_op")
            if not self.uniform:
                self._unroll_windows(module, fn)

    def _unroll_windows(self, module: Any, fn: Any) -> None:
        """Loops left innermost by full unrolls (a convolution's 3x3 window) are unrolled
        fully too while the function's multipliers stay within the budget: the window's
        products then share steps instead of a loop's compare-and-branch states."""
        while True:
            muls = loop_multipliers(fn)
            window = [loop for loop in innermost_loops(fn)
                      if (t := affine_trips(loop)) is not None and 1 < t <= self.factor
                      and not len(loop.results) and loop_multipliers(loop) > 0
                      and muls + loop_multipliers(loop) * (t - 1) <= self.max_multipliers]
            if not window:
                return
            loop = window[0]
            apply_to(module, loop, f"transform.loop.unroll %op {{factor = {affine_trips(loop)}}} "
                     ": !transform.any_op")
