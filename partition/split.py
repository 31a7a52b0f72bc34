"""Splitting a placed module: the software module, with the hardware kernels declared.

`split` runs inside a worker (`pycde` for a unified module, which may hold hw.modules;
`mlir` for the software flow's vector level) and rewrites through IR objects: each
hardware kernel's definition becomes the external declaration the C driver defines
(`func.func private @k(...) attributes {llvm.emit_c_interface}`) and hand-written
hw.modules leave the software side. The hardware side is each kernel on its own, which
the hardware flow extracts from the unified module (hls/extract_kernel.py).
"""

from __future__ import annotations

from typing import Any

from unified.core import mlir


def split(module: Any, hw_kernels: list[str]) -> dict[str, Any]:
    """{"sw": the software module's text, "hw": the kernels it now declares}."""
    declared = []
    for op in list(module.body.operations):
        op = op.operation
        if op.name.startswith(("hw.", "sv.")):  # hand-written RTL belongs to the hardware side
            op.erase()
        elif op.name == "func.func" and _name(op) in hw_kernels:
            declared.append(_name(op))  # before _to_declaration erases `op`
            if len(op.regions[0].blocks):
                _to_declaration(op)
            else:  # a kernel a hand-written hw.module implements: the driver defines it too
                op.attributes["llvm.emit_c_interface"] = mlir.ir.UnitAttr.get()
    for op in module.body.operations:
        op = op.operation
        if op.name == "func.func" and "unified.target" in op.attributes:
            del op.attributes["unified.target"]
    return {"sw": module.operation.get_asm(enable_debug_info=True), "hw": declared}


def _name(op: Any) -> str:
    return mlir.ir.StringAttr(op.attributes["sym_name"]).value


def _to_declaration(fn: Any) -> None:
    """Replaces a definition by `func.func private @k(...) attributes {llvm.emit_c_interface}`."""
    ir = mlir.ir
    func = mlir.dialect("func")
    ftype = ir.TypeAttr(fn.attributes["function_type"]).value
    with ir.InsertionPoint(fn), fn.location:
        decl = func.FuncOp(_name(fn), ftype, visibility="private")
    decl.operation.attributes["llvm.emit_c_interface"] = ir.UnitAttr.get()
    fn.erase()
