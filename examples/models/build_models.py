"""Small ONNX models (float32 and int8) with seeded random weights, for `unified import`.

    .venv/bin/python examples/models/build_models.py [OUT_DIR] [--per-channel]
        # lenet5, mlp, mobilenet_block, qdq_conv, lenet5_int8

Each builder returns an `onnx.ModelProto` (opset 17, 19 for int8; static shapes, batch 1); the same
seed gives the same weights, so a model and its expected outputs can be rebuilt anywhere. The int8
models quantize their weights per tensor; `per_channel=True` (`--per-channel`) gives each output
channel its own weight scale, as onnxruntime's and PyTorch's quantizers do.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17


class _Graph:
    """Collects nodes and seeded random initializers for one model."""

    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)
        self.nodes: list[Any] = []
        self.weights: list[Any] = []

    def weight(self, name: str, shape: tuple[int, ...], scale: float | None = None) -> str:
        fan_in = int(np.prod(shape[1:])) if len(shape) > 1 else shape[0]
        s = scale if scale is not None else 1.0 / np.sqrt(fan_in)
        value = self.rng.uniform(-s, s, size=shape).astype(np.float32)
        self.weights.append(numpy_helper.from_array(value, name))
        return name

    def constant(self, name: str, value: np.ndarray) -> str:
        self.weights.append(numpy_helper.from_array(value, name))
        return name

    def node(self, op: str, inputs: list[str], name: str, **attrs: Any) -> str:
        self.nodes.append(helper.make_node(op, inputs, [name], name=name, **attrs))
        return name

    def model(self, name: str, inputs: dict[str, list[int]], output: str,
              out_shape: list[int]) -> Any:
        graph = helper.make_graph(
            self.nodes, name,
            [helper.make_tensor_value_info(k, TensorProto.FLOAT, v) for k, v in inputs.items()],
            [helper.make_tensor_value_info(output, TensorProto.FLOAT, out_shape)], self.weights)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                                  producer_name="unified-examples")
        onnx.checker.check_model(model)
        return model


def lenet5(seed: int = 0) -> Any:
    """LeNet-5: 1x1x32x32 image -> two conv+relu+maxpool stages -> three dense layers -> 10."""
    g = _Graph(seed)
    x = g.node("Conv", ["image", g.weight("conv1_w", (6, 1, 5, 5)), g.weight("conv1_b", (6,))],
               "conv1")
    x = g.node("Relu", [x], "relu1")
    x = g.node("MaxPool", [x], "pool1", kernel_shape=[2, 2], strides=[2, 2])
    x = g.node("Conv", [x, g.weight("conv2_w", (16, 6, 5, 5)), g.weight("conv2_b", (16,))],
               "conv2")
    x = g.node("Relu", [x], "relu2")
    x = g.node("MaxPool", [x], "pool2", kernel_shape=[2, 2], strides=[2, 2])
    x = g.node("Flatten", [x], "flatten", axis=1)
    for i, (n_in, n_out) in enumerate([(400, 120), (120, 84), (84, 10)], start=1):
        x = g.node("Gemm", [x, g.weight(f"fc{i}_w", (n_out, n_in)), g.weight(f"fc{i}_b", (n_out,))],
                   f"fc{i}", transB=1)
        if i < 3:
            x = g.node("Relu", [x], f"relu_fc{i}")
    return g.model("lenet5", {"image": [1, 1, 32, 32]}, x, [1, 10])


def mlp(seed: int = 0) -> Any:
    """A 3-layer perceptron: 1x64 -> 32 -> 16 -> 10 (Gemm, Relu), then Softmax."""
    g = _Graph(seed)
    x = "x"
    for i, (n_in, n_out) in enumerate([(64, 32), (32, 16), (16, 10)], start=1):
        x = g.node("Gemm", [x, g.weight(f"fc{i}_w", (n_in, n_out)), g.weight(f"fc{i}_b", (n_out,))],
                   f"fc{i}")
        if i < 3:
            x = g.node("Relu", [x], f"relu{i}")
    x = g.node("Softmax", [x], "softmax", axis=-1)
    return g.model("mlp", {"x": [1, 64]}, x, [1, 10])


def mobilenet_block(seed: int = 0) -> Any:
    """A MobileNetV2-style block on 1x8x8x8: 1x1 expand, 3x3 depthwise, BatchNorm, ReLU6
    (Clip), 1x1 project, residual Add."""
    g = _Graph(seed)
    c, e = 8, 16
    x = g.node("Conv", ["x", g.weight("expand_w", (e, c, 1, 1))], "expand")
    x = g.node("Clip", [x, g.constant("zero", np.float32(0)), g.constant("six", np.float32(6))],
               "relu6_1")
    x = g.node("Conv", [x, g.weight("dw_w", (e, 1, 3, 3))], "depthwise", group=e,
               pads=[1, 1, 1, 1])
    x = g.node("BatchNormalization", [x, g.weight("bn_scale", (e,), 1.0), g.weight("bn_bias", (e,)),
                                      g.weight("bn_mean", (e,)),
                                      g.constant("bn_var", np.ones(e, np.float32))], "bn")
    x = g.node("Clip", [x, "zero", "six"], "relu6_2")
    x = g.node("Conv", [x, g.weight("project_w", (c, e, 1, 1))], "project")
    x = g.node("Add", ["x", x], "residual")
    return g.model("mobilenet_block", {"x": [1, c, 8, 8]}, x, [1, c, 8, 8])


def qdq_conv(seed: int = 0, per_channel: bool = False) -> Any:
    """An int8 QDQ graph on 1x3x8x8: the image and the weights quantized per tensor (the
    weights per output channel with `per_channel`) (QuantizeLinear/DequantizeLinear pairs),
    Conv + Relu, the result quantized to uint8; the import rewrites it into QuantizeLinear +
    QLinearConv."""
    g = _Graph(seed)
    scale = g.constant("x_scale", np.float32(0.05))
    zero = g.constant("x_zero", np.int8(0))
    q = g.node("QuantizeLinear", ["x", scale, zero], "quant_x")
    x = g.node("DequantizeLinear", [q, scale, zero], "dequant_x")
    w_int = g.rng.integers(-100, 100, size=(4, 3, 3, 3)).astype(np.int8)
    w_scale = (g.rng.uniform(0.005, 0.015, 4).astype(np.float32) if per_channel
               else np.float32(0.01))
    w = g.node("DequantizeLinear", [g.constant("w_int8", w_int), g.constant("w_scale", w_scale),
               g.constant("w_zero", np.zeros(np.shape(w_scale), np.int8))], "dequant_w",
               **({"axis": 0} if per_channel else {}))
    y = g.node("Conv", [x, w], "conv", pads=[1, 1, 1, 1])
    y = g.node("Relu", [y], "relu")
    y = g.node("QuantizeLinear", [y, g.constant("y_scale", np.float32(0.1)),
                                  g.constant("y_zero", np.uint8(0))], "quant_y")
    graph = helper.make_graph(
        g.nodes, "qdq_conv", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
        [helper.make_tensor_value_info(y, TensorProto.UINT8, [1, 4, 8, 8])], g.weights)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 19)],
                              producer_name="unified-examples")
    onnx.checker.check_model(model)
    return model


class _QuantGraph(_Graph):
    """A _Graph for int8 operator-form models: tracks the current activation's scale and
    zero point, and sizes each output scale from the layer's fan-in so that the outputs
    spread over the uint8 range (an accumulator's typical size maps to about 48)."""

    def __init__(self, seed: int, x_scale: float):
        super().__init__(seed)
        self.scale = self.constant("x_scale", np.float32(x_scale))
        self.zero = self.constant("x_zero", np.uint8(0))
        self.real_scale, self.rms = x_scale, 147.0  # a uniform uint8 image

    def qlinear(self, op: str, x: str, name: str, w_shape: tuple[int, ...], bias: bool,
                out_zero: int = 0, per_channel: bool = False, **attrs: Any) -> str:
        """A QLinearConv (weights (M, C, kH, kW)) or QLinearMatMul (weights (K, N)) with int8
        weights, scaled per tensor or per output channel; output zero point 0 folds a ReLU
        into the uint8 clamp."""
        w = self.rng.integers(-127, 128, size=w_shape).astype(np.int8)
        fan_in = int(np.prod(w_shape[1:])) if op == "QLinearConv" else w_shape[0]
        acc_rms = np.sqrt(fan_in) * self.rms * float(np.sqrt(np.mean(w.astype(float) ** 2)))
        channels = w_shape[0] if op == "QLinearConv" else w_shape[1]
        w_scale = (0.01 * self.rng.uniform(0.5, 1.5, channels)).astype(np.float32) \
            if per_channel else np.float32(0.01)
        typical = float(np.mean(w_scale)) if per_channel else 0.01
        y_scale = np.float32(self.real_scale * typical * acc_rms / 48.0)
        inputs = [x, self.scale, self.zero, self.constant(f"{name}_w", w),
                  self.constant(f"{name}_w_scale", w_scale),
                  self.constant(f"{name}_w_zero", np.zeros(np.shape(w_scale), np.int8)),
                  self.constant(f"{name}_y_scale", y_scale),
                  self.constant(f"{name}_y_zero", np.uint8(out_zero))]
        if bias:
            inputs.append(self.constant(f"{name}_b", self.rng.integers(
                -2000, 2000, size=(w_shape[0],)).astype(np.int32)))
        self.node(op, inputs, name, **attrs)
        self.scale, self.zero = inputs[6], inputs[7]
        self.real_scale, self.rms = float(y_scale), 40.0
        return name


def lenet5_int8(seed: int = 0, per_channel: bool = False) -> Any:
    """LeNet-5 in int8 operator form: a uint8 1x1x32x32 image -> two QLinearConv (int32 bias,
    ReLU folded into a zero point of 0) + uint8 MaxPool stages -> Flatten -> three
    QLinearMatMul -> uint8 1x10 (zero point 128). Integer arithmetic only. Weights scaled per
    tensor, or per output channel (per column of the QLinearMatMul weights) with
    `per_channel`."""
    g = _QuantGraph(seed, 1 / 255)
    pc = per_channel
    x = g.qlinear("QLinearConv", "image", "conv1", (6, 1, 5, 5), True, per_channel=pc)
    x = g.node("MaxPool", [x], "pool1", kernel_shape=[2, 2], strides=[2, 2])
    x = g.qlinear("QLinearConv", x, "conv2", (16, 6, 5, 5), True, per_channel=pc)
    x = g.node("MaxPool", [x], "pool2", kernel_shape=[2, 2], strides=[2, 2])
    x = g.node("Flatten", [x], "flatten", axis=1)
    for i, (n_in, n_out) in enumerate([(400, 120), (120, 84), (84, 10)], start=1):
        x = g.qlinear("QLinearMatMul", x, f"fc{i}", (n_in, n_out), False,
                      out_zero=128 if i == 3 else 0, per_channel=pc)
    graph = helper.make_graph(
        g.nodes, "lenet5_int8",
        [helper.make_tensor_value_info("image", TensorProto.UINT8, [1, 1, 32, 32])],
        [helper.make_tensor_value_info(x, TensorProto.UINT8, [1, 10])], g.weights)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 19)],
                              producer_name="unified-examples")
    onnx.checker.check_model(model)
    return model


MODELS = {"lenet5": lenet5, "mlp": mlp, "mobilenet_block": mobilenet_block, "qdq_conv": qdq_conv,
          "lenet5_int8": lenet5_int8}


def main(argv: list[str]) -> int:
    """Writes every model to OUT_DIR (default: this folder) as NAME.onnx; `--per-channel`
    quantizes the int8 models' weights per output channel."""
    folders = [a for a in argv if not a.startswith("--")]
    out = Path(folders[0]) if folders else Path(__file__).resolve().parent
    out.mkdir(parents=True, exist_ok=True)
    per_channel = {"per_channel": True} if "--per-channel" in argv else {}
    for name, build in MODELS.items():
        kw = per_channel if name in ("qdq_conv", "lenet5_int8") else {}
        onnx.save(build(**kw), str(out / f"{name}.onnx"))
        print(f"wrote {out / name}.onnx")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
