"""Memories for the buffers a kernel allocates, built in hw/comb/sv and wired into the core.

`hoist-allocs` turns each `memref.alloc` into an argument, so the Calyx core gets one more
ext_mem port set per buffer; lower-calyx-to-hw has no memory primitive to put behind it.
This pass renames the core `@K` to `@K_core`, builds one memory module per buffer around
the memory primitive (`memory_primitive.Ram`, an `hw.module.extern` whose Verilog text
joins the core's files; the ext_mem convention: `read_data` combinational from the address,
the write at the clock edge, `done` one cycle after `write_en`) and a new `@K` that
instantiates both, with the core's ports minus the buffers' ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod
from typing import Any, ClassVar

from calyx_flow.calyx_ir import create
from hw_dialects.memory_primitive import Ram, attach
from unified.core import mlir
from unified.core.passes import ModulePass


def _int(width: int) -> Any:
    return mlir.ir.IntegerType.get_signless(width)


def clog2(n: int) -> int:
    """Bits to index `n` things."""
    return max(0, (n - 1).bit_length())


def parse_shapes(text: str) -> list[tuple[int, ...]]:
    """'8;4x4' -> [(8,), (4, 4)]: the option form of a list of shapes."""
    return [tuple(int(d) for d in s.split("x")) for s in text.split(";") if s]


@dataclass(frozen=True)
class ScratchMemories(ModulePass):
    """Puts a memory behind ext_mem ports `first`.. of hw.module @top (one shape per buffer)."""

    name: ClassVar[str] = "scratch-memories"
    build: ClassVar[str] = "pycde"
    top: str = ""
    first: int = -1  # ext_mem id of the first allocated buffer; -1: the last len(shapes) ones
    shapes: str = ""  # "8;4x4": the buffers' shapes, in id order

    def apply(self, module: Any) -> None:
        shapes = parse_shapes(self.shapes)
        if not shapes:
            return
        hw = mlir.dialect("hw")
        core = next(op.operation for op in module.body.operations
                    if op.operation.name == "hw.module"
                    and mlir.ir.StringAttr(op.operation.attributes["sym_name"]).value == self.top)
        mtype = hw.ModuleType(mlir.ir.TypeAttr(core.attributes["module_type"]).value)
        ins = list(zip(mtype.input_names, mtype.input_types))
        outs = list(zip(mtype.output_names, mtype.output_types))
        core.attributes["sym_name"] = mlir.ir.StringAttr.get(f"{self.top}_core")
        first = self.first if self.first >= 0 else _ext_mem_count(outs) - len(shapes)
        prefixes = [f"ext_mem{first + k}_" for k in range(len(shapes))]
        ip = mlir.ir.InsertionPoint(core)
        memories = []
        for k, (prefix, shape) in enumerate(zip(prefixes, shapes)):
            addr = [t for n, t in outs if n.startswith(prefix + "addr")]
            width = mlir.ir.IntegerType(dict(outs)[prefix + "write_data"]).width
            addr_widths = [mlir.ir.IntegerType(t).width for t in addr]
            memories.append(_memory_module(f"{self.top}_buffer{k}", shape, width, addr_widths, ip,
                                           module.body))
        mine = tuple(prefixes)
        kept_ins = [(n, t) for n, t in ins if not n.startswith(mine)]
        kept_outs = [(n, t) for n, t in outs if not n.startswith(mine)]

        def body(wrapper: Any) -> dict[str, Any]:
            args = dict(zip([n for n, _ in kept_ins], wrapper.entry_block.arguments))
            core_in = {n: args.get(n) for n, _ in ins}
            placeholders = {n: _const(0, mlir.ir.IntegerType(t).width) for n, t in ins
                            if core_in[n] is None}
            core_inst = _instance(f"{self.top}_core", "core", ins, outs,
                                  [core_in[n] if core_in[n] is not None else placeholders[n]
                                   for n, _ in ins])
            core_out = dict(zip([n for n, _ in outs], core_inst.results))
            for k, (prefix, mem) in enumerate(zip(prefixes, memories)):
                m_ins, m_outs = mem
                values = [args["clk"]] + [core_out[prefix + n] for n, _ in m_ins[1:]]
                inst = _instance(f"{self.top}_buffer{k}", f"buffer{k}", m_ins, m_outs, values)
                for (n, _), value in zip(m_outs, inst.results):
                    index = [p for p, _ in ins].index(prefix + n)
                    core_inst.operands[index] = value
            for value in placeholders.values():
                value.owner.erase()
            return {n: core_out[n] for n, _ in kept_outs}

        hw.HWModuleOp(self.top, kept_ins, kept_outs, body_builder=body, ip=ip)


def _ext_mem_count(outs: list) -> int:
    """How many ext_mem port sets the core has (hoisted buffers are the trailing ones)."""
    ids = {name[len("ext_mem"):].split("_", 1)[0] for name, _ in outs if name.startswith("ext_mem")}
    return len(ids)


def _instance(module: str, name: str, ins: list, outs: list, values: list) -> Any:
    ir = mlir.ir

    def strings(ports: list) -> Any:
        return ir.ArrayAttr.get([ir.StringAttr.get(n) for n, _ in ports])

    return ir.Operation.create(
        "hw.instance", results=[t for _, t in outs], operands=values,
        attributes={"instanceName": ir.StringAttr.get(name),
                    "moduleName": ir.FlatSymbolRefAttr.get(module),
                    "argNames": strings(ins), "resultNames": strings(outs),
                    "parameters": ir.ArrayAttr.get([])})


def _memory_module(name: str, shape: tuple[int, ...], width: int, addr_widths: list[int],
                   ip: Any, top_block: Any) -> tuple[list, list]:
    """hw.module @name at `ip` in `top_block`: a `memory_primitive.Ram` of prod(shape) words
    behind the ext_mem ports (row-major index, `done` one cycle after `write_en`); returns its
    (inputs, outputs). The RAM's extern and Verilog text are added once per module."""
    hw, sv = mlir.dialect("hw"), mlir.dialect("sv")
    ram = Ram.sized(width, prod(shape))
    attach(ram, top_block)
    ram_ins, ram_outs = ([(n, _int(w)) for n, w in ports] for ports in ram.ports())
    if not any(op.operation.name == "hw.module.extern"
               and mlir.ir.StringAttr(op.operation.attributes["sym_name"]).value == ram.name
               for op in top_block.operations):
        hw.HWModuleExternOp(ram.name, ram_ins, ram_outs, ip=ip)
    ins = [("clk", _int(1))] + [(f"addr{i}", _int(w)) for i, w in enumerate(addr_widths)]
    ins += [("write_data", _int(width)), ("write_en", _int(1))]
    outs = [("read_data", _int(width)), ("done", _int(1))]

    def body(module: Any) -> dict[str, Any]:
        clk, *addrs, data, enable = module.entry_block.arguments
        index = _row_major(addrs, shape, ram.addr_width)
        words = _instance(ram.name, "words", ram_ins, ram_outs,
                          [clk, enable, index, data, index])
        done = sv.RegOp(hw.InOutType.get(_int(1)), "done_reg").result
        posedge = mlir.ir.IntegerAttr.get(_int(32), 0)  # `always @(posedge clk)`: Verilog-2001
        always = sv.AlwaysOp(mlir.ir.ArrayAttr.get([posedge]), [clk])
        with mlir.ir.InsertionPoint(always.regions[0].blocks.append()):
            sv.PAssignOp(done, enable)
        return {"read_data": words.results[0], "done": sv.ReadInOutOp(done).result}

    hw.HWModuleOp(name, ins, outs, body_builder=body, ip=ip)
    return ins, outs


def _const(value: int, width: int) -> Any:
    t = _int(width)
    return create("hw.constant", results=[t], attributes={"value": mlir.ir.IntegerAttr.get(t, value)},
                  block=mlir.ir.InsertionPoint.current.block).results[0]


def _row_major(addrs: list[Any], shape: tuple[int, ...], width: int) -> Any:
    """((a0 * d1 + a1) * d2 + a2 ...) in `width` bits, from address ports of any widths."""
    block = mlir.ir.InsertionPoint.current.block
    t = _int(width)

    def fit(value: Any) -> Any:
        have = mlir.ir.IntegerType(value.type).width
        if have == width:
            return value
        if have > width:
            return create("comb.extract", results=[t], operands=[value],
                          attributes={"lowBit": mlir.ir.IntegerAttr.get(_int(32), 0)},
                          block=block).results[0]
        pad = create("hw.constant", results=[_int(width - have)],
                     attributes={"value": mlir.ir.IntegerAttr.get(_int(width - have), 0)},
                     block=block).results[0]
        return create("comb.concat", results=[t], operands=[pad, value], block=block).results[0]

    def const(v: int) -> Any:
        return create("hw.constant", results=[t], attributes={"value": mlir.ir.IntegerAttr.get(t, v)},
                      block=block).results[0]

    index = fit(addrs[0])
    for addr, dim in zip(addrs[1:], shape[1:]):
        scaled = create("comb.mul", results=[t], operands=[index, const(dim)], block=block)
        index = create("comb.add", results=[t], operands=[scaled.results[0], fit(addr)],
                       block=block).results[0]
    return index
