"""Vectorizes the innermost loops of functions with strided accesses: strided reads that cover
a run together (a[2j], a[2j+1]) as a wide load and deinterleaving shuffles, which LLVM turns
into segment loads (`vlseg2`), other strided reads as constant-stride gathers (`vlse`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sw_dialects.loop_analysis import (
    coefficient,
    constant_bounds,
    constant_term,
    element_bits,
    has_strided_access,
    innermost_loops,
    lanes_for,
)
from sw_dialects.split_remainder import split
from sw_dialects.walk import dialect, ops_named
from unified.core import mlir
from unified.core.passes import ModulePass

# element-wise arith ops the rewrite takes: same op, vector types
ELEMENTWISE = frozenset(f"arith.{n}" for n in (
    "addi", "subi", "muli", "andi", "ori", "xori", "maxsi", "minsi", "maxui", "minui",
    "addf", "subf", "mulf", "divf", "negf", "maxnumf", "minnumf", "maximumf", "minimumf"))


@dataclass(frozen=True)
class Access:
    """How one affine.load/store moves with the loop: its memref, indices (map results over
    its operands) and the step of its last index per iteration (the others must not move)."""

    op: Any
    memref: Any
    operands: list[Any]
    stride: int


def _access(op: Any, iv: Any) -> Access | None:
    """The access `op` makes as `iv` advances, or None when it is not of the kind the rewrite
    takes (a memref with an identity layout, every index but the last fixed, linear maps)."""
    ir = mlir.ir
    first = 1 if op.name == "affine.load" else 2
    memref = op.operands[first - 1]
    mtype = ir.MemRefType(memref.type)
    identity = (isinstance(mtype.layout, ir.AffineMapAttr)
                and mtype.layout.value == ir.AffineMap.get_identity(mtype.rank))
    if not identity or not _plain_buffer(memref):
        return None
    operands = list(op.operands)[first:]
    results = list(ir.AffineMapAttr(op.attributes["map"]).value.results)
    steps = []
    for r in results:
        total = 0
        for pos, v in enumerate(operands):
            if v == iv:
                c = coefficient(r, pos)
                if c is None:
                    return None
                total += c
        steps.append(total)
    if not steps or any(steps[:-1]) or steps[-1] < 0:
        return None
    return Access(op, memref, operands, steps[-1])


def _plain_buffer(memref: Any) -> bool:
    """True for a function argument or a fresh allocation: a buffer no other value aliases."""
    owner = memref.owner
    if isinstance(owner, mlir.ir.Block):
        return owner.owner is not None and owner.owner.operation.name == "func.func"
    return owner.name in ("memref.alloc", "memref.alloca")


def _loop_plan(loop: Any) -> list[Access] | None:
    """The accesses of innermost `loop` when the whole body can become vector code: loads and
    stores (stores unit-stride), element-wise arith, no carried values, and every buffer
    either only read or only written, except element-wise updates (load and store of one
    address). None otherwise."""
    if len(loop.results):
        return None
    iv = loop.regions[0].blocks[0].arguments[0]
    body = list(loop.regions[0].blocks[0].operations)
    accesses: list[Access] = []
    for op in body[:-1]:
        if op.name in ("affine.load", "affine.store"):
            a = _access(op, iv)
            if a is None or op.name == "affine.store" and a.stride != 1:
                return None
            accesses.append(a)
        elif op.name not in ELEMENTWISE or not all(_scalar(r.type) for r in op.results):
            return None
    stores = [a for a in accesses if a.op.name == "affine.store"]
    # values compare (and hash) by identity; get_name() crashed the bindings on some modules
    written = [a.memref for a in stores]
    for a in stores:  # two places of one buffer: a later iteration's store lands in between
        if any(s.memref == a.memref and (s.operands != a.operands or str(s.op.attributes["map"])
                                         != str(a.op.attributes["map"])) for s in stores):
            return None
    for a in accesses:
        if a.op.name == "affine.load" and any(a.memref == w for w in written):
            same = [s for s in stores if s.memref == a.memref and s.operands == a.operands
                    and str(s.op.attributes["map"]) == str(a.op.attributes["map"])]
            if len(same) != len([s for s in stores if s.memref == a.memref]) or not same:
                return None
    if not any(a.stride > 1 for a in accesses):
        return None  # nothing strided: the affine vectorizer's business
    return accesses


def _scalar(t: Any) -> bool:
    ir = mlir.ir
    return isinstance(t, (ir.IntegerType, ir.F32Type, ir.F64Type, ir.F16Type))


@dataclass(frozen=True)
class Segment:
    """Strided loads of one buffer that together read every element of a run: `factor` loads
    with stride `factor` at last-index offsets first, first+1, ... (a[2j], a[2j+1]). One
    unit-stride load of factor x lanes elements and a deinterleaving shuffle per field read
    them (vlseg<factor> once lowered, where vlse would touch one element a cycle)."""

    memref: Any
    amap: Any  # the first field's access map
    operands: list[Any]
    factor: int


def segments(plan: list[Access]) -> dict[int, tuple[Segment, int]]:
    """Position in `plan` of each strided load that belongs to a complete `Segment` ->
    (that segment, its field)."""
    ir = mlir.ir
    groups: dict[tuple, dict[int, list[int]]] = {}
    for n, a in enumerate(plan):
        if a.op.name != "affine.load" or a.stride not in (2, 4, 8):
            continue
        amap = ir.AffineMapAttr(a.op.attributes["map"]).value
        results = list(amap.results)
        offset = constant_term(results[-1])
        if offset is None:
            continue
        base = ir.AffineAddExpr.get(results[-1], ir.AffineConstantExpr.get(-offset))
        shape = ir.AffineMap.get(amap.n_dims, amap.n_symbols, [*results[:-1], base])
        key = (a.memref, str(shape), tuple(a.operands), a.stride)  # values hash by identity
        groups.setdefault(key, {}).setdefault(offset, []).append(n)
    out: dict[int, tuple[Segment, int]] = {}
    for (_, _, _, factor), by_offset in groups.items():
        first = min(by_offset)
        if sorted(by_offset) != list(range(first, first + factor)):
            continue
        lead = plan[by_offset[first][0]]
        seg = Segment(lead.memref, ir.AffineMapAttr(lead.op.attributes["map"]).value,
                      lead.operands, factor)
        for offset, members in by_offset.items():
            for n in members:
                out[n] = (seg, offset - first)
    return out


def vectorize_loop(loop: Any, lanes: int) -> bool:
    """Rewrites innermost `loop` (step 1, trip count a multiple of `lanes`) to step `lanes`:
    unit-stride loads and stores become affine.vector_load/store, loads that do not move a
    load and a broadcast, strided loads a `Segment`'s wide load and shuffle or else a
    `vector.gather` with the constant offsets 0, s, 2s, ... (vlse); element-wise arith the
    same op on vectors. Each load is placed right before its first use (so that loads and
    arithmetic alternate: in-order issue keeps both units busy), and before any store to its
    buffer. True when rewritten."""
    plan = _loop_plan(loop)
    if plan is None:
        return False
    ir = mlir.ir
    vector, affine = dialect("vector"), dialect("affine")
    block = loop.regions[0].blocks[0]
    body = list(block.operations)[:-1]
    fields = segments(plan)
    pending = {a.op.results[0]: (n, a) for n, a in enumerate(plan) if a.op.name == "affine.load"}
    vectors: dict[Any, Any] = {}  # old scalar value -> its vector
    wide: dict[int, Any] = {}  # id of a Segment -> its wide load

    def vec(value: Any) -> Any:
        key = value
        if key in pending:
            n, a = pending.pop(key)
            vt = ir.VectorType.get([lanes], value.type)
            if n in fields:
                vectors[key] = _field(*fields[n], vt, wide)
            else:
                vectors[key] = _load(a, vt)
        elif key not in vectors:  # defined outside the loop: a splat
            vt = ir.VectorType.get([lanes], value.type)
            vectors[key] = vector.BroadcastOp(vt, value).result
        return vectors[key]

    position = {op: i for i, op in enumerate(body)}
    for at, op in enumerate(body):
        with ir.InsertionPoint(op), op.location:
            if op.name == "affine.load":
                continue
            if op.name == "affine.store":
                # reads of this buffer that come before the store read before it; the ones
                # after it (an unrolled update chain) must see the value it writes
                for _, a in list(pending.values()):
                    if a.memref == op.operands[1] and position[a.op] < at:
                        vec(a.op.results[0])
                affine.AffineVectorStoreOp(vec(op.operands[0]), op.operands[1],
                                           list(op.operands)[2:], op.attributes["map"])
            else:
                vt = ir.VectorType.get([lanes], op.results[0].type)
                new = ir.Operation.create(
                    op.name, results=[vt], operands=[vec(v) for v in op.operands],
                    attributes={name: op.attributes[name] for name in op.attributes})
                vectors[op.results[0]] = new.results[0]
    for op in reversed(body):
        op.erase()
    loop.attributes["step"] = ir.IntegerAttr.get(ir.IndexType.get(), lanes)
    return True


def _field(seg: Segment, field: int, vt: Any, wide: dict[int, Any]) -> Any:
    """Field `field` of segment `seg` as a vector of type `vt` (its wide load made once)."""
    ir = mlir.ir
    lanes = vt.shape[0]
    if id(seg) not in wide:
        wt = ir.VectorType.get([lanes * seg.factor], vt.element_type)
        wide[id(seg)] = dialect("affine").AffineVectorLoadOp(wt, seg.memref, seg.operands,
                                                            seg.amap).result
    w = wide[id(seg)]
    return dialect("vector").ShuffleOp(w, w, [i * seg.factor + field for i in range(lanes)]
                                       ).result


def _load(a: Access, vt: Any) -> Any:
    """The vector for the load `a` at the loop's current (first) lane."""
    ir = mlir.ir
    vector, affine, arith = dialect("vector"), dialect("affine"), dialect("arith")
    amap = ir.AffineMapAttr(a.op.attributes["map"]).value
    if a.stride == 1:
        return affine.AffineVectorLoadOp(vt, a.memref, a.operands, amap).result
    if a.stride == 0:
        scalar = affine.AffineLoadOp(vt.element_type, a.memref, a.operands, amap).result
        return vector.BroadcastOp(vt, scalar).result
    lanes = vt.shape[0]
    base = [affine.AffineApplyOp(ir.AffineMap.get(amap.n_dims, amap.n_symbols, [r]),
                                 a.operands).result for r in amap.results]
    i32 = ir.IntegerType.get_signless(32)
    offsets = ir.DenseElementsAttr.get(np.arange(0, lanes * a.stride, a.stride, dtype=np.int32),
                                       type=ir.VectorType.get([lanes], i32))
    indices = arith.ConstantOp(offsets.type, offsets).result
    mask_type = ir.VectorType.get([lanes], ir.IntegerType.get_signless(1))
    mask = arith.ConstantOp(mask_type, ir.DenseElementsAttr.get_splat(
        mask_type, ir.IntegerAttr.get(ir.IntegerType.get_signless(1), 1))).result
    passthru = dialect("ub").PoisonOp(vt).result
    return vector.GatherOp(vt, a.memref, base, indices, mask, passthru).result


@dataclass(frozen=True)
class VectorizeStrided(ModulePass):
    """Innermost loops of functions the affine vectorizer leaves (strided accesses, see
    `has_strided_access`) -> loops over VLEN*LMUL/bits lanes (fewer where a segment's
    fields would need more than 8 registers, or the loop is shorter): reads that cover a run
    together as one wide load and shuffles (vlseg), other strided reads as constant-stride
    `vector.gather` (vlse); a remainder stays scalar.

    Taken: step-1 loops with constant bounds whose body is loads, unit-stride stores and
    element-wise arith, each buffer only read, only written or updated in place.
    """

    name = "sw-vectorize-strided"
    build = "mlir"
    vlen: int = 128
    lmul: int = 0

    def apply(self, module: Any) -> None:
        for func in ops_named(module.operation, "func.func"):
            if not len(func.regions[0].blocks) or not has_strided_access(func):
                continue
            for loop in innermost_loops(func):
                bounds = constant_bounds(loop)
                plan = _loop_plan(loop) if bounds is not None and bounds[2] == 1 else None
                if plan is None:
                    continue
                lanes = lanes_for(func, self.vlen, self.lmul)
                factor = max((seg.factor for seg, _ in segments(plan).values()), default=1)
                lower, upper, _ = bounds
                while lanes > 2 and (lanes * element_bits(func) * factor > 8 * self.vlen
                                     or lanes > upper - lower):
                    lanes //= 2  # a segment's fields fit in 8 registers; one whole vector
                whole = (upper - lower) // lanes * lanes
                if not whole:
                    continue
                if whole != upper - lower:
                    split(loop, lower + whole)
                vectorize_loop(loop, lanes)
