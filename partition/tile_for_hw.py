"""tile-for-hw: a kernel whose buffers exceed the accelerators' on-chip memory budget becomes a
software loop nest over tiles around a tile kernel that fits.

The kernel must be one perfect affine loop nest with constant bounds (lower bound 0, step 1)
whose innermost body is straight-line code reading and writing its memref arguments through
affine maps with non-negative coefficients. The tile kernel (`@k_tile`, the kernel's target)
is the same nest over one tile, on tile-sized memrefs; `@k` keeps its signature and becomes
software: it allocates the tile buffers, and per tile copies every argument's tile in, calls
`@k_tile` and copies the written ones back. A reduction across tiles (gemm's k) accumulates,
because the written tile is copied in before each call.

Legal tilings keep each written element's updates in their original order, unless the update
is an associative and commutative integer one (`C = C + x`, max, and, ...) fed by no other
written memref (`keeps_order`). The tile sizes divide the trip counts; of the legal tiles
whose buffers fit the budget, the one that moves the fewest words across the bus (each
argument's tile in, each written one out, plus CALL_WORDS per call) wins.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any, ClassVar

from unified.core import mlir
from unified.core.errors import Loc, PartitionError
from unified.core.passes import ModulePass

ASSOCIATIVE = ("arith.addi", "arith.muli", "arith.andi", "arith.ori", "arith.xori",
               "arith.maxsi", "arith.minsi", "arith.maxui", "arith.minui")
CALL_WORDS = 16  # a call's own bus cost in words: arguments, start, polling
TARGET = "unified.target"


@dataclass(frozen=True)
class Access:
    """One memref argument's index function: per memref dimension, coefficients over the
    band's loops and a constant."""

    coeffs: tuple[tuple[int, ...], ...]
    consts: tuple[int, ...]

    def extent(self, tile: tuple[int, ...]) -> tuple[int, ...]:
        """The tile buffer's shape: the largest index the tile reaches, plus one."""
        return tuple(sum(c * (t - 1) for c, t in zip(cs, tile)) + k + 1
                     for cs, k in zip(self.coeffs, self.consts))


@dataclass
class Nest:
    """What tiling needs to know of a kernel: its band, accesses and constraints."""

    loops: list[Any]  # the affine.for band, outermost first
    trips: tuple[int, ...]
    accesses: dict[int, Access]  # argument index -> index function
    written: list[int]  # argument indices the nest stores to
    ordered: tuple[tuple[int, ...], ...]  # per ordered update, the loops not indexing it
    element_bytes: dict[int, int]


@dataclass(frozen=True)
class Tiling:
    """The outcome for one kernel, for the report."""

    kernel: str
    tile_kernel: str
    trips: tuple[int, ...]
    tile: tuple[int, ...]
    calls: int
    bytes_whole: int
    bytes_tile: int
    budget: int


@dataclass(frozen=True)
class TileForHw(ModulePass):
    """Every kernel not forced to software whose memref arguments exceed `budget_bytes` and
    that `entry` calls → `@k` (software, tile loops and copies) + `@k_tile` (fits the budget)."""

    name: ClassVar[str] = "tile-for-hw"
    build: ClassVar[str] = "pycde"
    budget_bytes: int = 16384
    entry: str = "main"

    def apply(self, module: Any) -> None:
        tile_module(module, budget_bytes=self.budget_bytes, entry=self.entry)


def tile_module(module: Any, *, budget_bytes: int, entry: str) -> list[Tiling]:
    """Tiles each kernel of `module` over the budget (see the module docstring); a kernel
    forced to hardware that cannot be tiled is a located PartitionError."""
    out = []
    for fn in [op.operation for op in module.body.operations]:
        if fn.name != "func.func" or _sym(fn) == entry or not len(fn.regions[0].blocks):
            continue
        target = _target(fn)
        size = _args_bytes(fn)
        if target == "sw" or size <= budget_bytes:
            continue
        nest = analyse(fn)
        tile = choose_tile(nest, budget_bytes) if isinstance(nest, Nest) else None
        if tile is None:
            if target == "hw":
                raise _cannot_tile(fn, size, budget_bytes, nest)
            continue
        assert isinstance(nest, Nest)
        out.append(_rewrite(module, fn, nest, tile, size, budget_bytes))
    return out


def tile(module: Any, budget_bytes: int, entry: str) -> list[dict]:
    """Worker entry point: `tile_module` with its outcomes as plain dicts."""
    return [t.__dict__ for t in tile_module(module, budget_bytes=budget_bytes, entry=entry)]


# --------------------------------------------------------------------------- analysis


def analyse(fn: Any) -> Nest | str:
    """The kernel's band and accesses, or why it cannot be tiled (a phrase)."""
    body = [op.operation for op in fn.regions[0].blocks[0].operations]
    loops = [op for op in body if op.name == "affine.for"]
    others = [op.name for op in body if op.name not in ("affine.for", "arith.constant",
                                                        "func.return")]
    if len(loops) != 1 or others or body[-1].operands:
        return "its body is not one affine loop nest"
    band, inner = _band(loops[0])
    if isinstance(band, str):
        return band
    trips = tuple(_const(op.attributes["upperBoundMap"]) for op in band)
    ivs = [op.regions[0].blocks[0].arguments[0] for op in band]
    if not all(_index_only(iv) for iv in ivs):  # the tile kernel's variables start at 0
        return "a loop variable is used as a value, not only as an index"
    args = list(fn.regions[0].blocks[0].arguments)
    memrefs = [args[a] for a in _memref_args(fn)]
    seen: dict[int, list[tuple[Any, Access]]] = {}
    stores: dict[int, Any] = {}
    for op in inner:
        if len(op.regions):
            return f"its innermost loop holds a nested {op.name}"
        if op.name not in ("affine.load", "affine.store"):
            if any(_arg_index(v, memrefs) is not None for v in op.operands):
                return f"it passes a memref argument to {op.name}"
            continue
        first = 1 if op.name == "affine.store" else 0
        a = _arg_index(op.operands[first], args)
        if a is None:
            return "it reads or writes a memref that is not an argument"
        access = _access(op, first, ivs)
        if isinstance(access, str):
            return access
        if op.name == "affine.store":
            if a in stores:
                return f"argument {a} is stored to twice in one iteration"
            stores[a] = op
        seen.setdefault(a, []).append((op, access))
    accesses: dict[int, Access] = {}
    for a, uses in seen.items():
        kinds = {acc for _, acc in uses}
        if a in stores and len(kinds) > 1:
            return f"argument {a} is written and read at different indices"
        if len({acc.coeffs for acc in kinds}) > 1:
            return f"argument {a} is read with different factors on the loop variables"
        # One copy offset serves every access: the buffer reaches the largest constant.
        accesses[a] = Access(uses[0][1].coeffs, tuple(map(max, zip(*(k.consts for k in kinds)))))
    loads = {a: [op for op, _ in uses if op.name == "affine.load"] for a, uses in seen.items()}
    bad = [a for a in _memref_args(fn) if a not in accesses and _used(args[a])]
    if bad:
        return f"argument {bad[0]} is used outside affine loads and stores"
    # A value flowing from one written memref into another's update ties their orders: then
    # no update is taken as associative.
    flows = any(_depends_on(store.operands[0], load.results[0]) for a, store in stores.items()
                for b in stores if b != a for load in loads[b])
    ordered = tuple(tuple(d for d in range(len(band)) if not _indexes(accesses[a], d))
                    for a, store in stores.items()
                    if flows or not _associative_update(store, loads[a]))
    element_bytes = {a: _element_bytes(args[a].type) for a in accesses}
    return Nest(band, trips, accesses, list(stores), ordered, element_bytes)


def _band(op: Any) -> tuple[list[Any] | str, list[Any]]:
    """The perfect nest from `op` down (outermost first) and the innermost body's ops."""
    band = []
    while True:
        if not _simple_loop(op):
            return "its loops are not 0 to N step 1 with constant N and no iter_args", []
        band.append(op)
        inner = [o.operation for o in op.regions[0].blocks[0].operations][:-1]  # drop yield
        if len(inner) == 1 and inner[0].name == "affine.for":
            op = inner[0]
            continue
        if any(o.name == "affine.for" for o in inner):
            return "its loops are not perfectly nested", []
        return band, inner


def _index_only(iv: Any) -> bool:
    """Whether every use of `iv` is an index of an affine.load or affine.store."""
    for use in iv.uses:
        owner = use.owner.operation if hasattr(use.owner, "operation") else use.owner
        first = {"affine.load": 1, "affine.store": 2}.get(owner.name)
        if first is None or use.operand_number < first:
            return False
    return True


def _simple_loop(op: Any) -> bool:
    if op.operands or op.results:
        return False
    step = mlir.ir.IntegerAttr(op.attributes["step"]).value
    return _const(op.attributes["lowerBoundMap"]) == 0 and step == 1 and \
        _const(op.attributes["upperBoundMap"]) is not None


def _const(attr: Any) -> int | None:
    amap = mlir.ir.AffineMapAttr(attr).value
    if amap.n_dims or amap.n_symbols or len(amap.results) != 1:
        return None
    try:
        return mlir.ir.AffineConstantExpr(amap.results[0]).value
    except ValueError:
        return None


def _access(op: Any, first: int, ivs: list[Any]) -> Access | str:
    """The index function of an affine.load/store over the band's loops."""
    amap = mlir.ir.AffineMapAttr(op.attributes["map"]).value
    operands = list(op.operands)[first + 1:]
    if amap.n_symbols:
        return "an index uses a symbol"
    dims = []
    for v in operands:
        hit = [i for i, iv in enumerate(ivs) if iv == v]
        if not hit:
            return "an index is not a loop variable of the nest"
        dims.append(hit[0])
    coeffs, consts = [], []
    for expr in amap.results:
        lin = _linear(expr)
        if lin is None or any(c < 0 for c in lin[0].values()) or lin[1] < 0:
            return f"the index {expr} is not a sum of loop variables with non-negative factors"
        row = [0] * len(ivs)
        for pos, c in lin[0].items():
            row[dims[pos]] += c
        coeffs.append(tuple(row))
        consts.append(lin[1])
    return Access(tuple(coeffs), tuple(consts))


def _linear(expr: Any) -> tuple[dict[int, int], int] | None:
    """({map dim: coefficient}, constant) of an affine expression, None if not linear."""
    ir = mlir.ir
    for cls in (ir.AffineConstantExpr, ir.AffineDimExpr, ir.AffineAddExpr, ir.AffineMulExpr):
        try:
            e = cls(expr)
        except ValueError:
            continue
        if cls is ir.AffineConstantExpr:
            return {}, e.value
        if cls is ir.AffineDimExpr:
            return {e.position: 1}, 0
        lhs, rhs = _linear(e.lhs), _linear(e.rhs)
        if lhs is None or rhs is None:
            return None
        if cls is ir.AffineAddExpr:
            terms = dict(lhs[0])
            for d, c in rhs[0].items():
                terms[d] = terms.get(d, 0) + c
            return terms, lhs[1] + rhs[1]
        if lhs[0] and rhs[0]:
            return None
        (terms, k), factor = (lhs, rhs[1]) if not rhs[0] else (rhs, lhs[1])
        return {d: c * factor for d, c in terms.items()}, k * factor
    return None


def _indexes(access: Access, loop: int) -> bool:
    """Whether one of the memref's dimensions is exactly that loop's variable."""
    return any(cs[loop] == 1 and sum(cs) == 1 and k == 0
               for cs, k in zip(access.coeffs, access.consts))


def _associative_update(store: Any, loads: list[Any]) -> bool:
    """`M[f] = M[f] op x` with op associative and commutative on integers, x free of M."""
    value = store.operands[0].owner
    if len(loads) != 1 or value.name not in ASSOCIATIVE:
        return False
    load = loads[0].results[0]
    lhs, rhs = value.operands
    other = rhs if lhs == load else lhs if rhs == load else None
    return other is not None and not _depends_on(other, load) and \
        sum(1 for _ in load.uses) == 1


def _depends_on(value: Any, target: Any) -> bool:
    if value == target:
        return True
    owner = value.owner
    if isinstance(owner, mlir.ir.Block):  # a loop variable or an argument
        return False
    return any(_depends_on(v, target) for v in owner.operands)


# --------------------------------------------------------------------------- choice


def choose_tile(nest: Nest, budget: int) -> tuple[int, ...] | None:
    """The tile (a divisor of each trip count) that fits `budget` bytes and moves the fewest
    words across the bus over the whole run; ties go to the larger tile. None: none fits."""
    best: tuple[float, int, tuple[int, ...]] | None = None
    for tile in itertools.product(*map(_divisors, nest.trips)):
        size = tile_bytes(nest, tile)
        if size > budget or not keeps_order(nest, tile):
            continue
        calls = math.prod(n // t for n, t in zip(nest.trips, tile))
        words = sum(math.prod(acc.extent(tile)) * (2 if a in nest.written else 1)
                    for a, acc in nest.accesses.items())
        key = (calls * (words + CALL_WORDS), -size, tile)
        if best is None or key < best:
            best = key
    return None if best is None else best[2]


def keeps_order(nest: Nest, tile: tuple[int, ...]) -> bool:
    """Whether the tiled loops visit each element of an ordered update in the original order:
    among the loops not indexing it, a loop split into tiles or kept whole (over one trip)
    is followed only by whole loops, so each element's iterations stay lexicographic."""
    return all(tile[a] == 1 or tile[b] == nest.trips[b]
               for free in nest.ordered for i, a in enumerate(free) for b in free[i + 1:])


def tile_bytes(nest: Nest, tile: tuple[int, ...]) -> int:
    """Bytes of on-chip memory the tile kernel's buffers take."""
    return sum(math.prod(acc.extent(tile)) * nest.element_bytes[a]
               for a, acc in nest.accesses.items())


def _divisors(n: int) -> list[int]:
    return [d for d in range(1, n + 1) if n % d == 0]


# --------------------------------------------------------------------------- rewrite


def _rewrite(module: Any, fn: Any, nest: Nest, tile: tuple[int, ...], size: int,
             budget: int) -> Tiling:
    """Adds `@k_tile` after `@k` and turns `@k` into the tile loops around calls of it."""
    ir = mlir.ir
    name = _sym(fn)
    tile_name = _fresh(module, f"{name}_tile")
    with fn.location:
        types = _tile_types(fn, nest, tile)
        kernel = fn.clone(ip=ir.InsertionPoint.after(fn))
    kernel.attributes["sym_name"] = ir.StringAttr.get(tile_name)
    _shrink(kernel, tile, types)
    _wrapper(fn, nest, tile, tile_name, types)
    calls = math.prod(n // t for n, t in zip(nest.trips, tile))
    return Tiling(name, tile_name, nest.trips, tile, calls, size, tile_bytes(nest, tile), budget)


def _tile_types(fn: Any, nest: Nest, tile: tuple[int, ...]) -> dict[int, Any]:
    ir = mlir.ir
    args = fn.regions[0].blocks[0].arguments
    return {a: ir.MemRefType.get(list(acc.extent(tile)), ir.MemRefType(args[a].type).element_type)
            for a, acc in nest.accesses.items()}


def _shrink(kernel: Any, tile: tuple[int, ...], types: dict[int, Any]) -> None:
    """The cloned kernel over one tile: loop bounds = tile sizes, memrefs = tile buffers."""
    ir = mlir.ir
    block = kernel.regions[0].blocks[0]
    for a, t in types.items():
        block.arguments[a].set_type(t)
    ftype = ir.FunctionType(ir.TypeAttr(kernel.attributes["function_type"]).value)
    kernel.attributes["function_type"] = ir.TypeAttr.get(
        ir.FunctionType.get([arg.type for arg in block.arguments], list(ftype.results)))
    loop = next(op.operation for op in block.operations if op.operation.name == "affine.for")
    band, _ = _band(loop)
    for op, t in zip(band, tile):
        op.attributes["upperBoundMap"] = ir.AffineMapAttr.get(ir.AffineMap.get_constant(t))


def _wrapper(fn: Any, nest: Nest, tile: tuple[int, ...], tile_name: str,
             types: dict[int, Any]) -> None:
    """`@k`'s new body: tile buffers, the tile loops, copies in, the call, copies back."""
    ir = mlir.ir
    block = fn.regions[0].blocks[0]
    for op in reversed([op.operation for op in block.operations]):
        op.erase()
    fn.attributes[TARGET] = ir.StringAttr.get("sw")
    args = list(block.arguments)
    with fn.location:
        top = ir.InsertionPoint(block)
        buffers = {a: _op(top, "memref.alloc", [], [t], operandSegmentSizes=_segments(0, 0))
                   .results[0] for a, t in types.items()}
        tiled = [d for d, (n, t) in enumerate(zip(nest.trips, tile)) if t < n]
        point, origins = top, []
        for d in tiled:
            point, iv = _for(point, nest.trips[d], tile[d])
            origins.append(iv)
        for a, acc in nest.accesses.items():
            _copy(point, args[a], buffers[a], acc, tiled, origins, into_tile=True)
        operands = [buffers.get(a, v) for a, v in enumerate(args)]
        _op(point, "func.call", operands, [], callee=ir.FlatSymbolRefAttr.get(tile_name))
        for a in nest.written:
            _copy(point, args[a], buffers[a], nest.accesses[a], tiled, origins, into_tile=False)
        for b in buffers.values():
            _op(top, "memref.dealloc", [b], [])
        _op(top, "func.return", [], [])


def _copy(point: Any, whole: Any, part: Any, acc: Access, tiled: list[int], origins: list[Any],
          *, into_tile: bool) -> None:
    """A loop nest over the tile buffer copying whole[origin + t] into part[t] (or back)."""
    ir = mlir.ir
    ptype = ir.MemRefType(part.type)
    ts = []
    for n in ptype.shape:
        point, t = _for(point, n, 1)
        ts.append(t)
    exprs = []
    for k, cs in enumerate(acc.coeffs):
        e = ir.AffineDimExpr.get(len(origins) + k)
        for i, d in enumerate(tiled):
            if cs[d]:
                e = e + ir.AffineDimExpr.get(i) * cs[d]
        exprs.append(e)
    whole_map = ir.AffineMapAttr.get(ir.AffineMap.get(len(origins) + len(ts), 0, exprs))
    part_map = ir.AffineMapAttr.get(ir.AffineMap.get_identity(len(ts)))
    src, dst = ((whole, [*origins, *ts], whole_map), (part, ts, part_map))[:: 1 if into_tile
                                                                            else -1]
    v = _op(point, "affine.load", [src[0], *src[1]], [ptype.element_type], map=src[2])
    _op(point, "affine.store", [v.results[0], dst[0], *dst[1]], [], map=dst[2])


def _for(point: Any, upper: int, step: int) -> tuple[Any, Any]:
    """`affine.for %i = 0 to upper step step` at `point`: (a point in its body, %i)."""
    ir = mlir.ir
    loop = _op(point, "affine.for", [], [], regions=1,
               lowerBoundMap=ir.AffineMapAttr.get(ir.AffineMap.get_constant(0)),
               upperBoundMap=ir.AffineMapAttr.get(ir.AffineMap.get_constant(upper)),
               step=ir.IntegerAttr.get(ir.IndexType.get(), step),
               operandSegmentSizes=_segments(0, 0, 0))
    body = loop.regions[0].blocks.append(ir.IndexType.get())
    _op(ir.InsertionPoint(body), "affine.yield", [], [])
    return ir.InsertionPoint.at_block_terminator(body), body.arguments[0]


def _op(point: Any, name: str, operands: list[Any], results: list[Any], regions: int = 0,
        **attributes: Any) -> Any:
    return mlir.ir.Operation.create(name, results=results, operands=operands,
                                    attributes=attributes, regions=regions, ip=point)


def _segments(*sizes: int) -> Any:
    return mlir.ir.DenseI32ArrayAttr.get(list(sizes))


# --------------------------------------------------------------------------- helpers


def _sym(fn: Any) -> str:
    return mlir.ir.StringAttr(fn.attributes["sym_name"]).value


def _target(fn: Any) -> str:
    return mlir.ir.StringAttr(fn.attributes[TARGET]).value if TARGET in fn.attributes else "auto"


def _fresh(module: Any, name: str) -> str:
    taken = {_sym(op.operation) for op in module.body.operations
             if "sym_name" in op.operation.attributes}
    out, n = name, 1
    while out in taken:
        n += 1
        out = f"{name}{n}"
    return out


def _memref_args(fn: Any) -> list[int]:
    return [i for i, a in enumerate(fn.regions[0].blocks[0].arguments)
            if isinstance(a.type, mlir.ir.MemRefType) or str(a.type).startswith("memref<")]


def _used(value: Any) -> bool:
    return any(True for _ in value.uses)


def _arg_index(value: Any, args: list[Any]) -> int | None:
    return next((i for i, a in enumerate(args) if a == value), None)


def _element_bytes(mtype: Any) -> int:
    element = mlir.ir.MemRefType(mtype).element_type
    width = 64 if isinstance(element, mlir.ir.IndexType) else element.width
    return max(1, (width + 7) // 8)


def _args_bytes(fn: Any) -> int:
    """Bytes of every static memref argument of `fn` (what the shell would hold on chip)."""
    total = 0
    for a in _memref_args(fn):
        mtype = mlir.ir.MemRefType(fn.regions[0].blocks[0].arguments[a].type)
        if mtype.has_static_shape:
            total += math.prod(mtype.shape) * _element_bytes(mtype)
    return total


def _cannot_tile(fn: Any, size: int, budget: int, why: Nest | str | None) -> PartitionError:
    _, line, col = mlir.location_of(fn.location)
    reason = why if isinstance(why, str) else "no tile of its loop nest fits"
    return PartitionError(
        f"@{_sym(fn)} is forced to hardware and its memref arguments take {size} bytes, more "
        f"than the on-chip memory budget ({budget} bytes), but it cannot be tiled: {reason}",
        Loc("-", line, col),
        hint="raise onchip_memory_bytes in unified.platform, write the kernel as one perfect "
        "affine loop nest, or set unified.target = \"auto\"")


def note(t: dict) -> str:
    """One line for report.md: the kernel, its tile, the calls."""
    tile = "x".join(map(str, t["tile"]))
    whole = "x".join(map(str, t["trips"]))
    return (f"@{t['kernel']} tiled for hardware: its memrefs take {t['bytes_whole']:,} bytes, "
            f"the on-chip memory budget is {t['budget']:,} (onchip_memory_bytes); its "
            f"{whole} loop nest runs on the CPU over {tile} tiles of @{t['tile_kernel']} "
            f"({t['bytes_tile']:,} bytes), {t['calls']} calls per call, each tile copied in "
            "and the written ones back")
