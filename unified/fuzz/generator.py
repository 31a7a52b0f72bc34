"""Random affine kernels (integer, or f32 and integer): a seeded, deterministic generator of
`Kernel` descriptions.

    kernel = generate(seed, features("full"))
    text = to_mlir(kernel)                # the MLIR func.func (plus a helper it calls)
    inputs = make_inputs(kernel, seed)    # {"arg0": array, ...}

Every kernel is well defined by construction: memref shapes cover every access (`finalize`),
divisors are guarded (never 0, never -1 for a signed division), shift amounts are a constant
below the width or masked with width - 1, local buffers are filled before they are read,
and an f32 -> integer conversion gets its operand clamped into the integer type's range
first (NaN to the lower end): out of range, fptosi/fptoui are poison in arith and LLVM,
and the hardware units, x86 and RISC-V each give something else there.
`reference.run` rejects (raises `Undefined`) any kernel where one of those would not hold.

Float kernels (profile "float"): see `exact_for_sw` for what they leave out so that the
software flow, which contracts and vectorizes float arithmetic, stays exact. A profile
without "f32" in its types draws from the random stream exactly as before floats existed.
"""

from __future__ import annotations

import math
import random

import numpy as np

from unified.fuzz.desc import (
    PREDICATES,
    Aff,
    Alloc,
    Arg,
    Bin,
    Call,
    Cast,
    Cmp,
    Const,
    Fill,
    For,
    Helper,
    If,
    Kernel,
    Load,
    Select,
    Store,
    Unary,
    finalize,
    is_float,
    iterations,
    types,
    walk,
    width,
)
from unified.fuzz.features import (
    DIV_OPS,
    FLOAT_BIN_OPS,
    FLOAT_PREDICATES,
    FLOAT_REDUCE_OPS,
    FLOAT_UNARY_OPS,
    MINMAX_OPS,
    PLAIN_OPS,
    PROFILES,
    REDUCE_OPS,
    SHIFT_OPS,
    Features,
    features,
)
from unified.fuzz.inputs import make_inputs, numpy_dtype
from unified.fuzz.printer import to_mlir

__all__ = ["PROFILES", "Features", "features", "generate", "make_inputs", "numpy_dtype",
           "to_mlir"]

LEAVES = ("pick", "const", "load")  # value kinds that are no operation (_Gen.leaf)
BOUNDS = (1, 2, 3, 5, 7, 11, 13)  # trip counts: primes, never a multiple of a vector length
LAYER_BOUNDS = (3, 8, 16, 16, 32)  # a layer's: 4096 iterations and up are jammed at -O3
LAYER_OPS = ("muli", "muli", "addi", "andi", "minsi")  # input x weight, and the like
LAYER_REDUCE_OPS = ("addi", "addi", "addi", "maxsi", "xori", "subi")  # subi: not associative


def generate(seed: int, feats: Features | None = None, name: str = "kernel") -> Kernel:
    """A random, well-defined kernel; the same seed and features give the same kernel."""
    feats = feats or Features()
    rng = random.Random(seed)
    while True:
        kernel = _Gen(rng, feats, name).kernel()
        kernel.seed = seed
        if feats.floats and feats.exact_sw:
            exact_for_sw(kernel, random.Random(seed * 131 + 11))
        finalize(kernel)
        mems = kernel.memrefs()
        fills = sum(int(np.prod(mems[s.mem][1])) for s in kernel.body if isinstance(s, Fill))
        if (iterations(kernel.body) + fills <= feats.max_iterations
                and all(np.prod(shape) <= feats.max_elements for _, shape in mems.values())):
            if feats.pad_shapes:
                _pad(kernel, random.Random(seed * 31 + 7), feats.max_elements)
            return kernel


def _pad(kernel: Kernel, rng: random.Random, max_elements: int) -> None:
    """Memref arguments larger than their accesses need, now and then (own random stream:
    the same seed without `pad_shapes` gives the same kernel, unpadded)."""
    for a in kernel.args:
        if a.is_memref and rng.random() < 0.4:
            pad = tuple(rng.choice((0, 1, 2, 3, 5)) for _ in range(a.ndim))
            if np.prod([n + p for n, p in zip(a.shape, pad)]) <= max_elements:
                a.pad = pad
    finalize(kernel)


def exact_for_sw(kernel: Kernel, rng: random.Random) -> None:
    """Rewrites the float ops whose software result is not the step-by-step IEEE one.

    The software flow marks float ops `contract` (LLVM fuses a multiply into the add or
    subtract that uses it: one rounding instead of two) and vectorizes addf/mulf iter_args
    reductions (partial sums per lane, then a reassociated horizontal sum). So an addf/mulf
    that yields an iter_args value from the carried one becomes subf/divf (never a
    recognised reduction), and an addf/subf an operand of which may hold a product — a
    mulf, or a negf/absf/select/load/call/loop or if result that may carry one, tracked
    through memrefs and the helper's parameters regardless of order — becomes divf,
    maximumf or minimumf (`rng` chooses), until none is left. Products still reach stores,
    compares, conversions, divisions, max/min and other products."""
    env = types(kernel)
    stmts = _statements(kernel)
    for s in stmts:
        if isinstance(s, For) and s.iters:
            carried = {arg for arg, _ in s.iters}
            made = {d.res: d for d in s.body if isinstance(d, Bin)}
            for y in s.yields:
                d = made.get(y)
                if d and is_float(env[y]) and d.op in ("addf", "mulf") and {d.a, d.b} & carried:
                    d.op = "subf" if d.op == "addf" else "divf"
    while True:
        held = products(kernel, stmts)
        bad = next((s for s in stmts if isinstance(s, Bin) and s.op in ("addf", "subf")
                    and {s.a, s.b} & held), None)
        if bad is None:
            return
        bad.op = rng.choice(("divf", "maximumf", "minimumf"))


def _statements(kernel: Kernel) -> list:
    return list(walk(kernel.body)) + (list(kernel.helper.body) if kernel.helper else [])


def products(kernel: Kernel, stmts: list) -> set[str]:
    """The values that may hold (the negation of) a mulf result, flow-insensitively: what a
    product is stored to taints every load of that memref."""
    out: set[str] = set()
    mems: set[str] = set()
    helper = kernel.helper
    size = -1
    while size != len(out) + len(mems):
        size = len(out) + len(mems)
        for s in stmts:
            if (isinstance(s, Bin) and s.op == "mulf" or isinstance(s, Unary) and s.a in out
                    or isinstance(s, Select) and {s.a, s.b} & out
                    or isinstance(s, Load) and s.mem in mems):
                out.add(s.res)
            elif isinstance(s, Store) and s.val in out:
                mems.add(s.mem)
            elif isinstance(s, Call) and helper:
                out.update(p for (p, _), a in zip(helper.params, s.args) if a in out)
                if helper.ret in out:
                    out.add(s.res)
            elif isinstance(s, For):
                for (arg, init), y, r in zip(s.iters, s.yields, s.results):
                    if {init, y} & out:
                        out.update((arg, r))
            elif isinstance(s, If):
                for a, b, r in zip(s.then_yields, s.else_yields, s.results):
                    if {a, b} & out:
                        out.add(r)
    return out


# f32 constants: exact binary32 values (0.1 and 1/3 as their float32 roundings)
FLOAT_CONSTANTS = (0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 3.0, -2.5, 7.0, 100.0, -100.0, 0.25,
                   float(np.float32(0.1)), float(np.float32(1 / 3)), float(np.float32(1e-3)),
                   float(np.float32(1e10)))
FLOAT_EXTREMES = (float("inf"), float("-inf"), float("nan"), float(np.float32(1e-45)),
                  float(np.float32(1e-40)), float(np.float32(1.1754944e-38)),
                  float(np.float32(3.4028235e38)), float(np.float32(-3.4028235e38)),
                  16777216.0)


def _interesting_float(rng: random.Random) -> float:
    return rng.choice(FLOAT_EXTREMES) if rng.random() < 0.1 else rng.choice(FLOAT_CONSTANTS)


def fit_bounds(op: str, bits: int) -> tuple[float, float]:
    """The f32 range whose values fptosi/fptoui (`op`) truncate into a `bits`-bit integer:
    [-2^(bits-1), the greatest f32 below 2^(bits-1)], or [0, the greatest below 2^bits]."""
    top = bits - 1 if op == "fptosi" else bits
    hi = 2 ** top - (2 ** (top - 24) if top > 24 else 1)
    return (-2.0 ** top if op == "fptosi" else 0.0), float(hi)


def _interesting(rng: random.Random, t: str) -> int:
    bits = width(t)
    if bits == 1:
        return rng.randint(0, 1)
    choices = (0, 1, -1, 2, 3, 4, 5, 7, -7, 100, -100, 127, -128, 255)
    extreme = ((1 << (bits - 1)) - 1, -(1 << (bits - 1)), (1 << bits) - 1)
    value = rng.choice(extreme) if rng.random() < 0.1 else rng.choice(choices)
    return value & ((1 << bits) - 1)


class _Gen:
    """One kernel's generation state: the current block, visible values and loops."""

    def __init__(self, rng: random.Random, feats: Features, name: str):
        self.rng, self.f, self.name = rng, feats, name
        self.count = 0
        self.block: list = []
        self.scopes: list[list[tuple[str, str]]] = [[]]
        self.loops: list[For] = []
        self.mems: list[tuple[str, str, int]] = []
        self.helper: Helper | None = None
        self.in_if = False
        # integer types (scalar arguments, conversions): all types unless kernels hold f32
        self.int_types = [t for t in feats.types if not is_float(t)] or ["i32"]

    def elem_type(self) -> str:
        """A memref element or value type: f32 most of the time when kernels hold floats
        (without floats: one draw among the types, as always)."""
        if self.f.floats and self.rng.random() < 0.6:
            return "f32"
        return self.rng.choice(self.int_types if self.f.floats else self.f.types)

    def fresh(self, prefix: str = "v") -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def emit(self, s: object, t: str | None = None) -> str:
        """Appends `s`; with `t`, its result becomes a visible value of type `t`."""
        self.block.append(s)
        res = getattr(s, "res", "")
        if t is not None:
            self.scopes[-1].append((res, t))
        return res

    def kernel(self) -> Kernel:
        rng, f = self.rng, self.f
        args: list[Arg] = []
        for k in range(rng.randint(2 if f.layers else 1, 3)):
            args.append(Arg(f"m{k}", self.elem_type(), ndim=rng.randint(1, 3)))
        if f.scalars:  # integers only: the hardware interface takes no f32 scalar
            args += [Arg(f"s{k}", rng.choice(self.int_types))
                     for k in range(rng.choice((0, 0, 1, 2)))]
        rng.shuffle(args)
        self.mems = [(a.name, a.elem, a.ndim) for a in args if a.is_memref]
        self.scopes[0] = [(a.name, a.elem) for a in args if not a.is_memref]
        if f.calls and rng.random() < 0.3:
            self.helper = self.make_helper()
        if f.allocs and rng.random() < 0.3:
            buf = Alloc(self.fresh("buf"), self.elem_type(), rng.randint(1, 2))
            self.emit(buf)
            self.emit(Fill(buf.mem))
            self.mems.append((buf.mem, buf.elem, buf.ndim))
        budget = f.max_iterations
        if f.layers:
            budget -= self.layer(budget)
        for _ in range(rng.choice((1, 1, 2, 3))):
            budget -= self.nest(rng.randint(1, 3), max(budget // 2, 1))
        return Kernel(self.name, args, self.block, self.helper)

    def make_helper(self) -> Helper:
        t = self.elem_type()
        params = [(self.fresh("p"), t), (self.fresh("p"), t)]
        saved = self.block, self.scopes
        self.block, self.scopes = [], [list(params)]
        ops = self.bin_ops(t, PLAIN_OPS + MINMAX_OPS)
        ret = params[0][0]
        for _ in range(self.rng.randint(1, 3)):
            a, b = self.pick(t), self.pick(t)
            ret = self.emit(Bin(self.fresh("h"), self.rng.choice(ops), a, b), t)
        helper = Helper(f"{self.name}_helper", params, self.block, ret)
        self.block, self.scopes = saved
        return helper

    # ---- loops and statements -------------------------------------------------------------

    def bounds(self, budget: int) -> tuple[int, int, int]:
        """lo, hi, step of a loop running at most `budget` times."""
        rng = self.rng
        trips = rng.choice([b for b in BOUNDS if b <= budget] or [1])
        lo, step = 0, 1
        if self.f.steps and rng.random() < 0.25:
            lo, step = rng.choice((0, 1, 2)), rng.choice((1, 2, 3))
        return lo, lo + (trips - 1) * step + 1, step

    def nest(self, depth: int, budget: int) -> int:
        """Appends a loop nest `depth` deep; returns the iterations it runs."""
        lo, hi, step = self.bounds(budget)
        loop = For(self.fresh("i"), lo, hi, step)
        trips = len(loop.indices())
        saved = self.enter(loop, loop.body, [(loop.var, "index")])
        inner = 0
        if depth > 1 and self.rng.random() < 0.3:
            self.statement()
        if depth > 1:
            inner = self.nest(depth - 1, max(budget // trips, 1))
        for _ in range(self.rng.randint(1, 3) if depth == 1 or self.rng.random() < 0.4 else 0):
            self.statement(max(budget // trips, 1))
        self.leave(loop, saved)
        return trips * (1 + inner)

    def layer(self, budget: int) -> int:
        """Appends a perfect nest around one memory reduction (`st_reduce`, whose address the
        innermost loop does not change): a gemm's or a convolution's shape. Returns the
        iterations it runs."""
        rng = self.rng
        fors: list[tuple[For, list]] = []
        sizes = [rng.choice(LAYER_BOUNDS) for _ in range(3)]
        while math.prod(sizes) < 4096 and len(sizes) < 5:
            sizes.append(rng.choice(LAYER_BOUNDS))
        while math.prod(sizes) > budget:
            sizes.remove(max(sizes))
        args = [m for m in self.mems if not m[0].startswith("buf")]
        target = rng.choice(args)
        if self.f.allocs and rng.random() < 0.5:
            self.fused_layer(sizes, target)
            return math.prod(sizes)
        for n in sizes:
            loop = For(self.fresh("i"), 0, n, 1)
            fors.append((loop, self.enter(loop, loop.body, [(loop.var, "index")])))
        name, elem, ndim = mem = target
        idx = self.output_index(ndim, self.loops[:-1])
        x = self.layer_term(name, elem)
        old = self.emit(Load(self.fresh(), name, idx), elem)  # after x: x does not read it
        self.store(self.emit(Bin(self.fresh(), rng.choice(self.bin_ops(elem, LAYER_REDUCE_OPS)),
                                 old, x), elem), mem, list(idx))
        for loop, saved in reversed(fors):
            self.leave(loop, saved)
        return math.prod(sizes)

    def output_index(self, ndim: int, loops: list[For]) -> list[Aff]:
        """Half the time an output's index as layers have it, each of `loops` alone in a
        dimension of its own (plus a constant); else any affine index over them."""
        rng = self.rng
        if rng.random() < 0.5 or not loops:
            saved, self.loops = self.loops, loops
            idx = self.access(ndim)
            self.loops = saved
            return idx
        dims = rng.sample(range(max(ndim, len(loops))), len(loops))
        idx = [Aff((), rng.randint(0, 2)) for _ in range(ndim)]
        for loop, d in zip(loops, dims):
            if d < ndim:
                idx[d] = Aff(((loop.var, 1),), rng.randint(0, 2))
        return idx

    def layer_term(self, written: str, t: str, output: str = "") -> str:
        """One input read times (or plus, ...) a value: what a layer sums, reading the memrefs
        other than `written` and `output`."""
        rng = self.rng
        every = self.mems
        self.mems = [m for m in every if m[0] not in (written, output)] or every
        a = self.leaf("load", t)
        x = self.emit(Bin(self.fresh(), rng.choice(self.bin_ops(t, LAYER_OPS)), a,
                          self.value(t, rng.randint(0, 1))), t)
        self.mems = every
        return x

    def fused_layer(self, sizes: list[int], target: tuple[str, str, int]) -> None:
        """The layer as the ONNX importer writes a QLinearConv: the outer loops walk the
        outputs; per output a one-word local accumulator is set, the inner loops sum into it,
        and the output is written from it."""
        rng = self.rng
        name, elem, ndim = target
        acc = Alloc(self.fresh("acc"), elem, 1)  # not among self.mems: nothing else reads it
        self.block.append(acc)
        split = rng.randint(1, len(sizes) - 1)
        fors: list[tuple[For, list]] = []
        for k, n in enumerate(sizes):
            if k == split:
                self.emit(Store(self.layer_term(acc.mem, elem, name), acc.mem, [Aff((), 0)]))
            loop = For(self.fresh("i"), 0, n, 1)
            fors.append((loop, self.enter(loop, loop.body, [(loop.var, "index")])))
        x = self.layer_term(acc.mem, elem, name)
        old = self.emit(Load(self.fresh(), acc.mem, [Aff((), 0)]), elem)
        op = rng.choice(self.bin_ops(elem, LAYER_REDUCE_OPS))
        self.emit(Store(self.emit(Bin(self.fresh(), op, old, x), elem), acc.mem, [Aff((), 0)]))
        for k in reversed(range(len(sizes))):
            loop, saved = fors[k]
            self.leave(loop, saved)
            if k == split:
                total = self.emit(Load(self.fresh(), acc.mem, [Aff((), 0)]), elem)
                out = self.emit(Bin(self.fresh(), rng.choice(self.bin_ops(elem, LAYER_OPS)),
                                    total, self.value(elem, 0)), elem)
                self.store(out, target, self.output_index(ndim, self.loops))

    def enter(self, owner: object, body: list, values: list[tuple[str, str]]) -> list:
        saved = self.block
        self.block = body
        self.scopes.append(list(values))
        if isinstance(owner, For):
            self.loops.append(owner)
        return saved

    def leave(self, owner: object, saved: list) -> None:
        self.scopes.pop()
        if isinstance(owner, For):
            self.loops.pop()
        self.block = saved
        self.block.append(owner)

    def statement(self, budget: int = 1) -> None:
        rng, f = self.rng, self.f
        kinds = ["store"] * 4 + ["reduce"] * 2
        if f.iter_args and budget >= 2 and not self.in_if:
            kinds += ["iter"] * 2
        if f.scf_if and not self.in_if:
            kinds.append("scf_if")
        if f.affine_if and self.loops and not self.in_if:
            kinds.append("affine_if")
        getattr(self, "st_" + rng.choice(kinds))(budget)

    def target(self) -> tuple[str, str, int]:
        return self.rng.choice(self.mems)

    def store(self, value: str, mem: tuple[str, str, int], idx: list[Aff] | None = None) -> None:
        name, elem, ndim = mem
        self.emit(Store(self.coerce(value, elem), name, idx or self.access(ndim)))

    def st_store(self, budget: int) -> None:
        mem = self.target()
        self.store(self.value(mem[1], self.rng.randint(1, 3)), mem)

    def st_reduce(self, budget: int) -> None:
        """mem[A] = op(mem[A], x) with A invariant in the innermost loop: a memory reduction."""
        name, elem, ndim = mem = self.target()
        idx = self.access(ndim, invariant=True)
        old = self.emit(Load(self.fresh(), name, idx), elem)
        x = self.value(elem, self.rng.randint(0, 2))
        ops = self.bin_ops(elem, REDUCE_OPS, FLOAT_REDUCE_OPS)
        new = self.emit(Bin(self.fresh(), self.rng.choice(ops), old, x), elem)
        self.store(new, mem, list(idx))

    def st_iter(self, budget: int) -> None:
        """r = for k iter_args(acc = init) { yield op(acc, x) }; then r is stored."""
        rng = self.rng
        n = 2 if rng.random() < 0.2 else 1
        ts = [self.elem_type() for _ in range(n)]
        inits = [self.value(t, 0) for t in ts]
        lo, hi, step = self.bounds(budget)
        loop = For(self.fresh("i"), lo, hi, step)
        accs = [self.fresh("acc") for _ in ts]
        loop.iters = list(zip(accs, inits))
        saved = self.enter(loop, loop.body, [(loop.var, "index"), *zip(accs, ts)])
        for acc, t in zip(accs, ts):
            x = self.value(t, rng.randint(1, 2))
            ops = self.bin_ops(t, REDUCE_OPS, FLOAT_REDUCE_OPS)
            loop.yields.append(self.emit(Bin(self.fresh(), rng.choice(ops), acc, x), t))
        self.leave(loop, saved)
        base = self.fresh("r")
        loop.results = [base] if n == 1 else [f"{base}#{k}" for k in range(n)]
        self.scopes[-1] += list(zip(loop.results, ts))
        for r in loop.results:
            self.store(r, self.target())

    def st_scf_if(self, budget: int) -> None:
        t = self.elem_type()
        cond = self.condition(1)
        node = If(cond)
        self.arms(node, t)
        node.results = [self.fresh("r")]
        self.scopes[-1].append((node.results[0], t))
        self.store(node.results[0], self.target())

    def st_affine_if(self, budget: int) -> None:
        rng = self.rng
        conds = []
        for _ in range(rng.randint(1, 2)):
            loop = rng.choice(self.loops)
            pivot = rng.choice(list(loop.indices()))
            sign = rng.choice((1, -1))
            conds.append(Aff(((loop.var, sign),), -sign * pivot))
        node = If(None, conds)
        t = self.elem_type()
        self.arms(node, t, results=rng.random() < 0.4)
        if node.then_yields:
            node.results = [self.fresh("r")]
            self.scopes[-1].append((node.results[0], t))
            self.store(node.results[0], self.target())

    def arms(self, node: If, t: str, results: bool = True) -> None:
        for body, yields in ((node.then, node.then_yields), (node.else_, node.else_yields)):
            saved = self.block
            self.block = body
            self.scopes.append([])
            self.in_if = True
            if not results or self.rng.random() < 0.4:
                self.st_store(1)
            if results:
                yields.append(self.value(t, self.rng.randint(0, 2)))
            self.in_if = False
            self.scopes.pop()
            self.block = saved
        self.block.append(node)

    # ---- values -----------------------------------------------------------------------------

    def pick(self, t: str) -> str:
        """A visible value of type `t`, or a new constant."""
        seen = [n for scope in self.scopes for n, vt in scope if vt == t]
        if seen and self.rng.random() < 0.8:
            return self.rng.choice(seen)
        return self.const(t)

    def const(self, t: str, value: float | None = None) -> str:
        if is_float(t):
            v = _interesting_float(self.rng) if value is None else float(value)
        else:
            v = _interesting(self.rng, t) if value is None else value & ((1 << width(t)) - 1)
        return self.emit(Const(self.fresh("c"), t, v), t)

    def bin_ops(self, t: str, int_ops: tuple[str, ...],
                float_ops: tuple[str, ...] = FLOAT_BIN_OPS) -> list[str]:
        """The ops among `int_ops` (or `float_ops` for an f32) the features allow."""
        if is_float(t):
            return [o for o in float_ops if o in self.f.ops] or ["addf"]
        return [o for o in int_ops if o in self.f.ops] or ["addi"]

    def coerce(self, v: str, t: str) -> str:
        """`v` converted to type `t` (extsi/extui/trunci, int <-> f32), or `v` itself."""
        have = self.type_of(v)
        if have == t:
            return v
        if is_float(have):
            return self.to_int(v, t)
        if is_float(t):
            return self.to_float(v)
        op = "trunci" if width(have) > width(t) else self.rng.choice(("extsi", "extui"))
        return self.emit(Cast(self.fresh(), op, v, t), t)

    def type_of(self, v: str) -> str:
        for scope in reversed(self.scopes):
            for n, t in scope:
                if n == v:
                    return t
        raise KeyError(v)

    def to_float(self, v: str) -> str:
        """sitofp or uitofp of the integer `v`."""
        op = self.rng.choice(("sitofp", "uitofp"))
        return self.emit(Cast(self.fresh(), op, v, "f32"), "f32")

    def to_int(self, v: str, t: str) -> str:
        """fptosi or fptoui of the f32 `v` to `t`, `v` clamped into the range first:
        select(v ult lo, lo, v) (NaN goes to lo too), then select(that ogt hi, hi, that)."""
        op = self.rng.choice(("fptosi", "fptoui"))
        lo, hi = fit_bounds(op, width(t))
        lo_c, hi_c = self.const("f32", lo), self.const("f32", hi)
        below = self.emit(Cmp(self.fresh(), "ult", v, lo_c), "i1")
        v = self.emit(Select(self.fresh(), below, lo_c, v), "f32")
        above = self.emit(Cmp(self.fresh(), "ogt", v, hi_c), "i1")
        v = self.emit(Select(self.fresh(), above, hi_c, v), "f32")
        return self.emit(Cast(self.fresh(), op, v, t), t)

    def float_value(self, depth: int) -> str:
        """An f32 value: like `value`, with float ops, negf/absf and int -> f32 conversions."""
        rng, f, t = self.rng, self.f, "f32"
        kinds = ["pick"] * 3 + ["const"] * 2 + ["load"] * 5
        if f.index_cast and self.loops:
            kinds.append("index")
        if depth > 0:
            kinds += ["bin"] * 5 + ["select"] * 2
            if set(FLOAT_UNARY_OPS) & set(f.ops):
                kinds.append("unary")
            if f.casts:
                kinds += ["cast"] * 2
            if self.helper and not self.in_if and self.helper.params[0][1] == t:
                kinds += ["call"] * 2
        kind = rng.choice(kinds)
        if kind in LEAVES:
            return self.leaf(kind, t)
        if kind == "index":
            var = rng.choice(self.loops).var
            i = self.emit(Cast(self.fresh(), "index_cast", var, "i32"), "i32")
            return self.to_float(i)
        if kind == "bin":
            ops = self.bin_ops(t, ())
            a, b = self.value(t, depth - 1), self.value(t, depth - 1)
            return self.emit(Bin(self.fresh(), rng.choice(ops), a, b), t)
        if kind == "unary":
            op = rng.choice([o for o in FLOAT_UNARY_OPS if o in f.ops])
            return self.emit(Unary(self.fresh(), op, self.value(t, depth - 1)), t)
        if kind == "select":
            c = self.condition(depth - 1)
            a, b = self.value(t, depth - 1), self.value(t, depth - 1)
            return self.emit(Select(self.fresh(), c, a, b), t)
        if kind == "cast":
            return self.to_float(self.value(rng.choice(self.int_types), depth - 1))
        args = [self.value(pt, depth - 1) for _, pt in self.helper.params]
        return self.emit(Call(self.fresh(), self.helper.name, args), t)

    def leaf(self, kind: str, t: str) -> str:
        """A value of type `t` that is no operation: a variable in scope ("pick"), a
        constant ("const") or a load ("load", from a memref of `t` mostly, else converted)."""
        rng = self.rng
        if kind == "pick":
            return self.pick(t)
        if kind == "const":
            return self.const(t)
        mems = [m for m in self.mems if m[1] == t] if rng.random() < 0.8 else []
        if not mems and not self.f.casts:
            return self.pick(t)
        name, elem, ndim = rng.choice(mems or self.mems)
        v = self.emit(Load(self.fresh(), name, self.access(ndim)), elem)
        return self.coerce(v, t)

    def value(self, t: str, depth: int) -> str:
        if is_float(t):
            return self.float_value(depth)
        rng, f = self.rng, self.f
        kinds = ["pick"] * 3 + ["const"] * 2 + ["load"] * 5
        if f.index_cast and self.loops:
            kinds.append("index")
        if depth > 0:
            kinds += ["bin"] * 5 + ["select"] * 2
            if set(SHIFT_OPS) & set(f.ops):
                kinds += ["shift"] * 2
            if set(DIV_OPS) & set(f.ops):
                kinds += ["div"] * 2
            if set(MINMAX_OPS) & set(f.ops):
                kinds.append("minmax")
            if f.casts and len(f.types) > 1:
                kinds += ["cast"] * 2
            if self.helper and not self.in_if and self.helper.params[0][1] == t:
                kinds += ["call"] * 2
        kind = rng.choice(kinds)
        if kind in LEAVES:
            return self.leaf(kind, t)
        if kind == "index":
            var = rng.choice(self.loops).var
            return self.emit(Cast(self.fresh(), "index_cast", var, t), t)
        if kind == "bin":
            ops = [o for o in PLAIN_OPS if o in f.ops] or ["addi"]
            a, b = self.value(t, depth - 1), self.value(t, depth - 1)
            return self.emit(Bin(self.fresh(), rng.choice(ops), a, b), t)
        if kind == "select":
            c = self.condition(depth - 1)
            a, b = self.value(t, depth - 1), self.value(t, depth - 1)
            return self.emit(Select(self.fresh(), c, a, b), t)
        if kind == "shift":
            return self.shift(t, depth)
        if kind == "div":
            return self.division(t, depth)
        if kind == "minmax":
            op = rng.choice([o for o in MINMAX_OPS if o in f.ops])
            a, b = self.value(t, depth - 1), self.value(t, depth - 1)
            return self.emit(Bin(self.fresh(), op, a, b), t)
        if kind == "cast":
            src = rng.choice([s for s in f.types if s != t] + (["i1"] if rng.random() < 0.2 else []))
            if is_float(src):
                return self.to_int(self.value(src, depth - 1), t)
            a = self.condition(depth - 1) if src == "i1" else self.value(src, depth - 1)
            op = ("trunci" if width(src) > width(t) else
                  "extui" if src == "i1" else rng.choice(("extsi", "extui")))
            return self.emit(Cast(self.fresh(), op, a, t), t)
        args = [self.value(pt, depth - 1) for _, pt in self.helper.params]
        return self.emit(Call(self.fresh(), self.helper.name, args), t)

    def condition(self, depth: int) -> str:
        """An i1: cmpi (cmpf) of two values (any predicate), now and then two of them combined."""
        t = self.elem_type()
        a, b = self.value(t, depth), self.value(t, depth)
        kind = FLOAT_PREDICATES if is_float(t) else PREDICATES
        preds = [p for p in self.f.predicates if p in kind] or [kind[0]]
        c = self.emit(Cmp(self.fresh(), self.rng.choice(preds), a, b), "i1")
        if self.rng.random() < 0.15:
            other = self.condition(0)
            op = self.rng.choice(("andi", "ori", "xori"))
            c = self.emit(Bin(self.fresh(), op, c, other), "i1")
        return c

    def shift(self, t: str, depth: int) -> str:
        op = self.rng.choice([o for o in SHIFT_OPS if o in self.f.ops])
        a = self.value(t, depth - 1)
        if self.rng.random() < 0.6:
            amount = self.const(t, self.rng.randrange(width(t)))
        else:  # a computed amount, masked below the width
            raw = self.value(t, depth - 1)
            amount = self.emit(Bin(self.fresh(), "andi", raw, self.const(t, width(t) - 1)), t)
        return self.emit(Bin(self.fresh(), op, a, amount), t)

    def division(self, t: str, depth: int) -> str:
        """A division or remainder whose divisor is guarded: never 0, never -1 when signed."""
        rng = self.rng
        op = rng.choice([o for o in DIV_OPS if o in self.f.ops])
        a, d = self.value(t, depth - 1), self.value(t, depth - 1)
        signed = op not in ("divui", "remui")
        style = rng.randint(0, 1)
        if style == 0 and not signed:  # d | 1
            guarded = self.emit(Bin(self.fresh(), "ori", d, self.const(t, 1)), t)
        elif style == 0:  # (d & 15) | 1: in [1, 15]
            low = self.emit(Bin(self.fresh(), "andi", d, self.const(t, 15)), t)
            guarded = self.emit(Bin(self.fresh(), "ori", low, self.const(t, 1)), t)
        else:  # select(d == 0 [or d == -1], c, d)
            bad = self.emit(Cmp(self.fresh(), "eq", d, self.const(t, 0)), "i1")
            if signed:
                minus = self.emit(Cmp(self.fresh(), "eq", d, self.const(t, -1)), "i1")
                bad = self.emit(Bin(self.fresh(), "ori", bad, minus), "i1")
            fallback = self.const(t, rng.choice((1, 3, 7, -3 if signed else 5)))
            guarded = self.emit(Select(self.fresh(), bad, fallback, d), t)
        return self.emit(Bin(self.fresh(), op, a, guarded), t)

    # ---- accesses ----------------------------------------------------------------------------

    def access(self, ndim: int, invariant: bool = False) -> list[Aff]:
        """Affine indices for an `ndim`-d memref: strides, offsets, transposes, invariants."""
        rng = self.rng
        loops = self.loops[:-1] if invariant and self.loops else self.loops
        order = [lp.var for lp in loops]
        rng.shuffle(order)  # a transpose when the order differs from the nest's
        if rng.random() < 0.5:
            order.sort(key=lambda v: [lp.var for lp in loops].index(v))
        out: list[Aff] = []
        for k in range(ndim):
            r = rng.random()
            if not order or r < 0.15:
                out.append(Aff((), rng.randint(0, 3)))
                continue
            v = order[k % len(order)]
            coef = rng.choice((1, 1, 1, 1, 2, 3) + ((-1, -2) if self.f.negative_strides else ()))
            terms: tuple[tuple[str, int], ...] = ((v, coef),)
            if len(order) > 1 and r > 0.85:
                terms += ((order[(k + 1) % len(order)], 1),)
            out.append(Aff(terms, rng.choice((0, 0, 1, 2))))
        return out
