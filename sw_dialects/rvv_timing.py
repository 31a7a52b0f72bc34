"""A timing model of RVV code: modelled CPU cycles of a dynamic instruction stream.

The core is SiFive's X280 as LLVM's scheduling model describes it (RISCVSchedSiFive7.td;
llvm-mca `-mcpu=sifive-x280`), with VLEN and DLEN from the platform (X280: 512 and 256):

- issue is in program order, up to two instructions a cycle: one on pipe A (memory,
  vset*), one on pipe B (branches, multiply, floating point), integer ALU on either, and
  one vector instruction a cycle into the vector command queue;
- an instruction issues when its operands are ready: a result is ready its latency after
  its producer issued. Scalar: ALU, multiply and loads 3 (ALU and branch readers get them
  2 cycles early through the bypass), float loads 2, float add/mul/FMA 5 (double 7),
  divide 27-66, vset* 3 (every vector instruction reads vl and vtype). Vector results
  chain: the first DLEN bits feed the next instruction, so the latency is fixed, 4 cycles
  for loads and integer arithmetic, 8 for floating point, widening, narrowing and
  fixed-point; results that do not chain (masks of compares, strided, indexed and segment
  loads, reductions, division) are ready after the unit's last cycle (+3). A register
  group counts as its EMUL registers;
- results are written in program order: an instruction issues no earlier than the write
  of the one before it minus its own latency (so a scalar instruction behind a vector FMA
  waits for it, as llvm-mca's in-order pipeline makes it);
- a vector instruction holds its unit (load, store or arithmetic sequencer) from the cycle
  after it issues, for: EMUL x VLEN/DLEN cycles (its group passes the DLEN-bit datapath;
  EMUL: LMUL, by EEW for memory, x2 for widening and narrowing, the register count for
  whole-register ops, 1 for element-0 moves and mask ops); one cycle an element for strided
  and indexed memory and vrgather.vv; one a segment for segment memory; reductions add a
  tree over DLEN/SEW lanes (5 cycles a level). A vector instruction issues when its unit
  is free; nothing behind it issues before it. A call takes until its last unit is done.

Element counts are VLMAX (LMUL x VLEN / SEW): vl is not in qemu's trace, so a short tail
costs a full group. Not modelled: caches and memory latency, branch misprediction, the
scalar divider's occupancy.

Agreement with llvm-mca-22 -mcpu=sifive-x280 on the executed stream of one call of every
bench build (bench/sw_rvv.py at VLEN 128, DLEN 64 against the X280's 512/256, the same
ratio; ours, clang -O3, clang at LMUL 8; gemm_64 and clang's LMUL-2 gemm are too long for
llvm-mca): model / llvm-mca from 0.89 to 1.03 over 26 streams, every one within 25%; ours
per kernel: matmul 0.94, conv2d 0.91, conv2d_64 0.91, maxpool 0.98, maxpool_64 0.98,
gemm 0.92, relu 0.95, dense 0.89, sum 0.94. (Without dependences, as the model first was,
conv2d was 0.66: a chain of load -> FMA pairs waits for each result.)
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from sw_dialects.rvv_isa import DEFAULT_VTYPE, Insn, VType, decode
from unified.core import tools

__all__ = ["Clock", "TraceTimer", "VType", "cycles", "decode", "instructions", "program"]

UNKNOWN = decode("addi zero, zero, 0")  # an instruction the disassembly does not name


class Clock:
    """Runs the model over a stream of decoded instructions: `instructions` and `cycles`."""

    def __init__(self, vlen: int, dlen: int, vtype: VType | None = None) -> None:
        self.vlen, self.dlen = vlen, dlen
        self.vtype = vtype or DEFAULT_VTYPE
        self.instructions = 0
        self.now = 0  # the cycle the last instruction issued in
        self.pipes: list[str] = []  # pipes taken in cycle `now`
        self.ready: dict[str, int] = {}  # scalar register (and "vl") -> cycle it may be read
        self.ready_fast: dict[str, int] = {}  # the same for ALU and branch readers
        self.vready = [0] * 32  # vector register -> cycle it may be read
        self.written = 0  # the write-back cycle of the last instruction
        self.free = {"load": 0, "store": 0, "arith": 0}  # the cycle each unit takes the next
        self.done = 0
        self._memo: dict[tuple[Insn, VType], tuple[int, int, int, int]] = {}

    @property
    def cycles(self) -> int:
        """Cycles from the first issue until everything so far is done."""
        return max(self.now + 1, self.done, *self.free.values())

    def timing(self, insn: Insn) -> tuple[int, int, int, int]:
        """(unit cycles, result latency, result registers, source group) under the vtype."""
        key = (insn, self.vtype)  # Insn hashes by identity; the key keeps it alive
        if key not in self._memo:
            vt = self.vtype
            self._memo[key] = (insn.unit_cycles(vt, self.vlen, self.dlen),
                               insn.result_latency(vt, self.vlen, self.dlen),
                               insn.dest_regs(vt), max(1, int(vt.lmul)))
        return self._memo[key]

    def step(self, insn: Insn) -> None:
        """Issues one instruction at the first cycle its operands, unit and pipe allow."""
        self.instructions += 1
        t = self.now
        ready = self.ready_fast if insn.fast else self.ready
        for r in insn.reads:
            t = max(t, ready.get(r, 0))
        latency = insn.latency
        if insn.unit:
            busy, latency, dest_regs, group = self.timing(insn)
            for base, role in insn.vreads:
                for v in range(base, min(32, base + (1 if role == "mask" else group))):
                    t = max(t, self.vready[v])
            t = max(t, self.free[insn.unit], self.written - latency)
        else:
            t = max(t, self.written - latency)
        if t == self.now and not self._fits(insn.pipe):
            t += 1
        if t > self.now:
            self.now, self.pipes = t, []
        self.pipes.append("B" if insn.pipe == "AB" and "A" in self.pipes else insn.pipe[0])
        self._retire(insn, t, latency)
        if insn.unit:
            self.free[insn.unit] = t + busy
            self.done = max(self.done, t + 1 + busy)
            for base in insn.vdests:
                for v in range(base, min(32, base + dest_regs)):
                    self.vready[v] = t + latency
        elif insn.sets_vtype:
            self.vtype = insn.vtype

    def _fits(self, pipe: str) -> bool:
        """Whether `pipe` can take one more instruction in cycle `now` (two issue a cycle)."""
        used = self.pipes
        if len(used) >= 2:
            return False
        return not ("A" in used and "B" in used) if pipe == "AB" else pipe not in used

    def _retire(self, insn: Insn, t: int, latency: int) -> None:
        """Records the results of `insn` issued in cycle `t`."""
        self.written = t + latency
        self.done = max(self.done, t + latency)
        for r in insn.dests:
            self.ready[r] = t + latency
            self.ready_fast[r] = t + latency - insn.bypass


def cycles(stream: Iterable[str], vlen: int, dlen: int) -> int:
    """Modelled cycles of a stream of disassembled instructions, in execution order."""
    clock = Clock(vlen, dlen)
    decoded: dict[str, Insn] = {}
    for text in stream:
        if text not in decoded:
            decoded[text] = decode(text)
        clock.step(decoded[text])
    return clock.cycles


class TraceTimer:
    """Times qemu's `-d nochain,exec` log (one line per instruction) as it arrives.

    `program` maps the PC of every instruction of the program to its decoded form (a PC it
    does not know counts as a 1-cycle ALU op). Feed the log in chunks of any size.
    """

    _PC = re.compile(rb"\[[0-9a-fA-F]+/([0-9a-fA-F]+)/")

    def __init__(self, program: dict[int, Insn], vlen: int, dlen: int) -> None:
        self.program = program
        self.clock = Clock(vlen, dlen)
        self._by_text: dict[bytes, Insn] = {}
        self._rest = b""

    def feed(self, chunk: bytes) -> None:
        """Times the complete lines of `chunk` (a partial last line waits for the next)."""
        data = self._rest + chunk
        end = data.rfind(b"\n") + 1
        self._rest = data[end:]
        step, by_text = self.clock.step, self._by_text
        for pc in self._PC.findall(data, 0, end):
            insn = by_text.get(pc)
            if insn is None:
                insn = by_text[pc] = self.program.get(int(pc, 16), UNKNOWN)
            step(insn)


# ------------------------------------------------------------------ reading the program


def program(exe: Path, objects: Iterable[Path] = ()) -> dict[int, Insn]:
    """PC -> decoded instruction, for every instruction of the linked rv64 program `exe`."""
    return {pc: decode(text) for pc, text in instructions(exe, objects).items()}


def instructions(exe: Path, objects: Iterable[Path] = ()) -> dict[int, str]:
    """PC -> disassembly of every instruction of the program `exe`.

    GNU objdump decodes RVV only in objects marked rv64gcv; in a program linked with
    rv64gc objects it prints `.4byte 0x...`. Those words are decoded through the
    disassembly of `objects` (the compiled kernels), where vector instructions, never
    relocated, carry the same words. Cached beside `exe` (a content-addressed build).
    """
    saved = exe.parent / f"{exe.name}.insns"
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
        else:
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
