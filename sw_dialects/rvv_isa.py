"""What the RVV timing model needs to know of one rv64gcv instruction, read from its text.

`decode("vfmacc.vf v8, fa0, v16")` gives an `Insn`: the registers it reads and writes,
the issue pipe it takes, the vector unit it occupies and how long, and its result latency.
Figures follow the SiFive 7 series (the X280) as LLVM's scheduling model describes it
(llvm/lib/Target/RISCV/RISCVSchedSiFive7.td); sw_dialects/rvv_timing.py runs them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from math import ceil, log2


@dataclass(frozen=True)
class VType:
    """The part of vtype the model needs: element width and register grouping."""

    sew: int
    lmul: Fraction

    @classmethod
    def parse(cls, fields: Iterable[str]) -> VType | None:
        """The vtype of vset* operands such as ("e32", "m8", "ta", "ma"), or None."""
        sew, lmul = None, Fraction(1)
        for f in fields:
            f = f.strip()
            if re.fullmatch(r"e\d+", f):
                sew = int(f[1:])
            elif re.fullmatch(r"mf\d", f):
                lmul = Fraction(1, int(f[2:]))
            elif re.fullmatch(r"m\d", f):
                lmul = Fraction(int(f[1:]))
        return cls(sew, lmul) if sew else None


DEFAULT_VTYPE = VType(64, Fraction(1))

# Vector timing kinds: how an instruction's unit cycles follow from its register group.
GROUP = "group"  # EMUL x VLEN / DLEN: the group passes the datapath DLEN bits a cycle
ELEMENT = "element"  # one element a cycle: strided and indexed memory, vrgather.vv
SEGMENT = "segment"  # one segment a cycle (ceil(NF x EEW / DLEN) when wider than DLEN);
# unit-stride two-field segments move at DLEN bits a cycle (GROUP over NF x EMUL)
REDUCTION = "reduction"  # the group, then a tree over DLEN/SEW lanes, 5 cycles a level
ORDERED = "ordered"  # ordered float reduction: 6 cycles an element
DIVIDE = "divide"  # iterative divide / square root: per 4 elements, 15 (e8/e16), 28, 57

_UNIT_OR_STRIDED = re.compile(r"v[ls](s?)(?:seg(\d))?e(\d+)(?:ff)?\.v")
_INDEXED = re.compile(r"v[ls][uo]x(?:seg(\d))?ei(\d+)\.v")
_WHOLE_REGISTER = re.compile(r"vl(\d)r(?:e\d+)?\.v|vs(\d)r\.v|vmv(\d)r\.v")
_TO_SCALAR = {"vmv.x.s", "vfmv.f.s", "vcpop.m", "vfirst.m"}
_ONE_REGISTER = {"vmv.s.x", "vfmv.s.f", "vmsbf.m", "vmsif.m", "vmsof.m", "vmmv.m", "vmnot.m",
                 "vmclr.m", "vmset.m", *_TO_SCALAR}
_READS_DEST = re.compile(r"v(f?w?n?m(acc|sac|add|sub)[a-z]*)\.|vslideup")
_COMPARES = re.compile(r"vm(f|s)(eq|ne|lt|le|gt|ge)u?\.")
_FIXED_POINT = ("vsadd", "vssub", "vaadd", "vasub", "vsmul", "vssrl", "vssra", "vnclip")
_SHORT_FLOAT = ("vfsgnj", "vfmin", "vfmax", "vfmerge", "vfmv", "vfclass", "vfslide1")
_WIDENING = ("vw", "vfw")
_NARROWING = ("vnsrl", "vnsra", "vnclip", "vfncvt")
_REGISTER = re.compile(r"(zero|ra|sp|gp|tp|t[0-6]|s\d+|a[0-7]|f[tsa]\d+|x\d+|f\d+|fp|v\d+)")

_SCALAR_LOADS = {"lb", "lh", "lw", "ld", "lbu", "lhu", "lwu"}
_FLOAT_LOADS = {"flh", "flw", "fld"}
_STORES = {"sb", "sh", "sw", "sd", "fsh", "fsw", "fsd"}
_BRANCHES = re.compile(r"b(eq|ne|lt|ge|gt|le)(z|u)?|beqz|bnez|j|jr|ret|tail|c\.j.*|c\.b.*")
_CALLS = {"jal", "jalr", "call", "c.jal", "c.jalr"}
# ALU results reach ALU and branch operands 2 cycles early (SiFive7AnyToGPRBypass)
_BYPASS = 2


@dataclass(frozen=True, eq=False)  # hashed by identity: the model memoizes per instruction
class Insn:
    """One static instruction as the model times it.

    pipe: "A" (memory, vset*), "B" (branches, multiply/divide, floating point), "AB" (either:
    integer ALU) or "V" (the vector command queue, one a cycle). dests/reads: scalar registers
    by name, vector operands as (first register, role) with role "vd", "vs" or "mask";
    "vl" stands for vl and vtype. Vector instructions occupy `unit` ("load", "store",
    "arith") as `timing` says, with EMUL = `regs` or `factor` x LMUL (x EEW/SEW for memory,
    x NF for segments). latency: cycles from issue until a consumer may issue; `chain`:
    a vector result chains (its first DLEN bits feed the consumer), so the latency is fixed;
    otherwise it comes after the unit's last cycle. `fast`: reads ALU results over the bypass.
    """

    mnemonic: str
    pipe: str
    dests: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()
    vdests: tuple[int, ...] = ()
    vreads: tuple[tuple[int, str], ...] = ()
    latency: int = 1
    bypass: int = 0  # cycles earlier the result reaches `fast` readers
    fast: bool = False
    unit: str = ""
    timing: str = GROUP
    factor: Fraction = Fraction(1)
    eew: int = 0
    index_eew: int = 0
    nf: int = 1
    regs: Fraction | None = None
    chain: bool = True
    vtype: VType | None = None  # set by vsetvli / vsetivli
    sets_vtype: bool = False
    narrow_dest: bool = False  # the result group is LMUL (narrowing) or one register
    one_dest: bool = False

    @property
    def vector(self) -> bool:
        return bool(self.unit)

    def emul(self, vt: VType) -> Fraction:
        """Registers of the widest group this instruction moves through the datapath."""
        if self.regs is not None:
            return self.regs
        emul = self.factor * vt.lmul * (Fraction(self.eew, vt.sew) if self.eew else 1)
        if self.index_eew:
            emul = max(emul, vt.lmul * Fraction(self.index_eew, vt.sew))
        return emul * self.nf

    def unit_cycles(self, vt: VType, vlen: int, dlen: int) -> int:
        """Cycles the instruction holds its unit under vtype `vt`."""
        emul = self.emul(vt)
        group = max(1, ceil(emul * Fraction(vlen, dlen)))
        elements = max(1, int(vt.lmul * vlen) // vt.sew)  # VLMAX: vl is not in the trace
        if self.timing == ELEMENT:
            return elements
        if self.timing == SEGMENT:
            return elements * ceil(self.nf * (self.eew or vt.sew) / dlen)
        if self.timing == REDUCTION:
            return group + 5 * (4 + int(log2(max(1, dlen // vt.sew))))
        if self.timing == ORDERED:
            return 6 * elements
        if self.timing == DIVIDE:
            return {8: 15, 16: 15, 32: 28}.get(vt.sew, 57) * max(1, elements // 4)
        return group

    def result_latency(self, vt: VType, vlen: int, dlen: int) -> int:
        """Cycles from issue until a dependent instruction may issue."""
        if self.chain:
            return self.latency
        return self.latency + self.unit_cycles(vt, vlen, dlen)

    def dest_regs(self, vt: VType) -> int:
        """Vector registers the result group spans."""
        if self.one_dest:
            return 1
        if self.regs is not None:
            return int(self.regs)
        group = vt.lmul if self.narrow_dest else self.emul(vt)
        return max(1, int(group))


def decode(text: str) -> Insn:
    """The timing facts of one disassembled instruction ("vle32.v v8,(a0)", "add a0,a0,a1")."""
    mnemonic, operands = [*text.split(None, 1), ""][:2]
    ops = [o.strip() for o in operands.split(",")] if operands else []
    if mnemonic.startswith("v"):
        return _vector(mnemonic, ops)
    return _scalar(mnemonic, ops)


def _registers(ops: Iterable[str]) -> tuple[str, ...]:
    """Scalar registers named in `ops` (memory operands "8(a0)" give their base)."""
    out = []
    for op in ops:
        inner = op[op.index("(") + 1:op.rindex(")")] if "(" in op else op
        if _REGISTER.fullmatch(inner) and inner != "zero" and not inner.startswith("v"):
            out.append(inner)
    return tuple(out)


def _scalar(mnemonic: str, ops: list[str]) -> Insn:
    """A scalar instruction: its pipe, latency and the bypass its readers get."""
    m = mnemonic.removeprefix("c.")
    if m in _STORES:
        return Insn(m, "A", reads=_registers(ops))
    if m in _SCALAR_LOADS:
        return Insn(m, "A", _registers(ops[:1]), _registers(ops[1:]), latency=3, bypass=_BYPASS)
    if m in _FLOAT_LOADS:
        return Insn(m, "A", _registers(ops[:1]), _registers(ops[1:]), latency=2)
    if m in _CALLS:
        dest = _registers(ops[:1]) if len(ops) > 1 else ("ra",)
        return Insn(m, "B", dest, _registers(ops[1:] if len(ops) > 1 else ops), latency=3,
                    fast=True)
    if _BRANCHES.fullmatch(m):
        return Insn(m, "B", reads=_registers(ops), latency=3, fast=True)
    dest, reads = _registers(ops[:1]), _registers(ops[1:])
    if m.startswith(("mul", "div", "rem")):
        slow = {"w": 34}.get(m[-1], 66) if m.startswith(("div", "rem")) else 3
        return Insn(m, "B", dest, reads, latency=slow, bypass=_BYPASS)
    if m.startswith("f") and not m.startswith("fence"):
        return Insn(m, "B", dest, reads, latency=_float_latency(m))
    if m.startswith("csr") or m in ("nop", "fence", "ecall", "ebreak"):
        return Insn(m, "B", dest, reads, latency=3 if "vlenb" in ops else 1)
    return Insn(m, "AB", dest, reads, latency=3, bypass=_BYPASS, fast=True)


def _float_latency(m: str) -> int:
    """Scalar floating point: add/mul/FMA 5 (double 7), divide/sqrt 27 (56), the rest 3."""
    double = m.endswith(".d")
    if m.startswith(("fdiv", "fsqrt")):
        return 56 if double else 27
    if m.startswith(("fadd", "fsub", "fmul", "fmadd", "fmsub", "fnmadd", "fnmsub")):
        return 7 if double else 5
    return 3


def _vector_operands(mnemonic: str, ops: list[str], dest: bool) -> tuple[
        tuple[str, ...], tuple[str, ...], tuple[int, ...], tuple[tuple[int, str], ...]]:
    """(scalar dests, scalar reads, vector dests, vector reads) of a vector instruction."""
    first, rest = (ops[:1], ops[1:]) if dest else ([], ops)
    vdests = tuple(int(o[1:]) for o in first if re.fullmatch(r"v\d+", o))
    sdests = _registers(first) if not vdests else ()
    vreads: list[tuple[int, str]] = []
    for o in rest:
        if o == "v0.t":
            vreads.append((0, "mask"))
        elif re.fullmatch(r"v\d+", o):
            vreads.append((int(o[1:]), "vs"))
    if dest and vdests and _READS_DEST.match(mnemonic):
        vreads.append((vdests[0], "vd"))
    return sdests, ("vl", *_registers(rest)), vdests, tuple(vreads)


def _vector(m: str, ops: list[str]) -> Insn:
    """A vector instruction: its unit, its cycles there, its latency and its operands."""
    if m in ("vsetvli", "vsetivli", "vsetvl"):
        vtype = VType.parse(ops[2:]) if m != "vsetvl" else None
        return Insn(m, "A", (*_registers(ops[:1]), "vl"), _registers(ops[1:2 if vtype else 3]),
                    latency=3, vtype=vtype, sets_vtype=vtype is not None)
    store = m.startswith("vs") and (_UNIT_OR_STRIDED.fullmatch(m) or _INDEXED.fullmatch(m)
                                    or _WHOLE_REGISTER.fullmatch(m) or m == "vsm.v")
    sd, sr, vd, vr = _vector_operands(m, ops, dest=not store)
    memory = "store" if store else "load"
    base = {"mnemonic": m, "pipe": "V", "dests": sd, "reads": sr, "vdests": vd, "vreads": vr}
    load_latency = 1 if store else 4
    if w := _WHOLE_REGISTER.fullmatch(m):
        regs = Fraction(int(next(g for g in w.groups() if g)))
        return Insn(**base, unit="arith" if m.startswith("vmv") else memory, regs=regs,
                    latency=load_latency if not m.startswith("vmv") else 4)
    if m in ("vlm.v", "vsm.v"):
        return Insn(**base, unit=memory, regs=Fraction(1), latency=load_latency)
    if x := _INDEXED.fullmatch(m):
        nf = int(x[1] or 1)
        return Insn(**base, unit=memory, timing=SEGMENT if nf > 1 else ELEMENT,
                    index_eew=int(x[2]), nf=nf, latency=3 if not store else 1, chain=store)
    if u := _UNIT_OR_STRIDED.fullmatch(m):
        strided, nf, eew = u[1] == "s", int(u[2] or 1), int(u[3])
        zero_stride = strided and len(ops) > 2 and ops[2] == "zero"
        # unit-stride pairs move at the datapath's rate, wider or strided segments one a cycle
        timing = (SEGMENT if nf > 2 or nf == 2 and strided else GROUP if nf == 2
                  else ELEMENT if strided and not zero_stride else GROUP)
        chained = nf == 1 and timing == GROUP or store
        return Insn(**base, unit=memory, timing=timing, eew=eew, nf=nf, chain=chained,
                    latency=load_latency if chained else 3)
    return _arithmetic(m, base)


def _arithmetic(m: str, base: dict) -> Insn:
    """Vector arithmetic, permutation and mask instructions on the arithmetic unit."""
    if m in _ONE_REGISTER or m.endswith(".mm"):
        return Insn(**base, unit="arith", regs=Fraction(1), latency=4, one_dest=True)
    if m.startswith(("vred", "vwred", "vfred", "vfwred")):
        timing = ORDERED if "osum" in m else REDUCTION
        return Insn(**base, unit="arith", timing=timing, latency=0, chain=False, one_dest=True)
    if m.startswith(("vdiv", "vrem", "vfdiv", "vfrdiv", "vfsqrt")):
        return Insn(**base, unit="arith", timing=DIVIDE, latency=0, chain=False)
    if _COMPARES.match(m) or m.startswith(("vmadc", "vmsbc")):  # mask results do not chain
        return Insn(**base, unit="arith", latency=3, chain=False, one_dest=True)
    if m.startswith(("vrgather.vv", "vrgatherei16", "vcompress")):
        return Insn(**base, unit="arith", timing=ELEMENT, latency=3, chain=False)
    if m.startswith(_NARROWING):
        return Insn(**base, unit="arith", factor=Fraction(2), latency=8, narrow_dest=True)
    if m.startswith(_WIDENING):
        return Insn(**base, unit="arith", factor=Fraction(2), latency=8)
    slow = m.startswith(_FIXED_POINT) or m.startswith("vf") and not m.startswith(_SHORT_FLOAT)
    return Insn(**base, unit="arith", latency=8 if slow else 4)
