"""Partially unrolls innermost loops that read few values, to share their loop overhead."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sw_dialects.loop_analysis import innermost_loops, trip_count
from sw_dialects.walk import ops_named
from unified.core import mlir
from unified.core.passes import ModulePass

READS = ("affine.load", "memref.load", "vector.transfer_read", "vector.load")


@dataclass(frozen=True)
class UnrollLightLoops(ModulePass):
    """Kernels whose innermost loops each read at most `max_reads` values -> those loops
    unrolled by `factor` (upstream `affine-loop-unroll`).

    Unrolling a loop that reads many vectors (a 3x3 window) lets LLVM keep the reads of one
    iteration alive for the next and spill vector registers, so such kernels are left alone.
    """

    name = "sw-unroll-light-loops"
    build = "mlir"
    factor: int = 4
    max_reads: int = 8

    def apply(self, module: Any) -> None:
        pipeline = f"func.func(affine-loop-unroll{{unroll-factor={self.factor}}})"
        for func in ops_named(module.operation, "func.func"):
            loops = innermost_loops(func)
            if loops and all(len(ops_named(loop, *READS)) <= self.max_reads
                             and self._even(loop) for loop in loops):
                mlir.passmanager.PassManager.parse(pipeline, module.context).run(func)

    def _even(self, loop: Any) -> bool:
        """False for a loop with iter_args whose trips are not a multiple of `factor` (or not
        known): upstream's cleanup loop after an uneven unroll starts an iter_arg whose yield
        is loop-invariant from the wrong value (tests/fuzz/cases/sw_unroll_light_loops_*)."""
        if not len(loop.results):
            return True
        trips = trip_count(loop)
        return trips is not None and trips % self.factor == 0
