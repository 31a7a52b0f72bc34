"""Affine super-vectorization with a vector length derived from VLEN and the element width."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from unified import mlir
from unified.passes import ModulePass


def element_bits(func: Any) -> int:
    """The widest element (in bits) of the memref arguments of `func` (32 without any)."""
    ir = mlir.ir
    ftype = ir.FunctionType(ir.TypeAttr(func.attributes["function_type"]).value)
    widest = 0
    for t in ftype.inputs:
        try:
            elem = ir.MemRefType(t).element_type
        except (ValueError, TypeError):
            continue
        widest = max(widest, getattr(elem, "width", 64))
    return widest or 32


def lanes_for(func: Any, vlen: int, lmul: int = 0) -> int:
    """Vector lanes for `func`: VLEN * LMUL / the widest element width (at least 2).

    LMUL 0 chooses: 8 (four register groups) when no innermost loop loads more than four
    values, else 4, so that a 3x3 filter's nine rows do not spill vector registers. Lanes are
    then halved while half of them still cover the longest loop of the function.
    """
    if lmul <= 0:
        lmul = 8 if max_loads_per_inner_loop(func) <= 4 else 4
    lanes = max(2, vlen * lmul // element_bits(func))
    longest = longest_trip_count(func)
    while longest and lmul > 1 and lanes // 2 >= longest:  # no vector longer than any loop
        lanes, lmul = lanes // 2, lmul // 2
    return lanes


def longest_trip_count(func: Any) -> int:
    """The largest constant trip count of an affine.for in `func` (0 when none is constant)."""
    from sw_dialects.unroll_short_loops import constant_bounds

    longest = 0

    def visit(op: Any) -> None:
        nonlocal longest
        for region in op.regions:
            for block in region.blocks:
                for inner in block.operations:
                    inner = inner.operation
                    if inner.name == "affine.for" and (b := constant_bounds(inner)) is not None:
                        longest = max(longest, -(-(b[1] - b[0]) // b[2]))
                    visit(inner)

    visit(func)
    return longest


def max_loads_per_inner_loop(func: Any) -> int:
    """The most affine.load ops in the body of one innermost affine.for of `func`."""
    most = 0

    def visit(op: Any) -> bool:  # True when `op` holds a loop
        nonlocal most
        has_loop, loads = False, 0
        for region in op.regions:
            for block in region.blocks:
                for inner in block.operations:
                    inner = inner.operation
                    nested = visit(inner)
                    has_loop = has_loop or nested or inner.name == "affine.for"
                    loads += inner.name == "affine.load"
        if op.name == "affine.for" and not has_loop:
            most = max(most, loads)
        return has_loop or op.name == "affine.for"

    visit(func)
    return most


def _coefficient(expr: Any, pos: int) -> int | None:
    """The coefficient of dimension `pos` in a linear affine expression (None when not linear)."""
    ir = mlir.ir
    if hasattr(expr, "maybe_downcast"):
        expr = expr.maybe_downcast()
    if isinstance(expr, ir.AffineDimExpr):
        return 1 if expr.position == pos else 0
    if isinstance(expr, (ir.AffineConstantExpr, ir.AffineSymbolExpr)):
        return 0
    if isinstance(expr, ir.AffineAddExpr):
        lhs, rhs = _coefficient(expr.lhs, pos), _coefficient(expr.rhs, pos)
        return None if lhs is None or rhs is None else lhs + rhs
    if isinstance(expr, ir.AffineMulExpr):
        for a, b in ((expr.lhs, expr.rhs), (expr.rhs, expr.lhs)):
            if isinstance(b, ir.AffineConstantExpr):
                c = _coefficient(a, pos)
                return None if c is None else c * b.value
        return None
    inner = _coefficient(expr.lhs, pos) if hasattr(expr, "lhs") else None
    return 0 if inner == 0 else None


def has_strided_access(func: Any) -> bool:
    """True when an affine access moves by a step other than 0 or 1 in its last index as a loop
    induction variable advances (2*j in a pooling window, or a non-linear index).

    affine-super-vectorize takes such accesses for contiguous ones and reads the wrong
    elements, so these functions are left to LLVM's loop vectorizer (strided vlse/vlseg).
    """
    ir = mlir.ir
    found = False

    def visit(op: Any) -> None:
        nonlocal found
        for region in op.regions:
            for block in region.blocks:
                for inner in block.operations:
                    inner = inner.operation
                    if inner.name in ("affine.load", "affine.store", "affine.vector_load",
                                      "affine.vector_store") and _strided(inner):
                        found = True
                    elif inner.name in ("memref.load", "memref.store") or (
                            inner.name == "affine.apply"):
                        found = found or any(_is_induction_variable(v) for v in inner.operands)
                    visit(inner)

    def _strided(access: Any) -> bool:
        amap = ir.AffineMapAttr(access.attributes["map"]).value
        first = 1 if access.name in ("affine.load", "affine.vector_load") else 2
        operands = list(access.operands)[first:]
        results = list(amap.results)
        if not results:
            return False
        last = results[-1]
        for pos in range(amap.n_dims):
            if (pos < len(operands) and _is_induction_variable(operands[pos])
                    and _coefficient(last, pos) not in (0, 1)):
                return True
        return False

    visit(func)
    return found


def _is_induction_variable(value: Any) -> bool:
    ir = mlir.ir
    if not isinstance(value.owner, ir.Block):
        return False
    parent = value.owner.owner
    return parent is not None and parent.name in ("affine.for", "affine.parallel")


@dataclass(frozen=True)
class Vectorize(ModulePass):
    """Runs `affine-super-vectorize` on each kernel with VLEN*LMUL/bits lanes (reductions too).

    Functions with strided accesses stay scalar here (see `has_strided_access`). A trip count
    that is not a multiple of the lanes keeps a masked last iteration (out-of-bounds transfers
    become masked loads/stores; reductions select the tail away). `lmul=0` chooses LMUL.
    """

    name = "sw-vectorize"
    build = "mlir"
    vlen: int = 128
    lmul: int = 0

    def apply(self, module: Any) -> None:
        ctx = module.context
        for op in module.body.operations:
            op = op.operation
            if op.name != "func.func" or len(op.regions[0].blocks) == 0 or has_strided_access(op):
                continue
            lanes = lanes_for(op, self.vlen, self.lmul)
            pipeline = (f"func.func(affine-super-vectorize{{virtual-vector-size={lanes} "
                        "vectorize-reductions=true})")
            mlir.passmanager.PassManager.parse(pipeline, ctx).run(op)
            _reassociate_reductions(op)


def _reassociate_reductions(func: Any) -> None:
    """Float `vector.reduction`s the vectorizer made get `fastmath<reassoc>`: it already summed
    the lanes out of order, so the final horizontal sum need not be ordered (vfredusum)."""
    reassoc = mlir.ir.Attribute.parse("#arith.fastmath<reassoc>")

    def visit(op: Any) -> None:
        for region in op.regions:
            for block in region.blocks:
                for inner in block.operations:
                    inner = inner.operation
                    if (inner.name == "vector.reduction"
                            and not isinstance(inner.results[0].type, mlir.ir.IntegerType)):
                        inner.attributes["fastmath"] = reassoc
                    visit(inner)

    visit(func)
