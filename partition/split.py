"""Splitting a placed unified module: the software module and one module per hardware kernel.

`split` runs inside a worker (the `pycde` build parses every dialect a unified module may
hold) and rewrites through IR objects: each hardware kernel's definition becomes the
external declaration the C driver defines (`func.func private @k(...) attributes
{llvm.emit_c_interface}`), hand-written hw.modules leave the software side, and each
hardware kernel is cloned into a module of its own for the hardware flow.
"""

from __future__ import annotations

import importlib
from typing import Any

from unified import mlir


def _dialect(name: str) -> Any:
    return importlib.import_module(mlir.ir.__name__.rsplit(".", 1)[0] + ".dialects." + name)


def split(module: Any, hw_kernels: list[str]) -> dict[str, Any]:
    """{"sw": software module text, "hw": {kernel: module text holding only that kernel}}."""
    ir = mlir.ir
    hw_texts: dict[str, str] = {}
    for op in list(module.body.operations):
        op = op.operation
        if op.name == "func.func" and _name(op) in hw_kernels and len(op.regions[0].blocks):
            hw_texts[_name(op)] = _alone(op)
    for op in list(module.body.operations):
        op = op.operation
        if op.name == "hw.module" or op.name.startswith("sv.") or op.name.startswith("hw."):
            op.erase()
        elif op.name == "func.func" and _name(op) in hw_kernels:
            _to_declaration(op)
    for op in module.body.operations:
        op = op.operation
        if op.name == "func.func" and "unified.target" in op.attributes:
            del op.attributes["unified.target"]
    text = module.operation.get_asm(enable_debug_info=True)
    del ir
    return {"sw": text, "hw": hw_texts}


def _name(op: Any) -> str:
    return mlir.ir.StringAttr(op.attributes["sym_name"]).value


def _alone(fn: Any) -> str:
    """A module holding a copy of `fn` and nothing else, printed with locations."""
    ir = mlir.ir
    new = ir.Module.create()
    with ir.InsertionPoint(new.body):
        copy = fn.clone()
    if "unified.target" in copy.operation.attributes:
        del copy.operation.attributes["unified.target"]
    return new.operation.get_asm(enable_debug_info=True)


def _to_declaration(fn: Any) -> None:
    """Replaces a definition by `func.func private @k(...) attributes {llvm.emit_c_interface}`."""
    ir = mlir.ir
    func = _dialect("func")
    ftype = ir.TypeAttr(fn.attributes["function_type"]).value
    with ir.InsertionPoint(fn), fn.location:
        decl = func.FuncOp(_name(fn), ftype, visibility="private")
    decl.operation.attributes["llvm.emit_c_interface"] = ir.UnitAttr.get()
    fn.erase()
