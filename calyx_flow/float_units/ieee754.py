"""IEEE-754 binary32 datapaths as comb logic: add/sub, multiply, compare, int <-> float.

Each function takes and returns `Sig` bit vectors (the float as its 32-bit pattern) and
builds combinational logic only; `units.py` wraps them in registers and a go/done handshake.

Semantics: round to nearest, ties to even; subnormal operands and results are exact (no
flush to zero); ±0, ±inf follow IEEE-754; every NaN result is the canonical quiet NaN
0x7FC00000 (payloads are not propagated). `fptosi` truncates toward zero; NaN, ±inf and
values outside the i32 range give 0x80000000 (what x86's cvttss2si, and so numpy on x86,
gives).
"""

from __future__ import annotations

from dataclasses import dataclass

from calyx_flow.float_units.signals import Sig, cat, clz, mux

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


def round_pack(sign: Sig, exp: Sig, m: Sig, sticky: Sig | None = None) -> Sig:
    """The binary32 nearest (ties to even) to sign * m * 2^(exp - 127 - (m.width - 1)).

    `m` is a magnitude of at least 26 bits whose top bit has weight 2^(exp - 127); `exp`
    is signed, EW bits wide; `sticky` says nonzero bits were dropped below m's LSB.
    Normalises (never below the smallest normal exponent: subnormal results), rounds, and
    overflows to infinity.
    """
    width = m.width
    lz = clz(m).zext(EW)
    shift = exp - 1
    below = shift.slt(0)  # the value is under the normal range before normalising
    left = mux(lz.slt(shift), lz, shift)
    right = Sig.const(0, EW) - shift
    shifted_right = m >> right
    lost = (shifted_right << right).ne(m)
    norm = mux(below, shifted_right, m << left)
    exp1 = mux(below, Sig.const(1, EW), exp - left)
    rest = norm[0:width - 25].any() | (below & lost)
    if sticky is not None:
        rest = rest | sticky
    top, guard = norm[width - 24:width], norm[width - 25]
    mant = top.zext(25) + (guard & (rest | top[0])).zext(25)
    carry = mant[24]
    mant24 = mux(carry, mant[1:25], mant[0:24])
    exp2 = exp1 + carry.zext(EW)
    exp_field = mux(mant24[23], exp2[0:8], Sig.const(0, 8))
    overflow = exp2.cmp("sge", 255)
    return mux(overflow, _pattern(sign, 0x7F800000), cat(sign, exp_field, mant24[0:23]))


def add(x: Sig, y: Sig, subtract: bool = False) -> Sig:
    """x + y (x - y with `subtract`), correctly rounded."""
    a, b = unpack(x), unpack(y)
    b_sign = ~b.sign if subtract else b.sign
    swap = x[0:31].ult(y[0:31])
    big_sig, small_sig = mux(swap, b.sig, a.sig), mux(swap, a.sig, b.sig)
    big_exp, small_exp = mux(swap, b.eff_exp, a.eff_exp), mux(swap, a.eff_exp, b.eff_exp)
    big_sign = mux(swap, b_sign, a.sign)
    distance = big_exp - small_exp
    big_m = cat(big_sig, Sig.const(0, 3))  # guard, round and sticky positions
    small_m = cat(small_sig, Sig.const(0, 3))
    aligned = small_m >> distance
    lost = (aligned << distance).ne(small_m)
    aligned = aligned | lost.zext(27)
    differ = a.sign ^ b_sign
    total = mux(differ, big_m.zext(28) - aligned.zext(28), big_m.zext(28) + aligned.zext(28))
    # an exact zero sum is +0 unless both operands are -0 (round to nearest)
    sign = mux(total.eq(0), a.sign & b_sign, big_sign)
    result = round_pack(sign, big_exp.zext(EW) + 1, total)
    nan = a.nan | b.nan | (a.inf & b.inf & differ)
    inf = mux(a.inf, _pattern(a.sign, 0x7F800000), _pattern(b_sign, 0x7F800000))
    return mux(nan, Sig.const(QNAN, 32), mux(a.inf | b.inf, inf, result))


def mul(x: Sig, y: Sig) -> Sig:
    """x * y, correctly rounded (one 24x24-bit multiplier)."""
    a, b = unpack(x), unpack(y)
    sign = a.sign ^ b.sign
    product = a.sig.zext(48) * b.sig.zext(48)
    exp = a.eff_exp.zext(EW) + b.eff_exp.zext(EW) - 126
    result = round_pack(sign, exp, product)
    nan = a.nan | b.nan | (a.inf & b.zero) | (a.zero & b.inf)
    special = mux(a.inf | b.inf, _pattern(sign, 0x7F800000), _pattern(sign, 0))
    return mux(nan, Sig.const(QNAN, 32), mux(a.inf | b.inf | a.zero | b.zero, special, result))


def div(x: Sig, y: Sig) -> Sig:
    """x / y, correctly rounded: a 27-step restoring divider on normalised significands."""
    a, b = unpack(x), unpack(y)
    sign = a.sign ^ b.sign
    shift_a, shift_b = clz(a.sig), clz(b.sig)  # subnormals brought up to a leading 1
    rem = (a.sig << shift_a).zext(26)
    divisor = (b.sig << shift_b).zext(26)
    bits = []
    for _ in range(27):
        fits = rem.uge(divisor)
        bits.append(fits)
        rem = mux(fits, rem - divisor, rem) << 1
    quotient = cat(*bits)  # floor(a/b * 2^26) of the normalised significands, in [2^25, 2^27)
    exp = (a.eff_exp.zext(EW) - shift_a.zext(EW)) - (b.eff_exp.zext(EW) - shift_b.zext(EW)) + 127
    result = round_pack(sign, exp, quotient, rem.any())
    nan = a.nan | b.nan | (a.zero & b.zero) | (a.inf & b.inf)
    infinite = a.inf | (b.zero & ~a.zero)
    zero = a.zero | b.inf
    return mux(nan, Sig.const(QNAN, 32),
               mux(infinite, _pattern(sign, 0x7F800000),
                   mux(zero, _pattern(sign, 0), result)))


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


def sitofp(x: Sig) -> Sig:
    """The signed 32-bit integer `x` as the nearest binary32."""
    negative = x[31]
    magnitude = mux(negative, Sig.const(0, 32) - x, x)
    return round_pack(negative, Sig.const(127 + 31, EW), magnitude)


def fptosi(x: Sig) -> Sig:
    """binary32 `x` truncated toward zero to a signed 32-bit integer (0x80000000 when it
    does not fit, for NaN and for ±inf)."""
    a = unpack(x)
    magnitude = cat(a.sig, Sig.const(0, 8)) >> (Sig.const(127 + 31, 8) - a.exp)
    value = mux(a.sign, Sig.const(0, 32) - magnitude, magnitude)
    too_big = a.exp.uge(127 + 31)
    return mux(too_big, Sig.const(0x80000000, 32),
               mux(a.exp.ult(127), Sig.const(0, 32), value))


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
