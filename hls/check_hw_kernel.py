"""Rejects, with the user's location, what the hardware flow cannot build: unknown ops, float
types other than f32, and f32 operations that have no IEEE-754 unit (calyx_flow.float_units)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from unified.core import mlir
from unified.core.errors import Loc, VerifyError
from unified.core.hw_floats import float_problem, is_f32, is_float
from unified.core.mlir import walk
from unified.core.passes import ModulePass

# Operations the hardware flow lowers, besides integer `arith.*` ops.
SUPPORTED = {
    "func.func", "func.return", "func.call",
    "affine.for", "affine.if", "affine.yield", "affine.load", "affine.store", "affine.apply",
    "affine.min", "affine.max",
    "scf.for", "scf.while", "scf.if", "scf.yield", "scf.condition",
    "memref.load", "memref.store", "memref.alloc", "memref.alloca", "memref.dealloc",
}

FLOAT_HINT = ("use integer or fixed-point arithmetic in hardware kernels, or mark the function "
              'unified.target = "sw"')
F32_HINT = ("hardware kernels have f32 add, sub, mul, div, compare, max/min, negate, abs and "
            "signed and unsigned i8-i64 <-> f32 conversions; compute the rest in software "
            '(unified.target = "sw")')


def _memref_problem(t: Any) -> tuple[str, str] | None:
    """(what, how to fix) for a memref type hardware memories cannot hold, else None."""
    try:
        m = mlir.ir.MemRefType(t)
    except (ValueError, TypeError):
        return None
    if m.rank == 0:
        return ("a hardware memory needs at least one dimension",
                f"declare it as memref<1x{m.element_type}> and index it with [0]")
    if str(m.element_type) == "index":
        return ("index has no fixed width in hardware",
                "store i32 or i64 elements (arith.index_cast the index first)")
    return None


@dataclass(frozen=True)
class CheckHwKernel(ModulePass):
    """Raises VerifyError at the first float-typed op, unsupported op or bad type of a kernel."""

    name: ClassVar[str] = "check-hw-kernel"
    build: ClassVar[str] = "pycde"
    path: str = "<input>"
    func: str = ""  # the top kernel: it must return nothing (results go through memrefs)

    def apply(self, module: Any) -> None:
        ops = list(walk(module.operation))
        for op in ops:
            if op.name == "func.func":
                self._check_function(op)
        # Name the first float computation without a unit; a constant only if it is all there is.
        floats = [op for op in ops if op.name != "func.func" and float_problem(op)]
        if floats:
            op = next((o for o in floats if o.name != "arith.constant"), floats[0])
            wide = float_problem(op) == "type"
            raise VerifyError(
                f"floating-point operation '{op.name}' cannot be compiled to hardware",
                self._loc(op),
                hint=FLOAT_HINT if wide else F32_HINT)
        for op in ops:
            if op.name in ("memref.alloc", "memref.alloca"):
                problem = _memref_problem(op.results[0].type)
                if problem:
                    raise VerifyError(f"the buffer {op.results[0].type}: {problem[0]}",
                                      self._loc(op), hint=problem[1])
            if op.name not in SUPPORTED and not op.name.startswith("arith."):
                raise VerifyError(f"operation '{op.name}' is not supported in hardware kernels",
                                  self._loc(op), hint="rewrite it with affine/scf loops, arith "
                                  "integer ops and memref.load/store, or run the function in "
                                  "software")
        for op in ops:
            if op.name == "func.func" and len(op.regions[0].blocks):
                self._check_work(op, mlir.ir.StringAttr(op.attributes["sym_name"]).value)

    def _check_function(self, op: Any) -> None:
        ir = mlir.ir
        name = ir.StringAttr(op.attributes["sym_name"]).value
        if not len(op.regions[0].blocks):
            raise VerifyError(f"the hardware kernel calls @{name}, which has no body",
                              self._loc(op), hint="give it a body or run the caller in software")
        ftype = ir.FunctionType(ir.TypeAttr(op.attributes["function_type"]).value)
        if name == self.func and len(ftype.results):
            raise VerifyError(f"the hardware kernel @{name} returns a value", self._loc(op),
                              hint="store its results into a memref argument instead")
        for i, t in enumerate([*ftype.inputs, *ftype.results]):
            shape_problem = _memref_problem(t)
            if shape_problem:
                raise VerifyError(f"argument {i} of @{name} is a {t}: {shape_problem[0]}",
                                  self._loc(op), hint=shape_problem[1])
            if name == self.func and i < len(ftype.inputs) and str(t) == "f32":
                raise VerifyError(f"argument {i} of @{name} is an f32 scalar, which the hardware "
                                  "interface does not take", self._loc(op),
                                  hint="pass it in a memref<1xf32> and load it")
            if is_float(t) and not is_f32(t):
                what = f"argument {i}" if i < len(ftype.inputs) else "a result"
                raise VerifyError(f"{what} of @{name} has floating-point type {t}, which cannot "
                                  "be compiled to hardware", self._loc(op), hint=FLOAT_HINT)

    def _check_work(self, op: Any, name: str) -> None:
        """VerifyError when the top kernel has no operation that does anything."""
        if name == self.func and all(o.operation.name in ("func.return", "arith.constant")
                                     for o in op.regions[0].blocks[0].operations):
            raise VerifyError(f"the hardware kernel @{name} does nothing: there is no hardware "
                              "to build", self._loc(op), hint="give it work, or run it in "
                              'software (unified.target = "sw")')

    def _loc(self, op: Any) -> Loc:
        _, line, col = mlir.location_of(op.location)
        return Loc(self.path, line, col)
