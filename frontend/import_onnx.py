"""ONNX kernel graphs -> `torch.operator "onnx.*"` functions, through torch-mlir's importer.

Runs in the upstream-MLIR worker (torch-mlir's build), the only one that has the torch
dialect and `torch_mlir.extras.onnx_importer`. Each operation keeps the ONNX node's name
as its location (`loc("conv1")`), so later errors point at the node.
"""

from __future__ import annotations

import importlib
from typing import Any

from unified.core import mlir
from unified.core.errors import UnifiedError


def import_kernels(module: Any, models: list[bytes]) -> list[str]:
    """Appends one func.func per serialized one-kernel ONNX model to `module` (named after
    the model's graph); returns the function names in order."""
    if mlir.build != "mlir":
        raise UnifiedError(f"the ONNX importer needs the upstream-MLIR build, not {mlir.build}")
    import onnx

    mlir.dialect("torch").register_dialect(module.context)
    package = mlir.ir.__name__.rsplit(".", 1)[0]
    importer = importlib.import_module(package + ".extras.onnx_importer")
    names = []
    for data in models:
        info = importer.ModelInfo(onnx.ModelProto.FromString(data))
        importer.NodeImporter.define_function(info.main_graph, module.operation).import_all()
        names.append(info.main_graph.graph_proto.name)
    return names
