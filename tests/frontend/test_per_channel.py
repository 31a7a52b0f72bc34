"""Per-channel int8 layers and QDQ Gemm: integer code with a fixed-point multiplier and shift
per output channel, compared with onnx.reference byte for byte.

The operator forms (QLinearConv, QLinearMatMul) must match exactly. A QDQ model is compared
exactly with onnx.reference of its integer form (as the per-tensor QDQ test does), and with
onnx.reference of the QDQ graph itself (float) under the halfway rule: the float path may
tip a value lying within float error of a rounding boundary one step the other way, so
those bytes may differ by one and are counted.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator

from frontend import import_model
from frontend.qdq_to_qlinear import qdq_to_qlinear
from unified import simulate
from unified.core import source

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples" / "models"))

import build_models


def _model(nodes: list, name: str, x: tuple[int, list[int]], y: tuple[int, list[int]],
           consts: dict[str, Any], opset: int = 21) -> onnx.ModelProto:
    graph = helper.make_graph(
        nodes, name, [helper.make_tensor_value_info("x", x[0], x[1])],
        [helper.make_tensor_value_info("y", y[0], y[1])],
        [numpy_helper.from_array(np.asarray(v), k) for k, v in consts.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    onnx.checker.check_model(model)
    return model


def _qlinear_conv(seed: int) -> onnx.ModelProto:
    """QLinearConv 1x3x6x6 -> 1x4x6x6 (pads 1), a weight scale per output channel, int32 bias."""
    rng = np.random.default_rng(seed)
    node = helper.make_node("QLinearConv", ["x", "xs", "xz", "w", "ws", "wz", "ys", "yz", "b"],
                            ["y"], name="qconv", pads=[1, 1, 1, 1])
    return _model([node], "qconv", (TensorProto.UINT8, [1, 3, 6, 6]),
                  (TensorProto.UINT8, [1, 4, 6, 6]), {
                      "xs": np.float32(0.02), "xz": np.uint8(rng.integers(100, 150)),
                      "w": rng.integers(-127, 128, (4, 3, 3, 3)).astype(np.int8),
                      "ws": rng.uniform(0.002, 0.03, 4).astype(np.float32),
                      "wz": np.zeros(4, np.int8), "ys": np.float32(0.15),
                      "yz": np.uint8(rng.integers(100, 150)),
                      "b": rng.integers(-3000, 3000, 4).astype(np.int32)})


def _qlinear_matmul(seed: int, m: int = 5, k: int = 16, n: int = 6) -> onnx.ModelProto:
    """QLinearMatMul uint8 [m,k] @ int8 [k,n], a b_scale (and zero point) per column."""
    rng = np.random.default_rng(seed)
    node = helper.make_node("QLinearMatMul", ["x", "xs", "xz", "b", "bs", "bz", "ys", "yz"],
                            ["y"], name="qmm")
    return _model([node], "qmm", (TensorProto.UINT8, [m, k]), (TensorProto.INT8, [m, n]), {
        "xs": np.float32(0.03), "xz": np.uint8(rng.integers(100, 150)),
        "b": rng.integers(-127, 128, (k, n)).astype(np.int8),
        "bs": rng.uniform(0.001, 0.05, n).astype(np.float32), "bz": np.full(n, 3, np.int8),
        "ys": np.float32(0.5), "yz": np.int8(rng.integers(-10, 10))})


def _qdq(seed: int, layer: str, x_shape: list[int], y_shape: list[int], w: np.ndarray,
         axis: int, int8_in: bool = False, per_channel: bool = True,
         **attrs: Any) -> onnx.ModelProto:
    """x (float) -> Q/DQ per tensor (or x int8 -> DQ) -> `layer`(x, DQ(w) per channel along
    `axis` (or per tensor), DQ(int32 bias)) [-> Relu for Conv] -> Q (uint8 after a Relu, else
    int8)."""
    rng = np.random.default_rng(seed)
    channels = w.shape[axis]
    xs = np.float32(0.04)
    ws = rng.uniform(0.002, 0.02, channels if per_channel else ()).astype(np.float32)
    relu, bias = layer == "Conv", layer != "MatMul"
    nodes = [] if int8_in else [helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"],
                                                 name="quant_x")]
    nodes += [helper.make_node("DequantizeLinear", ["x" if int8_in else "xq", "xs", "xz"], ["xf"],
                               name="dequant_x"),
             helper.make_node("DequantizeLinear", ["w", "ws", "wz"], ["wf"], name="dequant_w",
                              axis=axis),
             helper.make_node("DequantizeLinear", ["b", "bs"], ["bf"], name="dequant_b", axis=0),
             helper.make_node(layer, ["xf", "wf", "bf"][:3 if bias else 2], ["acc"],
                              name=layer.lower(), **attrs)]
    if relu:
        nodes.append(helper.make_node("Relu", ["acc"], ["act"], name="relu"))
    nodes.append(helper.make_node("QuantizeLinear", ["act" if relu else "acc", "ys", "yz"], ["y"],
                                  name="quant_y"))
    return _model(nodes, f"qdq_{layer.lower()}",
                  (TensorProto.INT8 if int8_in else TensorProto.FLOAT, x_shape),
                  (TensorProto.UINT8 if relu else TensorProto.INT8, y_shape), {
                      "xs": xs, "xz": np.int8(rng.integers(-5, 5)), "w": w, "ws": ws,
                      "wz": np.zeros(ws.shape, np.int8),
                      "b": rng.integers(-2000, 2000, channels).astype(np.int32),
                      "bs": (xs * ws).astype(np.float32), "ys": np.float32(0.1),
                      "yz": np.uint8(0) if relu else np.int8(rng.integers(-10, 10))})


def _qdq_conv(seed: int) -> onnx.ModelProto:
    w = np.random.default_rng(seed + 1).integers(-127, 128, (4, 3, 3, 3)).astype(np.int8)
    return _qdq(seed, "Conv", [1, 3, 6, 6], [1, 4, 6, 6], w, 0, pads=[1, 1, 1, 1])


def _qdq_gemm(seed: int, trans_b: int = 1, **kw: Any) -> onnx.ModelProto:
    """QDQ Gemm [3,16] x B^T with B [5,16] (transB = 1; or B [16,5]) quantized per output
    channel (or per tensor), bias [5]."""
    w = np.random.default_rng(seed + 1).integers(-127, 128, (5, 16)).astype(np.int8)
    if not trans_b:
        w = np.ascontiguousarray(w.T)
    return _qdq(seed, "Gemm", [3, 16], [3, 5], w, 1 - trans_b, transB=trans_b, **kw)


def _qdq_matmul(seed: int) -> onnx.ModelProto:
    """QDQ MatMul [4,8] x B [8,6] quantized per column (axis 1), no bias."""
    w = np.random.default_rng(seed + 1).integers(-127, 128, (8, 6)).astype(np.int8)
    return _qdq(seed, "MatMul", [4, 8], [4, 6], w, 1)


def _gemm_reference(model: onnx.ModelProto) -> onnx.ModelProto:
    """The integer form of `_qdq_gemm` in operators onnx.reference evaluates: quantize x, then
    the Gemm as a 1x1 QLinearConv (it takes the bias) between two Reshapes."""
    c = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    x = model.graph.input[0].type.tensor_type
    m, k = (d.dim_value for d in x.shape.dim)
    trans_b = next((a.i for n in model.graph.node for a in n.attribute if a.name == "transB"), 0)
    w = c["w"] if trans_b else c["w"].T
    n = w.shape[0]
    int8_in = x.elem_type == TensorProto.INT8
    nodes = [] if int8_in else [helper.make_node("QuantizeLinear", ["x", "xs", "xz"], ["xq"])]
    nodes += [helper.make_node("Reshape", ["x" if int8_in else "xq", "s4"], ["x4"]),
             helper.make_node("QLinearConv", ["x4", "xs", "xz", "w4", "ws", "wz", "ys", "yz", "b"],
                              ["y4"]),
             helper.make_node("Reshape", ["y4", "s2"], ["y"])]
    consts = {**c, "w4": w.reshape(n, k, 1, 1), "s4": np.array([m, k, 1, 1], np.int64),
              "s2": np.array([m, n], np.int64)}
    return _model(nodes, "gemm_ref", (x.elem_type, [m, k]), (TensorProto.INT8, [m, n]), consts)


def _import(model: onnx.ModelProto, folder: Path, **kw: Any) -> source.Source:
    path = folder / f"{model.graph.name}.onnx"
    onnx.save(model, str(path))
    mlir = folder / f"{model.graph.name}.mlir"
    mlir.write_text(import_model(path, **kw))
    return source.read(mlir)


def _inputs(model: onnx.ModelProto, seed: int) -> np.ndarray:
    t = model.graph.input[0].type.tensor_type
    shape = [d.dim_value for d in t.shape.dim]
    rng = np.random.default_rng(seed)
    if t.elem_type == TensorProto.FLOAT:
        return rng.standard_normal(shape).astype(np.float32)
    if t.elem_type == TensorProto.INT8:
        return rng.integers(-128, 128, shape).astype(np.int8)
    return rng.integers(0, 256, shape).astype(np.uint8)


def _run(src: source.Source, model: onnx.ModelProto, x: np.ndarray, target: str = "sw",
         **kw: Any) -> np.ndarray:
    t = model.graph.output[0].type.tensor_type
    dtype = np.uint8 if t.elem_type == TensorProto.UINT8 else np.int8
    out = np.zeros([d.dim_value for d in t.shape.dim], np.int8)
    feed = x.view(np.int8) if x.dtype == np.uint8 else x
    result = simulate.run(src, "main", {"arg0": feed, "arg1": out}, target, **kw)
    return result.outputs["arg1"].view(dtype)


def _kernel_text(src: source.Source, name: str) -> str:
    start = src.text.index(f"func.func @{name}(")
    return src.text[start:src.text.index("func.func", start + 10)]


@pytest.mark.parametrize("build, kernel", [(_qlinear_conv, "qconv"), (_qlinear_matmul, "qmm")])
def test_per_channel_qlinear_is_exact(build: Callable[[int], onnx.ModelProto], kernel: str,
                                      tmp_path: Path) -> None:
    """Per-channel QLinearConv and per-column QLinearMatMul: integer-only kernels whose
    multipliers and shifts are arrays read at the output channel; every byte over three
    inputs equals onnx.reference's."""
    model = build(0)
    src = _import(model, tmp_path)
    body = _kernel_text(src, kernel)
    assert not re.search(r"\b(arith\.\w+f|arith\.(sitofp|fptosi|fptoui)|math\.\w+)\b", body)
    assert f"memref.global \"private\" @{kernel}_requant_multiplier" in src.text
    assert f"@{kernel}_requant_shift" in src.text
    for seed in range(3):
        x = _inputs(model, seed)
        (want,) = ReferenceEvaluator(model).run(None, {"x": x})
        np.testing.assert_array_equal(_run(src, model, x), want)


@pytest.mark.parametrize("build, ops", [
    (_qdq_conv, ["QuantizeLinear", "QLinearConv"]),
    (_qdq_matmul, ["QuantizeLinear", "QLinearMatMul"]),
    (_qdq_gemm, ["QuantizeLinear", "QLinearMatMul"]),
    (lambda seed: _qdq_gemm(seed, trans_b=0, per_channel=False),
     ["QuantizeLinear", "QLinearMatMul"])],
    ids=["conv", "matmul", "gemm", "gemm-per-tensor-transB0"])
def test_qdq_layer_is_exact(build: Callable[[int], onnx.ModelProto], ops: list[str],
                            tmp_path: Path) -> None:
    """A QDQ Conv (+ Relu) and QDQ Gemms (int32 bias) with weights quantized per output
    channel (or per tensor) become integer kernels: exact against onnx.reference of the
    integer form, and within one step of the float QDQ graph's (the halfway rule, counted)."""
    model = build(1)
    src = _import(model, tmp_path)
    main = src.info.functions["main"]
    assert [src.info.functions[k].onnx[1] for k in main.callees] == ops
    gemm = any(n.op_type == "Gemm" for n in model.graph.node)
    integer = _gemm_reference(model) if gemm else qdq_to_qlinear(model)
    tipped = total = 0
    for seed in range(3):
        x = _inputs(model, seed)
        got = _run(src, model, x)
        (exact,) = ReferenceEvaluator(integer).run(None, {"x": x})
        np.testing.assert_array_equal(got, exact)
        (floating,) = ReferenceEvaluator(model).run(None, {"x": x})
        step = np.abs(got.astype(int) - floating.astype(int))
        assert step.max() <= 1
        tipped, total = tipped + int(step.sum()), total + step.size
    assert tipped <= total // 50, f"{tipped} of {total} bytes one step off the float QDQ path"


def test_qdq_gemm_in_hardware(tmp_path: Path, require_tool: Callable[[str], str]) -> None:
    """A QDQ Gemm on an int8 input (no float kernel: the co-simulation parses @main's module
    in the CIRCT build, which has no math dialect) forced to hardware and @main co-simulated
    (Verilator, -O0): the driver fills the weights, bias, multiplier and shift scratchpads;
    every byte is exact."""
    require_tool("verilator")
    model = _qdq_gemm(2, int8_in=True)
    src = _import(model, tmp_path, targets={"gemm": "hw"})
    assert [a.shape for a in src.info.functions["gemm"].args][2:] == [(5,), (5,), (5,), (16, 5)]
    x = _inputs(model, 3)
    (want,) = ReferenceEvaluator(_gemm_reference(model)).run(None, {"x": x})
    result = simulate.run(src, "main", {"arg0": x, "arg1": np.zeros((3, 5), np.int8)}, "auto",
                          opt_level=0)
    assert result.report["placement"]["gemm"] == "hw"
    assert result.report["kernels"]["gemm"]["cycles"] > 0
    np.testing.assert_array_equal(result.outputs["arg1"], want)


def test_per_channel_lenet5_int8_on_host(tmp_path: Path) -> None:
    """The example LeNet-5 int8 with `per_channel=True` (every QLinearConv and QLinearMatMul
    scaled per output channel): each kernel has its multiplier and shift arrays, and the 10
    output bytes equal onnx.reference's on three images."""
    model = build_models.lenet5_int8(per_channel=True)
    src = _import(model, tmp_path)
    for kernel in ("conv1", "conv2", "fc1", "fc2", "fc3"):
        assert f"@{kernel}_requant_multiplier" in src.text
    for seed in range(3):
        image = np.random.default_rng(seed).integers(0, 256, (1, 1, 32, 32)).astype(np.uint8)
        (want,) = ReferenceEvaluator(model).run(None, {"image": image})
        result = simulate.run(src, "main", {"arg0": image.view(np.int8),
                                            "arg1": np.zeros((1, 10), np.int8)}, "sw")
        np.testing.assert_array_equal(result.outputs["arg1"].view(np.uint8), want)
