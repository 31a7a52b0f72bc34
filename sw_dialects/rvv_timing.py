"""A timing model of RVV code: modelled CPU cycles of a dynamic instruction stream.

The model, for an in-order core with a decoupled vector unit whose datapath is DLEN bits
wide (SiFive's X280: VLEN 512, DLEN 256, which llvm-mca's `sifive-x280` model follows):

- instructions issue in program order, at most one a cycle;
- a scalar instruction takes 1 cycle, and so do vsetvli, vsetivli and vsetvl;
- a vector instruction occupies its unit (loads, stores, or arithmetic: three, as the
  X280's load, store and arithmetic sequencers) for max(1, EMUL × VLEN / DLEN) cycles:
  its group of EMUL registers of VLEN bits passes the datapath DLEN bits a cycle (for
  EMUL ≥ 1 this is max(1, EMUL) × VLEN/DLEN; a fractional group takes its fraction, at
  least 1 cycle). It issues when its unit is free; until then nothing behind it issues;
  the units work beside one another and beside the scalar pipeline. A call's cycles run
  until the last unit is done. `serial=True` drops the overlap (every vector instruction
  holds issue for all its cycles): an upper bound;
- EMUL is LMUL of the active vtype, with these exceptions:
  loads and stores: EEW/SEW × LMUL (indexed ones: the larger of the data and the index
  group), × NF for segment accesses; widening and narrowing ops: 2 × LMUL (their wide
  operand); whole-register loads, stores and moves (vl4re32.v, vs2r.v, vmv8r.v): the
  register count; mask-register ops (vmand.mm, vcpop.m, vlm.v), and moves between a
  scalar and element 0 (vmv.x.s, vfmv.s.f): 1;
- vtype follows the stream: vsetvli/vsetivli set the SEW and LMUL of their immediate;
  vsetvl (vtype from a register) keeps the last known one. Before the first vset*, LMUL
  is taken as 1.

Not modelled: vl (a short tail costs a whole group), data dependences (results chain
from unit to unit), element-wise strided and indexed memory, slow operations (division,
square root, reductions), caches.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from math import ceil
from pathlib import Path

from unified.core import tools


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

_UNIT_OR_STRIDED = re.compile(r"v[ls]s?(?:seg(\d))?e(\d+)(?:ff)?\.v")
_INDEXED = re.compile(r"v[ls][uo]x(?:seg(\d))?ei(\d+)\.v")
_WHOLE_REGISTER = re.compile(r"vl(\d)re\d+\.v|vs(\d)r\.v|vmv(\d)r\.v")
_ONE_REGISTER = {"vmv.x.s", "vmv.s.x", "vfmv.f.s", "vfmv.s.f", "vcpop.m",
                 "vfirst.m", "vmsbf.m", "vmsif.m", "vmsof.m", "vmmv.m", "vmnot.m", "vmclr.m",
                 "vmset.m"}
_WIDE_REDUCTIONS = ("vwredsum", "vfwredosum", "vfwredusum")


@dataclass(frozen=True)
class Rule:
    """How one static instruction is timed.

    kind: "scalar", "vset" (sets `vtype`; None: from a register) or "vector", which runs
    on `unit` ("load", "store" or "arith") and whose EMUL is `regs` when set, else
    `factor` × LMUL × (EEW/SEW when `eew`), × `nf`; `index_eew` > 0 for indexed accesses
    (data group LMUL, index group EEW/SEW × LMUL).
    """

    kind: str
    unit: str = ""
    vtype: VType | None = None
    factor: Fraction = Fraction(1)
    eew: int = 0
    index_eew: int = 0
    nf: int = 1
    regs: Fraction | None = None

    def emul(self, vt: VType) -> Fraction:
        """Registers of the widest group this instruction moves through the datapath."""
        if self.regs is not None:
            return self.regs
        emul = self.factor * vt.lmul * (Fraction(self.eew, vt.sew) if self.eew else 1)
        if self.index_eew:
            emul = max(emul, vt.lmul * Fraction(self.index_eew, vt.sew))
        return emul * self.nf


SCALAR = Rule("scalar")


def classify(insn: str) -> Rule:
    """The timing rule of one disassembled instruction ("vle32.v v8,(a0)", "add a0,a0,a1")."""
    mnemonic, operands = [*insn.split(None, 1), ""][:2]
    if not mnemonic.startswith("v"):
        return SCALAR
    if mnemonic in ("vsetvli", "vsetivli"):
        return Rule("vset", vtype=VType.parse(operands.replace(" ", "").split(",")[2:]))
    if mnemonic == "vsetvl":
        return Rule("vset")
    memory = "load" if mnemonic.startswith("vl") else "store"
    if m := _WHOLE_REGISTER.fullmatch(mnemonic):
        unit = "arith" if mnemonic.startswith("vmv") else memory
        return Rule("vector", unit, regs=Fraction(int(next(g for g in m.groups() if g))))
    if mnemonic in ("vlm.v", "vsm.v"):
        return Rule("vector", memory, regs=Fraction(1))
    if mnemonic in _ONE_REGISTER or mnemonic.endswith(".mm"):
        return Rule("vector", "arith", regs=Fraction(1))
    if m := _INDEXED.fullmatch(mnemonic):
        return Rule("vector", memory, index_eew=int(m[2]), nf=int(m[1] or 1))
    if m := _UNIT_OR_STRIDED.fullmatch(mnemonic):
        return Rule("vector", memory, eew=int(m[2]), nf=int(m[1] or 1))
    if mnemonic.startswith(("vw", "vfw", "vnsrl", "vnsra", "vnclip", "vfncvt")) and \
            not mnemonic.startswith(_WIDE_REDUCTIONS):
        return Rule("vector", "arith", factor=Fraction(2))
    return Rule("vector", "arith")


class Clock:
    """Runs the model over a stream of rules: `instructions` and `cycles` so far, and vtype."""

    def __init__(self, vlen: int, dlen: int, vtype: VType | None = None, *,
                 serial: bool = False) -> None:
        self.ratio = Fraction(vlen, dlen)
        self.vtype = vtype or DEFAULT_VTYPE
        self.serial = serial
        self.instructions = 0
        self.issue = 0  # the cycle the next instruction may issue in
        self.free = {"load": 0, "store": 0, "arith": 0}  # the cycle each unit is free from
        self._memo: dict[tuple[Rule, VType], int] = {}

    @property
    def cycles(self) -> int:
        """Cycles from the first issue until the last instruction so far is done."""
        return max(self.issue, *self.free.values())

    def cost(self, rule: Rule) -> int:
        """Cycles one instruction holds its unit under the current vtype (not counted)."""
        if rule.kind != "vector":
            return 1
        key = (rule, self.vtype)
        if key not in self._memo:
            self._memo[key] = max(1, ceil(rule.emul(self.vtype) * self.ratio))
        return self._memo[key]

    def scalars(self, n: int) -> None:
        """Issues `n` scalar instructions in a row."""
        self.instructions += n
        self.issue += n

    def step(self, rule: Rule) -> None:
        """Issues one instruction: counts it, times it, updates vtype."""
        self.instructions += 1
        if rule.kind != "vector":
            self.issue += 1
            if rule.kind == "vset" and rule.vtype is not None:
                self.vtype = rule.vtype
            return
        c = self.cost(rule)
        start = max(self.issue, self.free[rule.unit])
        self.free[rule.unit] = start + c
        self.issue = start + (c if self.serial else 1)


def cycles(stream: Iterable[str], vlen: int, dlen: int, *, serial: bool = False) -> int:
    """Modelled cycles of a stream of disassembled instructions, in execution order."""
    clock = Clock(vlen, dlen, serial=serial)
    for insn in stream:
        clock.step(classify(insn))
    return clock.cycles


class TraceTimer:
    """Times qemu's `-d nochain,exec` log (one line per instruction) as it arrives.

    `program` maps the PC of every vector instruction of the program to its rule; every
    other PC is a scalar instruction. Feed the log in chunks of any size.
    """

    _PC = re.compile(rb"\[[0-9a-fA-F]+/([0-9a-fA-F]+)/")

    def __init__(self, program: dict[int, Rule], vlen: int, dlen: int, *,
                 serial: bool = False) -> None:
        self.program = program
        self.clock = Clock(vlen, dlen, serial=serial)
        self._rest = b""

    def feed(self, chunk: bytes) -> None:
        """Times the complete lines of `chunk` (a partial last line waits for the next)."""
        data = self._rest + chunk
        end = data.rfind(b"\n") + 1
        self._rest = data[end:]
        program, clock = self.program, self.clock
        pcs = self._PC.findall(data, 0, end)
        last = -1
        for i, pc in enumerate(pcs):
            rule = program.get(int(pc, 16))
            if rule is not None:
                clock.scalars(i - last - 1)
                clock.step(rule)
                last = i
        clock.scalars(len(pcs) - last - 1)


# ------------------------------------------------------------------ reading the program


def program_rules(exe: Path, objects: Iterable[Path] = ()) -> dict[int, Rule]:
    """PC → rule for every vector instruction of the linked rv64 program `exe`."""
    return {pc: classify(text) for pc, text in vector_instructions(exe, objects).items()}


def vector_instructions(exe: Path, objects: Iterable[Path] = ()) -> dict[int, str]:
    """PC → disassembly of every vector instruction (and vset*) of the program `exe`.

    GNU objdump decodes RVV only in objects marked rv64gcv; in a program linked with
    rv64gc objects it prints `.4byte 0x...`. Those words are decoded through the
    disassembly of `objects` (the compiled kernels), where vector instructions, never
    relocated, carry the same words. Cached beside `exe` (a content-addressed build).
    """
    saved = exe.parent / f"{exe.name}.vector-insns"
    if saved.exists():
        return {int(pc, 16): text for pc, _, text in
                (line.partition("\t") for line in saved.read_text().splitlines())}
    words: dict[int, str] = {}
    for obj in objects:
        for _, word, text in _objdump(obj):
            if text.startswith("v"):
                words[word] = text
    out: dict[int, str] = {}
    for pc, word, text in _objdump(exe):
        if text.startswith((".4byte", ".word", ".insn")):
            if word in words:
                out[pc] = words[word]
            elif word & 0x7F == 0x57:  # OP-V that no kernel object names: an unknown vector op
                out[pc] = "v.unknown"
        elif text.startswith("v"):
            out[pc] = text
    with tempfile.NamedTemporaryFile("w", dir=exe.parent, delete=False) as f:
        f.write("".join(f"{pc:x}\t{text}\n" for pc, text in out.items()))
    os.replace(f.name, saved)
    return out


def _objdump(path: Path) -> list[tuple[int, int, str]]:
    """(address, instruction word, "mnemonic operands") of every instruction of `path`."""
    text = tools.run("riscv64-objdump", ["-d", "-w", str(path)]).stdout
    out = []
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) < 3 or not parts[0].rstrip().endswith(":"):
            continue
        try:
            pc, word = int(parts[0].strip()[:-1], 16), int(parts[1].strip(), 16)
        except ValueError:
            continue
        out.append((pc, word, " ".join(p.strip() for p in parts[2:] if p.strip())))
    return out
