"""Reading an ONNX model and cutting it into kernels: one small ONNX graph per node group.

Runs in the parent process (the `onnx` package holds no MLIR build). Each group is a node,
or a Conv with the Relu that alone consumes it; it becomes a single-kernel ONNX model whose
inputs are the activations it reads (weights stay initializers) and whose outputs are the
values the rest of the graph or the model's caller reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from frontend.channel_constants import take_channel_constants
from frontend.qdq_to_qlinear import qdq_to_qlinear
from unified.core.errors import Loc, UnifiedError

# The operators the frontend lowers (ONNX domain ""), checked before any lowering: float32
# ones, and the int8 ones through torch-mlir's quantized lowerings.
SUPPORTED_OPS = frozenset({
    "Conv", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Relu", "LeakyRelu", "Clip",
    "Sigmoid", "Tanh", "MaxPool", "AveragePool", "GlobalAveragePool", "BatchNormalization",
    "Flatten", "Reshape", "Transpose", "Concat", "Softmax", "Constant", "Identity",
    # int8: quantize/dequantize pairs (QDQ) and the integer operators
    "QuantizeLinear", "DequantizeLinear", "QLinearConv", "QLinearMatMul", "ConvInteger",
    "MatMulInteger",
})
# ONNX element type -> the memref element type (signless: uint8 data is i8 in memory).
ELEMENT_TYPES = {1: "f32", 2: "i8", 3: "i8", 6: "i32"}


@dataclass(frozen=True)
class Tensor:
    """A value flowing between kernels: its ONNX name, static shape and element type."""

    name: str
    shape: tuple[int, ...]
    element: str = "f32"
    onnx_type: int = 1  # onnx.TensorProto.FLOAT


@dataclass
class Kernel:
    """One kernel to be: its function name, ONNX nodes, inputs and outputs (in call order)."""

    name: str
    nodes: list[str]
    op_types: list[str]
    inputs: list[Tensor]
    outputs: list[Tensor]
    model: bytes = b""  # the single-kernel ONNX model, serialized
    # per-channel requantization constants taken out of its QLinear node (channel_constants)
    requant: dict | None = None


@dataclass
class Graph:
    """The model cut into kernels, with the model's own inputs and outputs."""

    name: str
    inputs: list[Tensor]
    outputs: list[Tensor]
    kernels: list[Kernel] = field(default_factory=list)
    opset: int = 0


def load(path: str | Path) -> Any:
    """The ModelProto at `path`; a located error when it is not ONNX."""
    import onnx

    try:
        model = onnx.load(str(path))
    except FileNotFoundError:
        raise UnifiedError(f"cannot read '{path}': no such file", hint="check the path") from None
    except Exception as e:  # noqa: BLE001 - protobuf raises its own DecodeError and friends
        raise UnifiedError(f"not an ONNX model ({e.__class__.__name__})",
                           Loc(str(path)), hint="give a .onnx file saved by onnx.save") from None
    return model


def _inferred(model: Any, path: str) -> Any:
    """`model` with every value's type and shape inferred; a located error when that fails."""
    import onnx

    try:
        return onnx.shape_inference.infer_shapes(model, strict_mode=True)
    except Exception as e:  # noqa: BLE001 - InferenceError, ValidationError
        first = str(e).strip().splitlines()[0] if str(e).strip() else e.__class__.__name__
        raise UnifiedError(f"ONNX shape inference failed: {first}", Loc(path),
                           hint="check the model with onnx.checker.check_model") from None


def opset_of(model: Any) -> int:
    """The model's version of the default ONNX domain."""
    return next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 0)


def sanitize(name: str, taken: set[str]) -> str:
    """A symbol name for `name`: [A-Za-z0-9_], not starting with a digit, unique in `taken`."""
    base = re.sub(r"[^A-Za-z0-9_]", "_", name) or "node"
    if base[0].isdigit():
        base = "n" + base
    candidate, i = base, 1
    while candidate in taken or candidate == "main":
        candidate, i = f"{base}_{i}", i + 1
    taken.add(candidate)
    return candidate


def split(model: Any, path: str) -> Graph:
    """The kernels of `model` in graph order; a located error for a node the flow cannot lower."""
    opset = opset_of(model)
    model = qdq_to_qlinear(_named(model), path, opset)
    model, requant = take_channel_constants(model, path, opset)
    _check_nodes(model, path, opset)
    model = _fold_constants(_inferred(model, path))
    graph = model.graph
    types = _value_types(graph)
    inits = {t.name for t in graph.initializer}
    _check_limits(graph, types, path, opset)

    def tensor(name: str, where: str) -> Tensor:
        if name not in types:
            raise UnifiedError(f"the shape of '{name}' ({where}) is unknown",
                               Loc(path), hint="give the model static shapes (onnx-simplifier "
                               "with --overwrite-input-shape does this)")
        shape, elem, onnx_type, problem = types[name]
        if problem:
            raise UnifiedError(f"'{name}' ({where}) {problem}", Loc(path),
                               hint="give every tensor a static, non-empty shape of float32, "
                               "int8, uint8 or int32")
        return Tensor(name, shape, elem, onnx_type)

    consumers: dict[str, list[int]] = {}
    for i, node in enumerate(graph.node):
        for name in node.input:
            consumers.setdefault(name, []).append(i)
    model_outputs = [o.name for o in graph.output]
    alias = {n.output[0]: n.input[0] for n in graph.node if n.op_type == "Identity"}

    def resolve(name: str) -> str:
        while name in alias:
            name = alias[name]
        return name

    groups = _groups(graph, consumers, model_outputs)
    out = Graph(graph.name or Path(path).stem, [], [], opset=opset)
    out.inputs = [tensor(i.name, "a model input") for i in graph.input if i.name not in inits]
    out.outputs = [tensor(resolve(o.name), "a model output") for o in graph.output]
    read_later = {resolve(o) for o in model_outputs}
    read_later.update(resolve(x) for g in groups for i in g for x in graph.node[i].input if x)
    taken: set[str] = set()
    for group in groups:
        nodes = [graph.node[i] for i in group]
        label = nodes[0].name
        produced = {o for n in nodes for o in n.output if o}
        reads = dict.fromkeys(resolve(x) for n in nodes for x in n.input if x)
        ins = [tensor(x, f"read by node '{label}'") for x in reads
               if x not in produced and x not in inits]
        outs = [tensor(o, f"written by node '{label}'") for n in nodes for o in n.output
                if o and o in read_later and not _internal(o, group, consumers, model_outputs)]
        kernel = Kernel(sanitize(label, taken), [n.name for n in nodes],
                        [n.op_type for n in nodes], ins, outs,
                        requant=next((requant[n.name] for n in nodes if n.name in requant), None))
        kernel.model = _kernel_model(model, nodes, kernel, inits, resolve).SerializeToString()
        out.kernels.append(kernel)
    return out


def kernel_targets(graph: Graph, targets: dict[str, str], path: str) -> dict[str, str]:
    """{kernel function: "hw" | "sw"} for `targets` keyed by ONNX node or kernel name; a
    located error for a name that is neither."""
    by_name = {n: k.name for k in graph.kernels for n in [k.name, *k.nodes]}
    unknown = [n for n in targets if n not in by_name]
    if unknown:
        have = ", ".join(k.nodes[0] for k in graph.kernels)
        raise UnifiedError(f"no ONNX node '{unknown[0]}' in this model", Loc(path),
                           hint=f"name one of its nodes: {have}")
    return {by_name[n]: side for n, side in targets.items()}


def _named(model: Any) -> Any:
    """`model` with every unnamed node named `<op>_<index>` (its place in the graph)."""
    import onnx

    if all(n.name for n in model.graph.node):
        return model
    model = onnx.ModelProto.FromString(model.SerializeToString())
    for i, node in enumerate(model.graph.node):
        if not node.name:
            node.name = f"{node.op_type.lower()}_{i}"
    return model


def _groups(graph: Any, consumers: dict[str, list[int]], model_outputs: list[str]) -> list[list[int]]:
    """Node indices per kernel: each node alone, but a Conv with the Relu that alone reads it
    together; Identity nodes make no kernel (their output is an alias)."""
    groups: list[list[int]] = []
    fused: set[int] = set()
    for i, node in enumerate(graph.node):
        if i in fused or node.op_type == "Identity":
            continue
        group = [i]
        users = consumers.get(node.output[0], []) if node.output else []
        if (node.op_type == "Conv" and len(users) == 1 and graph.node[users[0]].op_type == "Relu"
                and node.output[0] not in model_outputs):
            group.append(users[0])
            fused.add(users[0])
        groups.append(group)
    return groups


def _internal(name: str, group: list[int], consumers: dict[str, list[int]],
              model_outputs: list[str]) -> bool:
    """Whether `name` is read only inside its own group (a fused Conv's output)."""
    users = consumers.get(name, [])
    return bool(users) and all(u in group for u in users) and name not in model_outputs


def _check_nodes(model: Any, path: str, opset: int) -> None:
    """A located error naming the first node whose operator the frontend does not lower."""
    for node in model.graph.node:
        domain = node.domain if node.domain not in ("", "ai.onnx") else ""
        if domain or node.op_type not in SUPPORTED_OPS:
            what = f"{domain}.{node.op_type}" if domain else node.op_type
            lowered = ", ".join(sorted(SUPPORTED_OPS - {"Constant", "Identity"}))
            raise UnifiedError(f"node '{node.name}' ({what}, opset {opset}) is not supported",
                               Loc(path), hint=f"replace it by operators the frontend lowers: "
                               f"{lowered}")


def _check_limits(graph: Any, types: dict[str, tuple], path: str, opset: int) -> None:
    """A located error for a supported operator used in a way torch-mlir's lowering gets
    wrong or rejects (checked against onnx's backend cases): per-axis or blocked
    (de)quantization outside a QDQ layer, per-channel activation scales, batched
    QLinearMatMul, a vector times a batch of matrices, padded ConvInteger."""
    sizes = {t.name: int(np.prod(t.dims)) for t in graph.initializer}
    sizes.update({k: int(np.prod(v[0])) for k, v in types.items() if all(d >= 0 for d in v[0])})
    for node in graph.node:
        why = ""
        if node.op_type in ("QuantizeLinear", "DequantizeLinear"):
            if any(a.name == "block_size" and a.i for a in node.attribute):
                why = "blocked quantization"
            elif sizes.get(node.input[1], 1) > 1:
                why = ("per-axis quantization (a scale per channel) outside the weights of a "
                       "QDQ Conv, MatMul or Gemm")
        elif node.op_type in ("QLinearConv", "QLinearMatMul") and any(
                sizes.get(x, 1) > 1 for x in node.input[1:8:3]):  # x, w, y scales
            # weight scales per channel given as initializers were taken out before
            why = "per-channel activation scales, or weight scales that are not initializers"
        elif node.op_type == "QLinearMatMul" and any(len(types.get(x, ((),))[0]) > 2
                                                     for x in (node.input[0], node.input[3])):
            why = "a batched QLinearMatMul (inputs of rank 3 or more)"
        elif node.op_type == "MatMul" and sorted(len(types.get(x, ((),))[0])
                                                 for x in node.input[:2]) in ([1, 3], [1, 4]):
            why = "a vector times a batch of matrices (rank 1 with rank 3 or more)"
        elif node.op_type == "ConvInteger" and any(a.name == "pads" and any(a.ints)
                                                   for a in node.attribute):
            why = "padding in ConvInteger"
        if why:
            raise UnifiedError(f"node '{node.name}' ({node.op_type}, opset {opset}) uses {why}, "
                               "which the frontend does not lower", Loc(path),
                               hint="rewrite the node (quantize per tensor; reshape the "
                               "vector to a matrix; pad with a Pad node before the Conv)")


def _value_types(graph: Any) -> dict[str, tuple[tuple[int, ...], str, int, str]]:
    """name -> (shape, element, ONNX type, problem) for every typed value ('' problem when
    usable)."""
    import onnx

    found: dict[str, tuple[tuple[int, ...], str, int, str]] = {}
    for vi in [*graph.input, *graph.value_info, *graph.output]:
        t = vi.type.tensor_type
        dims = tuple(d.dim_value if d.HasField("dim_value") else -1 for d in t.shape.dim)
        problem = ""
        if t.elem_type not in ELEMENT_TYPES:
            name = onnx.TensorProto.DataType.Name(t.elem_type).lower()
            problem = f"has the element type {name}"
        elif any(d < 0 for d in dims) or not t.HasField("shape"):
            problem = "has a dynamic shape"
        elif 0 in dims:
            problem = "has a dimension of size 0"
        found[vi.name] = (dims, ELEMENT_TYPES.get(t.elem_type, "?"), t.elem_type, problem)
    return found


def _fold_constants(model: Any) -> Any:
    """The model with every Constant node turned into an initializer of the same name."""
    import onnx
    from onnx import numpy_helper
    from onnx.reference import ReferenceEvaluator

    if not any(n.op_type == "Constant" for n in model.graph.node):
        return model
    model = onnx.ModelProto.FromString(model.SerializeToString())
    keep = []
    for node in model.graph.node:
        if node.op_type != "Constant":
            keep.append(node)
            continue
        one = onnx.helper.make_model(
            onnx.helper.make_graph([node], "c", [], [onnx.helper.make_empty_tensor_value_info(
                node.output[0])]), opset_imports=list(model.opset_import))
        (value,) = ReferenceEvaluator(one).run(None, {})
        model.graph.initializer.append(numpy_helper.from_array(value, node.output[0]))
    del model.graph.node[:]
    model.graph.node.extend(keep)
    return model


def _kernel_model(model: Any, nodes: list[Any], kernel: Kernel, inits: set[str],
                  resolve: Any) -> Any:
    """A one-kernel ONNX model: `nodes`, their weights as initializers, typed inputs/outputs."""
    import onnx
    from onnx import helper

    renamed = []
    for n in nodes:
        copy = onnx.NodeProto.FromString(n.SerializeToString())
        for j, x in enumerate(copy.input):
            copy.input[j] = resolve(x)
        renamed.append(copy)
    used = {x for n in renamed for x in n.input}
    weights = [t for t in model.graph.initializer if t.name in used and t.name in inits]

    def info(t: Tensor) -> Any:
        return helper.make_tensor_value_info(t.name, t.onnx_type, list(t.shape))

    g = helper.make_graph(renamed, kernel.name, [info(t) for t in kernel.inputs],
                          [info(t) for t in kernel.outputs], weights)
    one = helper.make_model(g, opset_imports=list(model.opset_import))
    one.ir_version = model.ir_version
    return onnx.shape_inference.infer_shapes(one)
