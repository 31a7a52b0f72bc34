"""calyx-flatten-seq: a `calyx.seq` (or one-arm `calyx.par`) nested directly in a `calyx.seq` is inlined.

`seq { seq { @a @b } @latch }` and `seq { @a @b @latch }` mean the same, but the FSM
lowering spends states entering and leaving each nested seq, and `calyx-par-compact`
only packs enables that are siblings. SCFToCalyx nests a seq per block and wraps single
initialisations in a one-arm par; after this pass they are plain siblings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from calyx_flow.calyx_ir import child, components, walk
from unified.core.passes import ModulePass


@dataclass(frozen=True)
class FlattenSeq(ModulePass):
    """Inlines every seq, and every par of one arm, that sits directly in a seq."""

    name: ClassVar[str] = "calyx-flatten-seq"
    build: ClassVar[str] = "pycde"

    def apply(self, module: Any) -> None:
        for component in components(module):
            control = child(component, "calyx.control")
            nested = [op for op in walk(control) if _inlinable(op)]
            for op in reversed(nested):  # innermost first, so each inlines into its parent
                for inner in list(op.regions[0].blocks[0].operations):
                    inner.operation.move_before(op)
                op.erase()


def _inlinable(op: Any) -> bool:
    parent = op.parent
    if parent is None or parent.name != "calyx.seq":
        return False
    if op.name == "calyx.seq":
        return True
    return op.name == "calyx.par" and len(list(op.regions[0].blocks[0].operations)) == 1
