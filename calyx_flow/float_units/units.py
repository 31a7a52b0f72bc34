"""The float units as hw.modules with the handshake of Calyx's pipelined cells.

    build_unit("addf", InsertionPoint(module.body))   # hw.module @unified_f32_addf

Ports: `clk`, `reset`, `go`, `left`, `right` (i32 bit patterns) in; `out` (i32) and `done`
out. The operands are registered in every cycle `go` is high (and kept after); `done` is high for one
cycle exactly `latency` cycles later, with `out` valid in that cycle (a unit whose `go`
stays high counts again from 0 after `done`). Unary units ignore `right`; `cmpf_<pred>`
units give 0 or 1. Every unit has latency 1 (the operands registered, the datapath
combinational to `out`), what the Calyx flow's schedule assumes for a pipelined cell;
`build_unit(..., cycles=N)` adds N - 1 registers after the datapath.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from calyx_flow.float_units import ieee754
from calyx_flow.float_units.signals import Sig, mux
from unified.core import mlir

PREFIX = "unified_f32_"


@dataclass(frozen=True)
class Unit:
    """One float operation: its datapath (left, right -> out) and its latency in cycles."""

    datapath: Callable[[Sig, Sig], Sig]
    latency: int


def _compare(predicate: str) -> Unit:
    return Unit(lambda x, y: ieee754.compare(x, y, predicate), 1)


UNITS: dict[str, Unit] = {
    "addf": Unit(ieee754.add, 1),
    "subf": Unit(lambda x, y: ieee754.add(x, y, subtract=True), 1),
    "mulf": Unit(ieee754.mul, 1),
    "divf": Unit(ieee754.div, 1),
    "maximumf": Unit(lambda x, y: ieee754.extremum(x, y, largest=True, nan_wins=True), 1),
    "minimumf": Unit(lambda x, y: ieee754.extremum(x, y, largest=False, nan_wins=True), 1),
    "maxnumf": Unit(lambda x, y: ieee754.extremum(x, y, largest=True, nan_wins=False), 1),
    "minnumf": Unit(lambda x, y: ieee754.extremum(x, y, largest=False, nan_wins=False), 1),
    "sitofp": Unit(lambda x, _: ieee754.sitofp(x), 1),
    "fptosi": Unit(lambda x, _: ieee754.fptosi(x), 1),
    **{f"cmpf_{p}": _compare(p) for p in ieee754.PREDICATES},
}


def module_name(kind: str) -> str:
    """The hw.module name of unit `kind` (e.g. unified_f32_addf)."""
    return PREFIX + kind


def latency(kind: str) -> int:
    """Cycles from `go` to `done` of unit `kind`."""
    return UNITS[kind].latency


def build_unit(kind: str, ip: Any, *, cycles: int | None = None) -> Any:
    """Creates hw.module @unified_f32_<kind> at insertion point `ip`; returns the op.

    `cycles` overrides the unit's latency (1: no register after the datapath).
    """
    hw, seq = mlir.dialect("hw"), mlir.dialect("seq")
    unit = UNITS[kind] if cycles is None else Unit(UNITS[kind].datapath, cycles)
    i1, i32 = (mlir.ir.IntegerType.get_signless(w) for w in (1, 32))
    ins = [("clk", i1), ("reset", i1), ("go", i1), ("left", i32), ("right", i32)]
    outs = [("out", i32), ("done", i1)]
    count_width = max(1, unit.latency.bit_length())

    def body(module: Any) -> dict[str, Any]:
        clk, reset, go, left, right = module.entry_block.arguments
        clock = seq.ToClockOp(clk).result

        def reg(value: Sig, name: str, *, reset_to: int | None = None) -> Sig:
            kwargs = {}
            if reset_to is not None:
                kwargs = {"reset": reset, "reset_value": Sig.const(reset_to, value.width).value}
            op = seq.CompRegOp(value.value.type, value.value, clock, name=name, **kwargs)
            return Sig(op.result, value.width)

        def operand(value: Any, name: str) -> Sig:
            """A register loaded while `go` is high (the operand stays put after)."""
            op = seq.CompRegClockEnabledOp(value.type, value, clock, go, name=name)
            return Sig(op.result, 32)

        x, y = operand(left, "left_reg"), operand(right, "right_reg")
        out = unit.datapath(x, y)
        for stage in range(unit.latency - 1):
            out = reg(out, f"out_reg{stage}")
        # `done` when the count of consecutive `go` cycles reaches the latency
        done = _counter(Sig(go, 1), unit.latency, count_width,
                        lambda v: reg(v, "count", reset_to=0))
        return {"out": out.value, "done": done.value}

    return hw.HWModuleOp(module_name(kind), ins, outs, body_builder=body, ip=ip)


def _counter(go: Sig, target: int, width: int, register: Callable[[Sig], Sig]) -> Sig:
    """A register counting cycles of `go` high, back to 0 the cycle after it hits `target`
    or when `go` is low; returns `count == target` (done). The register's input is set
    after it is built, since it depends on its own output."""
    placeholder = Sig.const(0, width)
    count = register(placeholder)
    done = count.eq(target)
    following = mux(done | ~go, Sig.const(0, width), count + 1)
    count.value.owner.operands[0] = following.value
    placeholder.value.owner.erase()
    return done
