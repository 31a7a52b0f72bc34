"""What the partitioner reads off the IR: per function, its call sites and its operation mix.

`profile` runs inside a worker (any build that parses affine/scf/arith/memref) and returns
plain data: operations counted by kind and weighted by the trip counts of the loops around
them, the call sites with their multiplicity, float use and the first op hardware cannot take.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from unified.core import mlir
from unified.core.hw_floats import float_problem

# Trip count assumed for a loop whose bounds are not constants (the estimate says so).
UNKNOWN_TRIPS = 8

# Operation kinds the cost model weighs; every counted op falls in exactly one.
KINDS = ("load", "store", "alu", "mul", "div", "float", "vector", "iter", "call", "alloc",
         "other")

_MUL = {"arith.muli"}
_DIV = {"arith.divsi", "arith.divui", "arith.remsi", "arith.remui", "arith.ceildivsi",
        "arith.floordivsi", "arith.ceildivui"}
_FREE = {"arith.constant", "ub.poison", "affine.yield", "scf.yield", "func.return",
         "memref.alloca", "arith.index_cast", "arith.extsi", "arith.extui",
         "arith.trunci", "scf.condition"}
_LOADS = {"affine.load", "memref.load", "affine.vector_load", "vector.load", "vector.transfer_read",
          "vector.maskedload", "vector.gather"}
_STORES = {"affine.store", "memref.store", "affine.vector_store", "vector.store",
           "vector.transfer_write", "vector.maskedstore", "vector.scatter"}
_LOOPS = {"affine.for", "scf.for", "affine.parallel", "scf.parallel", "scf.while"}
# Operations the hardware flow (affine/scf -> Calyx) can take; anything else keeps a
# kernel in software with the op named in the reason.
_HW_DIALECT_OPS = {"affine.for", "affine.if", "affine.load", "affine.store", "affine.yield",
                   "affine.apply", "scf.for", "scf.if", "scf.yield", "scf.while", "scf.condition",
                   "memref.load", "memref.store", "memref.alloc", "memref.alloca",
                   "memref.dealloc", "func.return"}


@dataclass(frozen=True)
class CallSite:
    """A func.call: its callee, how often it runs per call of the caller, where it is."""

    callee: str
    times: int  # executions per call of the caller (product of enclosing trip counts)
    loc: tuple[str, int, int]


@dataclass
class FunctionProfile:
    """A function's operation mix per call, with its call sites."""

    name: str
    ops: dict[str, int] = field(default_factory=dict)  # kind -> executions per call
    calls: list[CallSite] = field(default_factory=list)
    float_op: tuple[str, tuple[str, int, int]] | None = None  # first float op hw lacks
    unsupported: tuple[str, tuple[str, int, int]] | None = None  # first op hw cannot take
    unknown_trips: bool = False


@dataclass
class ModuleProfile:
    """Every function's profile, and the module's `unified.platform` entries."""

    functions: dict[str, FunctionProfile] = field(default_factory=dict)
    platform: dict[str, Any] = field(default_factory=dict)  # unified.platform entries
    platform_loc: tuple[str, int, int] = ("", 0, 0)


def profile(module: Any) -> ModuleProfile:
    """Call sites, weighted op counts and float use of every func.func."""
    ir = mlir.ir
    out = ModuleProfile(platform_loc=mlir.location_of(module.operation.location))
    if "unified.platform" in module.operation.attributes:
        out.platform = _dict_attr(module.operation.attributes["unified.platform"])
    for op in module.body.operations:
        op = op.operation
        if op.name != "func.func" or len(op.regions[0].blocks) == 0:
            continue
        name = ir.StringAttr(op.attributes["sym_name"]).value
        prof = FunctionProfile(name, {k: 0 for k in KINDS})
        _walk(op, 1, prof)
        out.functions[name] = prof
    return out


def _walk(op: Any, times: int, prof: FunctionProfile) -> None:
    for region in op.regions:
        for block in region.blocks:
            for inner in block.operations:
                inner = inner.operation
                name = inner.name
                inner_times = times
                if name in _LOOPS:
                    trips = _trip_count(inner)
                    if trips is None:
                        prof.unknown_trips = True
                        trips = UNKNOWN_TRIPS
                    inner_times = times * trips
                    prof.ops["iter"] += inner_times
                elif name == "func.call":
                    callee = mlir.ir.FlatSymbolRefAttr(inner.attributes["callee"]).value
                    prof.calls.append(CallSite(callee, times, mlir.location_of(inner.location)))
                    prof.ops["call"] += times
                else:
                    kind = _kind(inner)
                    if kind:
                        prof.ops[kind] += times
                    if prof.float_op is None and name != "arith.constant" \
                            and float_problem(inner):  # no unit for it (a constant: its user)
                        prof.float_op = (name, mlir.location_of(inner.location))
                if prof.unsupported is None and not _hw_can_take(inner):
                    prof.unsupported = (name, mlir.location_of(inner.location))
                _walk(inner, inner_times, prof)


def _kind(op: Any) -> str | None:
    name = op.name
    if name in _FREE:
        return None
    if name in ("memref.alloc", "memref.dealloc"):  # malloc and free on the CPU
        return "alloc"
    if _touches_float(op):
        return "float"
    if _touches_vector(op):  # the software flow's vector level: one op, several lanes
        return "vector"
    if name in _LOADS:
        return "load"
    if name in _STORES:
        return "store"
    if name in _MUL:
        return "mul"
    if name in _DIV:
        return "div"
    if name.startswith("arith.") or name in ("affine.apply", "scf.if", "affine.if"):
        return "alu"
    return "other"


def _touches_float(op: Any) -> bool:
    """An operand or result is a float, or a memref/vector of floats."""
    return any(_is_a(mlir.ir.FloatType, _element(v.type)) for v in [*op.results, *op.operands])


def _touches_vector(op: Any) -> bool:
    return any(_is_a(mlir.ir.VectorType, v.type) for v in [*op.results, *op.operands])


def _element(t: Any) -> Any:
    try:
        return mlir.ir.ShapedType(t).element_type
    except (ValueError, TypeError):
        return t


def _is_a(cls: Any, t: Any) -> bool:
    """Whether type `t` casts to `cls` (the bindings raise on a failed cast)."""
    try:
        cls(t)
        return True
    except (ValueError, TypeError):
        return False


def _hw_can_take(op: Any) -> bool:
    name = op.name
    if name == "func.call" or float_problem(op):  # f32 with a unit is fine (hw_floats)
        return False
    if name.startswith("arith."):
        return True
    return name in _HW_DIALECT_OPS


def _trip_count(op: Any) -> int | None:
    ir = mlir.ir
    if op.name == "affine.for":
        lb_ub = _affine_const(op, "lowerBoundMap"), _affine_const(op, "upperBoundMap")
        step = ir.IntegerAttr(op.attributes["step"]).value
    elif op.name == "scf.for":
        lb_ub = _const_value(op.operands[0]), _const_value(op.operands[1])
        step = _const_value(op.operands[2])
    else:
        return None
    lb, ub = lb_ub
    if lb is None or ub is None or not step:
        return None
    return max(0, -(-(ub - lb) // step))


def _affine_const(op: Any, attr: str) -> int | None:
    ir = mlir.ir
    amap = ir.AffineMapAttr(op.attributes[attr]).value
    if len(amap.results) != 1:
        return None
    try:
        return ir.AffineConstantExpr(amap.results[0]).value
    except (ValueError, TypeError):
        return None


def _const_value(value: Any) -> int | None:
    ir = mlir.ir
    try:
        owner = value.owner
        if owner.name != "arith.constant":
            return None
        return ir.IntegerAttr(owner.attributes["value"]).value
    except (ValueError, TypeError, AttributeError):
        return None


def _dict_attr(attr: Any) -> dict[str, Any]:
    """A DictionaryAttr as {name: int | float | str | bool}, read through the bindings."""
    ir = mlir.ir
    d = ir.DictAttr(attr)
    out: dict[str, Any] = {}
    for i in range(len(d)):
        named = d[i]
        a = named.attr
        for cast, get in ((ir.BoolAttr, lambda x: x.value), (ir.IntegerAttr, lambda x: x.value),
                          (ir.FloatAttr, lambda x: x.value), (ir.StringAttr, lambda x: x.value)):
            try:
                out[named.name] = get(cast(a))
                break
            except (ValueError, TypeError):
                continue
        else:
            out[named.name] = str(a)
    return out
