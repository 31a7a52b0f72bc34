"""The float units alone, as SystemVerilog: what the unit tests and bench/float_units.py drive.

    files = worker("pycde").call("module {}", "calyx_flow.float_units.export:unit_files",
                                 kinds=["addf", "mulf"])
"""

from __future__ import annotations

from typing import Any

from calyx_flow.export_sv import export_files
from calyx_flow.float_units.units import build_unit
from unified.core import mlir

LOWER = "builtin.module(lower-seq-to-sv,canonicalize,hw.module(hw-cleanup,prettify-verilog))"


def unit_files(module: Any, kinds: list[str]) -> dict[str, str]:
    """{file name: SystemVerilog} of hw.module @unified_f32_<kind> for each of `kinds`,
    built into the (empty) `module`, registers lowered to always_ff blocks."""
    with mlir.ir.InsertionPoint(module.body), module.context, mlir.ir.Location.unknown():
        for kind in kinds:
            build_unit(kind, mlir.ir.InsertionPoint(module.body))
    mlir.passmanager.PassManager.parse(LOWER, module.context).run(module.operation)
    # Yosys 0.23 reads no `automatic` locals (which registers after a datapath would get)
    return export_files(module, options="disallowLocalVariables")
