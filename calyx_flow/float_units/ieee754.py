"""IEEE-754 binary32 datapaths in comb logic, pipelined: add/sub, multiply, divide, compare,
min/max, int <-> float.

Each function takes and returns `Sig` bit vectors (the float as its 32-bit pattern) and
builds logic split into pipeline stages by `stage` (registers when built inside
`signals.clocked`, plain wires otherwise); `units.py` wraps them in operand registers and
a go/done handshake.

Semantics: round to nearest, ties to even; subnormal operands and results are exact (no
flush to zero); ±0, ±inf follow IEEE-754; every NaN result is the canonical quiet NaN
0x7FC00000 (payloads are not propagated). Float to integer truncates toward zero; what
an out-of-range value gives is in `float_to_int`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from calyx_flow.float_units.signals import Sig, cat, clz, mux, stage

QNAN = 0x7FC00000
EW = 12  # bits of the signed exponent inside round_pack (products reach ±400)


@dataclass(frozen=True)
class Unpacked:
    """The fields of a binary32 value and what it is."""

    sign: Sig  # 1 bit
    exp: Sig  # the 8-bit biased exponent field
    sig: Sig  # 24-bit significand: the hidden bit (0 for zero/subnormal) and the fraction
    eff_exp: Sig  # 8 bits: the exponent field, 1 for subnormals and zero
    nan: Sig
    inf: Sig
    zero: Sig


def unpack(x: Sig) -> Unpacked:
    """Splits the bit pattern `x` into sign, exponent, significand and class bits."""
    exp, frac = x[23:31], x[0:23]
    exp_zero, exp_ones, frac_zero = exp.eq(0), exp.eq(0xFF), frac.eq(0)
    return Unpacked(sign=x[31], exp=exp, sig=cat(~exp_zero, frac),
                    eff_exp=mux(exp_zero, Sig.const(1, 8), exp),
                    nan=exp_ones & ~frac_zero, inf=exp_ones & frac_zero,
                    zero=exp_zero & frac_zero)


def _pattern(sign: Sig, bits: int) -> Sig:
    """`sign` in bit 31 over the 31 magnitude bits `bits` (an infinity, a zero)."""
    return cat(sign, Sig.const(bits, 31))


@dataclass(frozen=True)
class Normalized:
    """A magnitude shifted so that its 24 kept bits are in place: what rounding needs."""

    sign: Sig  # 1 bit
    exp: Sig  # EW bits: the biased exponent after normalising (1 for a subnormal result)
    top: Sig  # the 24 significand bits kept
    guard: Sig  # the first bit dropped
    rest: Sig  # whether any later bit (or the sticky bit) is nonzero


@dataclass(frozen=True)
class Shift:
    """A magnitude and how far to shift it to normalise: `leading_zeros`' answer, what
    `normalize` takes (a pipeline stage may lie between the two)."""

    sign: Sig
    exp: Sig  # EW bits: the exponent after normalising
    m: Sig
    left: Sig  # EW bits: the left shift
    right: Sig | None  # EW bits: the right shift when `below` (None: never below)
    below: Sig | None
    sticky: Sig | None


def leading_zeros(sign: Sig, exp: Sig, m: Sig, sticky: Sig | None = None, *,
                  underflow: bool = True) -> Shift:
    """How to normalise sign * m * 2^(exp - 127 - (m.width - 1)) for rounding to binary32.

    `m` is a magnitude of at least 26 bits whose top bit has weight 2^(exp - 127); `exp`
    is signed, EW bits wide; `sticky` says nonzero bits were dropped below m's LSB. The
    exponent never goes below the smallest normal one: a value already under the normal
    range (exp < 1) shifts right, unless the caller knows it never is (`underflow=False`:
    no right shifter is built).
    """
    lz = clz(m).zext(EW)
    shift = exp - 1
    full = lz.slt(shift)  # else the shift stops at the smallest normal exponent, 1
    left = mux(full, lz, shift)
    new_exp = mux(full, exp - lz, Sig.const(1, EW))  # exp - left, beside the comparison
    if not underflow:
        return Shift(sign, new_exp, m, left, None, None, sticky)
    below = shift.slt(0)  # then `full` is false too: the exponent is 1
    return Shift(sign, new_exp, m, left, Sig.const(0, EW) - shift, below, sticky)


def normalize(s: Shift) -> Normalized:
    """The magnitude of `s` shifted into place: 24 bits kept, guard and sticky bits."""
    width = s.m.width
    norm = s.m << s.left
    rest = norm[0:width - 25].any()
    if s.below is not None:
        norm = mux(s.below, s.m >> s.right, norm)
        rest = norm[0:width - 25].any() | (s.below & s.m.dropped_by(s.right))
    if s.sticky is not None:
        rest = rest | s.sticky
    return Normalized(s.sign, s.exp, norm[width - 24:width], norm[width - 25], rest)


def round_pack(n: Normalized) -> Sig:
    """The binary32 pattern of `n` rounded to nearest, ties to even (infinity on overflow).
    What the rounding carry selects is computed beside the increment, not after it."""
    mant = n.top.zext(25) + (n.guard & (n.rest | n.top[0])).zext(25)
    carry = mant[24]
    mant24 = mux(carry, mant[1:25], mant[0:24])
    up = n.exp + 1
    exp = mux(carry, up, n.exp)
    exp_field = mux(mant24[23], exp[0:8], Sig.const(0, 8))
    overflow = mux(carry, up.cmp("sge", 255), n.exp.cmp("sge", 255))
    return mux(overflow, _pattern(n.sign, 0x7F800000), cat(n.sign, exp_field, mant24[0:23]))


def _finish(n: Normalized, nan: Sig, special: Sig, special_value: Sig) -> Sig:
    """The rounded `n`, or the canonical NaN when `nan`, or `special_value` when `special`;
    rounding gets a stage of its own."""
    n, nan, special, special_value = stage(n, nan, special, special_value)
    return mux(nan, Sig.const(QNAN, 32), mux(special, special_value, round_pack(n)))


def add(x: Sig, y: Sig, subtract: bool = False) -> Sig:
    """x + y (x - y with `subtract`), correctly rounded, in four stages:
    unpack and align | add and count leading zeros | normalise | round and pack."""
    a, b = unpack(x), unpack(y)
    b_sign = ~b.sign if subtract else b.sign
    swap = x[0:31].ult(y[0:31])
    big_sig, small_sig = mux(swap, b.sig, a.sig), mux(swap, a.sig, b.sig)
    big_exp = mux(swap, b.eff_exp, a.eff_exp)
    big_sign = mux(swap, b_sign, a.sign)
    # both differences beside the comparison, not after it
    distance = mux(swap, b.eff_exp - a.eff_exp, a.eff_exp - b.eff_exp)
    big_m = cat(big_sig, Sig.const(0, 3))  # guard, round and sticky positions
    small_m = cat(small_sig, Sig.const(0, 3))
    aligned = (small_m >> distance) | small_m.dropped_by(distance).zext(27)
    differ = a.sign ^ b_sign
    nan = a.nan | b.nan | (a.inf & b.inf & differ)
    inf_sign = mux(a.inf, a.sign, b_sign)
    (big_m, aligned, big_exp, big_sign, differ, both_negative, nan, inf, inf_sign) = stage(
        big_m, aligned, big_exp, big_sign, differ, a.sign & b_sign, nan, a.inf | b.inf,
        inf_sign)
    total = mux(differ, big_m.zext(28) - aligned.zext(28), big_m.zext(28) + aligned.zext(28))
    # an exact zero sum is +0 unless both operands are -0 (round to nearest)
    sign = mux(total.eq(0), both_negative, big_sign)
    shift = leading_zeros(sign, big_exp.zext(EW) + 1, total, underflow=False)  # exp >= 2
    shift, nan, inf, inf_sign = stage(shift, nan, inf, inf_sign)
    return _finish(normalize(shift), nan, inf, _pattern(inf_sign, 0x7F800000))


def mul(x: Sig, y: Sig) -> Sig:
    """x * y, correctly rounded (one 24x24-bit multiplier), in four stages:
    multiply | count leading zeros | normalise | round and pack."""
    a, b = unpack(x), unpack(y)
    sign = a.sign ^ b.sign
    product = a.sig.zext(48) * b.sig.zext(48)
    exp = a.eff_exp.zext(EW) + b.eff_exp.zext(EW) - 126
    nan = a.nan | b.nan | (a.inf & b.zero) | (a.zero & b.inf)
    inf, special = a.inf | b.inf, a.inf | b.inf | a.zero | b.zero
    sign, product, exp, nan, inf, special = stage(sign, product, exp, nan, inf, special)
    shift, nan, inf, special = stage(leading_zeros(sign, exp, product), nan, inf, special)
    special_value = mux(inf, _pattern(shift.sign, 0x7F800000), _pattern(shift.sign, 0))
    return _finish(normalize(shift), nan, special, special_value)


DIV_STEPS = 27  # quotient bits: 24 kept, guard, one for normalising, one more for rounding
DIV_STEPS_PER_STAGE = 3  # 4 gave 55.6 MHz on the ECP5, its compare-subtract chain critical


@dataclass(frozen=True)
class _Division:
    """What a divider stage hands the next: the partial remainder and quotient bits, and
    what the last stage needs."""

    rem: Sig
    divisor: Sig
    bits: tuple[Sig, ...]
    sign: Sig
    exp: Sig
    nan: Sig
    infinite: Sig
    zero: Sig


def div(x: Sig, y: Sig) -> Sig:
    """x / y, correctly rounded: a 27-step restoring divider on normalised significands,
    pipelined: normalise the operands | DIV_STEPS_PER_STAGE quotient bits per stage | count
    leading zeros | normalise | round and pack."""
    a, b = unpack(x), unpack(y)
    shift_a, shift_b = clz(a.sig), clz(b.sig)  # subnormals brought up to a leading 1
    exp = (a.eff_exp.zext(EW) - shift_a.zext(EW)) - (b.eff_exp.zext(EW) - shift_b.zext(EW)) + 127
    d = stage(_Division(
        rem=(a.sig << shift_a).zext(26), divisor=(b.sig << shift_b).zext(26), bits=(),
        sign=a.sign ^ b.sign, exp=exp, nan=a.nan | b.nan | (a.zero & b.zero) | (a.inf & b.inf),
        infinite=a.inf | (b.zero & ~a.zero), zero=a.zero | b.inf))
    for step in range(DIV_STEPS):
        fits = d.rem.uge(d.divisor)
        d = dataclasses.replace(d, rem=mux(fits, d.rem - d.divisor, d.rem) << 1,
                                bits=(*d.bits, fits))
        if step % DIV_STEPS_PER_STAGE == DIV_STEPS_PER_STAGE - 1 or step == DIV_STEPS - 1:
            d = stage(d)
    quotient = cat(*d.bits)  # floor(a/b * 2^26) of the normalised significands, in [2^25, 2^27)
    shift, nan, infinite, zero = stage(leading_zeros(d.sign, d.exp, quotient, d.rem.any()),
                                       d.nan, d.infinite, d.zero)
    special_value = mux(infinite, _pattern(shift.sign, 0x7F800000), _pattern(shift.sign, 0))
    return _finish(normalize(shift), nan, infinite | zero, special_value)


def extremum(x: Sig, y: Sig, *, largest: bool, nan_wins: bool) -> Sig:
    """maximumf/minimumf (`nan_wins`: a NaN operand gives NaN) or maxnumf/minnumf (a NaN
    operand gives the other one); -0 counts as less than +0."""
    a, b = unpack(x), unpack(y)
    outcomes = classify(x, y)
    zeros = a.zero & b.zero
    # ±0 against ±0: the max is -0 only if both are, the min is +0 only if both are
    zero = cat(a.sign & b.sign if largest else a.sign | b.sign, Sig.const(0, 31))
    pick_x = outcomes["gt"] if largest else outcomes["lt"]
    value = mux(zeros, zero, mux(pick_x, x, y))
    if nan_wins:
        return mux(a.nan | b.nan, Sig.const(QNAN, 32), value)
    both = a.nan & b.nan
    return mux(both, Sig.const(QNAN, 32), mux(a.nan, y, mux(b.nan, x, value)))


def int_to_float(x: Sig, *, signed: bool) -> Sig:
    """The integer `x` (32 or 64 bits, two's complement when `signed`) as the nearest
    binary32, in two stages: magnitude and leading zeros | normalise, round and pack."""
    negative = x[x.width - 1] if signed else Sig.const(0, 1)
    magnitude = mux(negative, Sig.const(0, x.width) - x, x)
    exp = Sig.const(127 + x.width - 1, EW)
    return round_pack(normalize(stage(leading_zeros(negative, exp, magnitude, underflow=False))))


def float_to_int(x: Sig, width: int, *, signed: bool) -> Sig:
    """binary32 `x` truncated toward zero to a `width`-bit integer (32 or 64).

    Out of range (poison for arith.fptosi/fptoui): signed gives the most negative integer
    for NaN, ±inf and every value that does not fit (x86's cvttss2si, and so numpy and the
    host); unsigned saturates as RISC-V's fcvt.wu.s/fcvt.lu.s do: 0 below 0, all ones above
    the range and for NaN.
    """
    a = unpack(x)
    top = 127 + width - 1  # the exponent whose value's integer part has `width` bits
    magnitude = cat(a.sig, Sig.const(0, width - 24)) >> (Sig.const(top, 8) - a.exp)
    small = a.exp.ult(127)  # |x| < 1
    if signed:
        value = mux(a.sign, Sig.const(0, width) - magnitude, magnitude)
        return mux(a.exp.uge(top), Sig.const(1 << (width - 1), width),
                   mux(small, Sig.const(0, width), value))
    ones = Sig.const((1 << width) - 1, width)
    return mux(a.nan, ones, mux(small | a.sign, Sig.const(0, width),
                                mux(a.exp.ugt(top), ones, magnitude)))


def classify(x: Sig, y: Sig) -> dict[str, Sig]:
    """The four exclusive outcomes of comparing x with y: lt, eq, gt, uno (1 bit each)."""
    a, b = unpack(x), unpack(y)
    uno = a.nan | b.nan
    both_zero = a.zero & b.zero
    eq = ~uno & (both_zero | x.eq(y))
    magnitude_lt = mux(a.sign, y[0:31].ult(x[0:31]), x[0:31].ult(y[0:31]))
    lt = ~uno & ~both_zero & mux(a.sign ^ b.sign, a.sign, magnitude_lt)
    return {"lt": lt, "eq": eq, "gt": ~uno & ~eq & ~lt, "uno": uno}


# arith.cmpf predicates as the outcomes they accept
PREDICATES: dict[str, tuple[str, ...]] = {
    "false": (), "oeq": ("eq",), "ogt": ("gt",), "oge": ("gt", "eq"), "olt": ("lt",),
    "ole": ("lt", "eq"), "one": ("lt", "gt"), "ord": ("lt", "eq", "gt"),
    "ueq": ("uno", "eq"), "ugt": ("uno", "gt"), "uge": ("uno", "gt", "eq"),
    "ult": ("uno", "lt"), "ule": ("uno", "lt", "eq"), "une": ("uno", "lt", "gt"),
    "uno": ("uno",), "true": ("uno", "lt", "eq", "gt"),
}


def compare(x: Sig, y: Sig, predicate: str) -> Sig:
    """arith.cmpf `predicate` of x and y as 0 or 1 in 32 bits."""
    outcomes = classify(x, y)
    hit = Sig.const(0, 1)
    for name in PREDICATES[predicate]:
        hit = hit | outcomes[name]
    return hit.zext(32)
