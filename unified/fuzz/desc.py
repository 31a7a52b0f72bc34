"""The fuzzer's kernel description: arguments, loop nests and statements, before any MLIR.

A `Kernel` is plain, mutable data: the generator builds it, `printer` turns it into MLIR
text, `reference` executes it, and the reducer rewrites copies of it. Values are SSA names
(without `%`); loop variables are index values usable in affine expressions and
`index_cast`. A multi-result op names its results `base#0`, `base#1`, ... The value types
are integers (`i1`..`i64`) and `f32`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

INT_TYPES = ("i8", "i16", "i32", "i64")
BIN_OPS = ("addi", "subi", "muli", "andi", "ori", "xori", "shli", "shrsi", "shrui",
           "divsi", "divui", "remsi", "remui", "ceildivsi", "floordivsi",
           "minsi", "maxsi", "minui", "maxui")
PREDICATES = ("eq", "ne", "slt", "sle", "sgt", "sge", "ult", "ule", "ugt", "uge")
# arith.cmpf predicates (not the constant `false`/`true`)
FLOAT_PREDICATES = ("oeq", "ogt", "oge", "olt", "ole", "one", "ord",
                    "ueq", "ugt", "uge", "ult", "ule", "une", "uno")
CASTS = ("extsi", "extui", "trunci", "index_cast", "sitofp", "uitofp", "fptosi", "fptoui")


def width(t: str) -> int:
    """Bits of an integer type (`i1`..`i64`; `index` counts as 64)."""
    return 64 if t == "index" else int(t[1:])


def is_float(t: str) -> bool:
    """Whether a value type is f32 (the one float type kernels hold)."""
    return t == "f32"


@dataclass(frozen=True)
class Aff:
    """sum(coefficient * loop variable) + const: an affine index or condition."""

    terms: tuple[tuple[str, int], ...] = ()
    const: int = 0

    def vars(self) -> set[str]:
        """The loop variables this expression uses."""
        return {v for v, c in self.terms if c}

    def eval(self, env: dict[str, int]) -> int:
        """Its value for the loop variables in `env`."""
        return self.const + sum(c * env[v] for v, c in self.terms)


@dataclass
class Arg:
    """A function argument: a memref (shape set by `finalize`) or an integer scalar."""

    name: str
    elem: str
    shape: tuple[int, ...] | None = None  # None: scalar
    ndim: int = 0
    pad: tuple[int, ...] = ()  # elements past the last one accessed, per dimension

    @property
    def is_memref(self) -> bool:
        return self.ndim > 0


@dataclass
class Const:
    """An integer's bit pattern, or for f32 the float value (an exact binary32; an int
    counts as the float of that value)."""

    res: str
    type: str
    value: int


@dataclass
class Bin:
    res: str
    op: str
    a: str
    b: str


@dataclass
class Unary:
    """negf or absf (printed as math.absf) of an f32."""

    res: str
    op: str
    a: str


@dataclass
class Cmp:
    res: str
    pred: str
    a: str
    b: str


@dataclass
class Select:
    res: str
    cond: str
    a: str
    b: str


@dataclass
class Cast:
    res: str
    op: str  # extsi | extui | trunci | index_cast (from a loop variable) | int <-> f32
    a: str
    type: str


@dataclass
class Load:
    res: str
    mem: str
    idx: list[Aff]


@dataclass
class Store:
    val: str
    mem: str
    idx: list[Aff]


@dataclass
class Call:
    res: str
    callee: str
    args: list[str]


@dataclass
class Alloc:
    """A local buffer (memref.alloc at the top of the kernel, dealloc'd before return)."""

    mem: str
    elem: str
    ndim: int
    shape: tuple[int, ...] = ()


@dataclass
class Fill:
    """Every element of `mem` set to trunc(sum((k + 3) * index_k) + 1): an init nest."""

    mem: str


@dataclass
class For:
    var: str
    lo: int
    hi: int
    step: int = 1
    body: list = field(default_factory=list)
    iters: list[tuple[str, str]] = field(default_factory=list)  # (region arg, init value)
    yields: list[str] = field(default_factory=list)
    results: list[str] = field(default_factory=list)

    def indices(self) -> range:
        return range(self.lo, self.hi, self.step)


@dataclass
class If:
    """scf.if on an i1 value (`cond`), or affine.if on `conds` (each `aff >= 0`)."""

    cond: str | None
    conds: list[Aff] = field(default_factory=list)
    then: list = field(default_factory=list)
    else_: list = field(default_factory=list)
    then_yields: list[str] = field(default_factory=list)
    else_yields: list[str] = field(default_factory=list)
    results: list[str] = field(default_factory=list)


@dataclass
class Helper:
    """A small callee: scalar parameters, straight-line arith, one returned value."""

    name: str
    params: list[tuple[str, str]]
    body: list
    ret: str


@dataclass
class Kernel:
    name: str
    args: list[Arg]
    body: list
    helper: Helper | None = None
    seed: int = 0

    def memrefs(self) -> dict[str, tuple[str, tuple[int, ...]]]:
        """Every memref (arguments and allocs): name -> (element type, shape)."""
        out = {a.name: (a.elem, a.shape or ()) for a in self.args if a.is_memref}
        out.update({s.mem: (s.elem, s.shape) for s in self.body if isinstance(s, Alloc)})
        return out


Stmt = (Const | Bin | Unary | Cmp | Select | Cast | Load | Store | Call | Alloc | Fill | For | If)


def blocks(body: list) -> Iterator[list]:
    """`body` and every nested statement list in it, outermost first."""
    yield body
    for s in body:
        if isinstance(s, For):
            yield from blocks(s.body)
        elif isinstance(s, If):
            yield from blocks(s.then)
            yield from blocks(s.else_)


def walk(body: list) -> Iterator:
    """Every statement in `body`, nested ones included, in program order."""
    for s in body:
        yield s
        if isinstance(s, For):
            yield from walk(s.body)
        elif isinstance(s, If):
            yield from walk(s.then)
            yield from walk(s.else_)


def defs(s: object) -> list[str]:
    """The values a statement defines for the code after it."""
    if isinstance(s, (For, If)):
        return list(s.results)
    res = getattr(s, "res", None)
    return [res] if res is not None else []


def uses(s: object) -> list[str]:
    """The SSA values a statement reads directly (not those of nested statements)."""
    if isinstance(s, Bin | Cmp):
        return [s.a, s.b]
    if isinstance(s, Select):
        return [s.cond, s.a, s.b]
    if isinstance(s, Unary):
        return [s.a]
    if isinstance(s, Cast):
        return [] if s.op == "index_cast" else [s.a]
    if isinstance(s, Store):
        return [s.val]
    if isinstance(s, Call):
        return list(s.args)
    if isinstance(s, For):
        return [init for _, init in s.iters] + list(s.yields)
    if isinstance(s, If):
        return ([s.cond] if s.cond else []) + s.then_yields + s.else_yields
    return []


def types(kernel: Kernel) -> dict[str, str]:
    """The type of every value and loop variable of the kernel (and of its helper)."""
    env: dict[str, str] = {a.name: a.elem for a in kernel.args if not a.is_memref}
    mems = {a.name: a.elem for a in kernel.args if a.is_memref}
    mems.update({s.mem: s.elem for s in walk(kernel.body) if isinstance(s, Alloc)})
    helper_ret = ""
    if kernel.helper:
        env.update(dict(kernel.helper.params))
        _type_block(kernel.helper.body, env, mems, "")
        helper_ret = env[kernel.helper.ret]
    _type_block(kernel.body, env, mems, helper_ret)
    return env


def _type_block(body: list, env: dict[str, str], mems: dict[str, str], helper_ret: str) -> None:
    for s in body:
        if isinstance(s, Const):
            env[s.res] = s.type
        elif isinstance(s, Bin | Unary):
            env[s.res] = env[s.a]
        elif isinstance(s, Cmp):
            env[s.res] = "i1"
        elif isinstance(s, Select):
            env[s.res] = env[s.a]
        elif isinstance(s, Cast):
            env[s.res] = s.type
        elif isinstance(s, Load):
            env[s.res] = mems[s.mem]
        elif isinstance(s, Call):
            env[s.res] = helper_ret
        elif isinstance(s, For):
            env[s.var] = "index"
            for (arg, init), res in zip(s.iters, s.results):
                env[arg] = env[res] = env[init]
            _type_block(s.body, env, mems, helper_ret)
        elif isinstance(s, If):
            _type_block(s.then, env, mems, helper_ret)
            _type_block(s.else_, env, mems, helper_ret)
            for y, res in zip(s.then_yields, s.results):
                env[res] = env[y]


def var_ranges(body: list, outer: dict[str, range] | None = None) -> Iterator[tuple[object, dict]]:
    """Each statement with the ranges of the loop variables around it."""
    ranges = dict(outer or {})
    for s in body:
        yield s, ranges
        if isinstance(s, For):
            yield from var_ranges(s.body, {**ranges, s.var: s.indices()})
        elif isinstance(s, If):
            yield from var_ranges(s.then, ranges)
            yield from var_ranges(s.else_, ranges)


def aff_bounds(e: Aff, ranges: dict[str, range]) -> tuple[int, int]:
    """The least and greatest value of `e` over the box of its loop variables (empty: 0, 0)."""
    lo = hi = e.const
    for v, c in e.terms:
        r = ranges[v]
        if not len(r):
            return 0, 0
        a, b = c * r[0], c * r[-1]
        lo, hi = lo + min(a, b), hi + max(a, b)
    return lo, hi


def finalize(kernel: Kernel) -> Kernel:
    """Shifts accesses that could go below 0, then sizes every memref to cover its accesses
    (plus an argument's `pad`)."""
    extents: dict[str, list[int]] = {}
    for s, ranges in var_ranges(kernel.body):
        if isinstance(s, Load | Store):
            for k, e in enumerate(s.idx):
                lo, hi = aff_bounds(e, ranges)
                if lo < 0:
                    s.idx[k] = e = Aff(e.terms, e.const - lo)
                    hi -= lo
                ext = extents.setdefault(s.mem, [1] * len(s.idx))
                ext[k] = max(ext[k], hi + 1)
    for a in kernel.args:
        if a.is_memref:
            need = extents.get(a.name, [1] * a.ndim)
            pad = a.pad if len(a.pad) == a.ndim else (0,) * a.ndim
            a.shape = tuple(n + p for n, p in zip(need, pad))
    for s in kernel.body:
        if isinstance(s, Alloc):
            s.shape = tuple(extents.get(s.mem, [1] * s.ndim))
    return kernel


def iterations(body: list) -> int:
    """Loop iterations the body runs, every nesting level counted (Fill nests are not)."""
    total = 0
    for s in body:
        if isinstance(s, For):
            total += len(s.indices()) * (1 + iterations(s.body))
        elif isinstance(s, If):
            total += iterations(s.then) + iterations(s.else_)
    return total
