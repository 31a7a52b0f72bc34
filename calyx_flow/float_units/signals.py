"""Bit vectors over comb ops: the small expression language the float units are written in.

    a = Sig.const(5, 8); b = x[23:31]          # bits 23..30 of x (Python slice, LSB first)
    y = mux(a.ult(b), a - b, b - a)            # comb.icmp ult, comb.sub, comb.mux

Every operator builds one comb (or hw.constant) op at the current insertion point through
the bindings of the worker's MLIR build (the pycde one); nothing here prints or parses text.

Pipelines: each Sig knows its stage (how many pipeline registers lie between it and the
unit's operand registers; constants belong to every stage). `stage(...)` puts registers
between one stage and the next inside `with clocked(clock):`, and is the identity outside
(a combinational datapath). An operation mixing two stages is refused when it is built, so
every path through a unit crosses the same number of registers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from unified.core import mlir

# comb.icmp predicates (CIRCT's ICmpPredicate numbering)
_ICMP = {"eq": 0, "ne": 1, "slt": 2, "sle": 3, "sgt": 4, "sge": 5,
         "ult": 6, "ule": 7, "ugt": 8, "uge": 9}


def _int(width: int) -> Any:
    return mlir.ir.IntegerType.get_signless(width)


def _op(name: str, width: int, operands: list[Sig], **attributes: Any) -> Sig:
    stages = {s.stage for s in operands if s.stage is not None}
    assert len(stages) <= 1, f"{name} mixes pipeline stages {sorted(stages)}"
    op = mlir.ir.Operation.create(name, results=[_int(width)],
                                  operands=[s.value for s in operands], attributes=attributes)
    return Sig(op.results[0], width, next(iter(stages), None))


@dataclass(frozen=True)
class Sig:
    """An MLIR integer value of `width` bits with operators that build comb ops; `stage`
    is its pipeline stage (None: a constant)."""

    value: Any
    width: int
    stage: int | None = None

    @staticmethod
    def const(value: int, width: int) -> Sig:
        """An hw.constant of `width` bits (negative values wrap)."""
        value &= (1 << width) - 1
        if value >= 1 << (width - 1):
            value -= 1 << width  # IntegerAttr takes the signed form
        return _op("hw.constant", width, [], value=mlir.ir.IntegerAttr.get(_int(width), value))

    def _lift(self, other: Sig | int) -> Sig:
        return other if isinstance(other, Sig) else Sig.const(other, self.width)

    def _binary(self, name: str, other: Sig | int) -> Sig:
        rhs = self._lift(other)
        assert rhs.width == self.width, f"{name}: {self.width} vs {rhs.width} bits"
        return _op(name, self.width, [self, rhs])

    def __add__(self, other: Sig | int) -> Sig:
        return self._binary("comb.add", other)

    def __sub__(self, other: Sig | int) -> Sig:
        return self._binary("comb.sub", other)

    def __mul__(self, other: Sig | int) -> Sig:
        return self._binary("comb.mul", other)

    def __and__(self, other: Sig | int) -> Sig:
        return self._binary("comb.and", other)

    def __or__(self, other: Sig | int) -> Sig:
        return self._binary("comb.or", other)

    def __xor__(self, other: Sig | int) -> Sig:
        return self._binary("comb.xor", other)

    def __invert__(self) -> Sig:
        return self ^ ((1 << self.width) - 1)

    def __lshift__(self, other: Sig | int) -> Sig:
        return self._binary("comb.shl", self._fit(other))

    def __rshift__(self, other: Sig | int) -> Sig:
        return self._binary("comb.shru", self._fit(other))

    def _fit(self, amount: Sig | int) -> Sig:
        """A shift amount as wide as the shifted value (zero-extended or saturated)."""
        if not isinstance(amount, Sig):
            return Sig.const(min(amount, (1 << self.width) - 1), self.width)
        if amount.width == self.width:
            return amount
        if amount.width < self.width:
            return amount.zext(self.width)
        big = amount.ugt((1 << self.width) - 1)
        return mux(big, Sig.const((1 << self.width) - 1, self.width), amount[0:self.width])

    def dropped_by(self, amount: Sig) -> Sig:
        """Whether `self >> amount` drops a nonzero bit: a mask test beside the shift, not
        a shift back after it."""
        ones = Sig.const((1 << self.width) - 1, self.width)
        return (self & ~(ones << amount)).any()

    def cmp(self, predicate: str, other: Sig | int) -> Sig:
        """comb.icmp `predicate` (eq, ne, ult, slt, ...) as a 1-bit Sig."""
        rhs = self._lift(other)
        return _op("comb.icmp", 1, [self, rhs],
                   predicate=mlir.ir.IntegerAttr.get(_int(64), _ICMP[predicate]))

    def eq(self, other: Sig | int) -> Sig:
        """self == other."""
        return self.cmp("eq", other)

    def ne(self, other: Sig | int) -> Sig:
        """self != other."""
        return self.cmp("ne", other)

    def ult(self, other: Sig | int) -> Sig:
        """self < other, unsigned."""
        return self.cmp("ult", other)

    def ugt(self, other: Sig | int) -> Sig:
        """self > other, unsigned."""
        return self.cmp("ugt", other)

    def uge(self, other: Sig | int) -> Sig:
        """self >= other, unsigned."""
        return self.cmp("uge", other)

    def slt(self, other: Sig | int) -> Sig:
        """self < other, signed."""
        return self.cmp("slt", other)

    def __getitem__(self, bits: int | slice) -> Sig:
        """Bit `i`, or bits `lo:hi` (hi exclusive), as comb.extract."""
        lo, hi = (bits, bits + 1) if isinstance(bits, int) else (bits.start or 0,
                                                                 bits.stop or self.width)
        if lo == 0 and hi == self.width:
            return self
        return _op("comb.extract", hi - lo, [self],
                   lowBit=mlir.ir.IntegerAttr.get(_int(32), lo))

    def any(self) -> Sig:
        """Whether any bit is set (1 bit)."""
        return self.ne(0)

    def zext(self, width: int) -> Sig:
        """Zero-extended (or kept) to `width` bits."""
        if width == self.width:
            return self
        return cat(Sig.const(0, width - self.width), self)

    def sext(self, width: int) -> Sig:
        """Sign-extended (or kept) to `width` bits."""
        if width == self.width:
            return self
        sign = _op("comb.replicate", width - self.width, [self[self.width - 1]])
        return cat(sign, self)


def cat(*parts: Sig) -> Sig:
    """comb.concat, the first part in the most significant bits."""
    if len(parts) == 1:
        return parts[0]
    return _op("comb.concat", sum(p.width for p in parts), list(parts))


def mux(cond: Sig, yes: Sig | int, no: Sig | int) -> Sig:
    """cond ? yes : no."""
    width = yes.width if isinstance(yes, Sig) else no.width  # type: ignore[union-attr]
    a = yes if isinstance(yes, Sig) else Sig.const(yes, width)
    b = no if isinstance(no, Sig) else Sig.const(no, width)
    return _op("comb.mux", width, [cond, a, b])


def clz(x: Sig) -> Sig:
    """Leading zeros of `x` (x.width when x is 0), in enough bits to count them."""
    out_width = x.width.bit_length()
    if x.width == 1:
        return ~x
    size = 1 << (x.width - 1).bit_length()
    padded = cat(x, Sig.const((1 << (size - x.width)) - 1, size - x.width)) if size > x.width else x
    count, zero = _clz_tree(padded)
    return mux(zero, Sig.const(x.width, out_width), count.zext(out_width))


def _clz_tree(x: Sig) -> tuple[Sig, Sig]:
    """(leading zeros in log2(width) bits, x == 0) of a power-of-two-wide `x` (>= 2 bits)."""
    if x.width == 2:
        return ~x[1], ~(x[1] | x[0])
    half = x.width // 2
    hi_count, hi_zero = _clz_tree(x[half:x.width])
    lo_count, lo_zero = _clz_tree(x[0:half])
    count = mux(hi_zero, cat(Sig.const(1, 1), lo_count), cat(Sig.const(0, 1), hi_count))
    return count, hi_zero & lo_zero


_clock: list[Any] = []  # the clock of the pipeline being built, innermost last
_registers: list[int] = []  # how many pipeline registers it has so far


@contextmanager
def clocked(clock: Any) -> Iterator[None]:
    """Within this block `stage` builds registers on `clock` (a !seq.clock value)."""
    _clock.append(clock)
    _registers.append(0)
    try:
        yield
    finally:
        _clock.pop()
        _registers.pop()


def stage(*values: Any) -> Any:
    """The next pipeline stage of `values` (Sigs, or tuples, lists and dataclasses of them,
    None allowed): each non-constant Sig through a register, one stage later. Outside
    `clocked`, the values themselves. One value in, one out; several in, a tuple out."""
    out = tuple(_staged(v) for v in values) if _clock else values
    return out[0] if len(out) == 1 else out


def _staged(value: Any) -> Any:
    if value is None or isinstance(value, Sig) and value.stage is None:
        return value  # nothing, or a constant
    if isinstance(value, Sig):
        # through a wire with a symbol (so nothing folds it away): the logic before it is
        # emitted at module level, not as `automatic` locals inside the register's
        # always_ff, which Yosys 0.23 cannot read
        hw = mlir.dialect("hw")
        _registers[-1] += 1
        name = f"stage{value.stage + 1}_{_registers[-1]}"
        symbol = hw.InnerSymAttr.get(mlir.ir.StringAttr.get(f"{name}_next"))
        wire = hw.WireOp(value.value, name=f"{name}_next", inner_sym=symbol)
        op = mlir.dialect("seq").CompRegOp(value.value.type, wire.result, _clock[-1], name=name)
        return Sig(op.result, value.width, value.stage + 1)
    if isinstance(value, (tuple, list)):
        return type(value)(_staged(v) for v in value)
    if dataclasses.is_dataclass(value):
        return dataclasses.replace(value, **{f.name: _staged(getattr(value, f.name))
                                             for f in dataclasses.fields(value)})
    raise TypeError(f"stage: {type(value).__name__} is not a Sig")
