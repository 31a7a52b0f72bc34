"""Turns every `memref.alloc` of the top kernel into a trailing function argument.

lower-scf-to-calyx gives an allocated buffer a `calyx.seq_mem` cell whose port list the
circt wheel and pycde's CIRCT disagree on, and neither lowers it to hardware. As an
argument the buffer becomes one more ext_mem port set; `scratch-memories` (hw_dialects)
then puts a memory behind those ports inside the generated core.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from hls.bank_memories import BUFFER_ATTR
from hls.check_hw_kernel import walk
from unified.core import mlir
from unified.core.errors import Loc, VerifyError
from unified.core.passes import ModulePass


def alloc_shapes(module: Any, func: str) -> list[tuple[tuple[int, ...], str]]:
    """(shape, element type) of each memref.alloc of @func, in the order they are hoisted."""
    out = []
    for op in walk(mlir.function(module, func)):
        if op.name in ("memref.alloc", "memref.alloca"):
            t = mlir.ir.MemRefType(op.results[0].type)
            out.append((tuple(t.shape), str(t.element_type)))
    return out


@dataclass(frozen=True)
class HoistAllocs(ModulePass):
    """memref.alloc/alloca in @func → new trailing arguments of @func (in program order)."""

    name: ClassVar[str] = "hoist-allocs"
    build: ClassVar[str] = "mlir"
    func: str = ""

    def apply(self, module: Any) -> None:
        ir = mlir.ir
        top = mlir.function(module, self.func)
        entry = top.regions[0].blocks[0]
        ftype = ir.FunctionType(ir.TypeAttr(top.attributes["function_type"]).value)
        inputs = list(ftype.inputs)
        for op in list(walk(top)):
            if op.name not in ("memref.alloc", "memref.alloca"):
                continue
            if op.operands:
                _, line, col = mlir.location_of(op.location)
                raise VerifyError("a buffer of dynamic size cannot be built in hardware",
                                  Loc("-", line, col), hint="give the memref.alloc a static shape")
            arg = entry.add_argument(op.results[0].type, op.location)
            inputs.append(op.results[0].type)
            op.results[0].replace_all_uses_with(arg)
            op.erase()
        top.attributes["function_type"] = ir.TypeAttr.get(
            ir.FunctionType.get(inputs, list(ftype.results)))
        # The user's arguments keep their attributes; each buffer is marked as one (banking
        # leaves buffers alone: scratch-memories builds them from their shapes).
        empty = ir.DictAttr.get({})
        kept = list(ir.ArrayAttr(top.attributes["arg_attrs"])) if "arg_attrs" in top.attributes \
            else [empty] * len(ftype.inputs)
        buffer = ir.DictAttr.get({BUFFER_ATTR: ir.UnitAttr.get()})
        top.attributes["arg_attrs"] = ir.ArrayAttr.get(
            kept + [buffer] * (len(inputs) - len(ftype.inputs)))
