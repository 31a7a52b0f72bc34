"""The frontend stage: ONNX models -> the unified module (one kernel per node, `@main`)."""

from frontend.flow import LEVELS, import_cached, import_model
from frontend.from_torch import from_torch
from frontend.onnx_graph import SUPPORTED_OPS

__all__ = ["LEVELS", "SUPPORTED_OPS", "from_torch", "import_cached", "import_model"]
