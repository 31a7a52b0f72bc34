"""The float units as hw.modules with the handshake of Calyx's pipelined cells.

    build_unit("addf", InsertionPoint(module.body))   # hw.module @unified_f32_addf

Ports: `clk`, `reset`, `go`, `left`, `right` (bit patterns, 32 bits; 64 for the i64
conversions) in; `out` and `done` out. The operands are registered in every cycle `go` is
high (and kept after); `done` is high for one cycle exactly `latency` cycles later, with
`out` valid in that cycle (a unit whose `go` stays high counts again from 0 after `done`).
The datapaths are pipelined (`signals.stage`): latency = 1 + the pipeline registers
inside, what `latency(kind)` tells the schedule. Unary units ignore `right`; `cmpf_<pred>`
units give 0 or 1; a 32-bit result in a 64-bit port is zero-extended. Latencies: add/sub
and mul 4, div 13, int to float 2, the rest 1 (ieee754 says where each stage ends).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from calyx_flow.float_units import ieee754
from calyx_flow.float_units.signals import Sig, clocked, mux
from unified.core import mlir

PREFIX = "unified_f32_"


@dataclass(frozen=True)
class Unit:
    """One float operation: its datapath (left, right -> out), its latency in cycles and
    the width of its ports."""

    datapath: Callable[[Sig, Sig], Sig]
    latency: int
    width: int = 32


def _compare(predicate: str) -> Unit:
    return Unit(lambda x, y: ieee754.compare(x, y, predicate), 1)


def _to_float(width: int, signed: bool) -> Unit:
    return Unit(lambda x, _: ieee754.int_to_float(x, signed=signed), 2, width)


def _to_int(width: int, signed: bool) -> Unit:
    return Unit(lambda x, _: ieee754.float_to_int(x[0:32], width, signed=signed), 1, width)


UNITS: dict[str, Unit] = {
    "addf": Unit(ieee754.add, 4),
    "subf": Unit(lambda x, y: ieee754.add(x, y, subtract=True), 4),
    "mulf": Unit(ieee754.mul, 4),
    "divf": Unit(ieee754.div, 13),
    "maximumf": Unit(lambda x, y: ieee754.extremum(x, y, largest=True, nan_wins=True), 1),
    "minimumf": Unit(lambda x, y: ieee754.extremum(x, y, largest=False, nan_wins=True), 1),
    "maxnumf": Unit(lambda x, y: ieee754.extremum(x, y, largest=True, nan_wins=False), 1),
    "minnumf": Unit(lambda x, y: ieee754.extremum(x, y, largest=False, nan_wins=False), 1),
    "sitofp": _to_float(32, True), "uitofp": _to_float(32, False),
    "sitofp64": _to_float(64, True), "uitofp64": _to_float(64, False),
    "fptosi": _to_int(32, True), "fptoui": _to_int(32, False),
    "fptosi64": _to_int(64, True), "fptoui64": _to_int(64, False),
    **{f"cmpf_{p}": _compare(p) for p in ieee754.PREDICATES},
}


def module_name(kind: str) -> str:
    """The hw.module name of unit `kind` (e.g. unified_f32_addf)."""
    return PREFIX + kind


def latency(kind: str) -> int:
    """Cycles from `go` to `done` of unit `kind`."""
    return UNITS[kind].latency


def width(kind: str) -> int:
    """Bits of the `left`, `right` and `out` ports of unit `kind`."""
    return UNITS[kind].width


def build_unit(kind: str, ip: Any, *, pipelined: bool = True) -> Any:
    """Creates hw.module @unified_f32_<kind> at insertion point `ip`; returns the op.

    `pipelined=False` builds the datapath as one combinational stage (latency 1), the
    single-stage unit the pipelined one is measured against.
    """
    hw, seq = mlir.dialect("hw"), mlir.dialect("seq")
    unit = UNITS[kind] if pipelined else Unit(UNITS[kind].datapath, 1, UNITS[kind].width)
    i1, data = (mlir.ir.IntegerType.get_signless(w) for w in (1, unit.width))
    ins = [("clk", i1), ("reset", i1), ("go", i1), ("left", data), ("right", data)]
    outs = [("out", data), ("done", i1)]
    count_width = max(1, unit.latency.bit_length())

    def body(module: Any) -> dict[str, Any]:
        clk, reset, go, left, right = module.entry_block.arguments
        clock = seq.ToClockOp(clk).result

        def operand(value: Any, name: str) -> Sig:
            """A register loaded while `go` is high (the operand stays put after)."""
            op = seq.CompRegClockEnabledOp(value.type, value, clock, go, name=name)
            return Sig(op.result, unit.width, 0)

        def counter(value: Sig) -> Sig:
            op = seq.CompRegOp(value.value.type, value.value, clock, name="count", reset=reset,
                               reset_value=Sig.const(0, value.width).value)
            return Sig(op.result, value.width)

        x, y = operand(left, "left_reg"), operand(right, "right_reg")
        with clocked(clock) if pipelined else nullcontext():
            out = unit.datapath(x, y)
        assert out.stage in (None, unit.latency - 1), \
            f"{kind}: the datapath has {out.stage} stages, the unit says {unit.latency - 1}"
        # `done` when the count of consecutive `go` cycles reaches the latency
        done = _counter(Sig(go, 1), unit.latency, count_width, counter)
        return {"out": out.zext(unit.width).value, "done": done.value}

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
