"""Bit vectors over comb ops: the small expression language the float units are written in.

    a = Sig.const(5, 8); b = x[23:31]          # bits 23..30 of x (Python slice, LSB first)
    y = mux(a.ult(b), a - b, b - a)            # comb.icmp ult, comb.sub, comb.mux

Every operator builds one comb (or hw.constant) op at the current insertion point through
the bindings of the worker's MLIR build (the pycde one); nothing here prints or parses text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from unified.core import mlir

# comb.icmp predicates (CIRCT's ICmpPredicate numbering)
_ICMP = {"eq": 0, "ne": 1, "slt": 2, "sle": 3, "sgt": 4, "sge": 5,
         "ult": 6, "ule": 7, "ugt": 8, "uge": 9}


def _int(width: int) -> Any:
    return mlir.ir.IntegerType.get_signless(width)


def _op(name: str, width: int, operands: list[Any], **attributes: Any) -> Sig:
    op = mlir.ir.Operation.create(name, results=[_int(width)], operands=operands,
                                  attributes=attributes)
    return Sig(op.results[0], width)


@dataclass(frozen=True)
class Sig:
    """An MLIR integer value of `width` bits with operators that build comb ops."""

    value: Any
    width: int

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
        return _op(name, self.width, [self.value, rhs.value])

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

    def cmp(self, predicate: str, other: Sig | int) -> Sig:
        """comb.icmp `predicate` (eq, ne, ult, slt, ...) as a 1-bit Sig."""
        rhs = self._lift(other)
        return _op("comb.icmp", 1, [self.value, rhs.value],
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
        return _op("comb.extract", hi - lo, [self.value],
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
        sign = _op("comb.replicate", width - self.width, [self[self.width - 1].value])
        return cat(sign, self)


def cat(*parts: Sig) -> Sig:
    """comb.concat, the first part in the most significant bits."""
    if len(parts) == 1:
        return parts[0]
    return _op("comb.concat", sum(p.width for p in parts), [p.value for p in parts])


def mux(cond: Sig, yes: Sig | int, no: Sig | int) -> Sig:
    """cond ? yes : no."""
    width = yes.width if isinstance(yes, Sig) else no.width  # type: ignore[union-attr]
    a = yes if isinstance(yes, Sig) else Sig.const(yes, width)
    b = no if isinstance(no, Sig) else Sig.const(no, width)
    return _op("comb.mux", width, [cond.value, a.value, b.value])


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
