"""The RVV timing model: unit cycles, dependences and issue on hand-written streams, its
agreement with llvm-mca's X280 model, qemu traces, and `sim --target rvv` with --dlen."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from sw_suite import EXAMPLES

from sw_dialects import rvv_timing
from sw_dialects.rvv_timing import Clock, TraceTimer, VType, cycles, decode
from unified.core import source, tools
from unified.core.platform import Platform

INPUTS = Path(__file__).parent / "inputs"

# VLEN 128, DLEN 64: a register takes 2 cycles. (instruction, its unit, cycles it holds it)
UNIT_CYCLES = [
    ("vsetvli a0, a1, e32, m4, ta, ma", "", 0),
    ("vle32.v v8, (a0)", "load", 8),  # EMUL = LMUL 4
    ("vle8.v v4, (a1)", "load", 2),  # EMUL = 8/32 x 4 = 1
    ("vfwmacc.vf v16, fa0, v8", "arith", 16),  # widening: 2 x LMUL
    ("vl2re32.v v2, (a2)", "load", 4),  # whole registers: 2
    ("vl8r.v v8, (a2)", "load", 16),  # llvm-objdump's spelling of vl8re8.v
    ("vmv.x.s a0, v8", "arith", 2),  # element 0 only: one register
    ("vlse32.v v8, (a0), a1", "load", 16),  # strided: one element a cycle, 4 x 128 / 32
    ("vlse32.v v8, (a0), zero", "load", 8),  # stride 0: one element read, a group's cycles
    ("vlseg2e32.v v8, (a0)", "load", 16),  # segments: one a cycle (2 x 32 bits fit DLEN)
    ("vsetivli zero, 4, e16, mf2, ta, ma", "", 0),
    ("vadd.vv v1, v2, v3", "arith", 1),  # LMUL 1/2: half the datapath, at least 1 cycle
    ("vnsrl.wi v1, v2, 0", "arith", 2),  # narrowing: its wide source, 2 x 1/2
    ("vse16.v v1, (a0)", "store", 1),
    ("vsetvli zero, a0, e32, m8, ta, ma", "", 0),
    ("vredsum.vs v8, v8, v16", "arith", 16 + 5 * (4 + 1)),  # a tree over DLEN/SEW = 2 lanes
    ("add a0, a0, a1", "", 0),
]


def test_each_vector_instruction_holds_its_unit_for_its_group_elements_or_segments() -> None:
    clock = Clock(128, 64)
    for text, unit, want in UNIT_CYCLES:
        insn = decode(text)
        assert insn.unit == unit, text
        if unit:
            assert clock.timing(insn)[0] == want, text
        clock.step(insn)
    assert clock.vtype == VType(32, Fraction(8)) and clock.instructions == len(UNIT_CYCLES)


def _issues(stream: list[str]) -> tuple[list[int], int]:
    """The cycle each instruction of `stream` issues in, and the stream's cycles."""
    clock, out = Clock(128, 64), []
    for text in stream:
        clock.step(decode(text))
        out.append(clock.now)
    return out, clock.cycles


def test_a_result_chains_after_its_latency_and_vl_after_vsetvli() -> None:
    setvl = "vsetvli zero, a0, e32, m4, ta, ma"
    # the load reads vl 3 cycles after vsetvli; the FMA takes the load's first DLEN bits 4
    # cycles after it issued, then holds the arithmetic unit 8 cycles (done one later)
    assert _issues([setvl, "vle32.v v8, (a1)", "vfmacc.vf v16, fa0, v8"]) == ([0, 3, 7], 16)
    # an independent FMA issues the next cycle (one vector instruction a cycle)
    assert _issues([setvl, "vle32.v v8, (a1)", "vfmacc.vf v16, fa0, v24"]) == ([0, 3, 4], 13)
    # a segment load does not chain: its user waits for its 16 cycles, and 3 more
    assert _issues([setvl, "vlseg2e32.v v8, (a0)", "vfmax.vv v8, v8, v12"])[0] == [0, 3, 22]
    # one unit takes one instruction at a time: the second add waits 16 cycles
    assert _issues(["vsetvli zero, a0, e32, m8, ta, ma", "vadd.vv v8, v8, v8",
                    "vadd.vv v16, v16, v16"])[0] == [0, 3, 19]


def test_results_are_written_in_program_order() -> None:
    # the ALU op (latency 3) behind a float add (8) issues when its write comes after the add's
    assert _issues(["vsetvli zero, a0, e32, m4, ta, ma", "vfadd.vv v8, v16, v24",
                    "addi a0, a0, 1"])[0] == [0, 3, 8]


def test_scalar_instructions_dual_issue_and_bypass_to_the_alu() -> None:
    assert _issues(["addi a0, a0, 1", "addi a1, a1, 1", "addi a2, a2, 1", "addi a3, a3, 1"]
                   )[0] == [0, 0, 1, 1]
    assert _issues(["addi a0, a0, 1"] * 4)[0] == [0, 1, 2, 3]  # ALU -> ALU: 1 cycle
    assert _issues(["ld a0, 0(a1)", "ld a2, 0(a0)"])[0] == [0, 3]  # load -> address: 3


# Hot loops of bench kernels as our flow and clang emit them (llvm-objdump text).
def _conv_tap(k: int) -> list[str]:
    """Tap k of our conv2d's unrolled 3x3 window: an address, a load, an FMA into the sum."""
    dest, previous = (12, 16) if k % 2 == 0 else (16, 12)
    return [f"addi a5, a2, {4 * k}", f"vle32.v v{dest}, (a5)",
            f"vfmadd.vf v{dest}, fa{k % 6}, v{8 if k == 0 else previous}"]


CONV_PAIRS = ["vsetivli zero, 0x10, e32, m4, ta, ma", "vmv.v.i v8, 0x0",
              *(line for k in range(9) for line in _conv_tap(k)), "vse32.v v12, (a0)"]
MAXPOOL = ["vsetivli zero, 0x10, e32, m4, ta, ma"] + 4 * [
    "vlseg2e32.v v8, (a0)", "addi a3, a0, 0x100", "vfmax.vv v8, v8, v12", "vlseg2e32.v v12, (a3)",
    "addi a3, a1, -0x1c0", "vfmax.vv v12, v12, v16", "vfmax.vv v8, v8, v12", "vse32.v v8, (a3)",
    "addi a0, a0, 0x80"]
SUM = ["li a3, 0x20", "vsetvli zero, a3, e32, m8, ta, ma", "vmv.v.i v8, 0x0"] + 8 * [
    "vle32.v v16, (a2)", "addi a2, a2, 0x80", "vadd.vv v8, v16, v8", "bne a2, a1, ."] + [
    "vmv.s.x v16, zero", "vredsum.vs v8, v8, v16", "vsetivli zero, 0x1, e32, m1, ta, ma",
    "vse32.v v8, (a0)"]
CLANG_LMUL2 = ["vsetvli a4, zero, e32, m2, ta, ma"] + 6 * [
    "slli a5, a2, 0x2", "add a5, a5, a3", "vle32.v v16, (a5)", "vle32.v v18, (a6)",
    "vfmacc.vv v16, v18, v20", "vse32.v v16, (a5)", "add a2, a2, a4", "bnez a1, ."]


@pytest.mark.parametrize("stream", [CONV_PAIRS, MAXPOOL, SUM, CLANG_LMUL2],
                         ids=["conv2d", "maxpool", "sum", "clang-lmul2"])
def test_the_model_agrees_with_llvm_mca_x280(stream: list[str],
                                             require_tool: Callable[[str], str]) -> None:
    """Within 25% of llvm-mca -mcpu=sifive-x280 (VLEN 512, DLEN 256: the same VLEN/DLEN
    ratio as 128/64; element and segment counts scale with VLEN, so those use 512)."""
    require_tool("llvm-mca")
    proc = tools.run("llvm-mca", ["-mtriple=riscv64", "-mcpu=sifive-x280", "-iterations=1"],
                     stdin="\n".join(stream) + "\n")
    mca = int(re.search(r"Total Cycles:\s+(\d+)", proc.stdout)[1])
    model = cycles(stream, 512, 256)
    assert 0.75 <= model / mca <= 1.25, (model, mca)


def _trace(pcs: list[int]) -> bytes:
    """qemu 7.2's `-d nochain,exec` lines for one instruction per block at these PCs."""
    return b"".join(f"Trace 0: 0x7f0000{i:06x} [0000000000000000/{pc:016x}/00207600/00000201] "
                    f"k\n".encode() for i, pc in enumerate(pcs))


def test_trace_timer_reads_qemu_lines_in_any_chunks() -> None:
    """The PCs of a qemu log, looked up in the program, time the same as the instruction
    texts; a chunk may end inside a line."""
    texts = [text for text, _, _ in UNIT_CYCLES] + CONV_PAIRS
    program = {0x1000 + 4 * i: decode(text) for i, text in enumerate(texts)}
    log = _trace(list(program))
    timer = TraceTimer(program, 128, 64)
    for start in range(0, len(log), 37):
        timer.feed(log[start:start + 37])
    assert timer.clock.instructions == len(texts)
    assert timer.clock.cycles == cycles(texts, 128, 64)


def test_platform_dlen_defaults_to_half_vlen_and_flags_win() -> None:
    assert Platform().dlen == 64 and Platform(vlen=512).dlen == 256
    assert Platform.from_dict({"vlen": 256, "dlen": 256}).dlen == 256
    wide = Platform(vlen=128, dlen=128)
    assert wide.vector_unit() == (128, 128)  # the platform's own
    assert wide.vector_unit(256) == (256, 128)  # another VLEN: VLEN/2
    assert wide.vector_unit(0, 64) == (128, 64)  # --dlen wins
    with pytest.raises(Exception, match=r"DLEN 48 does not fit VLEN 128"):
        wide.vector_unit(0, 48)


def test_program_instructions_are_decoded(require_tool: Callable[[str], str]) -> None:
    """GNU objdump prints `.4byte` for RVV in the linked program; the kernel object names them."""
    require_tool("riscv64-gcc")
    from unified import sw_run

    src = source.read(EXAMPLES / "vadd_i32.mlir")
    exe = sw_run.riscv_program(src.text, src.function("vadd_i32"), vlen=128)
    insns = rvv_timing.instructions(exe, [exe.parent / "kernel.o"])
    mnemonics = {text.split()[0] for text in insns.values()}
    assert {"vle32.v", "vadd.vv", "vse32.v", "ld", "ret"} <= mnemonics, mnemonics
    assert any(t.startswith("vsetvli") and t.endswith("e32,m8,ta,ma") for t in insns.values())
    assert "v.unknown" not in mnemonics


def _sim(run_script: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path,
         mlir: Path, *flags: str) -> dict:
    rng = np.random.default_rng(5)
    a, b = (rng.integers(-9, 9, 100).astype(np.int32) for _ in range(2))
    np.savez(tmp_path / "in.npz", arg0=a, arg1=b, arg2=np.zeros(100, np.int32))
    proc = run_script("unified", "sim", mlir, "--func", "vadd_i32", "--target", "rvv",
                      "--inputs", tmp_path / "in.npz", "--outputs", tmp_path / "out.npz",
                      "--report", tmp_path / "r.json", *flags)
    assert proc.returncode == 0, proc.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    assert f"cycles={report['cycles']}" in proc.stderr
    np.testing.assert_array_equal(np.load(tmp_path / "out.npz")["arg2"], a + b)
    return report


def test_sim_rvv_reports_modelled_cycles_at_the_flags_or_platform_dlen(
        tmp_path: Path, require_tool: Callable[[str], str],
        run_script: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    """`unified sim --target rvv`: cycles beside instructions at DLEN = VLEN/2 by default;
    --dlen 128 (or a platform saying dlen = 128) gives the same instructions in fewer cycles."""
    require_tool("qemu-riscv64")
    require_tool("riscv64-gcc")
    vadd = EXAMPLES / "vadd_i32.mlir"
    narrow = _sim(run_script, tmp_path, vadd)
    wide = _sim(run_script, tmp_path, vadd, "--dlen", "128")
    platform = _sim(run_script, tmp_path, INPUTS / "vadd_wide_datapath.mlir")
    wider_vlen = _sim(run_script, tmp_path, vadd, "--vlen", "256")
    assert (narrow["vlen"], narrow["dlen"]) == (128, 64)
    assert (wide["dlen"], platform["dlen"], wider_vlen["dlen"]) == (128, 128, 128)
    assert wide["instructions"] == narrow["instructions"] == platform["instructions"]
    assert wide["instructions"] < wide["cycles"] == platform["cycles"] < narrow["cycles"]


def test_sim_rvv_refuses_a_dlen_wider_than_vlen(
        tmp_path: Path, run_script: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    np.savez(tmp_path / "in.npz", arg0=np.zeros(100, np.int32), arg1=np.zeros(100, np.int32),
             arg2=np.zeros(100, np.int32))
    proc = run_script("unified", "sim", EXAMPLES / "vadd_i32.mlir", "--func", "vadd_i32",
                      "--target", "rvv", "--inputs", tmp_path / "in.npz", "--dlen", "256")
    assert proc.returncode == 1
    assert re.fullmatch(r"error: DLEN 256 does not fit VLEN 128: .* — pass --dlen 64 .*\n",
                        proc.stderr), proc.stderr
