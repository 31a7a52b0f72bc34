"""Weights reach hardware: kernels take the model's globals as arguments, so int8 layers
compile to Verilator and co-simulate through the driver bit-exactly."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper
from onnx.reference import ReferenceEvaluator

from frontend import import_model
from unified import simulate
from unified.core import source

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples" / "models"))

import build_models

Run = Callable[..., subprocess.CompletedProcess[str]]


def _qmm(seed: int) -> onnx.ModelProto:
    """QLinearMatMul 4x8 @ 8x3 with its int8 weights as an initializer (a global)."""
    rng = np.random.default_rng(seed)
    g = build_models._QuantGraph(seed, 0.02)
    g.rms = 40.0
    y = g.qlinear("QLinearMatMul", "a", "qmm", (8, 3), False, out_zero=int(rng.integers(0, 20)))
    graph = helper.make_graph(
        g.nodes, "qmm", [helper.make_tensor_value_info("a", TensorProto.UINT8, [4, 8])],
        [helper.make_tensor_value_info(y, TensorProto.UINT8, [4, 3])], g.weights)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)])


def _import(model: onnx.ModelProto, folder: Path, **kw: object) -> source.Source:
    path = folder / f"{model.graph.name}.onnx"
    onnx.save(model, str(path))
    mlir = folder / f"{model.graph.name}.mlir"
    mlir.write_text(import_model(path, **kw))
    return source.read(mlir)


def test_kernels_take_their_weights_as_arguments(tmp_path: Path) -> None:
    """int8 LeNet: each conv/fc kernel gets its globals as trailing memref arguments, @main
    passes them, and the globals are writable (the driver copies every argument back)."""
    src = _import(build_models.lenet5_int8(), tmp_path)
    conv2, fc3 = src.info.functions["conv2"], src.info.functions["fc3"]
    assert [(a.element, a.shape) for a in conv2.args] == [
        ("i8", (1, 6, 14, 14)), ("i8", (1, 16, 10, 10)), ("i32", (16,)), ("i8", (16, 6, 5, 5))]
    assert [(a.element, a.shape) for a in fc3.args][2:] == [("i8", (84, 10))]
    body = src.text[:src.text.index("func.func @main")]
    assert "memref.get_global" not in body
    assert src.text.count("memref.get_global") == 7  # 2 convs x (weights, bias), 3 fc weights
    assert 'memref.global "private" constant' not in src.text


def test_uint8_max_pool_compares_unsigned(tmp_path: Path) -> None:
    """A uint8 MaxPool over values on both sides of 128 keeps the larger unsigned one (torch's
    lowering compares i8 signed: 200 lost to 100)."""
    node = helper.make_node("MaxPool", ["x"], ["y"], name="pool", kernel_shape=[2, 2],
                            strides=[2, 2])
    graph = helper.make_graph(
        [node], "pool", [helper.make_tensor_value_info("x", TensorProto.UINT8, [1, 2, 4, 4])],
        [helper.make_tensor_value_info("y", TensorProto.UINT8, [1, 2, 2, 2])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 19)])
    src = _import(model, tmp_path)
    x = np.random.default_rng(0).integers(0, 256, (1, 2, 4, 4)).astype(np.uint8)
    x[:, 1] //= 3  # channel 1 below 128 throughout
    (want,) = ReferenceEvaluator(model).run(None, {"x": x})
    assert want.max() > 127 and (want < 128).any()
    result = simulate.run(src, "main", {"arg0": x.view(np.int8),
                                        "arg1": np.zeros((1, 2, 2, 2), np.int8)}, "sw")
    np.testing.assert_array_equal(result.outputs["arg1"].view(np.uint8), want)


def test_model_with_weights_co_simulates_in_hardware(
        tmp_path: Path, require_tool: Callable[[str], str]) -> None:
    """The QLinearMatMul forced to hardware (`targets`), @main co-simulated: the driver
    fills the weights' scratchpad and every output byte equals onnx.reference's."""
    require_tool("verilator")
    model = _qmm(5)
    src = _import(model, tmp_path, targets={"qmm": "hw"})
    a = np.random.default_rng(6).integers(0, 256, (4, 8)).astype(np.uint8)
    (want,) = ReferenceEvaluator(model).run(None, {"a": a})
    result = simulate.run(src, "main", {"arg0": a.view(np.int8),
                                        "arg1": np.zeros((4, 3), np.int8)}, "auto", opt_level=0)
    assert result.report["placement"]["qmm"] == "hw"
    assert result.report["kernels"]["qmm"]["cycles"] > 0
    np.testing.assert_array_equal(result.outputs["arg1"].view(np.uint8), want)


def test_hardware_kernel_reading_a_global_is_refused(tmp_out: Path, run_script: Run) -> None:
    """A hand-written kernel that reads a global cannot be hardware: one located line that
    says to pass the global as an argument."""
    path = tmp_out / "g.mlir"
    path.write_text(
        'memref.global "private" constant @w : memref<4xi32> = dense<[1, 2, 3, 4]>\n'
        "func.func @k(%a: memref<4xi32>) {\n"
        "  %w = memref.get_global @w : memref<4xi32>\n"
        "  affine.for %i = 0 to 4 {\n"
        "    %x = affine.load %w[%i] : memref<4xi32>\n"
        "    affine.store %x, %a[%i] : memref<4xi32>\n"
        "  }\n"
        "  return\n"
        "}\n")
    np.savez(tmp_out / "in.npz", arg0=np.zeros(4, np.int32))
    proc = run_script("unified", "sim", path, "--func", "k", "--target", "hw",
                      "--inputs", tmp_out / "in.npz", "--outputs", tmp_out / "out.npz")
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert re.fullmatch(re.escape(str(path)) + r":3:8: error: the hardware kernel @k reads the "
                        r"global @w — pass @w as a memref argument and get_global it in the "
                        r"caller \(.*\)", lines[0]), lines[0]
