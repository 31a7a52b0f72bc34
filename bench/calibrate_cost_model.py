"""Fits the cost model's weights (partition/cost_model.py) against the real tools.

For every kernel of the bundled examples: the weighted operation counts
(partition.ir_profile) of the software flow's vector-level IR against the modelled CPU
cycles of one call under qemu (sw_dialects/rvv_timing.py over the dynamic RVV
instruction stream, VLEN 128, DLEN 64), and of the unified module's affine IR against
the exact go-to-done cycles in Verilator. Prints one row per kernel, the fitted weights
(non-negative least squares over a few operation groups) and each kernel's error.

    .venv/bin/python bench/calibrate_cost_model.py [--no-hw] [FILES...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from partition import cost_model
from partition.ir_profile import FunctionProfile, ModuleProfile
from unified import measure, sw_run
from unified.core import source
from unified.core.errors import UnifiedError
from unified.core.toolchain import worker
from unified.sw_flow import compile_sw

DEFAULT_FILES = ["examples/cnn.mlir", *sorted(str(p.relative_to(ROOT)) for p in
                                              (ROOT / "examples" / "kernels").glob("*.mlir"))]

# Operation groups fitted as one weight each (too few kernels to fit every kind apart).
GROUPS = {"mem": ("load", "store"), "alu": ("alu", "other"), "mul": ("mul", "div"),
          "float": ("float",), "vector": ("vector",), "iter": ("iter",)}


def features(ops: dict[str, int]) -> list[float]:
    return [float(sum(ops[k] for k in kinds)) for kinds in GROUPS.values()] + [1.0]


def nnls(a: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Least squares with non-negative weights (drops the most negative column until none)."""
    active = list(range(a.shape[1]))
    while True:
        w = np.zeros(a.shape[1])
        sol, *_ = np.linalg.lstsq(a[:, active], y, rcond=None)
        w[active] = sol
        if (sol >= 0).all() or len(active) == 1:
            return np.clip(w, 0, None)
        active.pop(int(np.argmin(sol)))


def rvv_cycles(src: source.Source, kernel: str) -> int:
    """Modelled CPU cycles of one call of `kernel` under qemu (RVV timing model)."""
    fn = src.function(kernel)
    result = sw_run.simulate(src, kernel, measure.sample_inputs(fn), target="rvv")
    return int(result.report["cycles"])


def collect(files: list[str], hw: bool) -> list[dict]:
    rows = []
    for f in files:
        src = source.read(ROOT / f)
        prof: ModuleProfile = worker(source.PARSER_BUILD).call(src.text,
                                                               "partition.ir_profile:profile")
        vector = compile_sw(src.text, vlen=128, stop_after="vector").ir["vector"]
        sw_prof: ModuleProfile = worker("mlir").call(vector, "partition.ir_profile:profile")
        for name, fn in src.info.functions.items():
            fp = prof.functions.get(name)
            if fp is None or fp.calls or name == "main":
                continue
            sp = sw_prof.functions[name]
            row = {"kernel": f"{Path(f).stem}:{name}", "ops": fp.ops, "sw_ops": sp.ops,
                   "sw_model": cost_model.sw_cycles(sp), "hw_model": cost_model.hw_cycles(fp)}
            try:
                row["qemu"] = rvv_cycles(src, name)
            except UnifiedError as e:
                print(f"  {row['kernel']}: no qemu count ({e.message.splitlines()[0]})")
            if hw and cost_model.no_hw_reason(fp, fn, f) is None:
                try:
                    row["verilator"] = measure.kernel_cycles(src, name)["cycles"]
                except UnifiedError as e:
                    print(f"  {row['kernel']}: no Verilator count ({e.message.splitlines()[0]})")
            print(f"  {row}", flush=True)
            rows.append(row)
        if "main" in sw_prof.functions and sw_prof.functions["main"].ops["alloc"]:
            entry_alloc_weight(src, sw_prof.functions["main"], rows, Path(f).stem)
    return rows


def entry_alloc_weight(src: source.Source, main: FunctionProfile, rows: list[dict],
                       stem: str) -> None:
    """memref.alloc/dealloc are malloc/free calls: their weight, from an entry that makes
    them, is what is left of its qemu count after its callees and its own other ops."""
    callees = sum(s.times * next(r["qemu"] for r in rows if r["kernel"] == f"{stem}:{s.callee}")
                  for s in main.calls)
    total = rvv_cycles(src, "main")
    others = cost_model.sw_cycles(main) - cost_model.SW_WEIGHTS["alloc"] * main.ops["alloc"]
    weight = (total - callees - others) / main.ops["alloc"]
    print(f"\n{stem}:main: {total} cycles, {callees} in its callees, "
          f"{main.ops['alloc']} allocs/deallocs: alloc weight {weight:.1f}")


def fit(rows: list[dict], key: str, model_key: str, ops_key: str) -> None:
    data = [r for r in rows if key in r]
    if not data:
        print(f"no {key} figures")
        return
    a = np.array([features(r[ops_key]) for r in data])
    y = np.array([float(r[key]) for r in data])
    w = nnls(a, y)
    names = [*GROUPS, "per call"]
    print(f"\n{key}: fitted weights " + ", ".join(f"{n}={v:.3f}" for n, v in zip(names, w)))
    print(f"{'kernel':28} {key:>10} {'current':>10} {'err':>7} {'fitted':>10} {'err':>7}")
    for r, fitted in zip(data, a @ w):
        cur = r[model_key]
        print(f"{r['kernel']:28} {r[key]:>10} {cur:>10.0f} {(cur - r[key]) / r[key]:>7.0%} "
              f"{fitted:>10.0f} {(fitted - r[key]) / r[key]:>7.0%}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", default=DEFAULT_FILES)
    parser.add_argument("--no-hw", action="store_true", help="skip the Verilator runs")
    args = parser.parse_args()
    rows = collect(args.files, hw=not args.no_hw)
    fit(rows, "qemu", "sw_model", "sw_ops")
    fit(rows, "verilator", "hw_model", "ops")
    return 0


if __name__ == "__main__":
    sys.exit(main())
