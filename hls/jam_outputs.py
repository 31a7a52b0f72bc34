"""hls-jam-outputs: a reduction nest reordered so that its innermost loop feeds several outputs
at once, each from its own memory bank.

    for co, y, x, ci, ky, kx:                      for y, x, co step 8, ky, kx, ci:  (jammed)
      out[co,y,x] += in[ci,y+ky,x+kx]        →        out[co,y,x]   += in[ci,y+ky,x+kx] * w[co,ci,ky,kx]
                     * w[co,ci,ky,kx]                 out[co+1,y,x] += in[ci,y+ky,x+kx] * w[co+1,ci,ky,kx]
                                                      ...  (8 copies)

A convolution's innermost loops are its 3x3 window: three iterations each, too short to
pipeline, and the window's reads of the image cannot be banked (their bank depends on the
pixel). Its output channels, though, index the weights alone: with eight of them in one
iteration, the weights split into eight banks along that dimension give eight words a
cycle, the image word is shared, and the eight sums stay in registers
(hls-promote-reductions) over the longest reduction loop, now innermost. A matrix product
(`C[i,j] += A[i,k] * B[k,j]`) becomes eight columns of C over one row of A at a time.

A nest that only sets such an output (its zeros before the sums) is reordered so that its
innermost loop runs along the jammed dimension too: unrolled, it writes the same banks.

The nest must be perfect, with constant bounds and unit steps, and its body straight-line
code whose only store is an update `M[e] = M[e] op x` by an associative and commutative
integer op (the load of `M[e]` used by nothing else), every other memref only read. The
order of each element's updates then does not matter, so any loop order computes the same
values, exactly. The jammed loop is an output loop (one that indexes M) that indexes a read
memref alone in one of its dimensions (`w[co, ...]`: its bank is constant in each copy) and
whose trip count `factor` divides; the innermost loop becomes the reduction loop with the most
iterations. The copies are within `max-multipliers` products; the new innermost loop is
marked `hls.jammed` so that hls-unroll-budget leaves it rolled. Nests of fewer than
`min-iterations` iterations (PolyBench's 8x8 kernels) are left to the plain unrolling: they
already finish in tens of cycles, and eight accumulators, multipliers and weight banks
would cost them more LUTs than the cycles saved are worth.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any, ClassVar

from hls.bank_memories import BUFFER_ATTR, arg_attrs
from hls.promote_reductions import accessed_memory as _memory
from hls.unroll_budget import JAMMED
from hls.unroll_budget import affine_trips as _trips
from unified.core import mlir
from unified.core.passes import ModulePass

ASSOCIATIVE = ("arith.addi", "arith.muli", "arith.andi", "arith.ori", "arith.xori",
               "arith.maxsi", "arith.minsi", "arith.maxui", "arith.minui")
_BODY_OPS = ("affine.load", "affine.store", "affine.apply", "affine.yield")


@dataclass(frozen=True)
class JamOutputs(ModulePass):
    """Reorders each function's reduction nest so that `factor` outputs share its innermost loop."""

    name: ClassVar[str] = "hls-jam-outputs"
    build: ClassVar[str] = "mlir"
    factor: int = 8
    max_multipliers: int = 16
    min_iterations: int = 4096  # smaller nests keep the plain unrolling (and its area)

    def apply(self, module: Any) -> None:
        for op in module.body.operations:
            fn = op.operation
            if fn.name != "func.func" or not fn.regions[0].blocks:
                continue
            jammed: list[tuple[Any, int]] = []  # (output memref, the dimension jammed along)
            for top in _nests(fn):
                plan = self.plan(top)
                if plan is not None:
                    loops, _, jam, _ = plan
                    store = _update(_body(loops[-1]))
                    jammed.append((store.operands[1], _dim_of(_iv(loops[jam]), store)))
                    _rewrite(*plan)
                    continue
                fused = self.plan_fused(top)
                if fused is not None:
                    _rewrite_fused(*fused)
            for top in _nests(fn):
                _align_fill(top, jammed)

    def plan(self, outer: Any) -> tuple[list[Any], list[int], int, int] | None:
        """(the nest's loops, the new order as old positions, the jammed loop's old position,
        the factor), or None when the nest does not qualify or gains nothing."""
        loops = _perfect_nest(outer)
        if loops is None or math.prod(_trips(loop) for loop in loops) < self.min_iterations:
            return None
        body = _body(loops[-1])
        store = _update(body)
        if store is None:
            return None
        ivs = [_iv(loop) for loop in loops]
        outputs = [i for i, iv in enumerate(ivs) if iv in list(store.operands)[2:]]
        reductions = [i for i in range(len(loops)) if i not in outputs]
        if not reductions:
            return None
        muls = sum(1 for op in body if op.name == "arith.muli")
        candidates = []
        for i in outputs:
            f = self._factor(_trips(loops[i]), muls)
            if f > 1 and _banks_by(ivs[i], body, store):
                candidates.append((i, f))
        if not candidates:
            return None
        jam, f = candidates[-1]  # the innermost output loop that qualifies
        longest = max(reductions, key=lambda i: (_trips(loops[i]), i))
        order = ([i for i in outputs if i != jam] + [jam]
                 + [i for i in reductions if i != longest] + [longest])
        return loops, order, jam, f

    def _factor(self, trips: int, muls: int) -> int:
        """The largest of `factor`, `factor`/2, ... that divides `trips` and keeps the copies'
        multipliers within the budget (1: none does)."""
        f = self.factor
        while f > 1 and (trips % f or max(muls, 1) * f > self.max_multipliers):
            f //= 2
        return f

    def plan_fused(self, outer: Any) -> tuple[list[Any], int, int, Any] | None:
        """For a fused layer (per output: set an accumulator word, a reduction nest into it,
        write the output from it, as imported QLinearConv/QLinearMatMul kernels are): (the
        output loops, the jammed one's position, the factor, the accumulator memref)."""
        outputs = _band(outer)
        body = [op for op in _body(outputs[-1]) if op.name != "affine.yield"]
        inner = [op for op in body if op.name == "affine.for"]
        if len(inner) != 1 or any(_trips(loop) is None or _step(loop) != 1 or len(loop.results)
                                  for loop in outputs):
            return None
        reduction = _perfect_nest(inner[0])
        if reduction is None:
            return None
        ops = [o for o in body if o.name != "affine.for"] + _body(reduction[-1])
        if not all(o.name in _BODY_OPS or (o.name.startswith("arith.") and not o.regions)
                   for o in ops):
            return None
        trips = [_trips(loop) for loop in outputs + reduction]
        if math.prod(trips) < self.min_iterations:
            return None
        accesses = [o for o in mlir.walk(outputs[-1]) if o.name in ("affine.load", "affine.store")]
        stored = {_memory(o) for o in accesses if o.name == "affine.store"}
        accumulators = [m for m in stored if _accumulator(m, outputs[-1], reduction[-1], accesses)]
        if len(accumulators) != 1:
            return None
        ivs = [_iv(loop) for loop in outputs]
        for o in accesses:
            m = _memory(o)
            if m in stored and m != accumulators[0]:  # an output: one word per output iteration
                dims = [_dim_of(iv, o) for iv in ivs]
                if (o.name == "affine.load" or o.parent.operation != outputs[-1]
                        or None in dims or len(set(dims)) != len(dims)):
                    return None
        loads = [o for o in accesses if o.name == "affine.load" and _memory(o) not in stored]
        muls = sum(1 for o in ops if o.name == "arith.muli")
        for i in reversed(range(len(outputs))):  # the innermost output loop that qualifies
            f = self._factor(trips[i], muls)
            if f > 1 and any(_dim_of(ivs[i], o) is not None for o in loads):
                return outputs, i, f, accumulators[0]
        return None


def _band(outer: Any) -> list[Any]:
    """`outer` and the loops each alone in the one before's body."""
    loops = [outer]
    while True:
        body = _body(loops[-1])
        if len(body) != 2 or body[0].name != "affine.for":
            return loops
        loops.append(body[0])


def _accumulator(memory: Any, body_loop: Any, innermost: Any, accesses: list[Any]) -> bool:
    """Whether `memory` is one integer word of a local buffer (an alloc, or one that
    hoist-allocs made an argument) used only here: set in the body, updated once in the
    reduction's innermost body by an associative op, read once after the reduction."""
    owner = memory.owner
    if isinstance(owner, mlir.ir.Block):
        if BUFFER_ATTR not in arg_attrs(owner.owner)[memory.arg_number]:
            return False
    elif owner.name not in ("memref.alloc", "memref.alloca"):
        return False
    if any(not _within(use.owner, body_loop) and use.owner.name != "memref.dealloc"
           for use in memory.uses):
        return False
    mine = [o for o in accesses if _memory(o) == memory]
    if any(len(list(o.operands)) != (2 if o.name == "affine.store" else 1) for o in mine):
        return False  # constant indices only: one word
    if len({str(o.attributes["map"]) for o in mine}) != 1:
        return False
    where = [(o.name, o.parent.operation == body_loop, o.parent.operation == innermost)
             for o in mine]
    if where != [("affine.store", True, False), ("affine.load", False, True),
                 ("affine.store", False, True), ("affine.load", True, False)]:
        return False
    if not isinstance(mlir.ir.MemRefType(memory.type).element_type, mlir.ir.IntegerType):
        return False
    update = mine[2].operands[0].owner  # an associative update: the sums' order is free
    load = mine[1].results[0]
    return (not isinstance(update, mlir.ir.Block) and update.name in ASSOCIATIVE
            and load in list(update.operands) and len(list(load.uses)) == 1)


def _within(op: Any, ancestor: Any) -> bool:
    op = op.operation if hasattr(op, "operation") else op
    while op is not None:
        if op == ancestor:
            return True
        op = op.parent
    return False


def _rewrite_fused(outputs: list[Any], jam: int, factor: int, acc: Any) -> None:
    """The output loops reordered with the jammed one innermost, stepping by `factor`; its body
    copied per step, the accumulator word of each copy carried through the reduction nest as
    an iteration argument (the nest shared, each copy's update in its innermost body)."""
    order = [i for i in range(len(outputs)) if i != jam] + [jam]
    new_ivs, point = _reorder(outputs, order, jam, factor)
    body = [op for op in _body(outputs[-1]) if op.name != "affine.yield"]
    _move(body, point)
    root = next(op for op in body if op.name == "affine.for")
    before, after = body[:body.index(root)], body[body.index(root) + 1:]
    setter = next(o for o in before if o.name == "affine.store" and _memory(o) == acc)
    getter = next(o for o in after if o.name == "affine.load" and _memory(o) == acc)
    maps: list[dict[Any, Any]] = [{}]
    for u in range(1, factor):
        maps.append(_copy([o for o in before if o != setter],
                          _shifted(new_ivs[jam], u, outputs[jam]), mlir.ir.InsertionPoint(root)))
    inits = [m.get(setter.operands[0], setter.operands[0]) for m in maps]
    nest = _perfect_nest(root)  # the sums' order is free: the longest loop goes innermost
    longest = max(range(len(nest)), key=lambda i: (_trips(nest[i]), i))
    order = [loop for i, loop in enumerate(nest) if i != longest] + [nest[longest]]
    results = _accumulate(order, _body(nest[-1]), acc, inits, maps, new_ivs[jam],
                          mlir.ir.InsertionPoint(root))
    for u in range(1, factor):
        _copy([o for o in after if o != getter], {**maps[u], getter.results[0]: results[u]},
              point)
    getter.results[0].replace_all_uses_with(results[0])
    for op in (setter, getter, root):
        op.erase()
    outputs[0].erase()


def _accumulate(nest: list[Any], body: list[Any], acc: Any, inits: list[Any],
                maps: list[dict[Any, Any]], jam_iv: Any, at: Any) -> list[Any]:
    """Rebuilds the perfect reduction `nest` (its loops in the order given; `body` its
    innermost ops) at `at` with one iteration argument per copy (initial values `inits`): copy u's update of `acc` in the innermost body, its other ops cloned
    through `maps[u]` where they depend on the copy, shared where they do not. Returns the
    accumulators after the nest."""
    ir = mlir.ir
    affine = mlir.dialect("affine")
    inner = [o for o in body if o.name != "affine.yield"]
    load = next(o for o in inner if o.name == "affine.load" and _memory(o) == acc)
    store = next(o for o in inner if o.name == "affine.store" and _memory(o) == acc)
    point, values, ivs, loops = at, inits, {}, []
    for loop in nest:
        with loop.location:
            new = affine.AffineForOp(_map(loop, "lowerBoundMap"), _map(loop, "upperBoundMap"),
                                     1, values, ip=point)
        block = new.regions[0].blocks[0]
        ivs[_iv(loop)] = block.arguments[0]
        values = list(block.arguments)[1:]
        point = ir.InsertionPoint(block)
        loops.append(new)
    varying = {jam_iv, load.results[0]} | {k for m in maps for k in m}
    shared: dict[Any, Any] = dict(ivs)
    updates = []
    for u, m in enumerate(maps):
        mine = {**m, load.results[0]: values[u]}
        for op in inner:
            if op in (load, store):
                continue
            depends = any(v in varying for v in op.operands)
            if depends:
                varying.update(op.results)
            elif u:
                continue  # the same in every copy: the first copy's clone serves
            clone = op.clone(ip=point)
            for i, v in enumerate(list(clone.operands)):
                clone.operands[i] = mine.get(v, shared.get(v, v))
            for a, b in zip(op.results, clone.results):
                (mine if depends else shared)[a] = b
        updates.append(mine.get(store.operands[0], shared.get(store.operands[0])))
    affine.AffineYieldOp(updates, ip=point)
    loops[-1].operation.attributes[JAMMED] = ir.UnitAttr.get()
    for outer, inner_loop in itertools.pairwise(loops):
        affine.AffineYieldOp(list(inner_loop.results),
                             ip=ir.InsertionPoint(outer.regions[0].blocks[0]))
    return list(loops[0].results)


def _nests(fn: Any) -> list[Any]:
    return [op.operation for op in fn.regions[0].blocks[0].operations
            if op.operation.name == "affine.for"]


def _dim_of(iv: Any, access: Any) -> int | None:
    """The dimension of `access` (a load or store) that `iv` indexes alone, if any."""
    operands = list(access.operands)[2 if access.name == "affine.store" else 1:]
    if iv not in operands:
        return None
    results = mlir.ir.AffineMapAttr(access.attributes["map"]).value.results
    return next((d for d, e in enumerate(results) if _alone(e, operands.index(iv))), None)


def _align_fill(outer: Any, jammed: list[tuple[Any, int]]) -> None:
    """A nest that only writes a jammed output (its initial values), each iteration its own
    word, gets the loop along the jammed dimension innermost: unrolled, its stores then fall
    in the output's banks as the jammed loop's do (a memref is banked along one dimension)."""
    loops = _perfect_nest(outer)
    if loops is None:
        return
    body = _body(loops[-1])
    stores = [op for op in body if op.name == "affine.store"]
    if len(stores) != 1 or not all(op.name in _BODY_OPS or op.name.startswith("arith.")
                                   for op in body):
        return
    store = stores[0]
    memory = store.operands[1]
    if any(op.name == "affine.load" and op.operands[0] == memory for op in body):
        return
    ivs = [_iv(loop) for loop in loops]
    dims = [_dim_of(iv, store) for iv in ivs]
    if None in dims or len(set(dims)) != len(dims):
        return  # not one word per iteration
    for output, dim in jammed:
        if output == memory and dim in dims and dims.index(dim) != len(loops) - 1:
            inner = dims.index(dim)
            _rewrite(loops, [i for i in range(len(loops)) if i != inner] + [inner], inner, 1)
            return


def _perfect_nest(outer: Any) -> list[Any] | None:
    """The loops of a perfect nest of constant, unit-step affine.for ops without iter_args."""
    loops = [outer]
    while True:
        loop = loops[-1]
        if len(loop.results) or _trips(loop) is None or _step(loop) != 1:
            return None
        body = _body(loop)
        inner = [op for op in body if op.name == "affine.for"]
        if not inner:
            return loops
        if len(body) != 2:
            return None
        loops.append(inner[0])


def _update(body: list[Any]) -> Any | None:
    """The body's one store, when it is `M[e] = M[e] op x` with every other memref only read."""
    if not all(op.name in _BODY_OPS or (op.name.startswith("arith.") and not op.regions)
               for op in body):
        return None
    stores = [op for op in body if op.name == "affine.store"]
    if len(stores) != 1:
        return None
    store = stores[0]
    memory = store.operands[1]
    if not isinstance(mlir.ir.MemRefType(memory.type).element_type, mlir.ir.IntegerType):
        return None
    loads = [op for op in body if op.name == "affine.load" and op.operands[0] == memory]
    if len(loads) != 1 or not _same_address(loads[0], store):
        return None
    value = store.operands[0].owner
    if isinstance(value, mlir.ir.Block) or value.name not in ASSOCIATIVE:
        return None
    load = loads[0].results[0]
    uses = [use.owner for use in load.uses]
    if len(uses) != 1 or uses[0] != value or load not in list(value.operands):
        return None
    return store


def _same_address(load: Any, store: Any) -> bool:
    return (load.attributes["map"] == store.attributes["map"]
            and list(load.operands)[1:] == list(store.operands)[2:])


def _banks_by(iv: Any, body: list[Any], store: Any) -> bool:
    """Whether a read memref has a dimension indexed by `iv` alone (`iv + c`): banked along
    it, each jammed copy reads its own bank."""
    return any(op.name == "affine.load" and op.operands[0] != store.operands[1]
               and _dim_of(iv, op) is not None for op in body)


def _alone(expr: Any, position: int) -> bool:
    """Whether `expr` is `d<position>` or `d<position> + constant`."""
    ir = mlir.ir
    if isinstance(expr, ir.AffineDimExpr):
        return expr.position == position
    if isinstance(expr, ir.AffineAddExpr):
        for a, b in ((expr.lhs, expr.rhs), (expr.rhs, expr.lhs)):
            if isinstance(b, ir.AffineConstantExpr) and _alone(a, position):
                return True
    return False


def _rewrite(loops: list[Any], order: list[int], jam: int, factor: int) -> None:
    """Builds the reordered nest before the old one, moves the body into it with `factor`
    copies for the jammed loop, and erases the old nest."""
    new_ivs, point = _reorder(loops, order, jam, factor)
    body = [op for op in _body(loops[-1]) if op.name != "affine.yield"]
    _move(body, point)
    for u in range(1, factor):
        _copy(body, _shifted(new_ivs[jam], u, loops[jam]), point)
    loops[0].erase()


def _reorder(loops: list[Any], order: list[int], jam: int, factor: int
             ) -> tuple[dict[int, Any], Any]:
    """The loops rebuilt before the old nest in `order` (the jammed one stepping by `factor`),
    the old ivs' uses moved to the new ivs; returns the new ivs by old position and the
    insertion point before the new innermost loop's yield."""
    ir = mlir.ir
    affine = mlir.dialect("affine")
    point = ir.InsertionPoint(loops[0])
    new_ivs: dict[int, Any] = {}
    new = None
    for old in order:
        loop = loops[old]
        with loop.location:
            new = affine.AffineForOp(_map(loop, "lowerBoundMap"), _map(loop, "upperBoundMap"),
                                     factor if old == jam else 1, [], ip=point)
            block = new.regions[0].blocks[0]
            new_ivs[old] = block.arguments[0]
            point = ir.InsertionPoint(affine.AffineYieldOp([], ip=ir.InsertionPoint(block)))
    if factor > 1:
        new.operation.attributes[JAMMED] = ir.UnitAttr.get()
    for old, loop in enumerate(loops):
        _iv(loop).replace_all_uses_with(new_ivs[old])
    return new_ivs, point


def _move(ops: list[Any], point: Any) -> None:
    for op in ops:
        op.move_before(point.ref_operation)


def _shifted(iv: Any, u: int, loop: Any) -> dict[Any, Any]:
    """{iv: iv + u}, the `affine.apply` put first in iv's loop body."""
    ir = mlir.ir
    with loop.location:
        shift = ir.AffineMap.get(1, 0, [ir.AffineDimExpr.get(0) + u])
        index = mlir.dialect("affine").AffineApplyOp(
            shift, [iv], ip=ir.InsertionPoint.at_block_begin(iv.owner)).result
    return {iv: index}


def _copy(ops: list[Any], mapping: dict[Any, Any], point: Any) -> dict[Any, Any]:
    """Clones at `point` the `ops` that read a value of `mapping` (directly or through an op
    cloned before) and every store, operands read through `mapping`; what does not depend on
    the jammed loop is shared, not copied. Returns the mapping extended with the clones."""
    for op in ops:
        if op.name != "affine.store" and not any(v in mapping for v in op.operands):
            continue
        clone = op.clone(ip=point)
        for i, operand in enumerate(list(clone.operands)):
            if operand in mapping:
                clone.operands[i] = mapping[operand]
        for a, b in zip(op.results, clone.results):
            mapping[a] = b
    return mapping


def _body(loop: Any) -> list[Any]:
    return [op.operation for op in loop.regions[0].blocks[0].operations]


def _iv(loop: Any) -> Any:
    return loop.regions[0].blocks[0].arguments[0]


def _map(loop: Any, name: str) -> Any:
    return mlir.ir.AffineMapAttr(loop.attributes[name]).value


def _step(loop: Any) -> int:
    return mlir.ir.IntegerAttr(loop.attributes["step"]).value
