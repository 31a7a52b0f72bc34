"""Models the frontend cannot take: one located line naming the node, exit 1, no output."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import onnx
from onnx import TensorProto, helper

Run = Callable[..., subprocess.CompletedProcess[str]]


def _save(tmp: Path, nodes: list, inputs: dict, outputs: dict, name: str) -> Path:
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info(k, TensorProto.FLOAT, v) for k, v in inputs.items()],
        [helper.make_tensor_value_info(k, TensorProto.FLOAT, v) for k, v in outputs.items()])
    path = tmp / f"{name}.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))
    return path


def _one_error_line(proc: subprocess.CompletedProcess[str], pattern: str) -> None:
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert re.fullmatch(pattern, lines[0]), lines[0]


def test_unsupported_node_is_named_with_its_op_and_opset(tmp_out: Path, run_script: Run) -> None:
    lstm = helper.make_node("LSTM", ["x", "w", "r"], ["y"], name="encoder/lstm", hidden_size=2)
    relu = helper.make_node("Relu", ["x"], ["z"], name="relu")
    path = _save(tmp_out, [relu, lstm], {"x": [1, 1, 2], "w": [1, 8, 2], "r": [1, 8, 2]},
                 {"y": [1, 1, 1, 2], "z": [1, 1, 2]}, "seq")
    out = tmp_out / "seq.mlir"
    proc = run_script("unified", "import", path, "-o", out)
    _one_error_line(proc, re.escape(str(path)) + r": error: node 'encoder/lstm' \(LSTM, opset 17\) "
                    r"is not supported — replace it by operators the frontend lowers: Add, "
                    r"AveragePool, .*, Transpose")
    assert not out.exists()


def test_compile_of_an_unsupported_model_writes_nothing(tmp_out: Path, run_script: Run) -> None:
    node = helper.make_node("Erf", ["x"], ["y"], name="gelu_erf")
    path = _save(tmp_out, [node], {"x": [4]}, {"y": [4]}, "erf")
    proc = run_script("unified", "compile", path, "-o", tmp_out / "build")
    _one_error_line(proc, re.escape(str(path)) + r": error: node 'gelu_erf' \(Erf, opset 17\) "
                    r"is not supported — .*")
    assert not (tmp_out / "build").exists()


def test_dynamic_shape_is_refused(tmp_out: Path, run_script: Run) -> None:
    node = helper.make_node("Relu", ["x"], ["y"], name="act")
    path = _save(tmp_out, [node], {"x": ["N", 4]}, {"y": ["N", 4]}, "dyn")
    proc = run_script("unified", "import", path, "-o", tmp_out / "dyn.mlir")
    _one_error_line(proc, re.escape(str(path)) + r": error: 'x' \(a model input\) has a dynamic "
                    r"shape — give every tensor a static, non-empty shape of float32, int8, uint8 "
                    r"or int32")


def test_not_an_onnx_file(tmp_out: Path, run_script: Run) -> None:
    path = tmp_out / "junk.onnx"
    path.write_bytes(b"\x00\x01 not a protobuf \xff\xfe")
    proc = run_script("unified", "sim", path, "--func", "main", "--target", "sw")
    _one_error_line(proc, re.escape(str(path)) + r": error: not an ONNX model "
                    r"\(\w+\) — give a .onnx file saved by onnx.save")


def test_per_axis_quantization_is_refused(tmp_out: Path, run_script: Run) -> None:
    import numpy as np
    from onnx import numpy_helper

    scale = numpy_helper.from_array(np.array([0.5, 0.25, 2.0], np.float32), "scale")
    zero = numpy_helper.from_array(np.zeros(3, np.uint8), "zero")
    node = helper.make_node("DequantizeLinear", ["q", "scale", "zero"], ["y"], name="dq", axis=1)
    graph = helper.make_graph(
        [node], "dq", [helper.make_tensor_value_info("q", TensorProto.UINT8, [1, 3, 2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3, 2])], [scale, zero])
    path = tmp_out / "dq.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 19)]), str(path))
    proc = run_script("unified", "import", path, "-o", tmp_out / "dq.mlir")
    _one_error_line(proc, re.escape(str(path)) + r": error: node 'dq' \(DequantizeLinear, opset "
                    r"19\) uses per-axis quantization \(a scale per channel\) outside the weights "
                    r"of a QDQ Conv, MatMul or Gemm, which the frontend does not lower — rewrite "
                    r"the node \(quantize per tensor; .*\)")


def test_per_channel_weight_zero_points_that_differ_are_refused(tmp_out: Path,
                                                               run_script: Run) -> None:
    """Per-channel scales are lowered, per-channel weight zero points only when they agree
    (the symmetric form quantizers give): others refused by name."""
    import numpy as np
    from onnx import numpy_helper

    rng = np.random.default_rng(0)
    consts = [numpy_helper.from_array(v, n) for n, v in [
        ("xs", np.float32(0.1)), ("xz", np.uint8(0)),
        ("w", rng.integers(-9, 9, (2, 1, 1, 1)).astype(np.int8)),
        ("ws", np.array([0.1, 0.2], np.float32)), ("wz", np.array([0, 1], np.int8)),
        ("ys", np.float32(0.2)), ("yz", np.uint8(0))]]
    node = helper.make_node("QLinearConv", ["x", "xs", "xz", "w", "ws", "wz", "ys", "yz"], ["y"],
                            name="qconv")
    graph = helper.make_graph(
        [node], "qc", [helper.make_tensor_value_info("x", TensorProto.UINT8, [1, 1, 2, 2])],
        [helper.make_tensor_value_info("y", TensorProto.UINT8, [1, 2, 2, 2])], consts)
    path = tmp_out / "qc.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 19)]), str(path))
    proc = run_script("unified", "import", path, "-o", tmp_out / "qc.mlir")
    _one_error_line(proc, re.escape(str(path)) + r": error: node 'qconv' \(QLinearConv, opset "
                    r"19\) uses weight zero points that differ between channels, which the "
                    r"frontend does not lower — quantize the weights symmetrically per channel "
                    r"\(zero point 0, .*\)")
    assert not (tmp_out / "qc.mlir").exists()


def test_qdq_gemm_with_alpha_is_refused(tmp_out: Path, run_script: Run) -> None:
    """A QDQ Gemm becomes integer code only with alpha = beta = 1: others refused by name."""
    import numpy as np
    from onnx import numpy_helper

    consts = [numpy_helper.from_array(v, n) for n, v in [
        ("s", np.float32(0.1)), ("z", np.int8(0)), ("w", np.ones((3, 2), np.int8))]]
    nodes = [helper.make_node("QuantizeLinear", ["x", "s", "z"], ["xq"], name="qx"),
             helper.make_node("DequantizeLinear", ["xq", "s", "z"], ["xf"], name="dqx"),
             helper.make_node("DequantizeLinear", ["w", "s", "z"], ["wf"], name="dqw"),
             helper.make_node("Gemm", ["xf", "wf"], ["g"], name="fc/gemm", alpha=0.5,
                              transB=1),
             helper.make_node("QuantizeLinear", ["g", "s", "z"], ["y"], name="qy")]
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2])],
        [helper.make_tensor_value_info("y", TensorProto.INT8, [1, 3])], consts)
    path = tmp_out / "g.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 19)]), str(path))
    proc = run_script("unified", "import", path, "-o", tmp_out / "g.mlir")
    _one_error_line(proc, re.escape(str(path)) + r": error: node 'fc/gemm' \(Gemm, opset 19\) "
                    r"between DequantizeLinear and QuantizeLinear has alpha 0.5, which the "
                    r"integer form does not hold — fold alpha and beta into the scales and "
                    r"transpose A before quantizing \(alpha = beta = 1, transA = 0\)")


def test_forcing_an_unknown_node_is_refused(tmp_out: Path, run_script: Run) -> None:
    node = helper.make_node("Relu", ["x"], ["y"], name="act")
    path = _save(tmp_out, [node], {"x": [4]}, {"y": [4]}, "one")
    proc = run_script("unified", "import", path, "-o", tmp_out / "one.mlir", "--hw", "conv9")
    _one_error_line(proc, re.escape(str(path)) + r": error: no ONNX node 'conv9' in this model "
                    r"— name one of its nodes: act")
