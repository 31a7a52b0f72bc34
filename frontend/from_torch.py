"""PyTorch models in: `from_torch(module, example_inputs)` -> the unified module (text).

The module is exported to ONNX with torch's TorchScript exporter (opset 17, static shapes
from the example inputs; the newer torch.export-based exporter needs `onnxscript`, which
is not installed here) and imported like a model file, so every ONNX rule applies. torch is
an optional extra: a located error says how to install it when it is missing.
"""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from frontend.flow import import_model
from unified.core.errors import UnifiedError

OPSET = 17


def from_torch(module: Any, example_inputs: Sequence[Any], *, name: str = "model",
               targets: dict[str, str] | None = None) -> str:
    """The unified module for torch.nn.Module `module` run on `example_inputs` (tensors):
    @main takes the inputs then the outputs, one kernel per exported ONNX node."""
    try:
        import torch
    except ImportError:
        raise UnifiedError("from_torch needs PyTorch, which is not installed",
                           hint="pip install torch (an optional extra; ONNX files need "
                           "only the onnx package)") from None
    with tempfile.TemporaryDirectory(prefix="unified-torch-") as tmp:
        path = Path(tmp) / f"{name}.onnx"
        with warnings.catch_warnings():  # the TorchScript exporter warns that it is legacy
            warnings.simplefilter("ignore", DeprecationWarning)
            torch.onnx.export(module.eval(), tuple(example_inputs), str(path),
                              opset_version=OPSET, dynamo=False)
        return import_model(path, targets=targets)
