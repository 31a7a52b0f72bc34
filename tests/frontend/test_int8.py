"""int8 models: QLinearMatMul/QLinearConv requantize in integers and match onnx.reference."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator

from frontend import import_model
from unified import simulate
from unified.core import source


def _qlinear_matmul(seed: int, m: int, k: int, n: int) -> onnx.ModelProto:
    """Y = QLinearMatMul(A, B) with uint8 A (an input), int8 B (a weight), per-tensor scales."""
    rng = np.random.default_rng(seed)
    consts = [
        numpy_helper.from_array(np.float32(rng.uniform(0.01, 0.1)), "a_scale"),
        numpy_helper.from_array(np.uint8(rng.integers(100, 150)), "a_zero"),
        numpy_helper.from_array(rng.integers(-128, 128, (k, n)).astype(np.int8), "b"),
        numpy_helper.from_array(np.float32(rng.uniform(0.001, 0.02)), "b_scale"),
        numpy_helper.from_array(np.int8(rng.integers(-5, 5)), "b_zero"),
        numpy_helper.from_array(np.float32(rng.uniform(0.05, 0.5)), "y_scale"),
        numpy_helper.from_array(np.uint8(rng.integers(100, 150)), "y_zero"),
    ]
    node = helper.make_node("QLinearMatMul", ["a", "a_scale", "a_zero", "b", "b_scale", "b_zero",
                                              "y_scale", "y_zero"], ["y"], name="qmm")
    inputs = [helper.make_tensor_value_info("a", TensorProto.UINT8, [m, k])]
    graph = helper.make_graph(
        [node], "qmm", inputs, [helper.make_tensor_value_info("y", TensorProto.UINT8, [m, n])],
        consts)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)])


def _import(model: onnx.ModelProto, folder: Path) -> source.Source:
    path = folder / "qmm.onnx"
    onnx.save(model, str(path))
    mlir = folder / "qmm.mlir"
    mlir.write_text(import_model(path))
    return source.read(mlir)


def test_requantization_is_integer_only(tmp_path: Path) -> None:
    """The kernel keeps no float op: the scale product became a multiplier and a shift."""
    src = _import(_qlinear_matmul(0, 4, 8, 3), tmp_path)
    body = src.text[src.text.index("func.func @qmm"):src.text.index("func.func @main")]
    assert not re.search(r"\b(arith\.\w+f|arith\.(sitofp|fptosi|fptoui)|math\.\w+)\b", body)
    assert "arith.shrsi" in body and "i64" in body


@pytest.mark.parametrize("target", ["sw", "rvv"])
def test_qlinear_matmul_matches_reference(target: str, tmp_path: Path,
                                          require_tool: Callable[[str], str]) -> None:
    """Every output byte of a 16x32 @ 32x8 QLinearMatMul equals onnx.reference's."""
    if target == "rvv":
        require_tool("qemu-riscv64")
        require_tool("riscv64-gcc")
    model = _qlinear_matmul(1, 16, 32, 8)
    src = _import(model, tmp_path)
    a = np.random.default_rng(2).integers(0, 256, (16, 32)).astype(np.uint8)
    (want,) = ReferenceEvaluator(model).run(None, {"a": a})
    result = simulate.run(src, "main", {"arg0": a.view(np.int8),
                                        "arg1": np.zeros((16, 8), np.int8)}, target)
    np.testing.assert_array_equal(result.outputs["arg1"].view(np.uint8), want)


def test_qlinear_matmul_kernel_in_hardware(tmp_path: Path,
                                           require_tool: Callable[[str], str]) -> None:
    """The integer-only kernel goes through Calyx to Verilator (-O0) and gives the same bytes,
    its int8 weights (a global of the model) passed as its trailing argument."""
    require_tool("verilator")
    model = _qlinear_matmul(3, 4, 8, 3)
    src = _import(model, tmp_path)
    weights = next(numpy_helper.to_array(t) for t in model.graph.initializer if t.name == "b")
    a = np.random.default_rng(4).integers(0, 256, (4, 8)).astype(np.uint8)
    (want,) = ReferenceEvaluator(model).run(None, {"a": a})
    result = simulate.run(src, "qmm", {"arg0": a.view(np.int8), "arg1": np.zeros((4, 3), np.int8),
                                       "arg2": weights}, "hw", opt_level=0)
    np.testing.assert_array_equal(result.outputs["arg1"].view(np.uint8), want)
    assert result.report["cycles"] > 0
