"""What a module holds: its functions, their signatures and targets, its hw.modules.

`describe` runs inside a worker (any build that parses the module; `pycde` parses all of
func/affine/arith/memref/scf and hw/comb/seq) and returns plain data the parent can use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from unified.core import mlir


@dataclass(frozen=True)
class Arg:
    """One function argument: a memref (shape, element type) or a scalar (shape ())."""

    index: int
    kind: str  # "memref" | "scalar"
    element: str  # "i32", "f32", "index", ...
    shape: tuple[int, ...] = ()
    read_only: bool = False  # a memref the function only loads from (the driver copies it in only)

    @property
    def name(self) -> str:
        return f"arg{self.index}"

    @property
    def bits(self) -> int:
        if self.element == "index":
            return 64
        return int(self.element[1:])

    @property
    def is_float(self) -> bool:
        return self.element.startswith(("f", "bf"))

    @property
    def numpy_dtype(self) -> str:
        if self.is_float:
            return {"f16": "float16", "f32": "float32", "f64": "float64"}[self.element]
        if self.element == "index":
            return "int64"
        bits = self.bits
        return f"int{bits}" if bits in (8, 16, 32, 64) else ("bool" if bits == 1 else "int64")


@dataclass(frozen=True)
class Function:
    name: str
    args: tuple[Arg, ...]
    results: tuple[str, ...]
    target: str  # "auto" | "hw" | "sw"
    declaration: bool  # external (no body)
    loc: tuple[str, int, int]
    callees: tuple[str, ...] = ()
    private: bool = False  # sym_visibility = "private"
    onnx: tuple[str, str] | None = None  # (node, op types) of a kernel imported from ONNX


def signature_problem(fn: Function) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) when `fn`'s arguments are of a kind the flows cannot
    call: signed/unsigned integer types (si32, ui8) or memrefs with a dynamic size."""
    for arg in fn.args:
        if arg.element[:2] in ("si", "ui") and arg.element[2:].isdigit():
            return ((f"argument {arg.index} of @{fn.name} has the {arg.element} element type; "
                    "arith works on signless integers"),
                    (f"declare it as i{arg.element[2:]} (signedness lives in the ops: divsi, "
                    "divui, extsi, ...)"))
        if arg.kind == "memref" and any(d < 0 for d in arg.shape):
            dims = "x".join("?" if d < 0 else str(d) for d in arg.shape)
            return ((f"argument {arg.index} of @{fn.name} is a memref<{dims}x{arg.element}> with "
                    "a dynamic size"),
                    ("give every dimension a static size (the shell, the driver and the "
                    "harness size their buffers from it)"))
    return None


@dataclass(frozen=True)
class HwModule:
    name: str
    implements: str | None
    ports: tuple[tuple[str, str, int], ...]  # (name, "in"|"out", width)
    loc: tuple[str, int, int]


@dataclass
class ModuleInfo:
    functions: dict[str, Function] = field(default_factory=dict)
    hw_modules: dict[str, HwModule] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)


# Uses that only read a memref; any other use (a store, a call, a view) may write it.
_READS = ("affine.load", "memref.load", "memref.dim", "affine.vector_load", "vector.load",
          "vector.transfer_read")


def _arg(index: int, t: Any, value: Any = None) -> Arg:
    """The argument of type `t`; `value`, the function's block argument when it has a body,
    tells whether a memref is only read."""
    ir = mlir.ir
    try:
        m = ir.MemRefType(t)
    except (ValueError, TypeError):
        return Arg(index, "scalar", str(t))
    read_only = value is not None and all(u.owner.name in _READS for u in value.uses)
    return Arg(index, "memref", str(m.element_type), tuple(m.shape), read_only)


def _str_attr(op: Any, name: str) -> str | None:
    if name not in op.attributes:
        return None
    a = op.attributes[name]
    try:
        return mlir.ir.StringAttr(a).value
    except (ValueError, TypeError):
        try:
            return mlir.ir.FlatSymbolRefAttr(a).value
        except (ValueError, TypeError):
            return str(a)


def _callees(op: Any) -> list[str]:
    found: list[str] = []

    def visit(o: Any) -> None:
        for region in o.regions:
            for block in region.blocks:
                for inner in block.operations:
                    if inner.operation.name == "func.call":
                        callee = _str_attr(inner.operation, "callee")
                        if callee and callee not in found:
                            found.append(callee)
                    visit(inner.operation)

    visit(op)
    return found


def _onnx_origin(op: Any) -> tuple[str, str] | None:
    node = _str_attr(op, "unified.onnx_node")
    return None if node is None else (node, _str_attr(op, "unified.onnx_op") or "")


def describe(module: Any) -> ModuleInfo:
    """Functions, hw.modules and module attributes of `module` (run inside a worker)."""
    ir = mlir.ir
    info = ModuleInfo()
    attrs = module.operation.attributes
    for i in range(len(attrs)):
        named = attrs[i]
        info.attributes[named.name] = str(named.attr)
    for op in module.body.operations:
        op = op.operation
        loc = mlir.location_of(op.location)
        if op.name == "func.func":
            ftype = ir.FunctionType(ir.TypeAttr(op.attributes["function_type"]).value)
            name = _str_attr(op, "sym_name") or ""
            info.functions[name] = Function(
                name=name,
                args=tuple(_arg(i, t, op.regions[0].blocks[0].arguments[i]
                                if op.regions[0].blocks else None)
                           for i, t in enumerate(ftype.inputs)),
                results=tuple(str(t) for t in ftype.results),
                target=_str_attr(op, "unified.target") or "auto",
                declaration=len(op.regions[0].blocks) == 0,
                loc=loc,
                callees=tuple(_callees(op)),
                private=_str_attr(op, "sym_visibility") == "private",
                onnx=_onnx_origin(op),
            )
        elif op.name == "hw.module":
            name = _str_attr(op, "sym_name") or ""
            ports: list[tuple[str, str, int]] = []
            if "module_type" in op.attributes:
                ports = _module_ports(ir.TypeAttr(op.attributes["module_type"]).value)
            info.hw_modules[name] = HwModule(name, _str_attr(op, "unified.implements"),
                                             tuple(ports), loc)
    return info


def _module_ports(mtype: Any) -> list[tuple[str, str, int]]:
    """(name, direction, width) of each port of a !hw.modty, read through the hw bindings."""
    from importlib import import_module

    hw = import_module(mlir.ir.__name__.rsplit(".", 1)[0] + ".dialects.hw")
    mt = hw.ModuleType(mtype)
    out = []
    for name, t in zip(mt.input_names, mt.input_types):
        out.append((name, "in", ir_width(t)))
    for name, t in zip(mt.output_names, mt.output_types):
        out.append((name, "out", ir_width(t)))
    return out


def ir_width(t: Any) -> int:
    try:
        return mlir.ir.IntegerType(t).width
    except (ValueError, TypeError):
        return 1  # !seq.clock and the like
