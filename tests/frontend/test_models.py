"""Whole models through `unified import` and `unified sim`, against onnx's reference evaluator."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import pytest
from onnx.reference import ReferenceEvaluator

from frontend import import_model
from unified import simulate
from unified.core import source

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples" / "models"))

import build_models

Run = Callable[..., subprocess.CompletedProcess[str]]


def _feeds(model: Any, seed: int = 1) -> tuple[np.ndarray, np.ndarray, list[int]]:
    shape = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]
    out = [d.dim_value for d in model.graph.output[0].type.tensor_type.shape.dim]
    x = np.random.default_rng(seed).standard_normal(shape).astype(np.float32)
    (want,) = ReferenceEvaluator(model).run(None, {model.graph.input[0].name: x})
    return x, want, out


def _run_model(name: str, folder: Path, target: str) -> None:
    model = build_models.MODELS[name]()
    path = folder / f"{name}.onnx"
    onnx.save(model, str(path))
    mlir = folder / f"{name}.mlir"
    mlir.write_text(import_model(path))
    x, want, out_shape = _feeds(model)
    result = simulate.run(source.read(mlir), "main",
                          {"arg0": x, "arg1": np.zeros(out_shape, np.float32)}, target)
    np.testing.assert_allclose(result.outputs["arg1"], want, rtol=1e-3, atol=1e-6)


@pytest.mark.parametrize("name", ["mlp", "lenet5", "mobilenet_block"])
def test_model_on_host_matches_reference(name: str, tmp_path: Path) -> None:
    """The imported model's @main on the host gives onnx.reference's outputs."""
    _run_model(name, tmp_path, "sw")


def test_mlp_under_qemu_matches_reference(tmp_path: Path,
                                          require_tool: Callable[[str], str]) -> None:
    """The same for the rv64gcv code of the MLP under qemu-riscv64."""
    require_tool("qemu-riscv64")
    require_tool("riscv64-gcc")
    _run_model("mlp", tmp_path, "rvv")


def test_mlp_module_has_a_kernel_per_node(tmp_path: Path) -> None:
    """One kernel per node named after it, @main(inputs, outputs), weights as globals that
    @main passes to the kernels."""
    path = tmp_path / "mlp.onnx"
    onnx.save(build_models.mlp(), str(path))
    mlir = tmp_path / "mlp.mlir"
    mlir.write_text(import_model(path))
    src = source.read(mlir)
    assert list(src.info.functions) == ["fc1", "relu1", "fc2", "relu2", "fc3", "softmax", "main"]
    main = src.info.functions["main"]
    assert [(a.kind, a.element, a.shape) for a in main.args] == [
        ("memref", "f32", (1, 64)), ("memref", "f32", (1, 10))]
    assert main.callees == ("fc1", "relu1", "fc2", "relu2", "fc3", "softmax")
    assert all(src.info.functions[k].results == () for k in main.callees)
    assert src.text.count('memref.global "private" @') == 6  # 3 weights, 3 biases
    assert [a.shape for a in src.info.functions["fc2"].args] == [(1, 32), (1, 16), (32, 16),
                                                                 (16,)]
    assert 'loc("fc2")' in src.text
    assert src.text.count('unified.onnx_op = "Gemm"') == 3


def test_sim_takes_the_model_directly(tmp_path: Path, run_script: Run) -> None:
    """`unified sim MODEL.onnx --target sw` imports, runs @main and writes the outputs."""
    model = build_models.mlp(seed=3)
    path = tmp_path / "mlp.onnx"
    onnx.save(model, str(path))
    x, want, out_shape = _feeds(model, seed=4)
    np.savez(tmp_path / "in.npz", arg0=x, arg1=np.zeros(out_shape, np.float32))
    proc = run_script("unified", "sim", path, "--func", "main", "--target", "sw",
                      "--inputs", tmp_path / "in.npz", "--outputs", tmp_path / "out.npz")
    assert proc.returncode == 0, proc.stderr
    got = np.load(tmp_path / "out.npz")["arg1"]
    np.testing.assert_allclose(got, want, rtol=1e-3, atol=1e-6)


def test_compile_report_names_the_model(tmp_path: Path, run_script: Run) -> None:
    """`unified compile MODEL.onnx`: the report's source is the model, not the cached import."""
    path = tmp_path / "mlp.onnx"
    onnx.save(build_models.mlp(), str(path))
    out = tmp_path / "build"
    proc = run_script("unified", "compile", path, "-o", out, "--stop-after", "partition",
                      "--no-sim", "-q")
    assert proc.returncode == 0, proc.stderr
    assert json.loads((out / "report.json").read_text())["source"] == str(path)
    assert (out / "report.md").read_text().startswith(f"# unified compile: {path}\n")


def test_depthwise_conv_on_host(tmp_path: Path) -> None:
    """A grouped (depthwise) Conv with strides, pads and dilations matches onnx.reference."""
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(7)
    w = numpy_helper.from_array(rng.standard_normal((6, 1, 3, 3)).astype(np.float32), "w")
    node = helper.make_node("Conv", ["x", "w"], ["y"], name="dw", group=6, pads=[2, 1, 2, 1],
                            strides=[2, 1], dilations=[2, 1])
    graph = helper.make_graph(
        [node], "dw", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 6, 9, 7])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 6, 5, 7])], [w])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    path = tmp_path / "dw.onnx"
    onnx.save(model, str(path))
    mlir = tmp_path / "dw.mlir"
    mlir.write_text(import_model(path))
    x, want, out_shape = _feeds(model)
    result = simulate.run(source.read(mlir), "main",
                          {"arg0": x, "arg1": np.zeros(out_shape, np.float32)}, "sw")
    np.testing.assert_allclose(result.outputs["arg1"], want, rtol=1e-3, atol=1e-6)


def test_qdq_model_on_host_is_exact(tmp_path: Path) -> None:
    """An int8 QDQ model (quantize, dequantize, Conv, Relu, quantize to uint8) computes its
    Conv in integers (rewritten to QLinearConv): every output byte equals onnxruntime's (which
    fuses the same way; skipped without it) and onnx.reference's of the QLinear form."""
    from frontend.qdq_to_qlinear import qdq_to_qlinear

    model = build_models.qdq_conv()
    path = tmp_path / "qdq.onnx"
    onnx.save(model, str(path))
    mlir = tmp_path / "qdq.mlir"
    mlir.write_text(import_model(path))
    src = source.read(mlir)
    main = src.info.functions["main"]
    assert [(a.element, a.shape) for a in main.args] == [("f32", (1, 3, 8, 8)),
                                                        ("i8", (1, 4, 8, 8))]
    assert [src.info.functions[k].onnx[1] for k in main.callees] == ["QuantizeLinear",
                                                                     "QLinearConv"]
    x = np.random.default_rng(5).standard_normal((1, 3, 8, 8)).astype(np.float32)
    (want,) = ReferenceEvaluator(qdq_to_qlinear(model)).run(None, {"x": x})
    result = simulate.run(src, "main", {"arg0": x, "arg1": np.zeros((1, 4, 8, 8), np.int8)}, "sw")
    got = result.outputs["arg1"].view(np.uint8)
    np.testing.assert_array_equal(got, want)
    ort = pytest.importorskip("onnxruntime", reason="onnxruntime is not installed")
    model.ir_version = min(model.ir_version, 10)  # what onnxruntime 1.31 reads
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    np.testing.assert_array_equal(got, session.run(None, {"x": x})[0])
