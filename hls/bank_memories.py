"""hls-bank-memories: each memref argument split cyclically into `factor` banks, one port each.

A memref argument of size S along dimension d becomes `factor` arguments of size S/factor
along d: element e goes to bank (e_d mod F) at index (e_d floordiv F). This only pays, and
is only done, when every affine.load/affine.store of the argument has a bank known at
compile time: constants count as themselves, ivs of loops whose lower bound and step are
multiples of F (mod F) as their lower bound, affine.apply results through their maps;
anything else (a symbol, a loop of step 1, floordiv, mod) leaves the argument alone.

Among the dimensions that qualify, the one that spreads the accesses of each loop body over
the most banks wins. With `divisors`, an argument no dimension qualifies for at F banks gets
the largest divisor of F that works instead (a loop unrolled by 2 still gives 2 banks at 8).

A read-only argument that no one dimension qualifies for may be replicated: two copies,
each banked along its own dimension, every load reading the copy whose bank it knows
(mvt reads A by rows in one nest and by columns in the other). The driver fills both.

Loops of step F*k whose ivs index a banked dimension are rescaled to step k (their iv times
F, plus the lower bound's residue, replaces the old iv), so that the bank index
(iv + c) floordiv F folds to iv' + c' and costs no divider in hardware. That is only free
when the iv indexes nothing else; otherwise the dimension is given up.
Each bank argument carries `unified.bank = {arg, bank, factor, dim, copy}` (the user's
argument index, the bank, F, d, the copy); `bank_layout` reads the mapping back later.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from unified.core import mlir
from unified.core.passes import ModulePass

BANK_ATTR = "unified.bank"
BUFFER_ATTR = "unified.buffer"  # set by hoist-allocs on the arguments that were allocs


@dataclass(frozen=True)
class BankLayout:
    """Where one argument of the banked function comes from in the user's signature."""

    arg: int  # the user's argument index
    bank: int = 0
    factor: int = 1  # 1: not banked
    dim: int = 0
    copy: int = 0  # a replicated read-only argument: which copy


def bank_layout(module: Any, func: str) -> list[BankLayout]:
    """One BankLayout per argument of func.func @func (any level that keeps arg attributes)."""
    return layout_of(mlir.function(module, func))


def layout_of(fn: Any) -> list[BankLayout]:
    """One BankLayout per argument of the func.func operation `fn`."""
    out: list[BankLayout] = []
    for attrs in arg_attrs(fn):
        if BANK_ATTR in attrs:
            bank = mlir.ir.DictAttr(attrs[BANK_ATTR])
            out.append(BankLayout(*(mlir.ir.IntegerAttr(bank[k]).value if k in bank else 0
                                    for k in ("arg", "bank", "factor", "dim", "copy"))))
        else:
            previous = out[-1].arg if out else -1
            out.append(BankLayout(previous + 1))
    return out


@dataclass(frozen=True)
class BankMemories(ModulePass):
    """memref arguments whose every access has a constant bank → `factor` bank arguments."""

    name: ClassVar[str] = "hls-bank-memories"
    build: ClassVar[str] = "mlir"
    factor: int = 1
    divisors: bool = False  # fall back to the largest divisor of `factor` that qualifies

    def apply(self, module: Any) -> None:
        if self.factor <= 1:
            return
        factors = [f for f in range(self.factor, 1, -1) if self.factor % f == 0] \
            if self.divisors else [self.factor]
        for op in module.body.operations:
            fn = op.operation
            if fn.name == "func.func" and fn.regions[0].blocks:
                _bank_function(fn, factors)


# ---------------------------------------------------------------------------- analysis


class _Residues:
    """Values and affine expressions modulo F, where the IR makes them compile-time constants."""

    def __init__(self, factor: int):
        self.factor = factor
        self.loops: list[Any] = []  # affine.for ops whose ivs the last queries went through

    def of_expr(self, expr: Any, operands: list[Any], n_dims: int) -> int | None:
        ir, f = mlir.ir, self.factor
        if isinstance(expr, ir.AffineConstantExpr):
            return expr.value % f
        if isinstance(expr, ir.AffineDimExpr):
            return self.of_value(operands[expr.position])
        if isinstance(expr, ir.AffineSymbolExpr):
            return self.of_value(operands[n_dims + expr.position])
        if isinstance(expr, (ir.AffineAddExpr, ir.AffineMulExpr)):
            lhs = self.of_expr(expr.lhs, operands, n_dims)
            rhs = self.of_expr(expr.rhs, operands, n_dims)
            if isinstance(expr, ir.AffineMulExpr) and 0 in (lhs, rhs):
                return 0  # a multiple of F times anything
            if lhs is None or rhs is None:
                return None
            return (lhs + rhs) % f if isinstance(expr, ir.AffineAddExpr) else (lhs * rhs) % f
        return None  # floordiv, ceildiv, mod: not followed

    def of_value(self, value: Any) -> int | None:
        ir = mlir.ir
        if isinstance(value, ir.BlockArgument):
            loop = value.owner.owner
            if loop.name != "affine.for" or value.arg_number != 0:
                return None
            if ir.IntegerAttr(loop.attributes["step"]).value % self.factor:
                return None
            lower = ir.AffineMapAttr(loop.attributes["lowerBoundMap"]).value
            if len(lower.results) != 1:
                return None
            residue = self.of_expr(lower.results[0], list(loop.operands)[:lower.n_inputs],
                                   lower.n_dims)
            if residue is not None:
                self.loops.append(loop)
            return residue
        owner = value.owner
        if owner.name == "affine.apply":
            amap = ir.AffineMapAttr(owner.attributes["map"]).value
            return self.of_expr(amap.results[0], list(owner.operands), amap.n_dims)
        if owner.name == "arith.constant":
            return ir.IntegerAttr(owner.attributes["value"]).value % self.factor
        return None


def _access_map(op: Any) -> tuple[Any, list[Any]]:
    """(affine map, its operands) of an affine.load / affine.store."""
    at = 1 if op.name == "affine.load" else 2
    return mlir.ir.AffineMapAttr(op.attributes["map"]).value, list(op.operands)[at:]


def _bank_of(op: Any, dim: int, factor: int) -> tuple[int | None, list[Any]]:
    """The bank of access `op` along `dim` (None when not a constant) and the loops whose
    ivs it went through."""
    residues = _Residues(factor)
    amap, operands = _access_map(op)
    return residues.of_expr(amap.results[dim], operands, amap.n_dims), residues.loops


def _spread(accesses: list[Any], banks: list[int]) -> int:
    """How many distinct banks the accesses of each block reach, summed over the blocks."""
    by_block: dict[Any, set[int]] = {}
    for op, bank in zip(accesses, banks):
        by_block.setdefault(op.parent, set()).add(bank)
    return sum(len(b) for b in by_block.values())


@dataclass
class _Plan:
    """How one argument is banked: `factor` banks along `dims` (one per copy); each access's
    copy and bank; the loops to rescale."""

    factor: int
    dims: list[int]  # the banked dimension of each copy (one copy unless replicated)
    accesses: list[Any]
    copies: list[int]  # the copy each access goes to
    banks: list[int]
    loops: list[Any]

    def dim_of(self, op: Any) -> int:
        """The banked dimension of the copy access `op` goes to."""
        return next(self.dims[c] for a, c in zip(self.accesses, self.copies) if a == op)


def _choose_dim(arg: Any, factors: list[int], banned: set[tuple[int, int]]) -> _Plan | None:
    """The plan to bank `arg` by the first of `factors` some (factor, dimension) not in
    `banned` qualifies for, or None when none does."""
    shape = mlir.ir.MemRefType(arg.type).shape
    accesses = []
    for use in arg.uses:
        op = use.owner
        if op.name not in ("affine.load", "affine.store"):
            return None
        if op.name == "affine.store" and use.operand_number != 1:
            return None  # the memref itself is stored somewhere
        accesses.append(op)
    if not accesses:
        return None
    for factor in factors:
        found = {dim: [_bank_of(op, dim, factor) for op in accesses]
                 for dim, size in enumerate(shape)
                 if size > 0 and size % factor == 0 and (factor, dim) not in banned}
        best: tuple[int, _Plan] | None = None
        for dim, per_access in found.items():
            banks = [bank for bank, _ in per_access]
            if None in banks:
                continue
            score = _spread(accesses, banks)
            if best is None or score >= best[0]:  # ties: the later (faster-varying) dimension
                loops = _unique([loop for _, ls in per_access for loop in ls])
                best = (score, _Plan(factor, [dim], accesses, [0] * len(accesses), banks, loops))
        if best is not None:
            return best[1]
        if all(op.name == "affine.load" for op in accesses):
            plan = _replicated(factor, accesses, found)
            if plan is not None:
                return plan
    return None


def _replicated(factor: int, accesses: list[Any],
                found: dict[int, list[tuple[int | None, list[Any]]]]) -> _Plan | None:
    """Two copies of a read-only argument banked along two dimensions, when every load has a
    constant bank along one of them (the first copy takes all the loads it can)."""
    known = {dim: {k for k, (bank, _) in enumerate(per) if bank is not None}
             for dim, per in found.items()}
    for first in sorted(known, key=lambda d: (len(known[d]), d), reverse=True):
        rest = set(range(len(accesses))) - known[first]
        second = next((d for d in sorted(known, reverse=True)
                       if d != first and rest and rest <= known[d]), None)
        if second is None:
            continue
        copies = [0 if k in known[first] else 1 for k in range(len(accesses))]
        dims = [first, second]
        picked = [found[dims[c]][k] for k, c in enumerate(copies)]
        loops = _unique([loop for _, ls in picked for loop in ls])
        return _Plan(factor, dims, accesses, copies, [b for b, _ in picked if b is not None],
                     loops)
    return None


def _plans(fn: Any, factors: list[int]) -> dict[int, _Plan]:
    """The plan of every argument that can be banked, by argument index.

    A loop whose iv reaches a bank index is rescaled (step F*k to k); that is only free when
    the iv indexes nothing but banked dimensions (anywhere else it would cost a multiplier),
    so a dimension that needs any other loop is given up, until the plans agree.
    """
    entry = fn.regions[0].blocks[0]
    attrs = arg_attrs(fn)
    candidates = [i for i, arg in enumerate(entry.arguments)
                  if isinstance(arg.type, mlir.ir.MemRefType) and BUFFER_ATTR not in attrs[i]]
    banned: dict[int, set[tuple[int, int]]] = {i: set() for i in candidates}
    while True:
        plans = {}
        for i in candidates:
            plan = _choose_dim(entry.arguments[i], factors, banned[i])
            if plan is not None:
                plans[i] = plan
        given_up = [i for i, plan in plans.items()
                    if not all(_rescalable(loop, plan.factor, plans, entry) for loop in plan.loops)]
        if not given_up:
            return plans
        for i in given_up:
            banned[i].update((plans[i].factor, d) for d in plans[i].dims)


def _rescalable(loop: Any, factor: int, plans: dict[int, _Plan], entry: Any) -> bool:
    """Whether `loop` has a constant lower bound and its iv is only used in the bank
    dimension of accesses to arguments that `plans` banks by `factor`."""
    lower = mlir.ir.AffineMapAttr(loop.attributes["lowerBoundMap"]).value
    if lower.n_inputs or not isinstance(lower.results[0], mlir.ir.AffineConstantExpr):
        return False
    iv = loop.regions[0].blocks[0].arguments[0]
    banked = {_key(entry.arguments[i]): plan for i, plan in plans.items()}
    for use in iv.uses:
        op = use.owner
        if op.name not in ("affine.load", "affine.store"):
            return False
        at = 1 if op.name == "affine.load" else 2
        plan = banked.get(_key(op.operands[at - 1]))
        if plan is None or plan.factor != factor:
            return False
        amap = mlir.ir.AffineMapAttr(op.attributes["map"]).value
        position = use.operand_number - at
        if any(_reads(e, position, amap.n_dims) for d, e in enumerate(amap.results)
               if d != plan.dim_of(op)):
            return False
    return True


def _reads(expr: Any, position: int, n_dims: int) -> bool:
    """Whether affine `expr` reads map input `position` (dims first, then symbols)."""
    ir = mlir.ir
    if isinstance(expr, ir.AffineDimExpr):
        return expr.position == position
    if isinstance(expr, ir.AffineSymbolExpr):
        return n_dims + expr.position == position
    if isinstance(expr, ir.AffineBinaryExpr):
        return _reads(expr.lhs, position, n_dims) or _reads(expr.rhs, position, n_dims)
    return False


def _unique(ops: list[Any]) -> list[Any]:
    out: list[Any] = []
    for op in ops:
        if op not in out:
            out.append(op)
    return out


def _key(value: Any) -> Any:
    """A hashable identity for an SSA value."""
    return value if getattr(value, "__hash__", None) is not None else id(value)


# ---------------------------------------------------------------------------- rewrite


def _bank_function(fn: Any, factors: list[int]) -> None:
    ir = mlir.ir
    entry = fn.regions[0].blocks[0]
    old_attrs = arg_attrs(fn)
    plans = _plans(fn, factors)
    if not plans:
        return
    originals = list(entry.arguments)
    n = len(originals)
    types, attrs = [], []
    new_args: dict[int, list[list[Any]]] = {}  # argument -> copy -> bank
    for i, arg in enumerate(originals):
        if i not in plans:
            new_args[i] = [[entry.add_argument(arg.type, arg.location)]]
            types.append(arg.type)
            attrs.append(ir.DictAttr.get(old_attrs[i]))
            continue
        factor = plans[i].factor
        new_args[i] = []
        for copy, dim in enumerate(plans[i].dims):
            old = ir.MemRefType(arg.type)
            shape = list(old.shape)
            shape[dim] //= factor
            bank_type = ir.MemRefType.get(shape, old.element_type)
            new_args[i].append([entry.add_argument(bank_type, arg.location)
                                for _ in range(factor)])
            for b in range(factor):
                types.append(bank_type)
                attrs.append(_with_bank(old_attrs[i], BankLayout(i, b, factor, dim, copy)))
    rescale: list[tuple[Any, int]] = []  # (loop, factor): one factor per loop (_rescalable)
    for plan in plans.values():
        for loop in plan.loops:
            if all(loop != seen for seen, _ in rescale):
                rescale.append((loop, plan.factor))
    for i, plan in plans.items():
        for op, copy, bank in zip(plan.accesses, plan.copies, plan.banks):
            _rewrite_access(op, new_args[i][copy][bank], plan.dims[copy], plan.factor)
    for i, arg in enumerate(originals):
        if i not in plans:
            arg.replace_all_uses_with(new_args[i][0][0])
    for _ in range(n):
        entry.erase_argument(0)
    ftype = ir.FunctionType(ir.TypeAttr(fn.attributes["function_type"]).value)
    fn.attributes["function_type"] = ir.TypeAttr.get(ir.FunctionType.get(types, list(ftype.results)))
    fn.attributes["arg_attrs"] = ir.ArrayAttr.get(attrs)
    for loop, factor in rescale:
        _rescale_loop(loop, factor)
    mlir.passmanager.PassManager.parse("func.func(canonicalize)").run(fn)


def _rewrite_access(op: Any, bank: Any, dim: int, factor: int) -> None:
    """`op` on the original memref → the same access on `bank`, index (e floordiv F) along dim."""
    ir = mlir.ir
    amap, indices = _access_map(op)
    results = list(amap.results)
    results[dim] = ir.AffineExpr.get_floor_div(results[dim], ir.AffineExpr.get_constant(factor))
    new_map = ir.AffineMap.get(amap.n_dims, amap.n_symbols, results)
    attributes = {name: op.attributes[name] for name in op.attributes}
    attributes["map"] = ir.AffineMapAttr.get(new_map)
    if op.name == "affine.load":
        operands, result_types = [bank, *indices], [op.results[0].type]
    else:
        operands, result_types = [op.operands[0], bank, *indices], []
    with ir.InsertionPoint(op), op.location:
        new = ir.Operation.create(op.name, results=result_types, operands=operands,
                                  attributes=attributes)
    if result_types:
        op.results[0].replace_all_uses_with(new.results[0])
    op.erase()


def _rescale_loop(loop: Any, factor: int) -> None:
    """`for %j = lb to ub step F*k` → `for %q = lb floordiv F to (ub - r) ceildiv F step k`,
    with %j = F * %q + r (r = lb mod F) in the body: %j floordiv F becomes %q."""
    ir = mlir.ir
    lower = ir.AffineMapAttr(loop.attributes["lowerBoundMap"]).value
    lb = ir.AffineConstantExpr(lower.results[0]).value
    rem = lb % factor
    upper = ir.AffineMapAttr(loop.attributes["upperBoundMap"]).value
    f = ir.AffineExpr.get_constant(factor)
    uppers = [ir.AffineExpr.get_ceil_div(ir.AffineExpr.get_add(e, ir.AffineExpr.get_constant(-rem)),
                                         f) for e in upper.results]
    step = ir.IntegerAttr(loop.attributes["step"]).value
    body = loop.regions[0].blocks[0]
    iv = body.arguments[0]
    scaled = ir.AffineMap.get(1, 0, [ir.AffineExpr.get_add(
        ir.AffineExpr.get_mul(ir.AffineExpr.get_dim(0), f), ir.AffineExpr.get_constant(rem))])
    with ir.InsertionPoint.at_block_begin(body), loop.location:
        apply = ir.Operation.create("affine.apply", results=[iv.type], operands=[iv],
                                    attributes={"map": ir.AffineMapAttr.get(scaled)})
    iv.replace_all_uses_except(apply.results[0], apply)
    loop.attributes["lowerBoundMap"] = ir.AffineMapAttr.get(
        ir.AffineMap.get(0, 0, [ir.AffineExpr.get_constant(lb // factor)]))
    loop.attributes["upperBoundMap"] = ir.AffineMapAttr.get(
        ir.AffineMap.get(upper.n_dims, upper.n_symbols, uppers))
    loop.attributes["step"] = ir.IntegerAttr.get(ir.IntegerAttr(loop.attributes["step"]).type,
                                                 step // factor)


# ---------------------------------------------------------------------------- attributes




def arg_attrs(fn: Any) -> list[dict[str, Any]]:
    """Each argument's attributes as a dict (empty where it has none)."""
    count = len(fn.regions[0].blocks[0].arguments) if fn.regions[0].blocks else len(
        mlir.ir.FunctionType(mlir.ir.TypeAttr(fn.attributes["function_type"]).value).inputs)
    if "arg_attrs" not in fn.attributes:
        return [{} for _ in range(count)]
    out = []
    for entry in mlir.ir.ArrayAttr(fn.attributes["arg_attrs"]):
        d = mlir.ir.DictAttr(entry)
        out.append({d[i].name: d[i].attr for i in range(len(d))})
    return out


def _with_bank(attrs: dict[str, Any], where: BankLayout) -> Any:
    ir = mlir.ir
    i64 = ir.IntegerType.get_signless(64)
    fields = [("arg", where.arg), ("bank", where.bank), ("factor", where.factor),
              ("dim", where.dim)] + ([("copy", where.copy)] if where.copy else [])
    record = ir.DictAttr.get({k: ir.IntegerAttr.get(i64, v) for k, v in fields})
    return ir.DictAttr.get({**attrs, BANK_ATTR: record})
