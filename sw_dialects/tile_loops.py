"""Tiles the loop nests of the functions sw-mark-tileable found safe to reorder."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sw_dialects.mark_tileable import TILE_ATTR
from sw_dialects.walk import ops_named
from unified.core import mlir
from unified.core.passes import ModulePass


@dataclass(frozen=True)
class TileLoops(ModulePass):
    """Runs upstream `affine-loop-tile{tile-size=N}` on each function marked with
    `unified.tile_size = N`, then drops the mark. After the vectorizer a tile spans N
    iterations of each loop of a nest (N whole vectors along a vectorized loop)."""

    name = "sw-tile-loops"
    build = "mlir"

    def apply(self, module: Any) -> None:
        ir = mlir.ir
        for func in ops_named(module.operation, "func.func"):
            if TILE_ATTR not in func.attributes:
                continue
            size = ir.IntegerAttr(func.attributes[TILE_ATTR]).value
            del func.attributes[TILE_ATTR]
            pipeline = f"func.func(affine-loop-tile{{tile-size={size}}})"
            mlir.passmanager.PassManager.parse(pipeline, module.context).run(func)
