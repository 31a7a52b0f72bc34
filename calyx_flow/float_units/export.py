"""The float units alone, as SystemVerilog: what the unit tests and bench/float_units.py drive.

    files = worker("pycde").call("module {}", "calyx_flow.float_units.export:unit_files",
                                 kinds=["addf", "mulf"])
"""

from __future__ import annotations

from typing import Any

from calyx_flow.export_sv import export_files
from calyx_flow.float_units.units import build_unit, module_name, width
from unified.core import mlir

LOWER = "builtin.module(lower-seq-to-sv,canonicalize,hw.module(hw-cleanup,prettify-verilog))"
TIMED = "_timed"  # the suffix of a unit's timing wrapper


def unit_files(module: Any, kinds: list[str], *, pipelined: bool = True,
               timed: bool = False) -> dict[str, str]:
    """{file name: SystemVerilog} of hw.module @unified_f32_<kind> for each of `kinds`,
    built into the (empty) `module`, registers lowered to always_ff blocks.

    `pipelined=False`: the single-stage units. `timed`: each unit also gets a wrapper
    @unified_f32_<kind>_timed that registers `out`, so that place and route out of context
    times the paths into `out` (it times none that end at an output port).
    """
    with mlir.ir.InsertionPoint(module.body), module.context, mlir.ir.Location.unknown():
        for kind in kinds:
            build_unit(kind, mlir.ir.InsertionPoint(module.body), pipelined=pipelined)
            if timed:
                _timed_wrapper(kind, mlir.ir.InsertionPoint(module.body))
    mlir.passmanager.PassManager.parse(LOWER, module.context).run(module.operation)
    return export_files(module)  # the options of the kernel flow: the same text


def _timed_wrapper(kind: str, ip: Any) -> Any:
    """hw.module @<unit>_timed: the unit's ports, `out` through one more register."""
    ir, hw, seq = mlir.ir, mlir.dialect("hw"), mlir.dialect("seq")
    i1, data = (ir.IntegerType.get_signless(w) for w in (1, width(kind)))
    names = ("clk", "reset", "go", "left", "right")
    ins = list(zip(names, (i1, i1, i1, data, data)))

    def body(module: Any) -> dict[str, Any]:
        args = list(module.entry_block.arguments)
        unit = ir.Operation.create(
            "hw.instance", results=[data, i1], operands=args,
            attributes={"instanceName": ir.StringAttr.get("unit"),
                        "moduleName": ir.FlatSymbolRefAttr.get(module_name(kind)),
                        "argNames": ir.ArrayAttr.get([ir.StringAttr.get(n) for n in names]),
                        "resultNames": ir.ArrayAttr.get([ir.StringAttr.get(n)
                                                         for n in ("out", "done")]),
                        "parameters": ir.ArrayAttr.get([])})
        out = seq.CompRegOp(data, unit.results[0], seq.ToClockOp(args[0]).result, name="out_reg")
        return {"out": out.result, "done": unit.results[1]}

    return hw.HWModuleOp(module_name(kind) + TIMED, ins, [("out", data), ("done", i1)],
                         body_builder=body, ip=ip)
