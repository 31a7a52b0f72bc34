"""Resets `overflowFlags` of arith ops to none so the older circt wheel can read the module.

Upstream MLIR (newer than the circt wheel) prints `arith.addi ... overflow<nsw>`, which
the wheel cannot parse; with the flags at none the custom form omits them. The flags
only license optimisations, so dropping them keeps the semantics.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from hls.check_hw_kernel import walk
from unified.core import mlir
from unified.core.passes import ModulePass


@dataclass(frozen=True)
class DropOverflowFlags(ModulePass):
    """Sets every `overflowFlags` attribute to `#arith.overflow<none>`."""

    name: ClassVar[str] = "drop-overflow-flags"
    build: ClassVar[str] = "mlir"

    def apply(self, module: Any) -> None:
        none = mlir.ir.Attribute.parse("#arith.overflow<none>")
        for op in walk(module.operation):
            if "overflowFlags" in op.attributes:
                op.attributes["overflowFlags"] = none
