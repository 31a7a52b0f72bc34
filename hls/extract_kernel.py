"""Keeps one kernel function and the functions it calls; drops everything else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from unified.core import mlir
from unified.core.errors import Loc, VerifyError
from unified.core.passes import ModulePass


def _name(op: Any) -> str:
    return mlir.ir.StringAttr(op.attributes["sym_name"]).value


def _callees(op: Any) -> list[str]:
    found: list[str] = []
    for region in op.regions:
        for block in region.blocks:
            for inner in block.operations:
                inner = inner.operation
                if inner.name == "func.call":
                    found.append(mlir.ir.FlatSymbolRefAttr(inner.attributes["callee"]).value)
                found.extend(_callees(inner))
    return found


@dataclass(frozen=True)
class ExtractKernel(ModulePass):
    """Erases every top-level op but func.func @func and its callees (made private), module attrs."""

    name: ClassVar[str] = "extract-kernel"
    build: ClassVar[str] = "pycde"  # parses a whole unified module, hw.module included
    func: str = ""
    path: str = "<input>"

    def apply(self, module: Any) -> None:
        funcs = {_name(op.operation): op.operation for op in module.body.operations
                 if op.operation.name == "func.func"}
        if self.func not in funcs:
            have = ", ".join(f"@{n}" for n in funcs) or "none"
            raise VerifyError(f"no function @{self.func} in this module", Loc(self.path),
                              hint=f"functions here: {have}")
        keep, todo = set(), [self.func]
        while todo:
            name = todo.pop()
            if name in keep or name not in funcs:
                continue
            keep.add(name)
            self._check_no_globals(funcs[name])
            todo.extend(_callees(funcs[name]))
        for op in list(module.body.operations):
            op = op.operation
            if not (op.name == "func.func" and _name(op) in keep):
                op.erase()
        attrs = module.operation.attributes
        for name in [attrs[i].name for i in range(len(attrs))]:
            del attrs[name]
        for name in keep & funcs.keys():  # only the kept ops: the others are erased above
            op = funcs[name]
            if name != self.func:  # callees: private, so that inlining drops them
                op.attributes["sym_visibility"] = mlir.ir.StringAttr.get("private")
            names = [op.attributes[i].name for i in range(len(op.attributes))]
            for attr in [n for n in names if n.startswith("unified.")]:
                del op.attributes[attr]

    def _check_no_globals(self, fn: Any) -> None:
        """A located error for a memref.get_global in `fn`: the Calyx flow has no memory with
        initial contents (lower-calyx-to-hw cannot give one), so data comes in as arguments."""
        for op in mlir.walk(fn):
            if op.name == "memref.get_global":
                glob = mlir.ir.FlatSymbolRefAttr(op.attributes["name"]).value
                _, line, col = mlir.location_of(op.location)
                raise VerifyError(
                    f"the hardware kernel @{_name(fn)} reads the global @{glob}",
                    Loc(self.path, line, col),
                    hint=f"pass @{glob} as a memref argument and get_global it in the caller "
                    "(the driver fills that scratchpad; ONNX imports do this for weights)")
