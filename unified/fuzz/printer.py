"""Prints a fuzzer `Kernel` description as MLIR text (func/affine/scf/arith/math/memref)."""

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
    Helper,
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

FILL_FACTORS = (3, 4, 5)  # Fill: element = trunc((3 * i0 + 4 * i1 + 5 * i2) + 1)


def memref_type(elem: str, shape: tuple[int, ...]) -> str:
    """`memref<3x4xi32>`."""
    return f"memref<{'x'.join(map(str, shape))}x{elem}>"


def to_mlir(kernel: Kernel) -> str:
    """The kernel (and its helper) as one MLIR module's text."""
    env = types(kernel)
    mems = kernel.memrefs()
    p = _Printer(env, mems)
    if kernel.helper:
        p.helper(kernel.helper)
    args = ", ".join(f"%{a.name}: {memref_type(a.elem, a.shape or ())}" if a.is_memref
                     else f"%{a.name}: {a.elem}" for a in kernel.args)
    p.line(f"func.func @{kernel.name}({args}) {{")
    p.depth += 1
    p.block(kernel.body)
    for s in kernel.body:
        if isinstance(s, Alloc):
            p.line(f"memref.dealloc %{s.mem} : {memref_type(s.elem, s.shape)}")
    p.line("return")
    p.depth -= 1
    p.line("}")
    return "\n".join(p.lines) + "\n"


def signed(value: int, bits: int) -> int:
    """The bit pattern `value` read as a `bits`-wide two's complement number."""
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


def float_bits(value: float) -> int:
    """The binary32 bit pattern (unsigned) of an f32 constant's value."""
    return int(np.array(value, dtype=np.float32).view(np.uint32))


def _ref(name: str) -> str:
    return f"%{name}"


def aff_text(e: Aff, dims: dict[str, str] | None = None) -> str:
    """`2 * %i + %j - 1` (or with d0, d1 ... for an affine set's dims)."""
    parts: list[str] = []
    for v, c in e.terms:
        if not c:
            continue
        name = dims[v] if dims else f"%{v}"
        if not parts:  # a leading negative term as `%i * -2`
            parts.append(name if c == 1 else f"{name} * {c}")
        else:
            parts.append(f"{'-' if c < 0 else '+'} " + (name if abs(c) == 1 else f"{name} * {abs(c)}"))
    if not parts:
        return str(e.const)
    if e.const:
        parts.append(f"{'-' if e.const < 0 else '+'} {abs(e.const)}")
    return " ".join(parts)


class _Printer:
    def __init__(self, env: dict[str, str], mems: dict[str, tuple[str, tuple[int, ...]]]):
        self.env = env
        self.mems = mems
        self.lines: list[str] = []
        self.depth = 0
        self.fills = 0

    def line(self, text: str) -> None:
        self.lines.append("  " * self.depth + text)

    def helper(self, h: Helper) -> None:
        params = ", ".join(f"%{n}: {t}" for n, t in h.params)
        ret = self.env[h.ret]
        self.line(f"func.func @{h.name}({params}) -> {ret} {{")
        self.depth += 1
        self.block(h.body)
        self.line(f"return %{h.ret} : {ret}")
        self.depth -= 1
        self.line("}")

    def block(self, body: list) -> None:
        for s in body:
            self.stmt(s)

    def mem_type(self, mem: str) -> str:
        return memref_type(*self.mems[mem])

    def results(self, names: list[str]) -> str:
        if not names:
            return ""
        if len(names) == 1:
            return f"%{names[0]} = "
        return f"%{names[0].split('#')[0]}:{len(names)} = "

    def stmt(self, s: object) -> None:
        env = self.env
        if isinstance(s, Const):
            if is_float(s.type):  # the exact pattern, NaN payloads and -0 included
                self.line(f"%{s.res} = arith.constant 0x{float_bits(s.value):08X} : f32")
            elif s.type == "i1":
                self.line(f"%{s.res} = arith.constant {'true' if s.value & 1 else 'false'}")
            else:
                self.line(f"%{s.res} = arith.constant {signed(s.value, width(s.type))} : {s.type}")
        elif isinstance(s, Bin):
            self.line(f"%{s.res} = arith.{s.op} %{s.a}, %{s.b} : {env[s.a]}")
        elif isinstance(s, Unary):
            op = "math.absf" if s.op == "absf" else f"arith.{s.op}"
            self.line(f"%{s.res} = {op} %{s.a} : {env[s.a]}")
        elif isinstance(s, Cmp):
            cmp = "cmpf" if is_float(env[s.a]) else "cmpi"
            self.line(f"%{s.res} = arith.{cmp} {s.pred}, %{s.a}, %{s.b} : {env[s.a]}")
        elif isinstance(s, Select):
            self.line(f"%{s.res} = arith.select %{s.cond}, %{s.a}, %{s.b} : {env[s.a]}")
        elif isinstance(s, Cast):
            src = "index" if s.op == "index_cast" else env[s.a]
            self.line(f"%{s.res} = arith.{s.op} %{s.a} : {src} to {s.type}")
        elif isinstance(s, Load):
            idx = ", ".join(aff_text(e) for e in s.idx)
            self.line(f"%{s.res} = affine.load %{s.mem}[{idx}] : {self.mem_type(s.mem)}")
        elif isinstance(s, Store):
            idx = ", ".join(aff_text(e) for e in s.idx)
            self.line(f"affine.store %{s.val}, %{s.mem}[{idx}] : {self.mem_type(s.mem)}")
        elif isinstance(s, Call):
            ts = ", ".join(env[a] for a in s.args)
            args = ", ".join(map(_ref, s.args))
            self.line(f"%{s.res} = func.call @{s.callee}({args}) : ({ts}) -> {env[s.res]}")
        elif isinstance(s, Alloc):
            self.line(f"%{s.mem} = memref.alloc() : {memref_type(s.elem, s.shape)}")
        elif isinstance(s, Fill):
            self.fill(s)
        elif isinstance(s, For):
            self.for_(s)
        elif isinstance(s, If):
            self.if_(s)
        else:
            raise TypeError(f"unknown statement {s!r}")

    def fill(self, s: Fill) -> None:
        elem, shape = self.mems[s.mem]
        n = self.fills
        self.fills += 1
        ivs = [f"%f{n}_{k}" for k in range(len(shape))]
        for iv, extent in zip(ivs, shape):
            self.line(f"affine.for {iv} = 0 to {extent} {{")
            self.depth += 1
        dims = ", ".join(f"d{k}" for k in range(len(shape)))
        expr = " + ".join(f"d{k} * {FILL_FACTORS[k]}" for k in range(len(shape)))
        self.line(f"%f{n}_x = affine.apply affine_map<({dims}) -> ({expr} + 1)>({', '.join(ivs)})")
        if is_float(elem):  # through an i32: index_cast has no float result
            self.line(f"%f{n}_i = arith.index_cast %f{n}_x : index to i32")
            self.line(f"%f{n}_v = arith.sitofp %f{n}_i : i32 to {elem}")
        else:
            self.line(f"%f{n}_v = arith.index_cast %f{n}_x : index to {elem}")
        self.line(f"affine.store %f{n}_v, %{s.mem}[{', '.join(ivs)}] : "
                  f"{memref_type(elem, shape)}")
        for _ in shape:
            self.depth -= 1
            self.line("}")

    def yield_(self, op: str, values: list[str]) -> None:
        if values:
            self.line(f"{op} {', '.join(map(_ref, values))} : "
                      f"{', '.join(self.env[v] for v in values)}")

    def result_types(self, values: list[str]) -> str:
        return f" -> ({', '.join(self.env[v] for v in values)})" if values else ""

    def for_(self, s: For) -> None:
        head = f"{self.results(s.results)}affine.for %{s.var} = {s.lo} to {s.hi}"
        if s.step != 1:
            head += f" step {s.step}"
        if s.iters:
            head += " iter_args(" + ", ".join(f"%{a} = %{i}" for a, i in s.iters) + ")"
            head += self.result_types([i for _, i in s.iters])
        self.line(head + " {")
        self.depth += 1
        self.block(s.body)
        self.yield_("affine.yield", s.yields)
        self.depth -= 1
        self.line("}")

    def if_(self, s: If) -> None:
        op = "scf.yield"
        if s.cond is not None:
            head = f"{self.results(s.results)}scf.if %{s.cond}{self.result_types(s.then_yields)}"
        else:
            op = "affine.yield"
            used = sorted(set().union(*(e.vars() for e in s.conds)))
            dims = {v: f"d{k}" for k, v in enumerate(used)}
            conds = ", ".join(f"{aff_text(e, dims)} >= 0" for e in s.conds)
            dim_list = ", ".join(dims[v] for v in used)
            head = (f"{self.results(s.results)}affine.if affine_set<({dim_list}) : ({conds})>"
                    f"({', '.join(f'%{v}' for v in used)}){self.result_types(s.then_yields)}")
        self.line(head + " {")
        self.depth += 1
        self.block(s.then)
        self.yield_(op, s.then_yields)
        self.depth -= 1
        if s.else_ or s.else_yields:
            self.line("} else {")
            self.depth += 1
            self.block(s.else_)
            self.yield_(op, s.else_yields)
            self.depth -= 1
        self.line("}")
