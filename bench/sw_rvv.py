"""Software-path benchmark: dynamic instructions under qemu, and host time against numpy.

    .venv/bin/python bench/sw_rvv.py [--vlen 128] [--json out.json]

For each kernel of bench/sw_kernels (matmul, conv2d, ReLU, dense, a reduction) it counts the
instructions of ONE kernel call under qemu-riscv64 (the difference between a run calling
the kernel 1+k times and one calling it once, divided by k) for three builds of the same
kernel: our RVV code (MLIR vectorizer + LLVM, rv64gcv), our flow built scalar (rv64gc), and
the equivalent plain C compiled by clang -O3 --target=riscv64-linux-gnu -march=rv64gcv.
Every build's outputs are checked against numpy. Then it times f32 matmul on the host.
"""

from __future__ import annotations

import argparse
import json
import os
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
    args = parser.parse_args()
    rows = instruction_table(args.vlen)
    print(f"Dynamic instructions per kernel call (qemu-riscv64, VLEN={args.vlen})\n")
    print("| kernel | ours RVV | ours rv64gc | clang-22 -O3 rv64gcv | ours / clang |")
    print("|---|---:|---:|---:|---:|")
    for r in rows:
        ratio = f"{r['rvv'] / r['clang_rvv']:.2f}" if r["clang_rvv"] else "-"
        print(f"| {r['kernel']} | {r['rvv']} | {r['rv64gc']} | {r['clang_rvv']} | {ratio} |")
    times = host_times()
    print("\nHost wall time of one f32 matmul, one thread: ours C += A*B vs numpy A @ B "
          "(median of 20)\n")
    print("| n | ours (us) | numpy (us) |")
    print("|---:|---:|---:|")
    for t in times:
        print(f"| {t['n']} | {t['ours_us']:.1f} | {t['numpy_us']:.1f} |")
    if args.json:
        Path(args.json).write_text(json.dumps({"instructions": rows, "host": times}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
