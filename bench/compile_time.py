"""Times `unified compile` on the bundled example, stage by stage.

Runs the command as a user does (a fresh process, with an empty build cache so that every
kernel really compiles), with every integer kernel in hardware (`--partition hw`; the
automatic placement of examples/cnn.mlir puts only its forced @relu there) so that all
three sides come out at their largest: SystemVerilog, the RVV object and the driver. Yosys (area) and Verilator
(cycle counts) are cached builds: they are timed apart and left out of the target
(MLIR in to SystemVerilog, RVV object and driver out within 5 s on 2 cores). A second
run with the cache warm shows what a rebuild costs.

    .venv/bin/python bench/compile_time.py [--partition auto|hw|sw] [--no-sim] [APP.mlir]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 5.0


def run(app: Path, out: Path, cache: Path, partition: str, sim: bool) -> tuple[float, dict]:
    """Wall seconds of one `unified compile` and its report."""
    cmd = [str(Path(sys.executable).parent / "unified"), "compile", str(app), "-o", str(out),
           "--partition", partition, "-q"] + ([] if sim else ["--no-sim"])
    env = dict(os.environ, UNIFIED_CACHE=str(cache))
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"unified compile failed:\n{proc.stderr}")
    return wall, json.loads((out / "report.json").read_text())


def table(wall: float, report: dict) -> tuple[str, float]:
    """The stage table and the wall time without the cached builds."""
    stages = report["timings_s"]
    apart = report["cached_builds_s"]
    in_stages = sum(stages.values())
    compile_wall = wall - sum(apart.values())
    lines = [f"{'stage':34} {'seconds':>8}"]
    lines += [f"{name:34} {s:>8.2f}" for name, s in stages.items()]
    lines.append(f"{'start-up (python, imports, exit)':34} {wall - in_stages - sum(apart.values()):>8.2f}")
    lines.append(f"{'= MLIR in -> SV, RVV object, driver':34} {compile_wall:>8.2f}   "
                 f"(target {TARGET_S:.0f} s: {'met' if compile_wall <= TARGET_S else 'MISSED'})")
    lines += [f"{'  apart: ' + name:34} {s:>8.2f}" for name, s in apart.items()]
    lines.append(f"{'wall, everything':34} {wall:>8.2f}")
    return "\n".join(lines), compile_wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("app", nargs="?", default=str(ROOT / "examples" / "cnn.mlir"))
    parser.add_argument("--partition", default="hw", choices=("auto", "hw", "sw"))
    parser.add_argument("--no-sim", action="store_true", help="no Verilator runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="unified-bench-") as tmp:
        folder, cache = Path(tmp), Path(tmp) / "cache"
        results = []
        for label in ("cold cache", "warm cache"):
            wall, report = run(Path(args.app), folder / "out", cache, args.partition,
                               not args.no_sim)
            text, compile_wall = table(wall, report)
            kernels = len(list((cache / "hw-kernel").glob("*"))) if (cache / "hw-kernel").exists() else 0
            hw = [k for k, v in report["kernels"].items() if v["target"] == "hw"]
            print(f"\n## unified compile {Path(args.app).name} --partition {args.partition}, "
                  f"{label}: {len(hw)} kernel(s) in hardware, {kernels} compiled kernel(s) "
                  f"in the cache\n{text}")
            results.append(compile_wall)
    return 0 if results[0] <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
