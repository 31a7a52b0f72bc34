"""An independent interpreter of fuzzer kernels: Python integers wrapped per type.

Values are kept as unsigned bit patterns of their type's width; each op follows the MLIR
arith spec: divsi/remsi truncate toward zero (the remainder takes the dividend's sign),
floordivsi/ceildivsi round down/up, shrsi is arithmetic and shrui logical on the bit
pattern, unsigned predicates compare bit patterns, trunci keeps the low bits, extui
zero-extends and extsi sign-extends. What the spec leaves undefined (division by zero,
signed INT_MIN / -1, a shift by the width or more, an out-of-bounds access, a read of a
local buffer before any write) raises `Undefined`.
"""

from __future__ import annotations

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
                flat = [int(x) & bits for x in given.reshape(-1)]
                self.mem[a.name] = np.array(flat, dtype=object).reshape(a.shape)
                self.elem[a.name] = a.elem
            else:
                self.values[a.name] = int(given) & mask(width(a.elem))

    def run(self) -> dict[str, np.ndarray]:
        self.block(self.kernel.body, {})
        out = {}
        for k, a in enumerate(self.kernel.args):
            if a.is_memref:
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
                v[s.res] = s.value & mask(width(s.type))
            elif isinstance(s, Bin):
                v[s.res] = binary(s.op, v[s.a], v[s.b], width(self.types[s.a]))
            elif isinstance(s, Cmp):
                v[s.res] = compare(s.pred, v[s.a], v[s.b], width(self.types[s.a]))
            elif isinstance(s, Select):
                v[s.res] = v[s.a] if v[s.cond] & 1 else v[s.b]
            elif isinstance(s, Cast):
                if s.op == "index_cast":
                    v[s.res] = cast(s.op, env[s.a], 64, width(s.type))
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
            self.mem[mem][where] = value & mask(bits)
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
