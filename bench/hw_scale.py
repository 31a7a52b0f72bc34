"""Real-size layers in hardware: gemm N x N (i32) and a 3x3 convolution layer, co-simulated.

    .venv/bin/python bench/hw_scale.py [--sizes 8,16,32,64,128] [--no-conv] [-O 3]
                                       [--no-pnr] [--json OUT.json]

Each case is an application whose kernel is marked for hardware (`unified.target = "hw"`),
called from @main: gemm N x N (C += A B, written here for each N from one template) and
examples/layers/conv3x3.mlir (16 -> 16 channels on 32x32, 3x3). A kernel whose memrefs exceed
the platform's on-chip memory budget (onchip_memory_bytes, 16 KiB by default) is tiled by
partition/tile_for_hw.py: its tile kernel goes to hardware, the tile loops run on the CPU.

Per case: the tile and its calls; the whole application co-simulated at -O (default 3) with
`unified sim --target auto` semantics, checked exactly against numpy, with the accelerator's
cycles (go to done, all calls), every bus cycle of the run (transfers, polling and the runs)
and its nanoseconds at the platform clock, or at the core's Fmax from place and route
(hw_dialects/place_route.py, when present and its tools are installed); the wall time of the
co-simulation, first (building what the cache lacks) and again (cached); Yosys `synth_xilinx`
area of the hardware kernel's core (LUTs, FFs, DSPs) and of the whole accelerator side with
its scratchpads (LUTs, FFs, BRAM18s, DSPs); and the software figures for the same kernel, the
original untiled one: qemu's executed RVV stream timed by the RVV model, in cycles and ns at
the CPU clock. The copies the CPU makes between tiles are not in the hardware figures (they
run on the host in co-simulation).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from calyx_flow import synth
from unified import cosim
from unified.app import load_app
from unified.core import sim_io, source
from unified.core.durations import cycles_to_ns
from unified.core.errors import UnifiedError
from unified.kernel_cache import compile_cached
from unified.measure import kernel_rvv

CONV = ROOT / "examples" / "layers" / "conv3x3.mlir"
GEMM = ROOT / "examples" / "layers" / "gemm32.mlir"  # the template: its 32s become N
MAX_CYCLES = 200_000_000


def gemm_module(n: int, folder: Path) -> Path:
    """examples/layers/gemm32.mlir at N x N."""
    path = folder / f"gemm{n}.mlir"
    path.write_text(GEMM.read_text().replace("32x32", f"{n}x{n}").replace("to 32", f"to {n}"))
    return path


def gemm_case(n: int, rng: np.random.Generator) -> tuple[dict, np.ndarray]:
    a, b, c = (rng.integers(-100, 100, (n, n)).astype(np.int32) for _ in range(3))
    return {"arg0": a, "arg1": b, "arg2": c}, c + a @ b


def conv_case(rng: np.random.Generator) -> tuple[dict, np.ndarray]:
    x = rng.integers(-50, 50, (16, 34, 34)).astype(np.int32)
    w = rng.integers(-50, 50, (16, 16, 3, 3)).astype(np.int32)
    out = rng.integers(-50, 50, (16, 32, 32)).astype(np.int32)
    want = out.astype(np.int64)
    for ky in range(3):
        for kx in range(3):
            want += np.einsum("oc,cyx->oyx", w[:, :, ky, kx], x[:, ky:ky + 32, kx:kx + 32])
    return {"arg0": x, "arg1": w, "arg2": out}, want.astype(np.int32)


def measure(name: str, path: Path, kernel: str, inputs: dict, want: np.ndarray, *,
            opt_level: int, pnr: bool) -> dict:
    """One case's row (see the module docstring)."""
    app = load_app(path)
    tiling = next((t for t in app.tilings if t["kernel"] == kernel), None)
    hw_kernel = tiling["tile_kernel"] if tiling else kernel
    checked = sim_io.check_inputs(app.function("main"), inputs, app.path)
    walls = []
    for _ in range(2):
        t0 = time.perf_counter()
        result = cosim.simulate(app.src, "main", checked, opt_level=opt_level,
                                max_cycles=MAX_CYCLES)
        walls.append(time.perf_counter() - t0)
    exact = bool(np.array_equal(result.outputs["arg2"], want))
    report = result.report
    art = compile_cached(app.src.text, hw_kernel, opt_level=opt_level, path=app.path)
    core = synth.area(art)
    row = {
        "case": name, "kernel": kernel, "hw_kernel": hw_kernel,
        "placement": report["placement"],
        "tile": "x".join(map(str, tiling["tile"])) if tiling else "whole",
        "calls": report["kernels"][hw_kernel]["runs"], "exact": exact,
        "cycles": report["cycles"], "bus_cycles": report["bus_cycles"],
        "clock_mhz": app.platform.clock_mhz,
        "cosim_s_first": round(walls[0], 1), "cosim_s_cached": round(walls[1], 1),
        "core_luts": core["luts"], "core_ffs": core["ffs"], "core_dsps": core["dsps"],
    }
    row.update(shell_area(app, art))
    row["fmax_mhz"] = fmax(art) if pnr else None
    mhz = row["fmax_mhz"] or app.platform.clock_mhz
    row["hw_ns"] = round(cycles_to_ns(report["bus_cycles"], mhz))
    original = source.read(path)
    sw = kernel_rvv(original, kernel, vlen=app.platform.vlen, dlen=app.platform.dlen)
    row["sw_cycles"] = sw["cycles"]
    row["sw_instructions"] = sw["instructions"]
    row["sw_ns"] = round(cycles_to_ns(sw["cycles"], app.platform.cpu_mhz))
    return row


def shell_area(app, art) -> dict:
    """Yosys figures of the accelerator side: the core behind its shell and scratchpads."""
    from hw_dialects.shell import build_shell

    shell = build_shell([art], app.platform)
    figures = synth.design_area(shell.sv_files, shell.top)
    return {"accel_luts": figures["luts"], "accel_ffs": figures["ffs"],
            "accel_bram18": figures.get("bram18", 0), "accel_dsps": figures["dsps"]}


def fmax(art) -> float | None:
    """The core's Fmax from place and route, when hw_dialects/place_route.py and its tools
    are here; None otherwise."""
    try:
        from hw_dialects import place_route
    except ImportError:
        return None
    if not place_route.available():
        return None
    try:
        return round(place_route.place_route(art.sv_files, art.top).fmax_mhz, 1)
    except UnifiedError as e:
        print(f"  place and route of {art.top}: {e.render()}", file=sys.stderr)
        return None


COLUMNS = [("case", "case"), ("tile", "tile"), ("calls", "calls"), ("exact", "exact"),
           ("cycles", "HW cycles"), ("bus_cycles", "bus cycles"), ("fmax_mhz", "Fmax MHz"),
           ("hw_ns", "HW ns"), ("core_luts", "core LUTs"), ("core_ffs", "core FFs"),
           ("core_dsps", "core DSPs"), ("accel_luts", "accel LUTs"), ("accel_ffs", "accel FFs"),
           ("accel_bram18", "BRAM18"), ("accel_dsps", "accel DSPs"),
           ("cosim_s_first", "cosim s"), ("cosim_s_cached", "cached s"),
           ("sw_cycles", "RVV cycles"), ("sw_ns", "RVV ns")]


def table(rows: list[dict]) -> str:
    cells = [[h for _, h in COLUMNS]] + [[_fmt(r[k]) for k, _ in COLUMNS] for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(COLUMNS))]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(line, widths)) for line in cells)


def _fmt(v: object) -> str:
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "NO"
    return f"{v:,}" if isinstance(v, int) else str(v)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="8,16,32,64,128",
                        help="gemm sizes N (comma-separated; 0 or empty: none)")
    parser.add_argument("--no-conv", action="store_true", help="leave out the convolution")
    parser.add_argument("-O", dest="opt_level", type=int, default=3, choices=range(4))
    parser.add_argument("--no-pnr", action="store_true", help="no place and route (Fmax)")
    parser.add_argument("--json", metavar="OUT", help="also write the rows as JSON")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    rows: list[dict] = []
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="hw-scale-") as tmp:
        cases = [(f"gemm {n}", gemm_module(n, Path(tmp)), "gemm", *gemm_case(n, rng))
                 for n in (int(s) for s in args.sizes.split(",") if s.strip() and int(s))]
        if not args.no_conv:
            cases.append(("conv 3x3 16->16 32x32", CONV, "conv3x3", *conv_case(rng)))
        for name, path, kernel, inputs, want in cases:
            t0 = time.perf_counter()
            try:
                row = measure(name, path, kernel, inputs, want, opt_level=args.opt_level,
                              pnr=not args.no_pnr)
            except UnifiedError as e:  # reported, and the bench goes on with the next case
                print(f"{name}: {e.render()[-2000:]}", file=sys.stderr)
                failed.append(name)
                continue
            print(f"{name}: {row['tile']} tile, {row['calls']} call(s), "
                  f"{'exact' if row['exact'] else 'WRONG'}, {row['cycles']:,} HW cycles, "
                  f"cosim {row['cosim_s_first']} s ({time.perf_counter() - t0:.0f} s in all)",
                  file=sys.stderr, flush=True)
            rows.append(row)
    print(table(rows))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 0 if all(r["exact"] for r in rows) and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
