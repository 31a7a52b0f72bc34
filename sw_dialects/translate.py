"""LLVM dialect -> LLVM IR text (runs inside the `mlir` worker)."""

from __future__ import annotations

from typing import Any

from sw_dialects.walk import dialect


def to_llvm_ir(module: Any) -> str:
    """The LLVM IR (textual) of a module that holds only LLVM dialect operations."""
    return str(dialect("llvm").translate_module_to_llvmir(module.operation))
