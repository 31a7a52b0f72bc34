"""calyx.par → calyx.seq, because lower-calyx-to-fsm rejects par."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from calyx_flow.calyx_ir import components, create, new_block
from unified.core import mlir
from unified.core.mlir import ops_named
from unified.core.passes import ModulePass


def move_children(source: Any, target_block: Any) -> None:
    """Moves every op of `source`'s first block to the end of `target_block`."""
    ip = mlir.ir.InsertionPoint(target_block)
    for op in list(source.regions[0].blocks[0].operations):
        op = op.operation
        op.detach_from_parent()
        ip.insert(op)


@dataclass(frozen=True)
class SerializePar(ModulePass):
    """Runs the arms of every calyx.par one after the other (a calyx.seq); same results, more cycles."""

    name: ClassVar[str] = "calyx-serialize-par"
    build: ClassVar[str] = "pycde"

    def apply(self, module: Any) -> None:
        for component in components(module):
            for par in ops_named(component, "calyx.par"):
                seq = create("calyx.seq", regions=1, before=par, loc=par.location)
                move_children(par, new_block(seq))
                par.erase()
