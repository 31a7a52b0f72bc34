"""SystemVerilog export: one file per module (and a file list) from hw/sv-level IR."""

from __future__ import annotations

import importlib
import tempfile
from pathlib import Path
from typing import Any

from calyx_flow.calyx_ir import walk
from unified.core import mlir

# Always on: no `// file:line` comments (our IR arrives through text, so they would say "-"),
# and no packed arrays (canonicalize turns mux chains into array_get; Yosys 0.23 and
# Verilog-2001 cannot read `wire [7:0][31:0]`), and no `automatic logic` temporaries in
# always blocks (Yosys 0.23 cannot read them; a static loop's shared write enable made them).
BASE_OPTIONS = "locationInfoStyle=none,disallowPackedArrays,disallowLocalVariables"
# Lowering options of the Verilog-2001 variant (pyverilog and older tools read it).
VERILOG_2001_OPTIONS = ("noAlwaysComb,disallowLocalVariables,disallowPackedStructAssignments,"
                        "disallowExpressionInliningInPorts,disallowMuxInlining,"
                        "omitVersionComment")


def drop_include_fragments(module: Any) -> None:
    """Removes the `include "fsm_enum_typedefs.sv"` fragments: each file inlines its typedefs."""
    for op in list(walk(module.operation)):
        if op.name == "hw.module" and "emit.fragments" in op.attributes:
            del op.attributes["emit.fragments"]
    for op in list(module.body.operations):
        op = op.operation
        if op.name in ("emit.fragment", "emit.file"):
            op.erase()


def export_files(module: Any, options: str = "") -> dict[str, str]:
    """{file name: text} for every module, in dependency order (the file list's order)."""
    ir = mlir.ir
    drop_include_fragments(module)
    opts = ",".join(o for o in (BASE_OPTIONS, options) if o)
    module.operation.attributes["circt.loweringOptions"] = ir.StringAttr.get(opts)
    # The emitter honours disallowPackedArrays only after this pass has rewritten the arrays.
    mlir.passmanager.PassManager.parse("builtin.module(hw.module(hw-legalize-modules))").run(
        module.operation)
    circt = importlib.import_module(ir.__name__.rsplit(".", 1)[0])
    with tempfile.TemporaryDirectory(prefix="unified-sv-") as tmp:
        circt.export_split_verilog(module, tmp)
        folder = Path(tmp)
        listed = [line.strip() for line in (folder / "filelist.f").read_text().splitlines()
                  if line.strip()]
        rank = {f"{name}.sv": i for i, name in enumerate(dependency_order(module))}
        listed.sort(key=lambda name: rank.get(name, -1))
        extra = sorted(p.name for p in folder.glob("*.sv") if p.name not in listed)
        return {name: (folder / name).read_text() for name in [*extra, *listed]}


def dependency_order(module: Any) -> list[str]:
    """The hw.module names of `module`, each after every module it instantiates."""
    ir = mlir.ir
    uses: dict[str, list[str]] = {}
    for op in module.body.operations:
        op = op.operation
        if op.name in ("hw.module", "hw.module.extern"):
            name = ir.StringAttr(op.attributes["sym_name"]).value
            uses[name] = [ir.FlatSymbolRefAttr(i.attributes["moduleName"]).value
                          for i in walk(op) if i.name == "hw.instance"]
    order: list[str] = []

    def visit(name: str) -> None:
        if name in order or name not in uses:
            return
        for callee in uses[name]:
            visit(callee)
        order.append(name)

    for name in uses:
        visit(name)
    return order
