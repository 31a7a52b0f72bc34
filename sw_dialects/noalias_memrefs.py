"""Tells LLVM that the buffers of distinct memref arguments do not overlap."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from unified.core import mlir
from unified.core.passes import ModulePass


@dataclass(frozen=True)
class NoaliasMemrefs(ModulePass):
    """llvm.func kernels in the expanded memref convention -> aligned pointers marked `noalias`.

    Each memref argument expands to (allocated ptr, aligned ptr, offset, sizes, strides);
    only the aligned pointer is read or written, so it alone gets `llvm.noalias`. The
    `_mlir_ciface_` wrappers inline the kernel, which carries the fact to their callers.
    """

    name = "sw-noalias-memrefs"
    build = "mlir"

    def apply(self, module: Any) -> None:
        ir = mlir.ir
        ptr = ir.Type.parse("!llvm.ptr")
        for op in module.body.operations:
            op = op.operation
            if op.name != "llvm.func" or len(op.regions[0].blocks) == 0:
                continue
            if ir.StringAttr(op.attributes["sym_name"]).value.startswith("_mlir_ciface_"):
                continue
            args = op.regions[0].blocks[0].arguments
            old = list(op.attributes["arg_attrs"]) if "arg_attrs" in op.attributes else []
            entries = [_entries(old[i]) if i < len(old) else {} for i in range(len(args))]
            i = 0
            while i + 1 < len(args):
                if args[i].type == ptr and args[i + 1].type == ptr:
                    entries[i + 1]["llvm.noalias"] = ir.UnitAttr.get()
                    i += 2
                else:
                    i += 1
            op.attributes["arg_attrs"] = ir.ArrayAttr.get([ir.DictAttr.get(e) for e in entries])


def _entries(attr: Any) -> dict[str, Any]:
    d = mlir.ir.DictAttr(attr)
    return {d[j].name: d[j].attr for j in range(len(d))}
