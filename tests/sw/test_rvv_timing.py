"""The RVV timing model: cycles of hand-written instruction streams, of qemu traces, of `sim`."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import numpy as np
from sw_suite import EXAMPLES

from sw_dialects import rvv_timing
from sw_dialects.rvv_timing import Clock, TraceTimer, VType, classify, cycles
from unified.core import source
from unified.core.platform import Platform

# VLEN 128, DLEN 64: a register takes 2 cycles. (instruction, its unit, cycles it holds it)
STREAM = [
    ("vsetvli a0, a1, e32, m4, ta, ma", "", 1),
    ("vle32.v v8, (a0)", "load", 8),  # EMUL = LMUL 4
    ("vle8.v v4, (a1)", "load", 2),  # EMUL = 8/32 x 4 = 1
    ("vfwmacc.vf v16, fa0, v8", "arith", 16),  # widening: 2 x LMUL
    ("vl2re32.v v2, (a2)", "load", 4),  # whole registers: 2
    ("vmv.x.s a0, v8", "arith", 2),  # element 0 only: one register
    ("vsetivli zero, 4, e16, mf2, ta, ma", "", 1),
    ("vadd.vv v1, v2, v3", "arith", 1),  # LMUL 1/2: half the datapath, at least 1 cycle
    ("vnsrl.wi v1, v2, 0", "arith", 2),  # narrowing: its wide source, 2 x 1/2
    ("vlseg2e16.v v4, (a0)", "load", 2),  # two fields of EMUL 1/2
    ("vse16.v v1, (a0)", "store", 1),
    ("add a0, a0, a1", "", 1),
]


def test_each_instruction_holds_its_unit_for_emul_times_vlen_over_dlen() -> None:
    clock = Clock(128, 64)
    for insn, unit, want in STREAM:
        rule = classify(insn)
        assert (rule.unit, clock.cost(rule)) == (unit, want), insn
        clock.step(rule)
    assert clock.vtype == VType(16, Fraction(1, 2)) and clock.instructions == len(STREAM)


def test_serial_cycles_are_the_sum_and_units_overlap_otherwise() -> None:
    texts = [insn for insn, _, _ in STREAM]
    assert cycles(texts, 128, 64, serial=True) == sum(c for _, _, c in STREAM) == 41
    # overlapped: the second load waits for the first (load unit busy until 9), the widening
    # FMA then runs 10..26 beside the next load; vmv.x.s waits for the arithmetic unit (26),
    # everything after it issues a cycle apart; the scalar add issues last, in cycle 32.
    assert cycles(texts, 128, 64) == 33
    # a datapath as wide as a register halves every vector cost
    assert cycles(texts, 128, 128, serial=True) == 41 - sum(c - max(1, c // 2)
                                                            for _, u, c in STREAM if u)


def test_vtype_before_any_vsetvli_and_from_a_register() -> None:
    # LMUL 1 until the first vset*; vsetvl (vtype in a register) keeps the last one
    assert cycles(["vadd.vv v1, v2, v3"], 256, 128, serial=True) == 2
    stream = ["vsetvli zero, a0, e32, m8, ta, ma", "vsetvl zero, a0, a1", "vadd.vv v8, v16, v24"]
    assert cycles(stream, 256, 128, serial=True) == 1 + 1 + 16


def _trace(pcs: list[int]) -> bytes:
    """qemu 7.2's `-d nochain,exec` lines for one instruction per block at these PCs."""
    return b"".join(f"Trace 0: 0x7f0000{i:06x} [0000000000000000/{pc:016x}/00207600/00000201] "
                    f"k\n".encode() for i, pc in enumerate(pcs))


def test_trace_timer_reads_qemu_lines_in_any_chunks() -> None:
    """The PCs of a qemu log, looked up in the program's vector instructions (others are
    scalar), time the same as the instruction texts; a chunk may end inside a line."""
    program = {0x1000 + 4 * i: classify(insn) for i, (insn, unit, _) in enumerate(STREAM)
               if not insn.startswith("add")}
    pcs = [0x1000 + 4 * i for i in range(len(STREAM))]
    log = _trace(pcs)
    timer = TraceTimer(program, 128, 64)
    for start in range(0, len(log), 37):
        timer.feed(log[start:start + 37])
    assert timer.clock.instructions == len(STREAM)
    assert timer.clock.cycles == cycles([insn for insn, _, _ in STREAM], 128, 64)


def test_platform_dlen_defaults_to_half_vlen() -> None:
    assert Platform().dlen == 64 and Platform(vlen=512).dlen == 256
    assert Platform.from_dict({"vlen": 256, "dlen": 256}).dlen == 256


def test_program_vector_instructions_are_decoded(require_tool: Callable[[str], str]) -> None:
    """GNU objdump prints `.4byte` for RVV in the linked program; the kernel object names them."""
    require_tool("riscv64-gcc")
    from unified import sw_run

    src = source.read(EXAMPLES / "vadd_i32.mlir")
    exe = sw_run.riscv_program(src.text, src.function("vadd_i32"), vlen=128)
    insns = rvv_timing.vector_instructions(exe, [exe.parent / "kernel.o"])
    mnemonics = {text.split()[0] for text in insns.values()}
    assert {"vle32.v", "vadd.vv", "vse32.v"} <= mnemonics, insns
    assert any(t.startswith("vsetvli") and t.endswith("e32,m8,ta,ma") for t in insns.values())
    assert "v.unknown" not in mnemonics


def test_sim_rvv_reports_modelled_cycles(tmp_path: Path, require_tool: Callable[[str], str],
                                         run_script: Callable[..., subprocess.CompletedProcess[str]]
                                         ) -> None:
    """`unified sim --target rvv` of a vector kernel: cycles beside instructions, more of
    them than instructions (LMUL 8 groups take 16 cycles at DLEN = VLEN/2), and dlen."""
    require_tool("qemu-riscv64")
    require_tool("riscv64-gcc")
    rng = np.random.default_rng(5)
    a, b = (rng.integers(-9, 9, 100).astype(np.int32) for _ in range(2))
    np.savez(tmp_path / "in.npz", arg0=a, arg1=b, arg2=np.zeros(100, np.int32))
    reports = {}
    for vlen in (128, 256):
        proc = run_script("unified", "sim", EXAMPLES / "vadd_i32.mlir", "--func", "vadd_i32",
                          "--target", "rvv", "--vlen", str(vlen), "--inputs", tmp_path / "in.npz",
                          "--report", tmp_path / "r.json")
        assert proc.returncode == 0, proc.stderr
        reports[vlen] = json.loads((tmp_path / "r.json").read_text())
        assert f"cycles={reports[vlen]['cycles']}" in proc.stderr
    for vlen, r in reports.items():
        assert r["vlen"] == vlen and r["dlen"] == vlen // 2
        assert r["cycles"] > r["instructions"] > 10, r


def test_a_wider_datapath_takes_fewer_cycles(require_tool: Callable[[str], str]) -> None:
    require_tool("qemu-riscv64")
    from unified.sw_run import simulate

    src = source.read(EXAMPLES / "vadd_i32.mlir")
    inputs = {"arg0": np.arange(100, dtype=np.int32), "arg1": np.ones(100, np.int32),
              "arg2": np.zeros(100, np.int32)}
    narrow = simulate(src, "vadd_i32", inputs, target="rvv").report
    wide = simulate(src, "vadd_i32", inputs, target="rvv", dlen=128).report
    assert narrow["dlen"] == 64 and wide["dlen"] == 128
    assert wide["instructions"] == narrow["instructions"]
    assert wide["instructions"] < wide["cycles"] < narrow["cycles"], (wide, narrow)
