"""PolyBench at 8x8 (i32) on the hardware flow: exact cycles and Yosys LUTs beside published figures.

    .venv/bin/python bench/hw_latency.py [-O N] [--banks F] [--only gemm,atax] [--json OUT.json]
    .venv/bin/python bench/hw_latency.py --f32 [--levels 0,3] [--only atax] [--json OUT.json]

Each kernel (examples/polybench/*.mlir) is compiled, simulated in Verilator on random
inputs, checked against numpy, and synthesized with Yosys `synth_xilinx`. The table puts
cycles and LUTs beside Vivado HLS 2019.2 and Calyx at the same size, with the geometric
mean of the ratios (below 1 means we are faster / smaller).

`--f32` runs the same six kernels in binary32 (examples/polybench_f32/*.mlir: the same loops
with arith.addf/mulf on our IEEE-754 units; alpha = 1.5 and beta = 1.2 are constants, as the
hardware interface takes no f32 scalar arguments) at each of `--levels`, compared bit for bit
with a reference of plain Python loops over np.float32 scalars doing the same operations in
the same order (the hardware does not reassociate), and prints cycles (checked equal to the
schedule's estimate, which reads each float unit's latency) and Yosys LUTs/FFs/DSPs per level
(`--no-synth`: none). There are no published f32 figures at this size to put beside them.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from calyx_flow import synth
from calyx_flow.float_units.units import latency as unit_latency
from hls.opt_pipeline import HlsOptions, affine_steps
from unified import simulate
from unified.core import source
from unified.core.errors import UnifiedError
from unified.core.toolchain import Call, worker
from unified.kernel_cache import compile_cached

Arrays = dict[str, np.ndarray]

# kernel -> (Vivado HLS 2019.2 cycles, Vivado HLS LUTs, Calyx cycles), 8x8 integer.
PUBLISHED: dict[str, tuple[int, int, int]] = {
    "gemm": (2684, 633, 9277),
    "2mm": (3718, 939, 15591),
    "atax": (715, 610, 2274),
    "bicg": (218, 327, 1084),
    "gesummv": (532, 756, 2229),
    "mvt": (597, 657, 1865),
}


def _wrap(values: np.ndarray) -> np.ndarray:
    """Python-integer results as i32 two's complement (the ring the hardware computes in)."""
    flat = [int(v) & 0xFFFFFFFF for v in np.asarray(values, dtype=object).reshape(-1)]
    return np.array(flat, dtype=np.uint32).view(np.int32).reshape(np.shape(values))


def _o(a: np.ndarray) -> np.ndarray:
    return np.asarray(a).astype(object)


@dataclass(frozen=True)
class Bench:
    name: str
    func: str
    args: tuple[tuple[int, ...], ...]  # shapes in argument order; () is an i32 scalar
    reference: Callable[[Arrays], Arrays]  # the memref arguments after the run
    folder: str = "polybench"  # examples/<folder>/<name>.mlir

    def inputs(self, rng: np.random.Generator) -> Arrays:
        if self.folder == "polybench_f32":
            return {f"arg{i}": rng.standard_normal(shape).astype(np.float32)
                    for i, shape in enumerate(self.args)}
        return {f"arg{i}": (np.array(int(rng.integers(-8, 8)), np.int32) if shape == ()
                            else rng.integers(-1000, 1000, size=shape).astype(np.int32))
                for i, shape in enumerate(self.args)}


def _gemm(x: Arrays) -> Arrays:
    al, be = int(x["arg0"]), int(x["arg1"])
    return {**x, "arg2": _wrap(al * _o(x["arg3"]).dot(_o(x["arg4"])) + be * _o(x["arg2"]))}


def _2mm(x: Arrays) -> Arrays:
    al, be = int(x["arg0"]), int(x["arg1"])
    tmp = al * _o(x["arg3"]).dot(_o(x["arg4"]))
    return {**x, "arg2": _wrap(tmp), "arg6": _wrap(be * _o(x["arg6"]) + tmp.dot(_o(x["arg5"])))}


def _atax(x: Arrays) -> Arrays:
    a = _o(x["arg0"])
    tmp = a.dot(_o(x["arg1"]))
    return {**x, "arg2": _wrap(a.T.dot(tmp)), "arg3": _wrap(tmp)}


def _bicg(x: Arrays) -> Arrays:
    a = _o(x["arg0"])
    return {**x, "arg1": _wrap(_o(x["arg4"]).dot(a)), "arg2": _wrap(a.dot(_o(x["arg3"])))}


def _gesummv(x: Arrays) -> Arrays:
    al, be = int(x["arg0"]), int(x["arg1"])
    tmp = _o(x["arg2"]).dot(_o(x["arg5"]))
    y = al * tmp + be * _o(x["arg3"]).dot(_o(x["arg5"]))
    return {**x, "arg4": _wrap(tmp), "arg6": _wrap(y)}


def _mvt(x: Arrays) -> Arrays:
    a = _o(x["arg4"])
    return {**x, "arg0": _wrap(_o(x["arg0"]) + a.dot(_o(x["arg2"]))),
            "arg1": _wrap(_o(x["arg1"]) + a.T.dot(_o(x["arg3"])))}


M, V = (8, 8), (8,)
BENCHES = [
    Bench("gemm", "gemm", ((), (), M, M, M), _gemm),
    Bench("2mm", "mm2", ((), (), M, M, M, M, M), _2mm),
    Bench("atax", "atax", (M, V, V, V), _atax),
    Bench("bicg", "bicg", (M, V, V, V, V), _bicg),
    Bench("gesummv", "gesummv", ((), (), M, M, V, V, V), _gesummv),
    Bench("mvt", "mvt", (V, V, V, V, M), _mvt),
]


# f32 references: plain loops over np.float32 scalars, each operation rounded, in the order
# and association of examples/polybench_f32/*.mlir (operand order kept too, though IEEE
# add and multiply are commutative).
F = np.float32
ALPHA, BETA = F(1.5), F(1.2)
N = 8


def _f32_gemm(x: Arrays) -> Arrays:
    c, a, b = (x[f"arg{i}"].copy() for i in range(3))
    for i in range(N):
        for j in range(N):
            c[i, j] = F(c[i, j] * BETA)
        for k in range(N):
            for j in range(N):
                p = F(F(ALPHA * a[i, k]) * b[k, j])
                c[i, j] = F(c[i, j] + p)
    return {**x, "arg0": c}


def _f32_2mm(x: Arrays) -> Arrays:
    tmp, a, b, c, d = (x[f"arg{i}"].copy() for i in range(5))
    for i in range(N):
        for j in range(N):
            tmp[i, j] = F(0)
            for k in range(N):
                p = F(F(ALPHA * a[i, k]) * b[k, j])
                tmp[i, j] = F(tmp[i, j] + p)
    for i in range(N):
        for j in range(N):
            d[i, j] = F(d[i, j] * BETA)
            for k in range(N):
                d[i, j] = F(d[i, j] + F(tmp[i, k] * c[k, j]))
    return {**x, "arg0": tmp, "arg4": d}


def _f32_atax(x: Arrays) -> Arrays:
    a, v, y, tmp = (x[f"arg{i}"].copy() for i in range(4))
    y[:] = F(0)
    for i in range(N):
        tmp[i] = F(0)
        for j in range(N):
            tmp[i] = F(tmp[i] + F(a[i, j] * v[j]))
        for j in range(N):
            y[j] = F(y[j] + F(a[i, j] * tmp[i]))
    return {**x, "arg2": y, "arg3": tmp}


def _f32_bicg(x: Arrays) -> Arrays:
    a, s, q, p, r = (x[f"arg{i}"].copy() for i in range(5))
    s[:] = F(0)
    for i in range(N):
        q[i] = F(0)
        for j in range(N):
            s[j] = F(s[j] + F(r[i] * a[i, j]))
            q[i] = F(q[i] + F(a[i, j] * p[j]))
    return {**x, "arg1": s, "arg2": q}


def _f32_gesummv(x: Arrays) -> Arrays:
    a, b, tmp, v, y = (x[f"arg{i}"].copy() for i in range(5))
    for i in range(N):
        tmp[i] = F(0)
        y[i] = F(0)
        for j in range(N):
            tmp[i] = F(F(a[i, j] * v[j]) + tmp[i])
            y[i] = F(F(b[i, j] * v[j]) + y[i])
        y[i] = F(F(ALPHA * tmp[i]) + F(BETA * y[i]))
    return {**x, "arg2": tmp, "arg4": y}


def _f32_mvt(x: Arrays) -> Arrays:
    x1, x2, y1, y2, a = (x[f"arg{i}"].copy() for i in range(5))
    for i in range(N):
        for j in range(N):
            x1[i] = F(x1[i] + F(a[i, j] * y1[j]))
    for i in range(N):
        for j in range(N):
            x2[i] = F(x2[i] + F(a[j, i] * y2[j]))
    return {**x, "arg0": x1, "arg1": x2}


F32 = "polybench_f32"
BENCHES_F32 = [
    Bench("gemm", "gemm", (M, M, M), _f32_gemm, F32),
    Bench("2mm", "mm2", (M, M, M, M, M), _f32_2mm, F32),
    Bench("atax", "atax", (M, V, V, V), _f32_atax, F32),
    Bench("bicg", "bicg", (M, V, V, V, V), _f32_bicg, F32),
    Bench("gesummv", "gesummv", (M, M, V, V, V), _f32_gesummv, F32),
    Bench("mvt", "mvt", (V, V, V, V, M), _f32_mvt, F32),
]


def same_bits(got: np.ndarray, want: np.ndarray) -> bool:
    """Equal bit for bit (floats compared as their patterns, so -0.0 != 0.0)."""
    got, want = np.asarray(got), np.asarray(want)
    if got.dtype == np.float32 and want.dtype == np.float32:
        return bool(np.array_equal(got.view(np.uint32), want.view(np.uint32)))
    return bool(np.array_equal(got, want))


def measure(bench: Bench, opt_level: int | HlsOptions, seed: int = 0, *,
            with_area: bool = True) -> dict:
    """Compiles, simulates and synthesizes (unless not `with_area`) one kernel; the row of
    the table as a dict."""
    path = ROOT / "examples" / bench.folder / f"{bench.name}.mlir"
    src = source.read(path)
    inputs = bench.inputs(np.random.default_rng(seed))
    want = bench.reference({k: v.copy() for k, v in inputs.items()})
    t0 = time.perf_counter()
    result = simulate.run(src, bench.func, inputs, "hw", opt_level=opt_level)
    correct = all(same_bits(result.outputs[k], want[k]) for k in result.outputs)
    art = compile_cached(src.text, bench.func, opt_level=opt_level, path=str(path))
    area = synth.area(art) if with_area else {}
    # the cycles needed just to move the loads and stores through one port per memory (each
    # bank a memory), on the affine IR the hardware is built from
    bound = worker("mlir").run_full(
        src.text, [*affine_steps(opt_level), Call("hls.port_bound:port_bound", {"func": bench.func})],
        print_module=False).values[0]
    return {"kernel": bench.name, "correct": correct, "cycles": result.report["cycles"],
            "estimated_cycles": result.report.get("estimated_cycles"),
            "port_bound": bound.cycles, **area, "seconds": round(time.perf_counter() - t0, 1),
            "loops": art.loops}


def _geomean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def table(rows: list[dict]) -> str:
    """The rows beside the published figures, with the geometric means of the ratios."""
    head = (f"{'kernel':8} {'ok':>3} {'cycles':>7} {'HLS':>6} {'/HLS':>6} {'Calyx':>6} "
            f"{'/Calyx':>6} {'LUTs':>6} {'HLS':>5} {'/HLS':>6} {'FFs':>5} {'DSPs':>4} "
            f"{'bound':>6} {'/bound':>6}")
    lines = [head, "-" * len(head)]
    r_cyc, r_lut, r_calyx = [], [], []
    for row in rows:
        hls_cyc, hls_lut, calyx = PUBLISHED[row["kernel"]]
        if "error" in row:
            lines.append(f"{row['kernel']:8} ERR {row['error'][:90]}")
            continue
        a, b, c = row["cycles"] / hls_cyc, row["luts"] / hls_lut, row["cycles"] / calyx
        r_cyc.append(a)
        r_lut.append(b)
        r_calyx.append(c)
        lines.append(f"{row['kernel']:8} {'yes' if row['correct'] else 'NO':>3} "
                     f"{row['cycles']:7d} {hls_cyc:6d} {a:6.2f} {calyx:6d} {c:6.2f} "
                     f"{row['luts']:6d} {hls_lut:5d} {b:6.2f} {row['ffs']:5d} {row['dsps']:4d} "
                     f"{row['port_bound']:6d} {row['cycles'] / row['port_bound']:6.2f}")
    lines.append("-" * len(head))
    lines.append(f"{'geomean':8} {'':3} {'':7} {'':6} {_geomean(r_cyc):6.2f} {'':6} "
                 f"{_geomean(r_calyx):6.2f} {'':6} {'':5} {_geomean(r_lut):6.2f}")
    return "\n".join(lines)


def table_f32(rows: list[dict], levels: list[int]) -> str:
    """One line per kernel: per level cycles, LUTs, FFs, DSPs; exact if every level's
    outputs matched and its cycles equal the schedule's estimate."""
    head = f"{'kernel':8}" + "".join(
        f" {'-O' + str(n) + ' cyc':>9} {'LUTs':>6} {'FFs':>6} {'DSPs':>4}" for n in levels
    ) + f" {'exact':>5}"
    lines = [head, "-" * len(head)]
    for name in dict.fromkeys(r["kernel"] for r in rows):
        line, exact = f"{name:8}", True
        for n in levels:
            row = next(r for r in rows if r["kernel"] == name and r["opt"] == n)
            if "error" in row:
                line += f" {'ERR':>9} {'-':>6} {'-':>6} {'-':>4}"
                exact = False
                continue
            exact &= row["correct"] and row["cycles"] == row["estimated_cycles"]
            line += f" {row['cycles']:9d}" + "".join(f" {row.get(k, '-'):>{w}}" for k, w in (
                ("luts", 6), ("ffs", 6), ("dsps", 4)))
        lines.append(line + f" {'yes' if exact else 'NO':>5}")
    for row in rows:
        if "error" in row:
            lines.append(f"  {row['kernel']} -O{row['opt']}: {row['error']}")
        elif not row["correct"]:
            lines.append(f"  {row['kernel']} -O{row['opt']}: {row['mismatch']}")
        elif row["cycles"] != row["estimated_cycles"]:
            lines.append(f"  {row['kernel']} -O{row['opt']}: {row['cycles']} cycles, "
                         f"estimated {row['estimated_cycles']}")
    return "\n".join(lines)


def _first_mismatch(bench: Bench, opt_level: int, seed: int = 0) -> str:
    """The first element that differs, for the report (re-simulates; cached compile)."""
    src = source.read(ROOT / "examples" / bench.folder / f"{bench.name}.mlir")
    inputs = bench.inputs(np.random.default_rng(seed))
    want = bench.reference({k: v.copy() for k, v in inputs.items()})
    got = simulate.run(src, bench.func, inputs, "hw", opt_level=opt_level).outputs
    for k in sorted(got):
        g, w = np.asarray(got[k]).reshape(-1), np.asarray(want[k]).reshape(-1)
        for i, (a, b) in enumerate(zip(g, w)):
            if not same_bits(np.asarray(a), np.asarray(b)):
                return f"{k}[{i}] got {a!r} want {b!r} ({int(np.asarray(a).view(np.uint32)):08x} " \
                       f"vs {int(np.asarray(b).view(np.uint32)):08x})"
    return "outputs differ"


def main_f32(levels: list[int], wanted: set[str], json_out: str | None,
             with_area: bool = True) -> int:
    """The f32 set at every level of `levels`; exit 1 unless every output is exact and
    every cycle count equals its estimate."""
    rows = []
    for bench in BENCHES_F32:
        if wanted and bench.name not in wanted:
            continue
        for n in levels:
            try:
                row = {"opt": n, **measure(bench, HlsOptions(n, None, None, None),
                                           with_area=with_area)}
                if not row["correct"]:
                    row["mismatch"] = _first_mismatch(bench, n)
            except UnifiedError as e:
                row = {"kernel": bench.name, "opt": n, "error": e.render().splitlines()[0]}
            print(f"{bench.name} -O{n}: {row}", file=sys.stderr)
            rows.append(row)
    print(f"PolyBench 8x8 f32 (our pipelined IEEE-754 binary32 units: add/sub "
          f"{unit_latency('addf')} cycles, mul {unit_latency('mulf')}, div "
          f"{unit_latency('divf')}): cycles go->done (Verilator), LUTs/FFs/DSPs from Yosys "
          "synth_xilinx; exact: "
          "every output bit for bit equal to numpy float32 loops in the kernel's order, and the "
          "cycles equal to the schedule's estimate")
    print(table_f32(rows, levels))
    if json_out:
        Path(json_out).write_text(json.dumps(rows, indent=2) + "\n")
    return 0 if all(r.get("correct") and r["cycles"] == r["estimated_cycles"]
                    for r in rows) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-O", dest="opt_level", type=int, default=0, choices=range(4),
                        help="hardware optimisation level (default 0)")
    parser.add_argument("--banks", type=int, metavar="F",
                        help="split memref arguments into F banks (hls-bank-memories; default: "
                        "the level's choice, 8 at -O3)")
    parser.add_argument("--unroll", type=int, metavar="N",
                        help="unroll innermost loops by N (default: the level's choice)")
    parser.add_argument("--pipeline", choices=("on", "off"),
                        help="software-pipeline innermost loops (default: on at -O3)")
    parser.add_argument("--only", default="", help="comma-separated kernel names")
    parser.add_argument("--json", metavar="OUT", help="also write the rows as JSON")
    parser.add_argument("--f32", action="store_true",
                        help="the binary32 set (examples/polybench_f32) at each of --levels")
    parser.add_argument("--levels", default="0,3",
                        help="with --f32: comma-separated -O levels (default 0,3)")
    parser.add_argument("--no-synth", action="store_true",
                        help="with --f32: no Yosys area (about 20 minutes per kernel at -O3)")
    args = parser.parse_args(argv)
    wanted = {n for n in args.only.split(",") if n}
    if args.f32:
        return main_f32([int(n) for n in args.levels.split(",") if n], wanted, args.json,
                        not args.no_synth)
    opts = HlsOptions(args.opt_level, args.unroll, args.banks,
                      None if args.pipeline is None else args.pipeline == "on")
    rows = []
    for bench in BENCHES:
        if wanted and bench.name not in wanted:
            continue
        try:
            row = measure(bench, opts)
        except UnifiedError as e:
            row = {"kernel": bench.name, "error": e.render().splitlines()[0]}
        print(f"{bench.name}: {row}", file=sys.stderr)
        rows.append(row)
    print(f"PolyBench 8x8 i32, {opts}: cycles go->done "
          "(Verilator), LUTs from "
          "Yosys synth_xilinx; published: Vivado HLS 2019.2, Calyx; bound: the memory-port "
          "bound (loads and stores through one port per memory), /bound: how far from it")
    print(table(rows))
    print("loops (source line: iterations x initiation interval in cycles):")
    for row in rows:
        loops = ", ".join(f"{lp['line']}: {lp['trips']}x{lp['interval']}"
                          for lp in row.get("loops", []))
        print(f"  {row['kernel']:8} {loops or '-'}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n")
    return 0 if all(r.get("correct") for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
