"""Drops attributes the CIRCT builds cannot read back from upstream MLIR's printed form.

The pycde and circt readers are older than torch-mlir's MLIR: `memref.global ... {alignment
= 64 : i64}` (an inherent attribute printed in the attribute dictionary) fails to parse
there. Alignment is a hint; the software flow aligns buffers on its own.
"""

from __future__ import annotations

from typing import Any

from unified.core import mlir

ONNX_META = ("torch.onnx_meta.opset_version", "torch.onnx_meta.opset_versions",
             "torch.onnx_meta.ir_version", "torch.onnx_meta.producer_name",
             "torch.onnx_meta.producer_version")


def drop_unportable(module: Any) -> int:
    """Removes `alignment` from memref.global/alloc and the importer's ONNX metadata from
    functions; returns how many attributes went."""
    dropped = 0
    for op in mlir.walk(module.operation):
        names = {"memref.global": ("alignment",), "memref.alloc": ("alignment",),
                 "func.func": ONNX_META}.get(op.name, ())
        for name in names:
            if name in op.attributes:
                del op.attributes[name]
                dropped += 1
    return dropped
