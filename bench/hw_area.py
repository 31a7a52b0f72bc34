"""PolyBench 8x8 area: Yosys `synth_xilinx` on everything `unified compile --partition hw` writes.

    .venv/bin/python bench/hw_area.py [--levels 3,0] [--only gemm,atax] [--json OUT.json]

Each kernel (examples/polybench/*.mlir) is compiled with `unified compile --partition hw
-O N --no-sim`, and the whole of OUT/hw/ (core, scratchpads, shell, AXI top) is synthesized
three times: as written (`total`), with the cores left as empty boxes (`shell`: scratchpads
and bus logic) and with cores and scratchpads left empty (`bus`: registers, AXI4-Lite, DMA).
So `memories = shell - bus` and `total - bus` is the cores with their memories in place (a
core alone, `total - shell`, is not a stable difference: flattened together, Yosys shares
logic across the boundary; the report's own figure of the core synthesized alone is shown
instead). Per kernel: LUTs (logic plus LUT-RAM sites, as Vivado's "Slice LUTs"), LUT-RAM,
FFs, RAMB18 halves, DSPs; then `(total - bus) / HLS`, against Vivado HLS 2019.2's LUTs for
the kernel (bench/hw_latency.py), whose memories sit outside its IP, and the geometric mean
of that ratio; the bus logic apart.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from calyx_flow.synth import design_area

KERNELS = ("gemm", "2mm", "atax", "bicg", "gesummv", "mvt")
FIGURES = ("luts", "lutram", "ffs", "bram18", "dsps")


def hls_luts() -> dict[str, int]:
    """Vivado HLS 2019.2's LUTs per kernel, as bench/hw_latency.py cites them."""
    sys.path.insert(0, str(ROOT / "bench"))
    from hw_latency import PUBLISHED

    return {k: v[1] for k, v in PUBLISHED.items()}


def compile_hw(kernel: str, level: int, out: Path) -> tuple[dict[str, str], dict[str, dict]]:
    """`unified compile --partition hw` of one PolyBench kernel: (OUT/hw files, the report's
    kernels: their names are the cores' top modules)."""
    src = ROOT / "examples" / "polybench" / f"{kernel}.mlir"
    cmd = [str(ROOT / ".venv" / "bin" / "unified"), "compile", str(src), "--partition", "hw",
           "--no-sim", "-q", "-O", str(level), "-o", str(out)]
    subprocess.run(cmd, check=True, cwd=ROOT)
    names = (out / "hw" / "filelist.f").read_text().split()
    files = {n: (out / "hw" / n).read_text() for n in names}
    return files, json.loads((out / "report.json").read_text())["kernels"]


def measure(kernel: str, level: int) -> dict:
    """The three syntheses of one kernel's hardware and the parts they give."""
    with tempfile.TemporaryDirectory(prefix="unified-hw-area-") as tmp:
        files, cores = compile_hw(kernel, level, Path(tmp) / "out")
    pads = tuple(Path(n).stem for n in files if n.startswith("scratchpad_"))
    total = design_area(files, "unified_top")
    shell = design_area(files, "unified_top", tuple(cores))
    bus = design_area(files, "unified_top", (*cores, *pads))
    parts = {"total": total, "bus": bus, "memories": {k: shell[k] - bus[k] for k in FIGURES}}
    alone = sum(c["luts"] for c in cores.values())  # the cores synthesized on their own
    return {"kernel": kernel, "level": level, "core_alone_luts": alone, **parts}


def geomean(values: list[float]) -> float:
    """The geometric mean of positive `values` (nan for none)."""
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def table(rows: list[dict], hls: dict[str, int]) -> str:
    """One line per kernel and level, then the geometric means per level."""
    head = (f"{'kernel':8} {'-O':>2} {'LUTs':>6} {'LUTRAM':>6} {'FFs':>6} {'BRAM18':>6} "
            f"{'DSPs':>4} | {'bus':>5} {'mem':>5} {'c+m':>5} {'alone':>5} | {'HLS':>5} "
            f"{'(c+m)/HLS':>9} {'alone/HLS':>9}")
    lines = [head, "-" * len(head)]
    for level in sorted({r["level"] for r in rows}, reverse=True):
        kept, alone = [], []
        for r in (r for r in rows if r["level"] == level):
            t, h = r["total"], hls[r["kernel"]]
            ours = t["luts"] - r["bus"]["luts"]  # the cores and their memories, in place
            kept.append(ours / h)
            alone.append(r["core_alone_luts"] / h)
            lines.append(f"{r['kernel']:8} {level:2d} {t['luts']:6d} {t['lutram']:6d} "
                         f"{t['ffs']:6d} {t['bram18']:6d} {t['dsps']:4d} | "
                         f"{r['bus']['luts']:5d} {r['memories']['luts']:5d} {ours:5d} "
                         f"{r['core_alone_luts']:5d} | {h:5d} {kept[-1]:9.2f} {alone[-1]:9.2f}")
        lines.append(f"{'geomean':8} {level:2d} {'':6} {'':6} {'':6} {'':6} {'':4} | "
                     f"{'':5} {'':5} {'':5} {'':5} | {'':5} {geomean(kept):9.2f} "
                     f"{geomean(alone):9.2f}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", default="3,0", help="optimisation levels, e.g. 3,0")
    parser.add_argument("--only", default="", help="comma-separated kernels (default: all)")
    parser.add_argument("--json", type=Path, help="write the rows here")
    args = parser.parse_args()
    kernels = [k for k in args.only.split(",") if k] or list(KERNELS)
    jobs = [(k, int(level)) for level in args.levels.split(",") for k in kernels]
    rows = []
    for i, (kernel, level) in enumerate(jobs, 1):
        rows.append(measure(kernel, level))
        print(f"[{i}/{len(jobs)}] {kernel} -O{level}: {rows[-1]['total']['luts']} LUTs",
              file=sys.stderr, flush=True)
    print(table(rows, hls_luts()))
    print("LUTs = logic + LUT-RAM sites (Yosys 0.23 synth_xilinx, 7-series), of the whole "
          "OUT/hw/ (unified_top); bus = with cores and scratchpads empty (registers, AXI4-Lite, "
          "DMA); mem = the scratchpads (with empty cores, less bus); c+m = LUTs - bus, the "
          "cores and their memories in place; alone = the cores synthesized on their own (the "
          "report's figure); HLS = Vivado HLS 2019.2's LUTs (its memories outside the IP).")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
