"""`@main`: the model's inputs then outputs as memref arguments, one call per kernel.

Runs in the upstream-MLIR worker on the lowered kernels (each `(inputs..., outputs...)`
memrefs). Values between kernels get a `memref.alloc` before their producer's call and
a `memref.dealloc` at the end; each call is located at its ONNX node.
"""

from __future__ import annotations

from typing import Any

from unified.core import mlir


def build_main(module: Any, inputs: list[tuple[str, list[int], str]],
               outputs: list[tuple[str, list[int], str]],
               kernels: list[tuple[str, str, str, list[str], list[str]]],
               types: dict[str, tuple[list[int], str]], graph: str = "main",
               targets: dict[str, str] | None = None) -> None:
    """Appends `func.func @main` to `module`: `inputs`/`outputs` are the model's (name,
    shape, element type); `kernels` are (function, ONNX node, op types, input names, output
    names) in graph order; `types` holds (shape, element) of every value between kernels. Each kernel is marked
    with its node (`unified.onnx_node`) and op types (`unified.onnx_op`, e.g. "Conv+Relu"),
    and with `unified.target` when `targets` names its function ("hw" or "sw")."""
    ir = mlir.ir
    func = mlir.dialect("func")
    memref = mlir.dialect("memref")

    def memref_type(shape: list[int], element: str) -> Any:
        return ir.MemRefType.get(list(shape), ir.Type.parse(element))

    for name, node, op_types, _, _ in kernels:
        fn = mlir.function(module, name)
        fn.attributes["unified.onnx_node"] = ir.StringAttr.get(node)
        fn.attributes["unified.onnx_op"] = ir.StringAttr.get(op_types)
        if name in (targets or {}):
            fn.attributes["unified.target"] = ir.StringAttr.get(targets[name])
    arg_types = [memref_type(s, e) for _, s, e in inputs + outputs]
    with ir.InsertionPoint(module.body), ir.Location.name(graph):
        main = func.FuncOp("main", ir.FunctionType.get(arg_types, []))
        block = main.add_entry_block()
    values = {name: arg for (name, _, _), arg in zip(inputs + outputs, block.arguments)}
    allocated = []
    with ir.InsertionPoint(block):
        for name, node, _, ins, outs in kernels:
            with ir.Location.name(node):
                for out in outs:
                    if out not in values:
                        values[out] = memref.AllocOp(memref_type(*types[out]), [], []).result
                        allocated.append(values[out])
                func.CallOp([], ir.FlatSymbolRefAttr.get(name), [values[v] for v in ins + outs])
        with ir.Location.name(graph):
            for buffer in allocated:
                memref.DeallocOp(buffer)
            func.ReturnOp([])
