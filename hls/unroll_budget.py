"""hls-unroll-budget: innermost affine loops unrolled by `factor` while the copies fit a multiplier budget.

Each function's innermost `affine.for` loops are unrolled by `factor` when their
`arith.muli` ops, copied `factor` times, stay within `max_multipliers` (16 32-bit products
are 48 DSP48s); otherwise by `fallback`; never by more than the shortest of their constant
trip counts (a 4-trip loop is unrolled fully by 4, not left alone by 8). The copies of the multipliers cost little, but
each copy also brings its load registers, address muxes and control, and those are LUTs.
The unrolling itself is upstream `affine-loop-unroll`, run on that function.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from unified import mlir
from unified.passes import ModulePass


def innermost_loops(op: Any) -> list[Any]:
    """The `affine.for` ops nested in `op` that have no `affine.for` inside."""
    loops = [o for o in mlir.walk(op) if o.name == "affine.for"]
    return [loop for loop in loops if not any(o.name == "affine.for" for o in mlir.walk(loop))]


def multipliers(op: Any) -> int:
    """How many `arith.muli` ops the innermost loops under `op` hold (one copy each)."""
    return sum(1 for loop in innermost_loops(op) for o in mlir.walk(loop) if o.name == "arith.muli")


def _shortest_trip(fn: Any) -> int:
    """The smallest constant trip count among `fn`'s innermost loops (a large number if none).

    Upstream affine-loop-unroll leaves a loop shorter than the factor alone, so a factor
    above it would not unroll it at all; at most its trip count, it unrolls it fully.
    """
    trips = [_trip(loop) for loop in innermost_loops(fn)]
    return min((t for t in trips if t is not None and t > 1), default=1 << 30)


def _trip(loop: Any) -> int | None:
    ir = mlir.ir
    lower = ir.AffineMapAttr(loop.attributes["lowerBoundMap"]).value
    upper = ir.AffineMapAttr(loop.attributes["upperBoundMap"]).value
    bounds = [m.results[0] for m in (lower, upper) if not m.n_inputs and len(m.results) == 1]
    if len(bounds) != 2 or not all(isinstance(b, ir.AffineConstantExpr) for b in bounds):
        return None
    step = ir.IntegerAttr(loop.attributes["step"]).value
    return max(0, -(-(bounds[1].value - bounds[0].value) // step))


@dataclass(frozen=True)
class UnrollBudget(ModulePass):
    """Unrolls each function's innermost loops by `factor`, or by `fallback` past the budget."""

    name: ClassVar[str] = "hls-unroll-budget"
    build: ClassVar[str] = "mlir"
    factor: int = 8
    fallback: int = 2
    max_multipliers: int = 16

    def apply(self, module: Any) -> None:
        for op in module.body.operations:
            fn = op.operation
            if fn.name != "func.func" or not fn.regions[0].blocks:
                continue
            fits = multipliers(fn) * self.factor <= self.max_multipliers
            unroll = min(self.factor if fits else self.fallback, _shortest_trip(fn))
            if unroll > 1:
                pm = mlir.passmanager.PassManager.parse(
                    f"func.func(affine-loop-unroll{{unroll-factor={unroll}}})")
                pm.run(fn)
