"""Software-path benchmark, the race judged fairly: modelled cycles under qemu, host time.

    .venv/bin/python bench/sw_rvv.py [--vlen 128] [--json out.json] [--no-host] [--only a,b]

For each kernel of bench/sw_kernels (matmul, conv2d, maxpool and gemm at two sizes, ReLU,
dense, a reduction) it builds our RVV code (MLIR vectorizer + LLVM, rv64gcv) and the
equivalent plain C by clang-22 -O3 -march=rv64gcv twice: as written (LMUL 2) and at its
best (restrict pointers, `-riscv-v-register-bit-width-lmul=8`). Every build's outputs are
checked against numpy; then each is timed under the RVV timing model
(sw_dialects/rvv_timing.py, DLEN = VLEN/2) over one call (the difference between runs
calling the kernel 1+k times and once, divided by k), and set against the kernel's bound
under the model: the busiest of its three vector units when each does only the work every
build must do (load each input once, store each output once at DLEN/8 bytes a cycle, the
element operations at DLEN/32 f32 lanes a cycle, an FMA counted once); a kernel more than
1.2x above its bound prints why.

The executed stream of one call of every build is also timed by
`llvm-mca -mtriple=riscv64 -mcpu=sifive-x280 -iterations=1` (X280: VLEN 512, DLEN 256, the
same VLEN/DLEN) and the model's ratio to it printed. Last, it times f32 matmul on the host.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from math import ceil
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

KERNELS = ROOT / "bench" / "sw_kernels"


@dataclass(frozen=True)
class Kernel:
    """One bench kernel: its MLIR file (function `func`), the C file and the -D sizes that
    make clang's build of the same kernel, and the work the model's bound counts."""

    label: str
    func: str
    c_defines: tuple[str, ...] = ()
    loads: int = 0  # bytes every correct build must load (each input once)
    stores: int = 0  # bytes it must store (each output once)
    lane_ops: int = 0  # vector arithmetic element operations (an FMA counts once)
    why: str = ""  # why our build stays above 1.2x the bound, where it does

    @property
    def mlir(self) -> Path:
        return KERNELS / f"{self.label}.mlir"

    @property
    def c_source(self) -> Path:
        return KERNELS / f"{self.func}.c"

    def bound(self, dlen: int, bits: int = 32) -> int:
        """Cycles under the timing model's three units when each is busy all the time:
        loads and stores DLEN/8 bytes a cycle each, arithmetic DLEN/bits lanes a cycle."""
        return ceil(max(self.loads / (dlen / 8), self.stores / (dlen / 8),
                        self.lane_ops / (dlen / bits)))


def _gemm(n_i: int, n_k: int, n_j: int) -> Kernel:
    return Kernel(f"gemm{'' if n_i == 32 else '_64'}", "gemm",
                  (f"-DNI={n_i}", f"-DNK={n_k}", f"-DNJ={n_j}"),
                  loads=4 * (n_i * n_k + n_k * n_j + n_i * n_j), stores=4 * n_i * n_j,
                  lane_ops=n_i * n_j * (n_k + 1))


# maxpool reads each 2x2 window's columns with 2-field segment loads (the load unit at full
# rate), which do not chain: a max waits for the whole group (19 cycles at LMUL 4). The flow
# pipelines them (sw-pipeline-segment-loads: each load one load ahead of its maxes, the next
# row's first load in this row's iteration), but results are written in program order, so
# whatever follows a segment load waits for its write-back less its own latency: one vfmax
# (latency 4) fits between two loads for free, a second waits for the arithmetic unit (+8)
# and a store (latency 1) for the write-back (+3). Two loads need three maxes and a store:
# 43 cycles, not 32, whatever the order (1.34x the bound for this instruction mix).
UNCHAINED = ("results are written in program order and a segment load's only after its last "
             "cycle, so one max fits between two loads and the second max and the store of "
             "each pair of loads cost 11 cycles: 43 cycles per 32 of loads in any order (1.34x)")

BENCH = (
    Kernel("matmul", "matmul", loads=4 * 3 * 32 * 32, stores=4 * 32 * 32, lane_ops=32 ** 3),
    Kernel("conv2d", "conv2d", ("-DO=32",), loads=4 * (34 * 34 + 9), stores=4 * 32 * 32,
           lane_ops=9 * 32 * 32),
    Kernel("conv2d_64", "conv2d", ("-DO=64",), loads=4 * (66 * 66 + 9), stores=4 * 64 * 64,
           lane_ops=9 * 64 * 64),
    Kernel("maxpool", "maxpool", ("-DO=32",), loads=4 * 64 * 64, stores=4 * 32 * 32,
           lane_ops=3 * 32 * 32, why=UNCHAINED),
    Kernel("maxpool_64", "maxpool", ("-DO=64",), loads=4 * 128 * 128, stores=4 * 64 * 64,
           lane_ops=3 * 64 * 64, why=UNCHAINED),
    _gemm(32, 32, 64),
    _gemm(64, 64, 64),
    Kernel("relu", "relu", loads=4 * 64 * 64, stores=4 * 64 * 64, lane_ops=64 * 64),
    Kernel("dense", "dense", loads=4 * (128 + 128 * 64 + 64), stores=4 * 64,
           lane_ops=128 * 64),
    Kernel("sum", "sum", loads=4 * 4096, stores=4, lane_ops=4096),
)

# llvm-mca takes minutes on streams much longer than this: longer ones are not cross-checked
MCA_LIMIT = 60_000

# clang's builds: as the C is written (default LMUL, 2), and at its best: restrict pointers
# (what our noalias memrefs say) and LMUL 8.
CLANG_BUILDS = {"clang": (), "clang-m8": ("-DRESTRICT=restrict", "-mllvm",
                                          "-riscv-v-register-bit-width-lmul=8")}


def _inputs(kernel: Kernel, fn, rng: np.random.Generator
            ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Random inputs of `kernel` (by its function's argument shapes) and numpy's outputs."""
    f = lambda s: rng.standard_normal(s).astype(np.float32)
    shapes = [a.shape for a in fn.args]
    name = kernel.func
    if name == "sum":
        i = {"arg0": rng.integers(-1000, 1000, 4096).astype(np.int32),
             "arg1": np.zeros(1, np.int32)}
        return i, {"arg1": np.array([i["arg0"].sum()], np.int32)}
    i = {f"arg{n}": f(s) for n, s in enumerate(shapes)}
    if name == "matmul":
        return i, {"arg2": i["arg2"] + i["arg0"] @ i["arg1"]}
    if name == "gemm":
        return i, {"arg2": np.float32(1.2) * i["arg2"] + np.float32(1.5) * i["arg0"] @ i["arg1"]}
    if name == "conv2d":
        o = shapes[2][0]
        ref = sum(i["arg0"][a:a + o, b:b + o] * i["arg1"][a, b] for a in range(3) for b in range(3))
        return i, {"arg2": ref}
    if name == "maxpool":
        x = i["arg0"]
        return i, {"arg1": np.maximum(np.maximum(x[0::2, 0::2], x[0::2, 1::2]),
                                      np.maximum(x[1::2, 0::2], x[1::2, 1::2]))}
    if name == "relu":
        return i, {"arg1": np.maximum(i["arg0"], 0)}
    return i, {"arg3": i["arg0"] @ i["arg1"] + i["arg2"]}  # dense


def clang_program(c_source: Path, fn, vlen: int, flags: tuple[str, ...] = ()) -> Path:
    """The harness of `fn` linked with `c_source` compiled by clang -O3 -march=rv64gcv and
    `flags` (sizes, restrict, LMUL; cached)."""
    text = c_source.read_text()
    digest = cache.key(text, fn.name, tools.version("clang") or "", harness(fn), *flags)

    def build(folder: Path) -> None:
        obj = folder / "c_kernel.o"
        tools.run("clang", ["-O3", "--target=riscv64-linux-gnu", "-march=rv64gcv", "-mabi=lp64d",
                            *flags, "-c", str(c_source), "-o", str(obj)])
        run.link_riscv(folder, obj.read_bytes(), harness(fn))

    return cache.entry("sw-clang", digest, build) / "prog"


def check(exe: Path, fn, inputs, expected, vlen: int) -> None:
    """Runs `exe` once under qemu and checks its outputs against numpy's."""
    with tempfile.TemporaryDirectory(prefix="unified-bench-") as tmp:
        run.write_inputs(Path(tmp), fn, inputs)
        run.run_qemu(exe, vlen, 1, tmp)
        outputs = run.read_outputs(Path(tmp), fn)
        for k, want in expected.items():
            np.testing.assert_allclose(outputs[k], want, rtol=1e-4, atol=1e-3, err_msg=f"{exe} {k}")


def count_timed(exe: Path, fn, inputs, vlen: int) -> tuple[int, int]:
    """(instructions, modelled cycles) of one call, by the sim's difference of two runs."""
    with tempfile.TemporaryDirectory(prefix="unified-bench-") as tmp:
        run.write_inputs(Path(tmp), fn, inputs)
        return run.kernel_timing(exe, vlen, tmp)


def _llvm_disassembly(exe: Path) -> tuple[dict[int, str], dict[str, int]]:
    """llvm-objdump --mattr=+v of `exe`: PC -> "mnemonic operands", and symbol -> address."""
    text = tools.run("llvm-objdump", ["--mattr=+v", "-d", "--no-show-raw-insn", str(exe)]).stdout
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
    if mnemonic in ("jal", "jalr") and re.search(r"\bra\b", insn) or mnemonic == "call":
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
    proc = tools.run("llvm-mca", ["-mtriple=riscv64", "-mcpu=sifive-x280", "-iterations=1"],
                     stdin="\n".join(map(_for_mca, stream)) + "\n")
    return int(re.search(r"Total Cycles:\s+(\d+)", proc.stdout)[1])


def timing_table(vlen: int, only: set[str] | None = None) -> list[dict]:
    """Per bench kernel and build (ours; clang-22's two when clang is installed): outputs
    checked against numpy, instructions and modelled cycles of one call, the kernel's bound
    under the model, and the executed stream of one call timed by the model and by llvm-mca
    (sifive-x280)."""
    have_llvm = bool(tools.version("llvm-mca") and tools.version("llvm-objdump"))
    rows = []
    for kernel in BENCH:
        if only and kernel.label not in only:
            continue
        src = source.read(kernel.mlir)
        fn = src.function(kernel.func)
        inputs, expected = _inputs(kernel, fn, np.random.default_rng(0))
        builds = {"ours": run.riscv_program(src.text, fn, vlen=vlen, target="rvv")}
        if tools.version("clang"):
            for build, flags in CLANG_BUILDS.items():
                builds[build] = clang_program(kernel.c_source, fn, vlen,
                                              (*kernel.c_defines, *flags))
        for build, exe in builds.items():
            row: dict = {"kernel": kernel.label, "build": build,
                         "bound": kernel.bound(vlen // 2), "why": kernel.why}
            check(exe, fn, inputs, expected, vlen)
            row["instructions"], row["cycles"] = count_timed(exe, fn, inputs, vlen)
            row["stream"] = row["model"] = row["mca"] = None
            if have_llvm and row["instructions"] <= MCA_LIMIT:
                stream = executed_stream(exe, fn, inputs, vlen)
                row["stream"] = len(stream)
                row["model"] = rvv_timing.cycles(stream, vlen, vlen // 2)
                row["mca"] = mca_cycles(stream)
            rows.append(row)
            print(f"  {kernel.label}: {row}", file=sys.stderr)
    return rows


def race_table(timing: list[dict]) -> list[dict]:
    """Per kernel: our modelled cycles, clang's two builds, ours over clang's best, ours over
    the bound, and the same ratio on llvm-mca's cycles."""
    out = []
    for label in dict.fromkeys(r["kernel"] for r in timing):
        by = {r["build"]: r for r in timing if r["kernel"] == label}
        ours = by["ours"]
        clang = [by[b] for b in CLANG_BUILDS if b in by]
        best = min((r["cycles"] for r in clang), default=None)
        best_mca = min((r["mca"] for r in clang if r["mca"]), default=None)
        out.append({"kernel": label, "ours": ours["cycles"],
                    **{b: by[b]["cycles"] if b in by else None for b in CLANG_BUILDS},
                    "ratio": ours["cycles"] / best if best else None,
                    "bound": ours["bound"], "of_bound": ours["cycles"] / ours["bound"],
                    "why": ours["why"],
                    "mca_ratio": ours["mca"] / best_mca if best_mca and ours["mca"] else None})
    return out


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
    parser.add_argument("--only", help="comma-separated kernel labels (default: all)")
    args = parser.parse_args()
    timing = timing_table(args.vlen, set(args.only.split(",")) if args.only else None)
    race = race_table(timing)
    print(f"The race (modelled cycles of one call, VLEN={args.vlen}, DLEN={args.vlen // 2}): "
          "ours against clang-22 -O3 as written (LMUL 2) and at its best (restrict, LMUL 8); "
          "bound: the busiest vector unit when all three are busy all the time\n")
    print("| kernel | ours | clang | clang restrict m8 | ours / clang best | bound "
          "| ours / bound | ours / clang best (llvm-mca) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    ratios = []
    for r in race:
        ratio = f"{r['ratio']:.3f}" if r["ratio"] else "-"
        mca = f"{r['mca_ratio']:.2f}" if r["mca_ratio"] else "-"
        ratios.append(r["ratio"] or 1.0)
        print(f"| {r['kernel']} | {r['ours']} | {r['clang']} | {r['clang-m8']} | {ratio} | "
              f"{r['bound']} | {r['of_bound']:.2f} | {mca} |")
    print(f"\ngeometric mean ours / clang best: {np.exp(np.mean(np.log(ratios))):.2f}")
    for r in race:
        if r["of_bound"] > 1.2:
            print(f"{r['kernel']} is {r['of_bound']:.2f}x its bound: {r['why'] or 'not known'}")
    print("\nEvery build's executed stream of one call: the model against llvm-mca "
          "-mcpu=sifive-x280\n")
    print("| kernel | build | instructions | model cycles | stream | model (stream) | llvm-mca "
          "| model / mca |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for r in timing:
        ratio = f"{r['model'] / r['mca']:.2f}" if r["mca"] else "-"
        print(f"| {r['kernel']} | {r['build']} | {r['instructions']} | {r['cycles']} | "
              f"{r['stream']} | {r['model']} | {r['mca']} | {ratio} |")
    agreement = [r["model"] / r["mca"] for r in timing if r["mca"]]
    if agreement:
        print(f"\nmodel / llvm-mca over {len(agreement)} streams: {min(agreement):.2f} to "
              f"{max(agreement):.2f}, {sum(abs(a - 1) <= 0.25 for a in agreement)} within 25%")
    if args.json:
        Path(args.json).write_text(json.dumps({"race": race, "timing": timing}, indent=2) + "\n")
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
        Path(args.json).write_text(json.dumps({"race": race, "timing": timing, "host": times},
                                              indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
