"""Rejects, with the user's location, what the hardware flow cannot build: floats and unknown ops."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from unified import mlir
from unified.errors import Loc, VerifyError
from unified.passes import ModulePass

# Operations the hardware flow lowers, besides integer `arith.*` ops.
SUPPORTED = {
    "func.func", "func.return", "func.call",
    "affine.for", "affine.if", "affine.yield", "affine.load", "affine.store", "affine.apply",
    "affine.min", "affine.max",
    "scf.for", "scf.while", "scf.if", "scf.yield", "scf.condition",
    "memref.load", "memref.store", "memref.alloc", "memref.alloca", "memref.dealloc",
}


def is_float(t: Any) -> bool:
    """Whether `t` is a float type or a memref/vector/tensor of floats."""
    ir = mlir.ir
    try:
        t = ir.ShapedType(t).element_type
    except (ValueError, TypeError):
        pass
    return "float" in type(t).__name__.lower() or str(t) in ("f16", "bf16", "f32", "f64")


def walk(op: Any):
    for region in op.regions:
        for block in region.blocks:
            for inner in block.operations:
                inner = inner.operation
                yield inner
                yield from walk(inner)


@dataclass(frozen=True)
class CheckHwKernel(ModulePass):
    """Raises VerifyError at the first float-typed op, unsupported op or bad type of a kernel."""

    name: ClassVar[str] = "check-hw-kernel"
    build: ClassVar[str] = "pycde"
    path: str = "<input>"

    def apply(self, module: Any) -> None:
        for op in walk(module.operation):
            where = self._loc(op)
            types = [v.type for v in op.operands] + [r.type for r in op.results]
            if op.name == "func.func":
                ftype = mlir.ir.FunctionType(mlir.ir.TypeAttr(op.attributes["function_type"]).value)
                types = list(ftype.inputs) + list(ftype.results)
                if not len(op.regions[0].blocks):
                    raise VerifyError("a kernel for hardware calls a function without a body",
                                      where, hint="give the callee a body or run it in software")
            if any(is_float(t) for t in types):
                raise VerifyError(
                    f"floating-point operation '{op.name}' cannot be compiled to hardware",
                    where, hint="use integer or fixed-point arithmetic in hardware kernels, "
                    "or mark the function unified.target = \"sw\"")
            if op.name not in SUPPORTED and not op.name.startswith("arith."):
                raise VerifyError(f"operation '{op.name}' is not supported in hardware kernels",
                                  where, hint="rewrite it with affine/scf loops, arith integer "
                                  "ops and memref.load/store, or run the function in software")

    def _loc(self, op: Any) -> Loc:
        _, line, col = mlir.location_of(op.location)
        return Loc(self.path, line, col)
