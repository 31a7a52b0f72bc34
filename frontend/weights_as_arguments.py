"""Weights as arguments: a kernel that reads `memref.global` constants takes them as
trailing memref arguments instead, and `@main` passes the globals.

A kernel is then self-contained, whichever side the partitioner puts it on: software reads
the same globals (linked as data) through the argument, and a hardware kernel gets its
weights as one more scratchpad that the driver fills before each start (the Calyx flow has
no constant memories: CIRCT's lower-calyx-to-hw cannot give a memory initial contents). The
globals stop being `constant` because the driver copies every memref argument back after a
run, and a write into read-only data faults, even of the same bytes.
"""

from __future__ import annotations

from typing import Any

from unified.core import mlir


def weights_as_arguments(module: Any, entry: str = "main") -> int:
    """Moves every `memref.get_global` out of the kernels of `module` into the calls in
    `entry`; returns how many arguments were added."""
    added: dict[str, list[str]] = {}
    for op in module.body.operations:
        op = op.operation
        if op.name != "func.func" or _name(op) == entry or not len(op.regions[0].blocks):
            continue
        globals_read = _globals_to_arguments(op)
        if globals_read:
            added[_name(op)] = globals_read
    for op in module.body.operations:
        op = op.operation
        if op.name == "memref.global" and "constant" in op.attributes:
            del op.attributes["constant"]
    if added:
        _pass_globals(mlir.function(module, entry), added)
    return sum(map(len, added.values()))


def _name(op: Any) -> str:
    return mlir.ir.StringAttr(op.attributes["sym_name"]).value


def _globals_to_arguments(fn: Any) -> list[str]:
    """Replaces each get_global in `fn` by a new trailing argument (one per global, in order
    of first use); returns the globals' names."""
    ir = mlir.ir
    block = fn.regions[0].blocks[0]
    args: dict[str, Any] = {}
    for op in mlir.ops_named(fn, "memref.get_global"):
        name = ir.FlatSymbolRefAttr(op.attributes["name"]).value
        if name not in args:
            args[name] = block.add_argument(op.results[0].type, ir.Location.name(name))
        op.results[0].replace_all_uses_with(args[name])
        op.erase()
    if args:
        ftype = ir.FunctionType(ir.TypeAttr(fn.attributes["function_type"]).value)
        fn.attributes["function_type"] = ir.TypeAttr.get(ir.FunctionType.get(
            [a.type for a in block.arguments], ftype.results))
        if "arg_attrs" in fn.attributes:
            old = list(ir.ArrayAttr(fn.attributes["arg_attrs"]))
            empty = ir.DictAttr.get({})
            fn.attributes["arg_attrs"] = ir.ArrayAttr.get(old + [empty] * len(args))
    return list(args)


def _pass_globals(main: Any, added: dict[str, list[str]]) -> None:
    """Rebuilds each call in `main` to a kernel in `added` with the globals appended."""
    ir = mlir.ir
    func = mlir.dialect("func")
    memref = mlir.dialect("memref")
    for call in mlir.ops_named(main, "func.call"):
        callee = ir.FlatSymbolRefAttr(call.attributes["callee"]).value
        if callee not in added:
            continue
        with ir.InsertionPoint(call), call.location:
            extra = [memref.GetGlobalOp(_global_type(main, g), g).result for g in added[callee]]
            func.CallOp([r.type for r in call.results], ir.FlatSymbolRefAttr.get(callee),
                        [*call.operands, *extra])
        call.erase()


def _global_type(main: Any, name: str) -> Any:
    """The memref type of global @name, read from the module holding `main`."""
    ir = mlir.ir
    for op in main.parent.regions[0].blocks[0].operations:
        op = op.operation
        if op.name == "memref.global" and _name(op) == name:
            return ir.TypeAttr(op.attributes["type"]).value
    raise LookupError(f"no memref.global @{name}")
