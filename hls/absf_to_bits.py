"""hls-absf-to-bits: `math.absf` on f32 becomes its bit pattern with the sign bit cleared.

The CIRCT builds of the hardware flow have no math dialect, so a kernel that uses
`math.absf` could not even be parsed by them, although the hardware computes it for free
(float-to-bits turns the same operation into an `andi` later). Run in the `mlir` build on
a kernel cut out of its module (unified.kernel_cache), this leaves upstream arith only:

    %y = math.absf %x : f32   →   %b = arith.bitcast %x : f32 to i32
                                  %m = arith.andi %b, 0x7FFFFFFF
                                  %y = arith.bitcast %m : i32 to f32

which is exact for every value, NaNs included (IEEE 754 abs is a sign-bit operation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from unified.core import mlir
from unified.core.passes import ModulePass

SIGN_CLEARED = 0x7FFFFFFF


@dataclass(frozen=True)
class AbsfToBits(ModulePass):
    """Rewrites every f32 `math.absf` into two bitcasts around an `arith.andi`."""

    name: ClassVar[str] = "hls-absf-to-bits"
    build: ClassVar[str] = "mlir"

    def apply(self, module: Any) -> None:
        ir = mlir.ir
        f32, i32 = ir.F32Type.get(), ir.IntegerType.get_signless(32)
        for op in mlir.ops_named(module.operation, "math.absf"):
            if op.results[0].type != f32:
                continue  # check-hw-kernel names the float type the hardware lacks
            with op.location, ir.InsertionPoint(op):
                bits = ir.Operation.create("arith.bitcast", results=[i32],
                                           operands=[op.operands[0]]).results[0]
                mask = ir.Operation.create(
                    "arith.constant", results=[i32],
                    attributes={"value": ir.IntegerAttr.get(i32, SIGN_CLEARED)}).results[0]
                cleared = ir.Operation.create("arith.andi", results=[i32],
                                              operands=[bits, mask]).results[0]
                value = ir.Operation.create("arith.bitcast", results=[f32],
                                            operands=[cleared]).results[0]
            op.results[0].replace_all_uses_with(value)
            op.erase()
