"""Affine super-vectorization with a vector length derived from VLEN and the element width."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sw_dialects.loop_analysis import lanes_for, vectorizable_functions
from sw_dialects.mask_tails import mask_partial_vectors
from sw_dialects.walk import ops_named
from unified.core import mlir
from unified.core.passes import ModulePass


@dataclass(frozen=True)
class Vectorize(ModulePass):
    """Runs `affine-super-vectorize` on each kernel with VLEN*LMUL/bits lanes (reductions too).

    Functions with strided accesses stay scalar here (see `has_strided_access`). A trip count
    that is not a multiple of the lanes keeps a masked last iteration: its transfers are masked
    to the loop's iterations (see `mask_tails`) or cut by the memref's end where that is the
    loop's end; reductions select the tail away. `lmul=0` chooses LMUL.
    """

    name = "sw-vectorize"
    build = "mlir"
    vlen: int = 128
    lmul: int = 0

    def apply(self, module: Any) -> None:
        for func in vectorizable_functions(module):
            lanes = lanes_for(func, self.vlen, self.lmul)
            pipeline = (f"func.func(affine-super-vectorize{{virtual-vector-size={lanes} "
                        "vectorize-reductions=true})")
            mlir.passmanager.PassManager.parse(pipeline, module.context).run(func)
            mask_partial_vectors(func)
            _reassociate_reductions(func)


def _reassociate_reductions(func: Any) -> None:
    """Float `vector.reduction`s the vectorizer made get `fastmath<reassoc>`: it already summed
    the lanes out of order, so the final horizontal sum need not be ordered (vfredusum)."""
    reassoc = mlir.ir.Attribute.parse("#arith.fastmath<reassoc>")
    for op in ops_named(func, "vector.reduction"):
        if not isinstance(op.results[0].type, mlir.ir.IntegerType):
            op.attributes["fastmath"] = reassoc
