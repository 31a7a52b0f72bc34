"""QDQ -> QLinear: DequantizeLinear -> Conv/MatMul/Gemm [-> Relu] -> QuantizeLinear becomes
one QLinearConv/QLinearMatMul, so the layer computes in integers (as onnxruntime runs it).

Runs on the ONNX graph in the parent process, before the graph is cut into kernels. A
match needs: the activation dequantized per tensor, the weights (an initializer)
dequantized per tensor or per output channel (Conv: axis 0; MatMul: axis 1; Gemm: the
axis of B's columns), the bias absent or an int32 initializer dequantized at scale
x_scale * w_scale, the result read only by a QuantizeLinear (through a Relu only when the
output zero point is the type's minimum: the clamp is the ReLU). Any other graph stays as
it is, computing in float. A Gemm (transA 0, alpha = beta = 1; others are refused by name)
becomes QLinearMatMul on B, transposed when transB is 1, with its int32 bias C as a ninth
input that `channel_constants` takes out before the import (no ONNX operator holds a
matrix product with a bias).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from unified.core.errors import Loc, UnifiedError

LAYERS = {"Conv": "QLinearConv", "MatMul": "QLinearMatMul", "Gemm": "QLinearMatMul"}
# QuantizeLinear's output type (ONNX elem type) -> its smallest value
Q_MIN = {2: 0, 3: -128}  # UINT8, INT8


def qdq_to_qlinear(model: Any, path: str = "", opset: int = 0) -> Any:
    """`model` (a copy) with every QDQ Conv/MatMul/Gemm pattern rewritten; a located error
    (in `path`) for a QDQ Gemm whose alpha, beta or transA the integer form cannot hold."""
    import onnx

    model = onnx.ModelProto.FromString(model.SerializeToString())
    graph = model.graph
    while (match := _next_match(graph)) is not None:
        _check_gemm(match[0], path, opset)
        _rewrite(graph, *match)
    return model


def _index(graph: Any) -> tuple[dict[str, Any], dict[str, list[Any]], dict[str, np.ndarray]]:
    """(producer by value, consumers by value, initializer values by name)."""
    from onnx import numpy_helper

    producer = {o: n for n in graph.node for o in n.output}
    users: dict[str, list[Any]] = {}
    for n in graph.node:
        for x in n.input:
            users.setdefault(x, []).append(n)
    inits = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    return producer, users, inits


def _next_match(graph: Any) -> tuple | None:
    """(layer node, x DQ, w DQ, bias DQ or None, Relu or None, Q) of the first match."""
    producer, users, inits = _index(graph)
    outputs = {o.name for o in graph.output}
    for node in graph.node:
        if node.op_type not in LAYERS or node.domain not in ("", "ai.onnx"):
            continue
        dq = [producer.get(x) for x in node.input]
        if any(d is None or d.op_type != "DequantizeLinear" for d in dq):
            continue
        x_dq, w_dq, *b_dq = dq
        if not (_per_tensor(x_dq, inits) and w_dq.input[0] in inits
                and (_per_tensor(w_dq, inits) or _per_channel(w_dq, _channel_axis(node),
                                                               inits))):
            continue
        if b_dq and not _bias_matches(b_dq[0], x_dq, w_dq, inits):
            continue
        relu, q = _requantizer(node.output[0], users, outputs)
        if q is None or not _per_tensor(q, inits):
            continue
        if relu is not None and _zero_point(q, inits)[1] != Q_MIN.get(_q_type(q, inits)):
            continue
        return node, x_dq, w_dq, (b_dq[0] if b_dq else None), relu, q
    return None


def _requantizer(value: str, users: dict[str, list[Any]], outputs: set[str]) -> tuple:
    """(Relu or None, QuantizeLinear or None): what alone reads `value` up to its quantizer."""
    relu = None
    if value in outputs or len(users.get(value, [])) != 1:
        return None, None
    node = users[value][0]
    if node.op_type == "Relu":
        relu, value = node, node.output[0]
        if value in outputs or len(users.get(value, [])) != 1:
            return None, None
        node = users[value][0]
    return (relu, node) if node.op_type == "QuantizeLinear" else (None, None)


def _attr(node: Any, name: str, default: int) -> int:
    return next((a.i for a in node.attribute if a.name == name), default)


def _channel_axis(layer: Any) -> int:
    """The axis of a layer's weights that runs over its output channels."""
    if layer.op_type == "Conv":
        return 0
    return 0 if layer.op_type == "Gemm" and _attr(layer, "transB", 0) else 1


def _per_channel(node: Any, axis: int, inits: dict[str, np.ndarray]) -> bool:
    """A DequantizeLinear of weights with a 1-D scale (and zero point) along `axis`, one per
    output channel, as initializers."""
    weight = inits[node.input[0]]
    rank = weight.ndim
    if _attr(node, "block_size", 0) or _attr(node, "axis", 1) % max(rank, 1) != axis:
        return False
    names = [n for n in node.input[1:3] if n]
    return all(n in inits and inits[n].shape == (weight.shape[axis],) for n in names)


def _check_gemm(layer: Any, path: str, opset: int) -> None:
    """A located error for a QDQ Gemm the integer form does not hold."""
    from onnx import helper

    if layer.op_type != "Gemm":
        return
    attrs = {a.name: helper.get_attribute_value(a) for a in layer.attribute}
    bad = [f"{k} {attrs[k]:g}" for k in ("alpha", "beta") if attrs.get(k, 1.0) != 1.0]
    bad += ["transA 1"] if attrs.get("transA", 0) else []
    if bad:
        raise UnifiedError(f"node '{layer.name}' (Gemm, opset {opset}) between "
                           f"DequantizeLinear and QuantizeLinear has {', '.join(bad)}, which "
                           "the integer form does not hold", Loc(path) if path else None,
                           hint="fold alpha and beta into the scales and transpose A before "
                           "quantizing (alpha = beta = 1, transA = 0)")


def _per_tensor(node: Any, inits: dict[str, np.ndarray]) -> bool:
    """A scalar scale (and zero point) that are initializers, no blocks."""
    names = node.input[1:3]
    return (all(n in inits and inits[n].size == 1 for n in names)
            and not _attr(node, "block_size", 0))


def _zero_point(node: Any, inits: dict[str, np.ndarray]) -> tuple[str, int]:
    """(zero point initializer name or '', its value) of a (De)QuantizeLinear."""
    name = node.input[2] if len(node.input) > 2 and node.input[2] else ""
    return name, int(inits[name].ravel()[0]) if name else 0


def _q_type(q: Any, inits: dict[str, np.ndarray]) -> int:
    """The ONNX element type a QuantizeLinear writes: its zero point's (uint8 without one)."""
    name, _ = _zero_point(q, inits)
    return {np.dtype(np.uint8): 2, np.dtype(np.int8): 3}.get(inits[name].dtype, 0) if name else 2


def _bias_matches(b_dq: Any, x_dq: Any, w_dq: Any, inits: dict[str, np.ndarray]) -> bool:
    """A 1-D int32 initializer bias at scale x_scale * w_scale, zero point 0."""
    bias, scale = inits.get(b_dq.input[0]), inits.get(b_dq.input[1])
    zero = b_dq.input[2] if len(b_dq.input) > 2 else ""
    if (bias is None or bias.dtype != np.int32 or bias.ndim != 1 or scale is None
            or (zero and (zero not in inits or np.any(inits[zero])))):
        return False
    want = (inits[x_dq.input[1]].astype(np.float32) * inits[w_dq.input[1]].astype(np.float32))
    return bool(np.allclose(np.broadcast_to(scale, bias.shape), np.broadcast_to(want, bias.shape),
                            rtol=1e-6, atol=0))


def _rewrite(graph: Any, layer: Any, x_dq: Any, w_dq: Any, b_dq: Any, relu: Any, q: Any) -> None:
    """Replaces layer [+ relu] + q by one QLinear node; drops the DQs nothing else reads."""
    from onnx import helper, numpy_helper

    _, _, inits = _index(graph)

    def zero(node: Any, dtype: Any) -> str:
        name, _ = _zero_point(node, inits)
        if name:
            return name
        name = f"{node.name or node.output[0]}_zero_point"
        graph.initializer.append(numpy_helper.from_array(np.zeros((), dtype), name))
        return name

    x_type = inits[x_dq.input[2]].dtype if _zero_point(x_dq, inits)[0] else np.uint8
    weight = w_dq.input[0]
    if layer.op_type == "Gemm" and _attr(layer, "transB", 0):
        weight = f"{layer.name}_B_transposed"
        graph.initializer.append(numpy_helper.from_array(
            np.ascontiguousarray(inits[w_dq.input[0]].T), weight))
    inputs = [x_dq.input[0], x_dq.input[1], zero(x_dq, x_type), weight, w_dq.input[1],
              zero(w_dq, inits[w_dq.input[0]].dtype), q.input[1], zero(q, np.uint8)]
    if b_dq is not None:
        inputs.append(b_dq.input[0])
    attrs = ({} if layer.op_type == "Gemm" else
             {a.name: helper.get_attribute_value(a) for a in layer.attribute})
    fused = helper.make_node(LAYERS[layer.op_type], inputs, [q.output[0]], name=layer.name,
                             **attrs)
    nodes = list(graph.node)
    at = nodes.index(q)
    gone = {id(n) for n in (layer, relu, q) if n is not None}
    kept = [n for n in nodes[:at] if id(n) not in gone] + [fused] + \
        [n for n in nodes[at + 1:] if id(n) not in gone]
    read = {x for n in kept for x in n.input} | {o.name for o in graph.output}
    kept = [n for n in kept if n.op_type != "DequantizeLinear" or n.output[0] in read]
    del graph.node[:]
    graph.node.extend(kept)
