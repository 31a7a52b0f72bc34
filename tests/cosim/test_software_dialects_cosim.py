"""Co-simulating modules whose software kernels use dialects only upstream MLIR knows (math):
the hardware side hands CIRCT the hardware kernel alone, so the CPU part may use anything."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
from cosim_cases import need
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator

from unified import cosim, simulate
from unified.app import estimated_placement, load_app
from unified.core import sim_io, source

APP = Path(__file__).parent / "inputs" / "roundeven_then_hw.mlir"
X = np.array([0.2, -1.3, 2.5, 3.5, -2.5, 0.75, 10.1, -7.9], np.float32)


def test_math_kernel_in_software_beside_a_hardware_kernel(tmp_path, run_script):
    """@quant (math.roundeven) on the host, @scale in Verilator: numpy's values."""
    need("verilator", "cc", "objcopy")
    np.savez(tmp_path / "in.npz", arg0=X, arg1=np.zeros(8, np.int32), arg2=np.zeros(8, np.int32))
    proc = run_script("unified", "sim", APP, "--func", "main", "--target", "auto",
                      "--inputs", tmp_path / "in.npz", "--outputs", tmp_path / "out.npz",
                      "--report", tmp_path / "r.json", timeout=1200)
    assert proc.returncode == 0, proc.stderr
    q = np.round(X / np.float32(0.5)).astype(np.int32)  # numpy rounds half to even
    with np.load(tmp_path / "out.npz") as out:
        np.testing.assert_array_equal(out["arg1"], q)
        np.testing.assert_array_equal(out["arg2"], 3 * q)
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["placement"] == {"quant": "sw", "scale": "hw"}
    assert report["kernels"]["scale"]["runs"] == 1


def test_hardware_kernel_of_such_a_module_alone():
    """`--target hw` on the integer kernel of the same module (its core from the cache)."""
    need("verilator")
    src = source.read(APP)
    assert src.build == source.SOFTWARE_BUILD  # pycde cannot parse the whole module
    q = np.arange(8, dtype=np.int32) - 3
    result = simulate.run(src, "scale", {"arg0": q, "arg1": np.zeros(8, np.int32)}, "hw")
    np.testing.assert_array_equal(result.outputs["arg1"], 3 * q)
    assert result.report["cycles"] > 0


def _quantize_then_matmul(seed: int) -> onnx.ModelProto:
    """y = QLinearMatMul(QuantizeLinear(x), w): a float input quantized to uint8 on the CPU
    (math.roundeven), then an int8 matrix product, the start of every QDQ model."""
    rng = np.random.default_rng(seed)
    consts = [
        numpy_helper.from_array(np.float32(0.05), "x_scale"),
        numpy_helper.from_array(np.uint8(128), "x_zero"),
        numpy_helper.from_array(rng.integers(-128, 128, (8, 3)).astype(np.int8), "w"),
        numpy_helper.from_array(np.float32(0.01), "w_scale"),
        numpy_helper.from_array(np.int8(2), "w_zero"),
        numpy_helper.from_array(np.float32(0.2), "y_scale"),
        numpy_helper.from_array(np.uint8(120), "y_zero"),
    ]
    nodes = [helper.make_node("QuantizeLinear", ["x", "x_scale", "x_zero"], ["a"], name="quant_x"),
             helper.make_node("QLinearMatMul", ["a", "x_scale", "x_zero", "w", "w_scale", "w_zero",
                                                "y_scale", "y_zero"], ["y"], name="qmm")]
    graph = helper.make_graph(
        nodes, "qdq_matmul", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 8])],
        [helper.make_tensor_value_info("y", TensorProto.UINT8, [2, 3])], consts)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)])


def test_qdq_model_with_its_matmul_in_hardware(tmp_path):
    """The imported model, QuantizeLinear on the host and QLinearMatMul in hardware, gives
    onnx.reference's bytes. The placement is given: the search (a qemu profile, Yosys) is
    the CLI test's part."""
    need("verilator", "cc", "objcopy")
    from frontend import import_model

    model = _quantize_then_matmul(0)
    onnx.save(model, str(tmp_path / "qdq.onnx"))
    (tmp_path / "qdq.mlir").write_text(import_model(tmp_path / "qdq.onnx"))
    src = source.read(tmp_path / "qdq.mlir")
    placement = estimated_placement(load_app(src.path, entry="main"), "sw")
    placement.decisions["qmm"].target = "hw"
    x = np.random.default_rng(1).standard_normal((2, 8)).astype(np.float32)
    (want,) = ReferenceEvaluator(model).run(None, {"x": x})
    inputs = sim_io.check_inputs(src.function("main"),
                                 {"arg0": x, "arg1": np.zeros((2, 3), np.int8)}, src.path)
    result = cosim.simulate(src, "main", inputs, placement=placement)
    np.testing.assert_array_equal(result.outputs["arg1"].view(np.uint8), want)
    assert result.report["placement"] == {"quant_x": "sw", "qmm": "hw"}
    assert result.report["kernels"]["qmm"]["runs"] == 1
