"""LLVM dialect -> LLVM IR text (runs inside the `mlir` worker)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from unified import mlir


def to_llvm_ir(module: Any) -> str:
    """The LLVM IR (textual) of a module that holds only LLVM dialect operations."""
    llvm = import_module(mlir.ir.__name__.rsplit(".", 1)[0] + ".dialects.llvm")
    return str(llvm.translate_module_to_llvmir(module.operation))
