"""What the software passes ask of affine loops: bounds, index ranges, strides, lane counts.

Pure queries over the IR (run inside the `mlir` worker); the passes that act on the
answers live in files of their own.
"""

from __future__ import annotations

from typing import Any

from sw_dialects.walk import ops_named, walk
from unified.core import mlir

ACCESSES = ("affine.load", "affine.store", "affine.vector_load", "affine.vector_store")


def constant_bounds(loop: Any) -> tuple[int, int, int] | None:
    """(lower, upper, step) of an affine.for with constant bounds, else None."""
    ir = mlir.ir
    bounds = []
    for name in ("lowerBoundMap", "upperBoundMap"):
        results = list(ir.AffineMapAttr(loop.attributes[name]).value.results)
        if len(results) != 1 or not isinstance(results[0], ir.AffineConstantExpr):
            return None
        bounds.append(results[0].value)
    return bounds[0], bounds[1], ir.IntegerAttr(loop.attributes["step"]).value


def trip_count(loop: Any) -> int | None:
    """Iterations of an affine.for with constant bounds, else None."""
    b = constant_bounds(loop)
    return None if b is None else max(0, -(-(b[1] - b[0]) // b[2]))


def has_loop(op: Any) -> bool:
    """True when an affine.for is nested anywhere in `op`."""
    return any(o.name == "affine.for" for o in walk(op))


def innermost_loops(op: Any) -> list[Any]:
    """The affine.for ops under `op` that hold no loop themselves."""
    return [o for o in ops_named(op, "affine.for") if not has_loop(o)]


def longest_trip_count(func: Any) -> int:
    """The largest constant trip count of an affine.for in `func` (0 when none is constant)."""
    return max((trip_count(o) or 0 for o in ops_named(func, "affine.for")), default=0)


def max_loads_per_inner_loop(func: Any) -> int:
    """The most affine.load ops in the body of one innermost affine.for of `func`."""
    return max((len(ops_named(loop, "affine.load")) for loop in innermost_loops(func)), default=0)


def element_bits(func: Any) -> int:
    """The widest element (in bits) of the memref arguments of `func` (32 without any)."""
    ir = mlir.ir
    ftype = ir.FunctionType(ir.TypeAttr(func.attributes["function_type"]).value)
    widths = [getattr(ir.MemRefType(t).element_type, "width", 64)
              for t in ftype.inputs if isinstance(t, ir.MemRefType)]
    return max(widths, default=32)


def lanes_for(func: Any, vlen: int, lmul: int = 0) -> int:
    """Vector lanes for `func`: VLEN * LMUL / the widest element width (at least 2).

    LMUL 0 chooses: 8 (four register groups) when no innermost loop loads more than four
    values, else 4, so that a 3x3 filter's nine rows do not spill vector registers. Lanes are
    then halved while half of them still cover the longest loop of the function, and (when
    chosen) while the vectors an outer loop carries in registers (see `carried_vectors`) and
    two more need more than 31 registers: a dense layer's 64 outputs are 2 vectors at LMUL 8
    (4 groups: moves between groups every iteration), 4 at LMUL 4 (24 registers).
    """
    chosen = lmul <= 0
    if chosen:
        lmul = 8 if max_loads_per_inner_loop(func) <= 4 else 4
    lanes = max(2, vlen * lmul // element_bits(func))
    # accumulators LLVM keeps in registers across the enclosing loop, a loaded vector and a
    # temporary must fit in the 31 registers beside v0, or they are moved and spilled
    while chosen and lmul > 1 and (carried_vectors(func, lanes) + 2) * lmul > 31:
        lanes, lmul = lanes // 2, lmul // 2
    longest = longest_trip_count(func)
    while longest and lmul > 1 and lanes // 2 >= longest:
        lanes, lmul = lanes // 2, lmul // 2
    return lanes


def carried_vectors(func: Any, lanes: int) -> int:
    """The most vectors of `lanes` elements an innermost loop updates in place (y[j] += ...
    along its own index) at addresses its enclosing loop does not move: LLVM keeps them in
    registers across that loop (a dense layer's or a gemm's row of outputs)."""
    most = 0
    for loop in innermost_loops(func):
        parent, trips = loop.parent, trip_count(loop)
        if parent is None or parent.name != "affine.for" or not trips:
            continue
        iv = loop.regions[0].blocks[0].arguments[0]
        outer = parent.regions[0].blocks[0].arguments[0]
        updated = set()
        for store in ops_named(loop, "affine.store"):
            operands = list(store.operands)[2:]
            if outer in operands or iv not in operands:
                continue
            amap = str(store.attributes["map"])
            if any(load.operands[0] == store.operands[1] and list(load.operands)[1:] == operands
                   and str(load.attributes["map"]) == amap
                   for load in ops_named(loop, "affine.load")):
                updated.add((store.operands[1], amap))  # a value hashes by identity
        most = max(most, len(updated) * -(-trips // lanes))
    return most


def _downcast(expr: Any) -> Any:
    return expr.maybe_downcast() if hasattr(expr, "maybe_downcast") else expr


def coefficient(expr: Any, pos: int) -> int | None:
    """The coefficient of dimension `pos` in a linear affine expression (None when not linear)."""
    ir = mlir.ir
    expr = _downcast(expr)
    if isinstance(expr, ir.AffineDimExpr):
        return 1 if expr.position == pos else 0
    if isinstance(expr, (ir.AffineConstantExpr, ir.AffineSymbolExpr)):
        return 0
    if isinstance(expr, ir.AffineAddExpr):
        lhs, rhs = coefficient(expr.lhs, pos), coefficient(expr.rhs, pos)
        return None if lhs is None or rhs is None else lhs + rhs
    if isinstance(expr, ir.AffineMulExpr):
        for a, b in ((expr.lhs, expr.rhs), (expr.rhs, expr.lhs)):
            b = _downcast(b)
            if isinstance(b, ir.AffineConstantExpr):
                c = coefficient(a, pos)
                return None if c is None else c * b.value
        return None
    inner = coefficient(expr.lhs, pos) if hasattr(expr, "lhs") else None
    return 0 if inner == 0 else None


def constant_term(expr: Any) -> int | None:
    """The value of a linear affine expression with every dimension at 0 (None otherwise)."""
    ir = mlir.ir
    expr = _downcast(expr)
    if isinstance(expr, ir.AffineConstantExpr):
        return expr.value
    if isinstance(expr, ir.AffineDimExpr):
        return 0
    if isinstance(expr, (ir.AffineAddExpr, ir.AffineMulExpr)):
        a, b = constant_term(expr.lhs), constant_term(expr.rhs)
        if a is None or b is None:
            return None
        return a + b if isinstance(expr, ir.AffineAddExpr) else a * b
    return None


def is_induction_variable(value: Any) -> bool:
    """True for the induction variable (or an iteration argument) of an affine loop."""
    ir = mlir.ir
    if not isinstance(value.owner, ir.Block):
        return False
    parent = value.owner.owner
    return parent is not None and parent.name in ("affine.for", "affine.parallel")


def vectorizable_functions(module: Any) -> list[Any]:
    """The defined functions of `module` the affine vectorizer may take (no strided access)."""
    return [f for f in ops_named(module.operation, "func.func")
            if len(f.regions[0].blocks) and not has_strided_access(f)]


def has_strided_access(func: Any) -> bool:
    """True when an affine access moves by a step other than 0 or 1 in any index as a loop
    induction variable advances (2*j in a pooling window, 2*i in an outer index, a non-linear
    index), or by 1 in two indices (a diagonal), or when a loop variable reaches a load or
    store through affine.apply or memref.load/store.

    affine-super-vectorize takes such accesses for contiguous ones and reads the wrong
    elements, so these functions are left to LLVM's loop vectorizer (strided vlse/vlseg).
    """
    ir = mlir.ir
    for op in walk(func):
        if op.name == "affine.apply" and not _feeds_memory(op):
            continue
        if op.name in ("memref.load", "memref.store", "affine.apply"):
            if any(is_induction_variable(v) for v in op.operands):
                return True
            continue
        if op.name not in ACCESSES:
            continue
        results = list(ir.AffineMapAttr(op.attributes["map"]).value.results)
        first = 1 if op.name in ("affine.load", "affine.vector_load") else 2
        operands = list(op.operands)[first:]
        for pos, operand in enumerate(operands):
            if not is_induction_variable(operand):
                continue
            steps = [coefficient(r, pos) for r in results]
            # the vectorizer may run along any index (a permutation map onto an outer one):
            # every index must move by 0 or 1, and by 1 in at most one of them
            if any(c not in (0, 1) for c in steps) or steps.count(1) > 1:
                return True
    return False


def _feeds_memory(op: Any) -> bool:
    """True when a result of `op` is used by a load or store (as an index, or the value)."""
    return any(use.owner.name in (*ACCESSES, "memref.load", "memref.store")
               for result in op.results for use in result.uses)


def value_range(value: Any) -> tuple[int, int] | None:
    """(min, max) an index value takes: a loop induction variable with constant bounds, an
    index constant, or a linear affine.apply of those. None when unknown."""
    ir = mlir.ir
    if isinstance(value.owner, ir.Block):
        loop = value.owner.owner
        if loop is None or loop.name != "affine.for" or value != value.owner.arguments[0]:
            return None
        bounds = constant_bounds(loop)
        if bounds is None or bounds[1] <= bounds[0]:
            return None
        lower, upper, step = bounds
        return lower, lower + (upper - lower - 1) // step * step
    op = value.owner
    if op.name == "arith.constant":
        v = ir.IntegerAttr(op.attributes["value"]).value
        return v, v
    if op.name != "affine.apply":
        return None
    amap = ir.AffineMapAttr(op.attributes["map"]).value
    results = list(amap.results)
    if len(results) != 1 or amap.n_symbols:
        return None
    lo = hi = constant_term(results[0])
    if lo is None:
        return None
    for pos, operand in enumerate(op.operands):
        c = coefficient(results[0], pos)
        r = value_range(operand) if c else (0, 0)
        if c is None or r is None:
            return None
        lo += min(c * r[0], c * r[1])
        hi += max(c * r[0], c * r[1])
    return lo, hi
