"""The ONNX backend's node test cases for the frontend's operators, run through `unified`.

    .venv/bin/python bench/onnx_cases.py                 # every case on the host
    .venv/bin/python bench/onnx_cases.py --target rvv --ops Conv,Relu

Each case (model, inputs, expected outputs from `onnx.backend.test.case.node`) is
imported with `unified import`, `@main` run on the host (`sw`) or under qemu (`rvv`) and
compared as ONNX's backend runner does (`assert_allclose`, the case's rtol/atol, 1e-3 and
1e-7 by default). Prints the pass count per operator and the reason for every case left
out. tests/frontend runs a subset of the same cases.
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from frontend import SUPPORTED_OPS
from frontend.onnx_graph import ELEMENT_TYPES
from unified.core.errors import UnifiedError

OPS = tuple(sorted(SUPPORTED_OPS - {"Constant", "Identity"}))
# Inputs of the backend cases that a deployed model holds as initializers (weights and
# quantization parameters): they become constants before the import.
CONSTANT_INPUTS = {"x_zero_point", "w_zero_point", "y_zero_point", "a_zero_point",
                   "b_zero_point", "x_scale", "w_scale", "y_scale", "a_scale", "b_scale"}


@dataclass
class Outcome:
    """One case's result: `status` is pass, fail (wrong numbers), error (the flow broke) or
    skip (outside the frontend, or refused by its checks with a located message)."""

    case: str
    op: str
    status: str
    detail: str = ""


def node_cases(ops: Iterable[str] = OPS) -> list[Any]:
    """The installed onnx's node test cases whose first node is one of `ops` (in onnx's order)."""
    from onnx.backend.test.case.node import collect_testcases

    wanted = set(ops)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cases = collect_testcases(None)
    return [c for c in cases if c.model.graph.node and c.model.graph.node[0].op_type in wanted]


def op_of(case: Any) -> str:
    """The operator a case tests (its first node's)."""
    return case.model.graph.node[0].op_type


def skip_reason(case: Any) -> str:
    """Why the frontend does not take `case` ('' when it should)."""
    import onnx

    graph = case.model.graph
    others = {n.op_type for n in graph.node} - SUPPORTED_OPS
    if others:
        return f"also uses {', '.join(sorted(others))}"
    for v in [*graph.input, *graph.output]:
        if not v.type.HasField("tensor_type"):
            return f"'{v.name}' is not a tensor"
    for v in [*graph.input, *graph.output]:
        t = v.type.tensor_type
        if t.elem_type not in ELEMENT_TYPES:
            name = onnx.TensorProto.DataType.Name(t.elem_type).lower()
            if v in graph.output or name != "int64":  # int64 shapes and axes become constants
                return f"{name} tensors"
        if any(d.HasField("dim_value") and d.dim_value == 0 for d in t.shape.dim):
            return "an empty tensor (a dimension of size 0)"
    if op_of(case) == "BatchNormalization" and len(graph.output) > 1:
        return "training mode (running mean/variance outputs)"
    return ""


def prepare(case: Any, folder: Path, data_set: int = 0) -> tuple[Path, dict[str, np.ndarray],
                                                                    list[np.ndarray]]:
    """Writes `case`'s model to `folder` with its integer and scalar inputs made initializers
    (shapes, axes, clip bounds are constants in a compiled model); returns the model path,
    the npz inputs (arg0 ...: inputs, then zeroed outputs) and the expected outputs."""
    import onnx
    from onnx import numpy_helper

    inputs, expected = case.data_sets[data_set]
    model = onnx.ModelProto.FromString(case.model.SerializeToString())
    graph = model.graph
    kept, feeds = [], []
    for vi, value in zip(list(graph.input), inputs):
        value = np.asarray(value)
        if value.dtype == np.int64 or value.ndim == 0 or vi.name in CONSTANT_INPUTS:
            graph.initializer.append(numpy_helper.from_array(value, vi.name))
        else:
            kept.append(vi)
            feeds.append(value)
    del graph.input[:]
    graph.input.extend(kept)
    path = folder / f"{case.name}.onnx"
    onnx.save(model, str(path))
    args = {f"arg{i}": _signless(v) for i, v in enumerate(feeds)}
    for j, out in enumerate(expected):
        args[f"arg{len(feeds) + j}"] = np.zeros_like(_signless(np.asarray(out)))
    return path, args, [np.asarray(e) for e in expected]


def _signless(value: np.ndarray) -> np.ndarray:
    """uint8 data as the int8 a signless i8 memref holds (same bits)."""
    return value.view(np.int8) if value.dtype == np.uint8 else value


def run_case(case: Any, folder: Path, target: str = "sw") -> Outcome:
    """Imports, runs and checks one case; never raises for a case the flow gets wrong."""
    from frontend import import_model, onnx_graph
    from unified import simulate, sw_run
    from unified.core import sim_io, source

    op = op_of(case)
    why = skip_reason(case)
    if why:
        return Outcome(case.name, op, "skip", why)
    path, args, expected = prepare(case, folder)
    try:
        onnx_graph.split(onnx_graph.load(path), str(path))
    except UnifiedError as e:  # the frontend's own checks: a located refusal, not a failure
        return Outcome(case.name, op, "skip", "refused: " + e.message)
    try:
        mlir_path = path.with_suffix(".mlir")
        mlir_path.write_text(import_model(path))
        src = source.read(mlir_path)
        if target == "rvv":  # the outputs only: counting instructions costs 10x the run
            checked = sim_io.check_inputs(src.function("main"), args, src.path)
            result = sw_run.simulate(src, "main", checked, target="rvv", count_instructions=False)
        else:
            result = simulate.run(src, "main", args, target)
    except UnifiedError as e:
        return Outcome(case.name, op, "error", e.render().splitlines()[0][:300])
    n_in = len(args) - len(expected)
    for j, want in enumerate(expected):
        got = result.outputs[f"arg{n_in + j}"].view(want.dtype)
        try:
            np.testing.assert_allclose(got, want, rtol=case.rtol, atol=case.atol)
        except AssertionError as e:
            worst = str(e).strip().splitlines()
            return Outcome(case.name, op, "fail", " ".join(worst[2:4])[:300])
    return Outcome(case.name, op, "pass")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", choices=("sw", "rvv"), default="sw")
    parser.add_argument("--ops", default=",".join(OPS), help="comma-separated ONNX operators")
    args = parser.parse_args(argv)
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="unified-onnx-cases-") as tmp:
        for case in node_cases(args.ops.split(",")):
            outcome = run_case(case, Path(tmp), args.target)
            outcomes.append(outcome)
            print(f"{outcome.status:5} {outcome.case} {outcome.detail}", flush=True)
    by_op: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for o in outcomes:
        by_op[o.op][o.status] += 1
    print(f"\n{'operator':20} pass / run   (skipped)")
    for op in sorted(by_op):
        c = by_op[op]
        run = c["pass"] + c["fail"] + c["error"]
        print(f"{op:20} {c['pass']:4} / {run:<4}  ({c['skip']})")
    total = collections.Counter(o.status for o in outcomes)
    print(f"{'total':20} {total['pass']:4} / {total['pass'] + total['fail'] + total['error']:<4}"
          f"  ({total['skip']})")
    return 0 if total["fail"] + total["error"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
