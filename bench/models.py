"""The example models (examples/models/build_models.py) through `unified import` and `sim`.

    .venv/bin/python bench/models.py [--targets sw,rvv,auto] [--models lenet5_int8,...] [-O N]
                                     [--cost]

For each model: the kernels the import makes, the import time, the largest difference
from `onnx.reference` on the host and under qemu (RVV, VLEN 128), and the dynamic
instruction count of one run of @main on RVV. `auto` co-simulates the models that have a
mixed placement (MIXED: layers forced to hardware run in Verilator behind the C driver)
and gives the hardware layers' cycles (Verilator) and the run's bus cycles; with `--cost`
every model is co-simulated as the partitioner places it (`unified compile`'s choice).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "examples" / "models"))

import build_models
import onnx
from onnx.reference import ReferenceEvaluator

from frontend import import_model
from unified import simulate
from unified.core import source
from unified.core.errors import UnifiedError

# ONNX node -> side, for the models co-simulated with a mixed placement (`auto`)
MIXED = {"lenet5_int8": {"conv2": "hw", "pool2": "hw", **dict.fromkeys(
    ("conv1", "pool1", "fc1", "fc2", "fc3"), "sw")}}


def _input(model: onnx.ModelProto) -> np.ndarray:
    """A seeded input of the model's first input's shape and type (uint8 pixels or normal
    floats)."""
    t = model.graph.input[0].type.tensor_type
    shape = [d.dim_value for d in t.shape.dim]
    rng = np.random.default_rng(0)
    if t.elem_type == onnx.TensorProto.UINT8:
        return rng.integers(0, 256, shape).astype(np.uint8)
    return rng.standard_normal(shape).astype(np.float32)


def measure(name: str, folder: Path, targets: list[str], opt_level: int = 3,
            cost: bool = False) -> dict[str, object]:
    """Imports model `name`, runs it on each target (hardware at -O`opt_level`; `cost`: `auto`
    places every layer by the cost model, not MIXED); returns the row of figures."""
    model = build_models.MODELS[name]()
    path = folder / f"{name}.onnx"
    onnx.save(model, str(path))
    t0 = time.perf_counter()
    text = import_model(path, targets=None if cost else MIXED.get(name))
    row: dict[str, object] = {"model": name, "import s": round(time.perf_counter() - t0, 2)}
    mlir = folder / f"{name}.mlir"
    mlir.write_text(text)
    src = source.read(mlir)
    row["kernels"] = len(src.info.functions) - 1
    out_shape = [d.dim_value for d in model.graph.output[0].type.tensor_type.shape.dim]
    x = _input(model)
    (want,) = ReferenceEvaluator(model).run(None, {model.graph.input[0].name: x})
    out = np.zeros(out_shape, want.dtype)
    out = out.view(np.int8) if out.dtype == np.uint8 else out  # a signless i8 memref
    x = x.view(np.int8) if x.dtype == np.uint8 else x
    for target in targets:
        if target == "auto" and name not in MIXED and not cost:
            continue
        try:
            result = simulate.run(src, "main", {"arg0": x, "arg1": out}, target,
                                  opt_level=opt_level)
        except UnifiedError as e:
            row[f"{target} max err"] = e.message.splitlines()[0][:60]
            continue
        got = result.outputs["arg1"].view(want.dtype).astype(np.float64)
        row[f"{target} max err"] = float(np.abs(got - want).max())
        if "instructions" in result.report:
            row[f"{target} instructions"] = result.report["instructions"]
        if target == "auto":
            hw = result.report["kernels"]
            row["hw layers"] = ",".join(hw)
            row["hw cycles"] = sum(k["cycles"] for k in hw.values())
            row["bus cycles"] = result.report.get("bus_cycles")
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--targets", default="sw,rvv", help="comma-separated: sw, rvv, auto")
    parser.add_argument("--models", default=",".join(build_models.MODELS),
                        help="comma-separated names from examples/models/build_models.py")
    parser.add_argument("-O", dest="opt_level", type=int, default=3,
                        help="hardware optimisation level for `auto` (default 3)")
    parser.add_argument("--cost", action="store_true",
                        help="auto: the cost model places every layer (default: MIXED's layers "
                        "forced to hardware)")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="unified-models-") as tmp:
        for name in args.models.split(","):
            rows.append(measure(name, Path(tmp), args.targets.split(","), args.opt_level,
                                args.cost))
            print(rows[-1], flush=True)
    columns = list(dict.fromkeys(k for r in rows for k in r))
    print("\n| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for r in rows:
        print("| " + " | ".join(f"{r.get(c, '—'):.2e}" if isinstance(r.get(c), float)
                                and "err" in c else str(r.get(c, "—")) for c in columns) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
