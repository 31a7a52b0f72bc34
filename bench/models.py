"""The example models (examples/models/build_models.py) through `unified import` and `sim`.

    .venv/bin/python bench/models.py [--targets sw,rvv]

For each model: the kernels the import makes, the import time, the largest difference
from `onnx.reference` on the host and under qemu (RVV, VLEN 128), and the dynamic
instruction count of one run of @main on RVV.
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


def measure(name: str, folder: Path, targets: list[str]) -> dict[str, object]:
    """Imports model `name`, runs it on each target; returns the row of figures."""
    model = build_models.MODELS[name]()
    path = folder / f"{name}.onnx"
    onnx.save(model, str(path))
    t0 = time.perf_counter()
    text = import_model(path)
    row: dict[str, object] = {"model": name, "import s": round(time.perf_counter() - t0, 2)}
    mlir = folder / f"{name}.mlir"
    mlir.write_text(text)
    src = source.read(mlir)
    row["kernels"] = len(src.info.functions) - 1
    shape = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]
    out_shape = [d.dim_value for d in model.graph.output[0].type.tensor_type.shape.dim]
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    (want,) = ReferenceEvaluator(model).run(None, {model.graph.input[0].name: x})
    out = np.zeros(out_shape, want.dtype)
    out = out.view(np.int8) if out.dtype == np.uint8 else out  # a signless i8 memref
    for target in targets:
        try:
            result = simulate.run(src, "main", {"arg0": x, "arg1": out}, target)
        except UnifiedError as e:
            row[f"{target} max err"] = e.message.splitlines()[0][:60]
            continue
        got = result.outputs["arg1"].view(want.dtype).astype(np.float64)
        row[f"{target} max err"] = float(np.abs(got - want).max())
        if "instructions" in result.report:
            row[f"{target} instructions"] = result.report["instructions"]
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--targets", default="sw,rvv", help="comma-separated: sw, rvv")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="unified-models-") as tmp:
        for name in build_models.MODELS:
            rows.append(measure(name, Path(tmp), args.targets.split(",")))
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
