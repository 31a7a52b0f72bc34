"""Software-path benchmark: dynamic instructions and modelled cycles under qemu, host time.

    .venv/bin/python bench/sw_rvv.py [--vlen 128] [--json out.json] [--no-host]

For each kernel of bench/sw_kernels (matmul, conv2d, ReLU, dense, a reduction) it counts the
instructions of ONE kernel call under qemu-riscv64 (the difference between a run calling
the kernel 1+k times and one calling it once, divided by k) for three builds of the same
kernel: our RVV code (MLIR vectorizer + LLVM, rv64gcv), our flow built scalar (rv64gc), and
the equivalent plain C compiled by clang -O3 --target=riscv64-linux-gnu -march=rv64gcv.
Every build's outputs are checked against numpy.

Then it checks the RVV timing model (sw_dialects/rvv_timing.py) against llvm-mca: the
instructions one call of our RVV build executes, in order (qemu's exec trace mapped to
llvm-objdump's disassembly), are timed by the model (DLEN = VLEN/2) and by
`llvm-mca -mtriple=riscv64 -mcpu=sifive-x280 -iterations=1` (X280: VLEN 512, DLEN 256, the
same VLEN/DLEN), and the ratio printed, for the model and for its serial bound (no overlap
of the vector units). Last, it times f32 matmul on the host.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Our kernel runs on one thread; so does numpy's BLAS here (on a loaded 2-core machine a
# threaded BLAS measures the other processes, not the matmul).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sw_dialects import rvv_timing
from sw_dialects.harness import harness
from unified import sw_run as run
from unified.core import cache, source, tools
from unified.core.errors import ToolNotFound

KERNELS = ROOT / "bench" / "sw_kernels"


def _inputs(name: str, rng: np.random.Generator) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    f = lambda *s: rng.standard_normal(s).astype(np.float32)
    if name == "matmul":
        i = {"arg0": f(32, 32), "arg1": f(32, 32), "arg2": f(32, 32)}
        return i, {"arg2": i["arg2"] + i["arg0"] @ i["arg1"]}
    if name == "conv2d":
        i = {"arg0": f(34, 34), "arg1": f(3, 3), "arg2": np.zeros((32, 32), np.float32)}
        ref = sum(i["arg0"][a:a + 32, b:b + 32] * i["arg1"][a, b] for a in range(3) for b in range(3))
        return i, {"arg2": ref}
    if name == "relu":
        i = {"arg0": f(64, 64), "arg1": np.zeros((64, 64), np.float32)}
        return i, {"arg1": np.maximum(i["arg0"], 0)}
    if name == "dense":
        i = {"arg0": f(128), "arg1": f(128, 64), "arg2": f(64), "arg3": np.zeros(64, np.float32)}
        return i, {"arg3": i["arg0"] @ i["arg1"] + i["arg2"]}
    i = {"arg0": rng.integers(-1000, 1000, 4096).astype(np.int32), "arg1": np.zeros(1, np.int32)}
    return i, {"arg1": np.array([i["arg0"].sum()], np.int32)}


def clang_program(c_source: Path, fn, vlen: int) -> Path:
    """The harness of `fn` linked with `c_source` compiled by clang -O3 -march=rv64gcv (cached)."""
    text = c_source.read_text()
    digest = cache.key(text, fn.name, tools.version("clang") or "", harness(fn))

    def build(folder: Path) -> None:
        obj = folder / "c_kernel.o"
        tools.run("clang", ["-O3", "--target=riscv64-linux-gnu", "-march=rv64gcv", "-mabi=lp64d",
                            "-c", str(c_source), "-o", str(obj)])
        run.link_riscv(folder, obj.read_bytes(), harness(fn))

    return cache.entry("sw-clang", digest, build) / "prog"


def count(exe: Path, fn, inputs, expected, vlen: int, vector: bool = True) -> int:
    """Instructions of one call of the kernel in `exe`, after checking its outputs."""
    with tempfile.TemporaryDirectory(prefix="unified-bench-") as tmp:
        run.write_inputs(Path(tmp), fn, inputs)
        run.run_qemu(exe, vlen, 1, tmp, vector=vector)
        outputs = run.read_outputs(Path(tmp), fn)
        for k, want in expected.items():
            np.testing.assert_allclose(outputs[k], want, rtol=1e-4, atol=1e-3, err_msg=f"{exe} {k}")
        return run.kernel_instructions(exe, vlen, tmp, vector=vector)


def count_timed(exe: Path, fn, inputs, vlen: int) -> tuple[int, int]:
    """(instructions, modelled cycles) of one call, by the sim's difference of two runs."""
    with tempfile.TemporaryDirectory(prefix="unified-bench-") as tmp:
        run.write_inputs(Path(tmp), fn, inputs)
        return run.kernel_timing(exe, vlen, tmp)


def llvm_tool(name: str) -> str | None:
    """Debian llvm-22's `name` (llvm-mca, llvm-objdump), or None (apt-get install llvm-22)."""
    return shutil.which(f"{name}-22") or shutil.which(name)


def _llvm_disassembly(exe: Path) -> tuple[dict[int, str], dict[str, int]]:
    """llvm-objdump --mattr=+v of `exe`: PC -> "mnemonic operands", and symbol -> address."""
    text = subprocess.run([llvm_tool("llvm-objdump"), "--mattr=+v", "-d", "--no-show-raw-insn",
                           str(exe)], check=True, capture_output=True, text=True).stdout
    insns, symbols = {}, {}
    for line in text.splitlines():
        if m := re.fullmatch(r"([0-9a-f]+) <(.+)>:", line):
            symbols[m[2]] = int(m[1], 16)
        elif m := re.fullmatch(r"\s*([0-9a-f]+):\s+(\S.*)", line):
            insns[int(m[1], 16)] = " ".join(m[2].split())
    return insns, symbols


def _for_mca(insn: str) -> str:
    """An instruction llvm-mc assembles: branch targets become `.`, calls a 1-cycle addi."""
    mnemonic = insn.split()[0]
    if mnemonic in ("jal", "jalr") and " ra" in insn or mnemonic == "call":
        return "addi zero, zero, 0"  # the callee's own instructions follow in the stream
    if mnemonic.startswith(("b", "j")) and mnemonic not in ("jr", "jalr"):
        return re.sub(r"(0x)?[0-9a-f]+( <[^>]*>)?$", ".", insn)
    return insn


def executed_stream(exe: Path, fn, inputs, vlen: int) -> list[str]:
    """The instructions (llvm-objdump text) the first kernel call of `exe` executes, in order:
    from the kernel's entry to the instruction after the call."""
    insns, symbols = _llvm_disassembly(exe)
    entry = symbols[f"_mlir_ciface_{fn.name}"]
    with tempfile.TemporaryDirectory(prefix="unified-bench-") as tmp:
        run.write_inputs(Path(tmp), fn, inputs)
        log = Path(tmp) / "trace.log"
        run.run_qemu(exe, vlen, 1, tmp, trace=str(log))
        pcs = [int(pc, 16) for pc in re.findall(rb"\[[0-9a-f]+/([0-9a-f]+)/", log.read_bytes())]
    start = pcs.index(entry)
    addresses = sorted(insns)
    back = addresses[addresses.index(pcs[start - 1]) + 1]  # the return address of the call
    end = pcs.index(back, start)
    return [insns[pc] for pc in pcs[start:end]]


def mca_cycles(stream: list[str]) -> int:
    """llvm-mca's total cycles for `stream` run once on the SiFive X280 model."""
    proc = subprocess.run([llvm_tool("llvm-mca"), "-mtriple=riscv64", "-mcpu=sifive-x280",
                           "-iterations=1"], input="\n".join(map(_for_mca, stream)) + "\n",
                          check=True, capture_output=True, text=True)
    return int(re.search(r"Total Cycles:\s+(\d+)", proc.stdout)[1])


def timing_table(vlen: int) -> list[dict]:
    """Per bench kernel and build (ours; clang-22's when clang is installed): instructions
    and modelled cycles of one call, and the executed stream of one call timed by the
    model, its serial bound and llvm-mca (sifive-x280)."""
    have_llvm = bool(llvm_tool("llvm-mca") and llvm_tool("llvm-objdump"))
    rows = []
    for name in ("matmul", "conv2d", "relu", "dense", "sum"):
        src = source.read(KERNELS / f"{name}.mlir")
        fn = src.function(name)
        inputs, _ = _inputs(name, np.random.default_rng(0))
        builds = {"ours": run.riscv_program(src.text, fn, vlen=vlen, target="rvv")}
        if tools.version("clang"):
            builds["clang"] = clang_program(KERNELS / f"{name}.c", fn, vlen)
        for build, exe in builds.items():
            row: dict = {"kernel": name, "build": build}
            row["instructions"], row["cycles"] = count_timed(exe, fn, inputs, vlen)
            row["stream"] = row["model"] = row["serial"] = row["mca"] = None
            if have_llvm:
                stream = executed_stream(exe, fn, inputs, vlen)
                row["stream"] = len(stream)
                row["model"] = rvv_timing.cycles(stream, vlen, vlen // 2)
                row["serial"] = rvv_timing.cycles(stream, vlen, vlen // 2, serial=True)
                row["mca"] = mca_cycles(stream)
            rows.append(row)
            print(f"  {name}: {row}", file=sys.stderr)
    return rows


def instruction_table(vlen: int) -> list[dict]:
    rows = []
    for name in ("matmul", "conv2d", "relu", "dense", "sum"):
        path = KERNELS / f"{name}.mlir"
        src = source.read(path)
        fn = src.function(name)
        inputs, expected = _inputs(name, np.random.default_rng(0))
        row = {"kernel": name}
        row["rvv"] = count(run.riscv_program(src.text, fn, vlen=vlen, target="rvv"), fn, inputs,
                           expected, vlen)
        row["rv64gc"] = count(run.riscv_program(src.text, fn, vlen=vlen, target="rv64gc"), fn,
                              inputs, expected, vlen)
        try:
            row["clang_rvv"] = count(clang_program(KERNELS / f"{name}.c", fn, vlen), fn, inputs,
                                     expected, vlen)
        except ToolNotFound:
            row["clang_rvv"] = None
        rows.append(row)
        print(f"  {name}: {row}", file=sys.stderr)
    return rows


def _median_time(call, args, repeat: int) -> float:
    """Median seconds of `call(*args)` over `repeat` runs, after three warm-up runs."""
    for _ in range(3):
        call(*args)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        call(*args)
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def host_times(sizes: tuple[int, ...] = (64, 256), repeat: int = 20) -> list[dict]:
    """Median wall time of one f32 matmul: our host code (C += A*B) vs numpy (A @ B)."""
    import ctypes

    rows = []
    for n in sizes:
        path = KERNELS / f"matmul_host{n}.mlir"
        src = source.read(path)
        fn = src.function("matmul")
        lib = ctypes.CDLL(str(run.host_library(src.text, "matmul", path=str(path))))
        kernel = lib._mlir_ciface_matmul
        rng = np.random.default_rng(0)
        a, b = (rng.standard_normal((n, n)).astype(np.float32) for _ in range(2))
        c = np.zeros((n, n), np.float32)
        descs = [run.descriptor(x) for x in (a, b, c)]
        args = [ctypes.byref(d) for d in descs]
        kernel(*args)
        np.testing.assert_allclose(c, a @ b, rtol=1e-3, atol=1e-3)
        ours = _median_time(kernel, args, repeat)
        ref = _median_time(np.matmul, (a, b), repeat)
        rows.append({"n": n, "ours_us": ours * 1e6, "numpy_us": ref * 1e6, "fn": fn.name})
        print(f"  matmul {n}: {rows[-1]}", file=sys.stderr)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vlen", type=int, default=128)
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--no-host", action="store_true", help="skip the host matmul timing")
    args = parser.parse_args()
    timing = timing_table(args.vlen)
    rows = instruction_table(args.vlen)
    print(f"Dynamic instructions per kernel call (qemu-riscv64, VLEN={args.vlen})\n")
    print("| kernel | ours RVV | ours rv64gc | clang-22 -O3 rv64gcv | ours / clang |")
    print("|---|---:|---:|---:|---:|")
    for r in rows:
        ratio = f"{r['rvv'] / r['clang_rvv']:.2f}" if r["clang_rvv"] else "-"
        print(f"| {r['kernel']} | {r['rvv']} | {r['rv64gc']} | {r['clang_rvv']} | {ratio} |")
    print(f"\nModelled cycles per kernel call (RVV timing model, VLEN={args.vlen}, "
          f"DLEN={args.vlen // 2}) against llvm-mca -mcpu=sifive-x280 on the same executed "
          "stream\n")
    print("| kernel | build | instructions | model cycles | stream | model (stream) | llvm-mca "
          "| model / mca | serial model / mca |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in timing:
        ratio = f"{r['model'] / r['mca']:.2f}" if r["mca"] else "-"
        serial = f"{r['serial'] / r['mca']:.2f}" if r["mca"] else "-"
        print(f"| {r['kernel']} | {r['build']} | {r['instructions']} | {r['cycles']} | "
              f"{r['stream']} | {r['model']} | {r['mca']} | {ratio} | {serial} |")
    if args.json:
        Path(args.json).write_text(json.dumps({"instructions": rows, "timing": timing}, indent=2)
                                   + "\n")
    if args.no_host:
        return 0
    times = host_times()
    print("\nHost wall time of one f32 matmul, one thread: ours C += A*B vs numpy A @ B "
          "(median of 20)\n")
    print("| n | ours (us) | numpy (us) |")
    print("|---:|---:|---:|")
    for t in times:
        print(f"| {t['n']} | {t['ours_us']:.1f} | {t['numpy_us']:.1f} |")
    if args.json:
        Path(args.json).write_text(json.dumps({"instructions": rows, "timing": timing,
                                               "host": times}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
