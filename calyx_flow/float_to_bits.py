"""float-to-bits: f32 kernels as i32 bit patterns, each float operation a placeholder cell.

The circt wheel's lower-scf-to-calyx knows no floats. This pass (scf level, after the last
canonicalize) retypes every f32 value and memref<...xf32> to i32 (the bit pattern), turns
float constants into their patterns, negf/absf into a sign-bit xori/andi, bitcasts into
nothing, and each addf, subf, mulf, divf, cmpf, max/min and integer <-> float conversion
into an `arith.divui` whose location is named `unified.float.<kind>` (cmpf:
`cmpf_<predicate>`, truncated to i1; conversions: see `_conversion`).
lower-scf-to-calyx makes each one a `calyx.std_divu_pipe` cell carrying that location:
the Calyx passes see a pipelined cell, the schedule reads the unit's latency from the
name (a divisor that is the constant 1 is avoided: it would fold), and
calyx_flow.bind_float_units puts our IEEE-754 unit in its place after lower-calyx-to-hw.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any, ClassVar

from unified.core import mlir
from unified.core.errors import Loc, VerifyError
from unified.core.mlir import walk
from unified.core.passes import ModulePass

LOC_PREFIX = "unified.float."
UNITS = {"arith.addf": "addf", "arith.subf": "subf", "arith.mulf": "mulf", "arith.divf": "divf",
         "arith.maximumf": "maximumf", "arith.minimumf": "minimumf",
         "arith.maxnumf": "maxnumf", "arith.minnumf": "minnumf"}
CONVERSIONS = ("arith.sitofp", "arith.uitofp", "arith.fptosi", "arith.fptoui")
# arith.cmpf's predicate attribute values, in order
CMPF_PREDICATES = ("false", "oeq", "ogt", "oge", "olt", "ole", "one", "ord", "ueq", "ugt",
                   "uge", "ult", "ule", "une", "uno", "true")
# cmpf predicates with the operands swapped
MIRRORED = {"ogt": "olt", "olt": "ogt", "oge": "ole", "ole": "oge",
            "ugt": "ult", "ult": "ugt", "uge": "ule", "ule": "uge"}
SIGN_BIT = {"arith.negf": ("arith.xori", -0x80000000), "math.absf": ("arith.andi", 0x7FFFFFFF)}


def float_kind(loc: Any) -> str | None:
    """The unit kind a placeholder's location names (`unified.float.addf` -> addf), else None."""
    text = str(loc)
    at = text.find(f'"{LOC_PREFIX}')
    if at < 0:
        return None
    start = at + 1 + len(LOC_PREFIX)
    return text[start:text.index('"', start)]


@dataclass(frozen=True)
class FloatToBits(ModulePass):
    """Rewrites f32 values to i32 patterns and float ops to named placeholder multipliers."""

    name: ClassVar[str] = "float-to-bits"
    build: ClassVar[str] = "mlir"

    def apply(self, module: Any) -> None:
        ir = mlir.ir
        i32 = ir.IntegerType.get_signless(32)
        for op in list(walk(module.operation)):
            self._rewrite(op, i32)
        for op in walk(module.operation):
            for region in op.regions:
                for block in region.blocks:
                    for arg in block.arguments:
                        _retype(arg, i32)
            for result in op.results:
                _retype(result, i32)
            if op.name == "func.func":
                ftype = ir.FunctionType(ir.TypeAttr(op.attributes["function_type"]).value)
                new = ir.FunctionType.get([_bits_type(t, i32) for t in ftype.inputs],
                                          [_bits_type(t, i32) for t in ftype.results])
                op.attributes["function_type"] = ir.TypeAttr.get(new)

    def _rewrite(self, op: Any, i32: Any) -> None:
        ir = mlir.ir
        ip, loc = ir.InsertionPoint(op), op.location
        if op.name == "arith.constant" and str(op.results[0].type) == "f32":
            _replace(op, _constant(_bits(ir.FloatAttr(op.attributes["value"]).value), i32, ip, loc))
        elif op.name == "arith.bitcast" and "f32" in (str(op.operands[0].type),
                                                       str(op.results[0].type)):
            _replace(op, op.operands[0])
        elif op.name in SIGN_BIT:
            name, mask = SIGN_BIT[op.name]
            mask_value = _constant(mask, i32, ip, loc)
            _replace(op, ir.Operation.create(name, results=[i32], operands=[op.operands[0], mask_value],
                                             loc=loc, ip=ip).results[0])
        elif op.name in CONVERSIONS:
            kind, operand, narrow = _conversion(op, i32, ip, loc)
            kind, left, right = _unfoldable(kind, operand, operand, i32, ip, loc)
            _replace(op, _placeholder(kind, left, right, narrow, loc, ip))
        elif op.name in UNITS or op.name == "arith.cmpf":
            if op.name == "arith.cmpf":
                kind = "cmpf_" + CMPF_PREDICATES[ir.IntegerAttr(op.attributes["predicate"]).value]
            else:
                kind = UNITS[op.name]
            kind, left, right = _unfoldable(kind, *op.operands, i32, ip, loc)
            narrow = ir.IntegerType.get_signless(1) if op.name == "arith.cmpf" else None
            _replace(op, _placeholder(kind, left, right, narrow, loc, ip))


def _placeholder(kind: str, left: Any, right: Any, narrow: Any, loc: Any, ip: Any) -> Any:
    """`arith.divui left, right` named after unit `kind` (its width: the operands'), its
    result truncated to `narrow` unless that is None."""
    ir = mlir.ir
    named = ir.Location.name(LOC_PREFIX + kind, childLoc=loc)
    cell = ir.Operation.create("arith.divui", results=[left.type], operands=[left, right],
                               loc=named, ip=ip).results[0]
    if narrow is None:
        return cell
    return ir.Operation.create("arith.trunci", results=[narrow], operands=[cell], loc=loc,
                               ip=ip).results[0]


def _conversion(op: Any, i32: Any, ip: Any, loc: Any) -> tuple[str, Any, Any]:
    """(unit kind, its operand, the type its result is truncated to or None) of an integer
    <-> f32 conversion: i64 through the 64-bit units (a float pattern zero-extended, their
    float result truncated), i8/i16 through the 32-bit ones (extended to i32 first, the
    integer result truncated: exact, or out of range, which arith leaves as poison)."""
    ir = mlir.ir
    name = op.name[len("arith."):]
    to_float = name.endswith("tofp")
    int_type = ir.IntegerType(op.operands[0].type if to_float else op.results[0].type)
    operand = op.operands[0]
    if int_type.width == 64:
        if not to_float:
            operand = _extend("arith.extui", operand, int_type, ip, loc)
        return name + "64", operand, i32 if to_float else None
    if not to_float:
        return name, operand, int_type if int_type.width < 32 else None
    if int_type.width < 32:  # a value of at most 16 bits: sitofp is exact for both
        extend = "arith.extsi" if name == "sitofp" else "arith.extui"
        return "sitofp", _extend(extend, operand, i32, ip, loc), None
    return name, operand, None


def _extend(name: str, value: Any, to: Any, ip: Any, loc: Any) -> Any:
    return mlir.ir.Operation.create(name, results=[to], operands=[value], loc=loc,
                                    ip=ip).results[0]


def _unfoldable(kind: str, left: Any, right: Any, i32: Any, ip: Any, loc: Any
                ) -> tuple[str, Any, Any]:
    """The same operation with no divisor the folder takes away: `x / 1` folds to x, so a
    right operand that is the constant pattern 1 (the least subnormal) moves to the left
    (addf, mulf, cmpf mirrored) or is negated (x - c = x + -c; x / c = -x / -c, exact:
    rounding to nearest even is symmetric in the sign)."""
    if _pattern_of(right) != 1:
        return kind, left, right
    if kind == "subf":
        return "addf", left, _constant(-0x7FFFFFFF, i32, ip, loc)
    if kind == "divf" and _pattern_of(left) is None:
        negated = mlir.ir.Operation.create(
            "arith.xori", results=[i32], operands=[left, _constant(-0x80000000, i32, ip, loc)],
            loc=loc, ip=ip).results[0]
        return "divf", negated, _constant(-0x7FFFFFFF, i32, ip, loc)
    if kind in ("addf", "mulf", "maximumf", "minimumf", "maxnumf", "minnumf") or \
            kind.startswith("cmpf_"):
        predicate = kind[len("cmpf_"):]
        if kind.startswith("cmpf_"):
            kind = "cmpf_" + MIRRORED.get(predicate, predicate)
        if _pattern_of(left) is None:
            return kind, right, left
    raise VerifyError(f"the float operation {kind} on constants was not folded",
                      Loc("<input>", *mlir.location_of(loc)[1:]),
                      hint="run canonicalize before the hardware flow")


def _pattern_of(value: Any) -> int | None:
    """The bit pattern of an f32 or i32 arith.constant `value`, else None."""
    ir = mlir.ir
    owner = value.owner
    op = owner.operation if hasattr(owner, "operation") else owner
    if isinstance(owner, ir.Block) or op.name != "arith.constant":
        return None
    attr = op.attributes["value"]
    if str(value.type) == "f32":
        return _bits(ir.FloatAttr(attr).value) & 0xFFFFFFFF
    return ir.IntegerAttr(attr).value & 0xFFFFFFFF


def _bits(value: float) -> int:
    """The binary32 pattern of `value` as a signed 32-bit integer."""
    return struct.unpack("<i", struct.pack("<f", value))[0]


def _constant(value: int, i32: Any, ip: Any, loc: Any) -> Any:
    ir = mlir.ir
    return ir.Operation.create("arith.constant", results=[i32],
                               attributes={"value": ir.IntegerAttr.get(i32, value)},
                               loc=loc, ip=ip).results[0]


def _replace(op: Any, value: Any) -> None:
    op.results[0].replace_all_uses_with(value)
    op.erase()


def _bits_type(t: Any, i32: Any) -> Any:
    """f32 -> i32, memref<...xf32> -> memref<...xi32> (same shape and layout), else t."""
    ir = mlir.ir
    if str(t) == "f32":
        return i32
    try:
        m = ir.MemRefType(t)
    except (ValueError, TypeError):
        return t
    if str(m.element_type) != "f32":
        return t
    return ir.MemRefType.get(m.shape, i32, m.layout, m.memory_space)


def _retype(value: Any, i32: Any) -> None:
    new = _bits_type(value.type, i32)
    if new != value.type:
        value.set_type(new)
