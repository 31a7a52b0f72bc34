"""An independent interpreter of fuzzer kernels: Python integers wrapped per type.

Values are kept as unsigned bit patterns of their type's width; each op follows the MLIR
arith spec: divsi/remsi truncate toward zero (the remainder takes the dividend's sign),
floordivsi/ceildivsi round down/up, shrsi is arithmetic and shrui logical on the bit
pattern, unsigned predicates compare bit patterns, trunci keeps the low bits, extui
zero-extends and extsi sign-extends. What the spec leaves undefined (division by zero,
signed INT_MIN / -1, a shift by the width or more, an out-of-bounds access, a read of a
local buffer before any write) raises `Undefined`.

f32 values are kept as their binary32 bit patterns too, and every float op is one IEEE-754
operation in numpy float32 (round to nearest, ties to even, subnormals kept; no fused
multiply-add, no reassociation: the kernel's order, one rounding per op). maximumf/minimumf
give NaN for a NaN operand and order -0 below +0; negf/absf flip/clear the sign bit;
sitofp/uitofp round to nearest even; fptosi/fptoui truncate toward zero, and a NaN, an
infinity or a value whose truncation does not fit the integer type (poison in arith) raises
`Undefined`. NaN payloads are not modelled: outputs compare any NaN equal to any NaN.
"""

from __future__ import annotations

import math

import numpy as np

from unified.fuzz.desc import (
    Aff,
    Alloc,
    Bin,
    Call,
    Cast,
    Cmp,
    Const,
    Fill,
    For,
    If,
    Kernel,
    Load,
    Select,
    Store,
    Unary,
    is_float,
    types,
    width,
)
from unified.fuzz.printer import FILL_FACTORS


class Undefined(Exception):
    """The kernel does something the MLIR spec leaves undefined."""


def mask(bits: int) -> int:
    """All ones in the low `bits` bits."""
    return (1 << bits) - 1


def signed(v: int, bits: int) -> int:
    """Bit pattern `v` as a two's complement number."""
    v &= mask(bits)
    return v - (1 << bits) if v >> (bits - 1) else v


def _div_trunc(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def binary(op: str, a: int, b: int, bits: int) -> int:
    """`arith.<op>` on bit patterns `a`, `b` of width `bits`; the result's bit pattern."""
    m = mask(bits)
    sa, sb = signed(a, bits), signed(b, bits)
    if op == "addi":
        return (a + b) & m
    if op == "subi":
        return (a - b) & m
    if op == "muli":
        return (a * b) & m
    if op == "andi":
        return a & b
    if op == "ori":
        return a | b
    if op == "xori":
        return a ^ b
    if op in ("shli", "shrsi", "shrui"):
        if b >= bits:
            raise Undefined(f"{op} by {b} on i{bits}")
        if op == "shli":
            return (a << b) & m
        return (sa >> b) & m if op == "shrsi" else a >> b
    if op in ("divui", "remui"):
        if b == 0:
            raise Undefined(f"{op} by zero")
        return a // b if op == "divui" else a % b
    if op in ("divsi", "remsi", "floordivsi", "ceildivsi"):
        if sb == 0 or (sb == -1 and sa == -(1 << (bits - 1))):
            raise Undefined(f"{op} {sa} / {sb} on i{bits}")
        q = _div_trunc(sa, sb)
        if op == "remsi":
            return (sa - sb * q) & m
        if op == "floordivsi" and q * sb != sa and (sa < 0) != (sb < 0):
            q -= 1
        if op == "ceildivsi" and q * sb != sa and (sa < 0) == (sb < 0):
            q += 1
        return q & m
    if op in ("minsi", "maxsi"):
        pick = min if op == "minsi" else max
        return pick(sa, sb) & m
    if op in ("minui", "maxui"):
        return (min if op == "minui" else max)(a, b)
    raise ValueError(f"unknown op {op}")


def compare(pred: str, a: int, b: int, bits: int) -> int:
    """`arith.cmpi <pred>`: 1 or 0; s* predicates compare signed values, u* bit patterns."""
    if pred in ("eq", "ne"):
        return int((a == b) == (pred == "eq"))
    if pred.startswith("s"):
        a, b = signed(a, bits), signed(b, bits)
    rel = pred[1:]
    return int({"lt": a < b, "le": a <= b, "gt": a > b, "ge": a >= b}[rel])


def cast(op: str, a: int, src_bits: int, dst_bits: int) -> int:
    """extsi / extui / trunci / index_cast (from a non-negative index) to `dst_bits`."""
    if op == "extsi":
        return signed(a, src_bits) & mask(dst_bits)
    if op in ("extui", "trunci", "index_cast"):
        return a & mask(dst_bits)
    raise ValueError(f"unknown cast {op}")


def to_f32(bits: int) -> np.float32:
    """The binary32 value of bit pattern `bits`."""
    return np.array(bits & 0xFFFFFFFF, dtype=np.uint32).view(np.float32)[()]


def f32_bits(value: float) -> int:
    """The bit pattern (unsigned) of `value` rounded to binary32 (exact for a float32)."""
    return int(np.array(value, dtype=np.float32).view(np.uint32))


SIGN = 0x80000000


def float_binary(op: str, a: int, b: int) -> int:
    """An f32 `arith.<op>` (addf, subf, mulf, divf, maximumf, minimumf) on bit patterns."""
    x, y = to_f32(a), to_f32(b)
    if op in ("maximumf", "minimumf"):
        if math.isnan(x) or math.isnan(y):
            return 0x7FC00000
        if x == y == 0:  # -0 < +0: the max is -0 only if both are, the min +0 only if both are
            return (a & b if op == "maximumf" else a | b) & SIGN
        return a if (x > y) == (op == "maximumf") else b
    with np.errstate(all="ignore"):
        r = {"addf": np.add, "subf": np.subtract, "mulf": np.multiply,
             "divf": np.divide}[op](x, y, dtype=np.float32)
    return f32_bits(r)


def float_unary(op: str, a: int) -> int:
    """negf (the sign bit flipped) or absf (cleared), NaNs included."""
    return a ^ SIGN if op == "negf" else a & ~SIGN & 0xFFFFFFFF


def float_compare(pred: str, a: int, b: int) -> int:
    """`arith.cmpf <pred>`: o* predicates are false, u* true when either operand is NaN."""
    x, y = to_f32(a), to_f32(b)
    if math.isnan(x) or math.isnan(y):
        return int(pred.startswith("u"))
    if pred in ("ord", "uno"):
        return int(pred == "ord")
    rel = {"eq": x == y, "gt": x > y, "ge": x >= y, "lt": x < y, "le": x <= y, "ne": x != y}
    return int(rel[pred[1:]])


def int_to_f32(n: int) -> int:
    """The bit pattern of the integer `n` rounded to binary32, nearest, ties to even."""
    if n == 0:
        return 0
    sign, m = (SIGN, -n) if n < 0 else (0, n)
    drop = max(m.bit_length() - 24, 0)
    if drop:
        q, r = m >> drop, m & ((1 << drop) - 1)
        half = 1 << (drop - 1)
        if r > half or (r == half and q & 1):
            q += 1
        m = q << drop
    # m has at most 24 significant bits: exact as a double, then exact as a float32
    return f32_bits(math.ldexp(float(m >> drop), drop)) | sign


def float_cast(op: str, a: int, src: str, dst: str) -> int:
    """sitofp/uitofp from an integer type, fptosi/fptoui to one, on bit patterns."""
    if op in ("sitofp", "uitofp"):
        bits = width(src)
        return int_to_f32(signed(a, bits) if op == "sitofp" else a & mask(bits))
    x = to_f32(a)
    bits = width(dst)
    if math.isnan(x) or math.isinf(x):
        raise Undefined(f"{op} of {x} to {dst}")
    n = math.trunc(float(x))
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if op == "fptosi" else (0, mask(bits))
    if not lo <= n <= hi:
        raise Undefined(f"{op} of {float(x)!r} to {dst} is out of range")
    return n & mask(bits)


def constant(value: float, t: str) -> int:
    """The bit pattern of a Const of type `t`."""
    return f32_bits(float(value)) if is_float(t) else int(value) & mask(width(t))


def run(kernel: Kernel, inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Runs the kernel on inputs arg0, arg1, ...; returns every memref argument after it."""
    return _Machine(kernel, inputs).run()


class _Machine:
    def __init__(self, kernel: Kernel, inputs: dict[str, np.ndarray]):
        self.kernel = kernel
        self.types = types(kernel)
        self.mem: dict[str, np.ndarray] = {}  # bit patterns as Python ints (object arrays)
        self.elem: dict[str, str] = {}
        self.written: dict[str, np.ndarray] = {}  # local buffers: elements written so far
        self.values: dict[str, int] = {}
        for k, a in enumerate(kernel.args):
            given = np.asarray(inputs[f"arg{k}"])
            if a.is_memref:
                if given.shape != a.shape:
                    raise ValueError(f"arg{k}: shape {given.shape}, the kernel needs {a.shape}")
                bits = mask(width(a.elem))
                if is_float(a.elem):
                    given = np.asarray(given, dtype=np.float32).view(np.uint32)
                flat = [int(x) & bits for x in given.reshape(-1)]
                self.mem[a.name] = np.array(flat, dtype=object).reshape(a.shape)
                self.elem[a.name] = a.elem
            else:
                self.values[a.name] = int(given) & mask(width(a.elem))

    def run(self) -> dict[str, np.ndarray]:
        self.block(self.kernel.body, {})
        out = {}
        for k, a in enumerate(self.kernel.args):
            if a.is_memref and is_float(a.elem):
                flat = [int(x) for x in self.mem[a.name].reshape(-1)]
                out[f"arg{k}"] = np.array(flat, np.uint32).view(np.float32).reshape(a.shape)
            elif a.is_memref:
                bits = width(a.elem)
                flat = [signed(int(x), bits) for x in self.mem[a.name].reshape(-1)]
                out[f"arg{k}"] = np.array(flat, dtype=f"int{bits}").reshape(a.shape)
        return out

    def index(self, mem: str, idx: list[Aff], env: dict[str, int]) -> tuple[int, ...]:
        where = tuple(e.eval(env) for e in idx)
        shape = self.mem[mem].shape
        if len(where) != len(shape) or any(not 0 <= i < n for i, n in zip(where, shape)):
            raise Undefined(f"access {mem}{list(where)} outside shape {shape}")
        return where

    def block(self, body: list, env: dict[str, int]) -> None:
        v = self.values
        for s in body:
            if isinstance(s, Const):
                v[s.res] = constant(s.value, s.type)
            elif isinstance(s, Bin) and is_float(self.types[s.a]):
                v[s.res] = float_binary(s.op, v[s.a], v[s.b])
            elif isinstance(s, Bin):
                v[s.res] = binary(s.op, v[s.a], v[s.b], width(self.types[s.a]))
            elif isinstance(s, Unary):
                v[s.res] = float_unary(s.op, v[s.a])
            elif isinstance(s, Cmp) and is_float(self.types[s.a]):
                v[s.res] = float_compare(s.pred, v[s.a], v[s.b])
            elif isinstance(s, Cmp):
                v[s.res] = compare(s.pred, v[s.a], v[s.b], width(self.types[s.a]))
            elif isinstance(s, Select):
                v[s.res] = v[s.a] if v[s.cond] & 1 else v[s.b]
            elif isinstance(s, Cast):
                if s.op == "index_cast":
                    v[s.res] = cast(s.op, env[s.a], 64, width(s.type))
                elif s.op in ("sitofp", "uitofp", "fptosi", "fptoui"):
                    v[s.res] = float_cast(s.op, v[s.a], self.types[s.a], s.type)
                else:
                    v[s.res] = cast(s.op, v[s.a], width(self.types[s.a]), width(s.type))
            elif isinstance(s, Load):
                where = self.index(s.mem, s.idx, env)
                if s.mem in self.written and not self.written[s.mem][where]:
                    raise Undefined(f"read of {s.mem}{list(where)} before any write")
                v[s.res] = self.mem[s.mem][where]
            elif isinstance(s, Store):
                where = self.index(s.mem, s.idx, env)
                self.mem[s.mem][where] = v[s.val]
                if s.mem in self.written:
                    self.written[s.mem][where] = True
            elif isinstance(s, Call):
                v[s.res] = self.call(s)
            elif isinstance(s, Alloc):
                self.mem[s.mem] = np.zeros(s.shape, dtype=object)
                self.written[s.mem] = np.zeros(s.shape, dtype=bool)
                self.elem[s.mem] = s.elem
            elif isinstance(s, Fill):
                self.fill(s.mem)
            elif isinstance(s, For):
                self.loop(s, env)
            elif isinstance(s, If):
                self.branch(s, env)
            else:
                raise TypeError(f"unknown statement {s!r}")

    def call(self, s: Call) -> int:
        helper = self.kernel.helper
        if helper is None or helper.name != s.callee:
            raise ValueError(f"no function @{s.callee}")
        for (param, _), arg in zip(helper.params, s.args):
            self.values[param] = self.values[arg]
        self.block(helper.body, {})
        return self.values[helper.ret]

    def fill(self, mem: str) -> None:
        bits = width(self.elem[mem])
        for where in np.ndindex(*self.mem[mem].shape):
            value = sum(f * i for f, i in zip(FILL_FACTORS, where)) + 1
            self.mem[mem][where] = int_to_f32(value) if is_float(self.elem[mem]) else \
                value & mask(bits)
            self.written[mem][where] = True

    def loop(self, s: For, env: dict[str, int]) -> None:
        carried = [self.values[init] for _, init in s.iters]
        for i in s.indices():
            for (arg, _), value in zip(s.iters, carried):
                self.values[arg] = value
            self.block(s.body, {**env, s.var: i})
            carried = [self.values[y] for y in s.yields]
        for res, value in zip(s.results, carried):
            self.values[res] = value

    def branch(self, s: If, env: dict[str, int]) -> None:
        if s.cond is not None:
            taken = bool(self.values[s.cond] & 1)
        else:
            taken = all(e.eval(env) >= 0 for e in s.conds)
        self.block(s.then if taken else s.else_, env)
        yields = s.then_yields if taken else s.else_yields
        for res, y in zip(s.results, yields):
            self.values[res] = self.values[y]
