"""Splits the last partial vector's worth of iterations off an innermost loop."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sw_dialects.loop_analysis import (
    constant_bounds,
    innermost_loops,
    lanes_for,
    vectorizable_functions,
)
from unified.core import mlir
from unified.core.passes import ModulePass


def split(loop: Any, at: int) -> Any:
    """Cuts `loop` (constant bounds) at iteration value `at`: [lb, at) stays, [at, ub) is a copy
    placed right after it that starts from the first part's results. Returns the copy."""
    ir = mlir.ir
    bound = ir.AffineMapAttr.get(ir.AffineMap.get_constant(at))
    tail = loop.clone(ir.InsertionPoint(loop))
    tail.move_after(loop)
    loop.attributes["upperBoundMap"] = bound
    tail.attributes["lowerBoundMap"] = bound
    carried = len(loop.results)
    for j in range(carried):
        loop.results[j].replace_all_uses_with(tail.results[j])
    first_init = len(tail.operands) - carried
    for j in range(carried):
        tail.operands[first_init + j] = loop.results[j]
    return tail


@dataclass(frozen=True)
class SplitRemainder(ModulePass):
    """Innermost affine.for whose trip count is not a multiple of the lanes -> a main loop over
    whole vectors and a remainder loop.

    The vectorizer then emits unmasked loads and stores for the main loop and a single masked
    iteration for the remainder, instead of recomputing a mask in every iteration.
    """

    name = "sw-split-remainder"
    build = "mlir"
    vlen: int = 128
    lmul: int = 0

    def apply(self, module: Any) -> None:
        for func in vectorizable_functions(module):
            lanes = lanes_for(func, self.vlen, self.lmul)
            for loop in innermost_loops(func):
                bounds = constant_bounds(loop)
                if bounds is None or bounds[2] != 1:
                    continue
                lower, upper, _ = bounds
                whole = (upper - lower) // lanes * lanes
                if whole and whole != upper - lower:
                    split(loop, lower + whole)
