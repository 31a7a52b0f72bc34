"""Bring-your-own RTL: a hand-written `hw.module` with `unified.implements = @k` as @k's core.

PORT CONVENTION (the one a generated Calyx core has; the shell drives any core this way):

    in  clk: i1, reset: i1 (active high), go: i1        reset pulses one cycle before each run;
                                                         go is then held high until done
    out done: i1                                         high for (at least) one cycle at the end
    in  in<i>: iW                                        scalar argument i (its index among ALL
                                                         arguments), W its width
    per memref argument, numbered n = 0, 1, ... in argument order (memrefs only):
    out ext_mem<n>_addr<d>: i<clog2(size d)>             one per dimension, row-major
    out ext_mem<n>_write_data: iW, ext_mem<n>_write_en: i1
    in  ext_mem<n>_read_data: iW                         combinational: valid in the same cycle
    in  ext_mem<n>_done: i1                              one cycle after write_en
"""

from __future__ import annotations

from typing import Any

from calyx_flow.artifacts import HwArtifacts, MemPort, ScalarPort
from hw_dialects.scratchpad import clog2
from unified.core.kernels import Function, HwModule


def core_interface(fn: Function) -> tuple[list[MemPort], list[ScalarPort]]:
    """The memory and scalar ports a core of `fn` has under the convention above."""
    mems: list[MemPort] = []
    scalars: list[ScalarPort] = []
    for arg in fn.args:
        if arg.kind == "memref":
            widths = tuple(max(clog2(d), 1) for d in arg.shape) or (1,)
            mems.append(MemPort(arg.index, f"ext_mem{len(mems)}_", tuple(arg.shape), arg.element,
                                arg.bits, widths, read_latency=0))
        else:
            scalars.append(ScalarPort(arg.index, f"in{arg.index}", arg.bits))
    return mems, scalars


def expected_ports(fn: Function) -> list[tuple[str, str, int]]:
    """(name, "in"|"out", width) of every port a core of `fn` must have."""
    mems, scalars = core_interface(fn)
    ports = [("clk", "in", 1), ("reset", "in", 1), ("go", "in", 1), ("done", "out", 1)]
    ports += [(s.port, "in", s.width) for s in scalars]
    for m in mems:
        ports += [(f"{m.prefix}addr{d}", "out", w) for d, w in enumerate(m.addr_widths)]
        ports += [(f"{m.prefix}write_data", "out", m.data_width),
                  (f"{m.prefix}write_en", "out", 1),
                  (f"{m.prefix}read_data", "in", m.data_width), (f"{m.prefix}done", "in", 1)]
    return ports


def check_implements(hw_module: HwModule, fn: Function) -> list[str]:
    """The ways `hw_module`'s ports differ from the core of `fn` (empty when it fits)."""
    problems: list[str] = []
    if fn.results:
        problems.append(f"@{fn.name} returns values; a hardware kernel returns through memrefs")
    for arg in fn.args:
        if arg.is_float:
            problems.append(f"argument {arg.name} of @{fn.name} is {arg.element}; hardware "
                            "kernels take integers")
    have = {name: (direction, width) for name, direction, width in hw_module.ports}
    want = expected_ports(fn)
    for name, direction, width in want:
        if name not in have:
            problems.append(f"no {direction}put port '{name}' (i{width})")
        elif have[name] != (direction, width):
            d, w = have[name]
            problems.append(f"port '{name}' is {d}put i{w}; the kernel needs {direction}put i{width}")
    extra = sorted(set(have) - {name for name, _, _ in want})
    for name in extra:
        problems.append(f"port '{name}' is not part of @{fn.name}'s core interface")
    return problems


def artifacts_for_module(text: str, module_name: str, fn: Function) -> HwArtifacts:
    """The hand-written hw.module `module_name` of `text` exported to SystemVerilog, as the
    core of kernel `fn` (check its ports with `check_implements` first)."""
    from unified.core.toolchain import worker

    sv = worker("pycde").call(text, "hw_dialects.implements:export_module", name=module_name)
    mems, scalars = core_interface(fn)
    return HwArtifacts(fn.name, module_name, {f"{module_name}.sv": sv}, mems, scalars)


def export_module(module: Any, name: str, plain_verilog: bool = False) -> str:
    """SystemVerilog of hw.module `name` and what it instantiates (runs in the pycde worker);
    `plain_verilog`: Verilog-2001 instead (CIRCT's 2001 options, `always @` registers)."""
    import io

    from unified.core import mlir

    ir = mlir.ir
    symbols = {_sym(op.operation): op.operation for op in module.body.operations
               if op.operation.name.startswith("hw.module")}
    keep, todo = set(), [name]
    while todo:  # `name` and the modules it instantiates
        current = todo.pop()
        if current in keep or current not in symbols:
            continue
        keep.add(current)
        todo += _instantiated(symbols[current])
    for op in list(module.body.operations):
        op = op.operation
        if not op.name.startswith("hw.module") or _sym(op) not in keep:
            op.erase()  # the software side and the other hand-written modules
        elif "unified.implements" in op.attributes:
            del op.attributes["unified.implements"]
    options, seq_to_sv = "locationInfoStyle=none,disallowLocalVariables", "lower-seq-to-sv"
    if plain_verilog:
        from calyx_flow.export_sv import VERILOG_2001_OPTIONS

        options += "," + VERILOG_2001_OPTIONS
        seq_to_sv += "{lower-to-always-ff=false}"
    module.operation.attributes["circt.loweringOptions"] = ir.StringAttr.get(options)
    mlir.passmanager.PassManager.parse(
        f"builtin.module({seq_to_sv}, hw.module(lower-hw-to-sv), hw.module(prettify-verilog))"
    ).run(module.operation)
    out = io.StringIO()
    mlir.package.export_verilog(module, out)
    return out.getvalue()


def _sym(op: Any) -> str:
    from unified.core import mlir

    return mlir.ir.StringAttr(op.attributes["sym_name"]).value if "sym_name" in op.attributes \
        else ""


def _instantiated(op: Any) -> list[str]:
    from unified.core import mlir

    found: list[str] = []

    def visit(o: Any) -> None:
        for region in o.regions:
            for block in region.blocks:
                for inner in block.operations:
                    inner = inner.operation
                    if inner.name == "hw.instance":
                        found.append(mlir.ir.FlatSymbolRefAttr(
                            inner.attributes["moduleName"]).value)
                    visit(inner)

    visit(op)
    return found
