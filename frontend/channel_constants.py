"""Per-channel requantization constants taken out of the QLinear nodes before the import.

torch-mlir lowers QLinearConv/QLinearMatMul to integer code only with per-tensor scales
(per channel it dequantizes the weights to float). So each node whose weight scale is per
output channel (QLinearConv: a w_scale per output channel; QLinearMatMul: a b_scale per
column of B) is imported with channel 0's scale, per tensor, and the scale products
M[c] = x_scale * w_scale[c] / y_scale (in f32, as onnx.reference and onnxruntime form them)
go to `fixed_point_requant`, which gives every channel its own fixed-point multiplier and
shift. The int32 bias of a QDQ Gemm (a ninth input of QLinearMatMul that `qdq_to_qlinear`
adds; no ONNX operator holds it) is taken out the same way and added to the accumulator
there. Runs on the ONNX graph in the parent process.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from unified.core.errors import Loc, UnifiedError

LAYERS = ("QLinearConv", "QLinearMatMul")


def take_channel_constants(model: Any, path: str, opset: int) -> tuple[Any, dict[str, dict]]:
    """(`model` with per-tensor QLinear nodes only, {node name: {"axis", "scales", "bias"}})
    where "axis" is the output's channel dimension (-1: the last), "scales" the M per channel
    (None when per tensor) and "bias" the int32 per channel (None without). A located error
    for a per-channel form that cannot be lowered."""
    import onnx
    from onnx import numpy_helper

    if not any(n.op_type in LAYERS for n in model.graph.node):
        return model, {}
    model = onnx.ModelProto.FromString(model.SerializeToString())
    graph = model.graph
    inits = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    specs: dict[str, dict] = {}
    for node in graph.node:
        if node.op_type not in LAYERS or node.domain not in ("", "ai.onnx"):
            continue
        conv = node.op_type == "QLinearConv"
        spec: dict[str, Any] = {"axis": 1 if conv else -1, "scales": None, "bias": None}
        if not conv and len(node.input) > 8:
            spec["bias"] = _bias(node, inits, path, opset)
            del node.input[8:]
        w_scale = inits.get(node.input[4])
        if w_scale is not None and w_scale.size > 1:
            spec["scales"] = _scales(node, inits, path, opset)
            for slot, suffix in ((4, "w_scale"), (5, "w_zero_point")):
                if len(node.input) > slot and node.input[slot]:
                    first = inits[node.input[slot]].ravel()[0]
                    name = f"{node.name}_{suffix}_0"
                    graph.initializer.append(numpy_helper.from_array(np.array(first), name))
                    node.input[slot] = name
        if spec["scales"] or spec["bias"]:
            specs[node.name] = spec
    return model, specs


def _refuse(node: Any, why: str, path: str, opset: int, hint: str) -> UnifiedError:
    return UnifiedError(f"node '{node.name}' ({node.op_type}, opset {opset}) uses {why}, "
                        "which the frontend does not lower", Loc(path), hint=hint)


def _scales(node: Any, inits: dict[str, np.ndarray], path: str, opset: int) -> list[float]:
    """M[c] = x_scale * w_scale[c] / y_scale in f32 for a per-channel QLinear node."""
    weight = inits.get(node.input[3])
    if weight is None:
        raise _refuse(node, "per-channel scales on weights that are not initializers", path,
                      opset, "make the weights a constant initializer")
    channels = weight.shape[0] if node.op_type == "QLinearConv" else weight.shape[-1]
    w_scale = inits[node.input[4]]
    if w_scale.ndim != 1 or w_scale.size != channels:
        raise _refuse(node, f"a weight scale of shape {list(w_scale.shape)} for {channels} "
                      "output channels", path, opset, "give one scale per output channel "
                      "(a 1-D tensor) or one per tensor")
    x_scale, y_scale = inits.get(node.input[1]), inits.get(node.input[6])
    if x_scale is None or y_scale is None or x_scale.size != 1 or y_scale.size != 1:
        raise _refuse(node, "per-channel weight scales with activation scales that are not "
                      "per-tensor initializers", path, opset,
                      "quantize the activations per tensor with constant scales")
    zero = inits.get(node.input[5]) if len(node.input) > 5 and node.input[5] else None
    if zero is None and len(node.input) > 5 and node.input[5]:
        raise _refuse(node, "a weight zero point that is not an initializer", path, opset,
                      "make the zero point a constant initializer")
    if zero is not None and np.unique(zero).size > 1:
        raise _refuse(node, "weight zero points that differ between channels", path, opset,
                      "quantize the weights symmetrically per channel (zero point 0, as "
                      "onnxruntime's and PyTorch's per-channel quantizers do)")
    scales = (np.float32(x_scale.ravel()[0]) * w_scale.astype(np.float32)
              / np.float32(y_scale.ravel()[0])).astype(np.float32)
    if not np.all((scales > 0) & (scales < 2**31)):
        raise _refuse(node, "a scale product x_scale * w_scale / y_scale outside (0, 2^31)",
                      path, opset, "give positive scales")
    return [float(s) for s in scales]


def _bias(node: Any, inits: dict[str, np.ndarray], path: str, opset: int) -> list[int]:
    """The int32 bias, one per column, of a QLinearMatMul made from a QDQ Gemm."""
    bias = inits.get(node.input[8])
    columns = inits[node.input[3]].shape[-1] if node.input[3] in inits else -1
    if bias is None or bias.dtype != np.int32 or bias.size != columns:
        raise _refuse(node, "a bias that is not an int32 initializer with one value per "
                      "column", path, opset, "quantize the bias to int32 at scale "
                      "x_scale * w_scale")
    return [int(b) for b in bias.ravel()]
