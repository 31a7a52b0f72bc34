"""Test vectors and the numpy float32 reference of the float units.

    left, right = operand_pairs("addf", random=2000, seed=1)   # uint32 bit patterns
    want = reference("addf", left, right)
    bad = mismatches("addf", got, want)                         # indices; NaN is "is NaN"
"""

from __future__ import annotations

import numpy as np

from calyx_flow.float_units.ieee754 import PREDICATES

F32_SPECIALS = [
    0x00000000, 0x80000000,  # ±0
    0x7F800000, 0xFF800000,  # ±inf
    0x7FC00000, 0xFFC00000, 0x7F800001, 0x7FBFFFFF,  # quiet and signalling NaNs
    0x00000001, 0x80000001, 0x007FFFFF, 0x807FFFFF, 0x00400000,  # subnormals
    0x00800000, 0x80800000, 0x00800001,  # smallest normals
    0x7F7FFFFF, 0xFF7FFFFF, 0x7F7FFFFE,  # largest normals
    0x3F800000, 0xBF800000, 0x3F800001, 0x3F7FFFFF, 0x3FC00000, 0x40400000,  # near 1
    0x33800000, 0x33800001, 0x34000000, 0xB3800000,  # 2^-24 (half an ulp of 1), 2^-23
    0x4B800000, 0x4B000001, 0x4F000000, 0xCF000000, 0x4EFFFFFF,  # 2^24, 2^23+1, ±2^31
    0x5F000000, 0x3F000000, 0x3EFFFFFF, 0x34FFFFFF, 0x0C000000,
    0x4F800000, 0x4F7FFFFF, 0x5F800000, 0x5F7FFFFF, 0xDF000000, 0xBF7FFFFF,  # 2^32, 2^64, ...
]
I32_SPECIALS = [0, 1, -1, 2, 3, 7, 2**31 - 1, -2**31, -2**31 + 1, 2**24, 2**24 + 1,
                2**24 + 3, 2**25 + 2, 2**25 + 6, -(2**24 + 1), 16777217 * 4 + 2, 0x7FFFFFC0,
                0x7FFFFFBF, 1000000, -123456789]
I64_SPECIALS = [*I32_SPECIALS, 2**63 - 1, -2**63, 2**32, 2**32 - 1, 2**53 + 1, -(2**53 + 1),
                0x7FFFFF8000000000, 0x7FFFFF7FFFFFFFFF, 0x7FFFFFC000000000, -0x7FFFFFC000000001,
                0xFFFFFF8000000001 - 2**64, 123456789012345678]
TO_FLOAT = {"sitofp": 32, "uitofp": 32, "sitofp64": 64, "uitofp64": 64}
TO_INT = {"fptosi": (32, True), "fptoui": (32, False), "fptosi64": (64, True),
          "fptoui64": (64, False)}


def _random_floats(rng: np.random.Generator, n: int) -> np.ndarray:
    """n bit patterns: half uniform over all patterns, half near each other in size."""
    uniform = rng.integers(0, 2**32, n // 2, dtype=np.uint64).astype(np.uint32)
    scale = np.float32(2.0) ** rng.integers(-30, 30, n - n // 2).astype(np.float32)
    near = (rng.standard_normal(n - n // 2).astype(np.float32) * scale).view(np.uint32)
    return np.concatenate([uniform, near])


def _random_ints(rng: np.random.Generator, n: int, bits: int, signed: bool) -> np.ndarray:
    """n `bits`-wide integers as unsigned patterns, of every magnitude (shifted right by
    0..bits-1), half of them negative when `signed`."""
    numbers = rng.integers(0, 2**63, n, dtype=np.int64).astype(np.uint64)
    numbers = (numbers << np.uint64(1)) | rng.integers(0, 2, n, dtype=np.int64).astype(np.uint64)
    numbers >>= np.uint64(64 - bits) + rng.integers(0, bits, n).astype(np.uint64)
    negate = rng.integers(0, 2, n).astype(bool) & signed
    numbers = np.where(negate, np.uint64(0) - numbers, numbers)  # two's complement
    return numbers.astype(np.uint32) if bits == 32 else numbers


def operand_pairs(kind: str, *, random: int = 2000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(left, right) arrays of bit patterns: every pair of special values, then `random`
    random pairs (integer to float units get integers, uint64 for i64; unary units get
    right = 0)."""
    rng = np.random.default_rng(seed)
    if kind in TO_FLOAT:
        bits = TO_FLOAT[kind]
        dtype = np.uint32 if bits == 32 else np.uint64
        ints = I32_SPECIALS if bits == 32 else I64_SPECIALS
        specials = np.array([i % 2**bits for i in ints], dtype=dtype)
        ints = _random_ints(rng, random, bits, kind.startswith("si"))
        left = np.concatenate([specials, ints])
        return left, np.zeros_like(left)
    specials = np.array(F32_SPECIALS, dtype=np.uint32)
    if kind in TO_INT:
        # a third of the random values in or near the integer range (few below 0 if unsigned)
        near = random // 3
        bits, signed = TO_INT[kind]
        scale = np.float32(2.0) ** rng.integers(-2, bits + 2, near).astype(np.float32)
        low = -1 if signed else -0.125
        ranged = (rng.uniform(low, 1, near).astype(np.float32) * scale).view(np.uint32)
        left = np.concatenate([specials, ranged, _random_floats(rng, random - near)])
        return left, np.zeros_like(left)
    a, b = np.meshgrid(specials, specials, indexing="ij")
    left = np.concatenate([a.reshape(-1), _random_floats(rng, random)])
    right = np.concatenate([b.reshape(-1), _random_floats(rng, random)])
    # half-way cases: x and x's half ulp, x + 1.5 ulp (ties to even both ways)
    x = _random_floats(rng, 64) & np.uint32(0x7F7FFFFF)
    x = x[(x >> 23 > 30) & (x >> 23 < 250)]
    half = ((x >> 23) - 24) << 23
    ties = np.concatenate([half, half | np.uint32(0x400000)]).astype(np.uint32)
    return np.concatenate([left, x, x]), np.concatenate([right, ties])


def reference(kind: str, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """What unit `kind` must give, as uint32 bit patterns, computed by numpy in float32."""
    a, b = left.view(np.float32), right.view(np.float32)
    with np.errstate(all="ignore"):
        if kind == "addf":
            return (a + b).view(np.uint32)
        if kind == "subf":
            return (a - b).view(np.uint32)
        if kind == "mulf":
            return (a * b).view(np.uint32)
        if kind == "divf":
            return (a / b).view(np.uint32)
        if kind in EXTREMA:
            return _extremum(kind, a, b)
        if kind in TO_FLOAT:
            signed = "int" if kind.startswith("si") else "uint"
            return left.view(f"{signed}{TO_FLOAT[kind]}").astype(np.float32).view(np.uint32)
        if kind in TO_INT:
            return _to_int(a, *TO_INT[kind])
        if kind.startswith("cmpf_"):
            outcomes = {"lt": a < b, "eq": a == b, "gt": a > b,
                        "uno": np.isnan(a) | np.isnan(b)}
            hit = np.zeros(a.shape, dtype=bool)
            for name in PREDICATES[kind[len("cmpf_"):]]:
                hit |= outcomes[name]
            return hit.astype(np.uint32)
    raise ValueError(f"no reference for float unit {kind}")


EXTREMA = ("maximumf", "minimumf", "maxnumf", "minnumf")


def _to_int(a: np.ndarray, bits: int, signed: bool) -> np.ndarray:
    """`a` truncated to `bits`-bit integers (as unsigned patterns); out of range as
    ieee754.float_to_int states: signed gives the most negative integer, unsigned
    saturates (NaN: all ones)."""
    wide = np.trunc(a.astype(np.float64))
    dtype = np.uint32 if bits == 32 else np.uint64
    if signed:
        fits = (wide >= -2.0**(bits - 1)) & (wide < 2.0**(bits - 1))
        value = np.where(fits, wide, 0).astype(np.int64)
        return np.where(fits, value, -2**(bits - 1)).astype(f"int{bits}").view(dtype)
    ones = dtype(2**bits - 1)
    fits = (wide >= 0) & (wide < 2.0**bits)
    value = np.where(fits, wide, 0).astype(np.uint64).astype(dtype)
    return np.where(fits, value, np.where((wide < 0) | np.isneginf(wide), dtype(0), ones))


def _extremum(kind: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IEEE 754-2019 maximum/minimum (NaN wins) and maximumNumber/minimumNumber (the
    number wins), -0 below +0, written out (numpy leaves the sign of a zero result open)."""
    largest = kind.startswith("max")
    pick_a = (a > b) if largest else (a < b)
    value = np.where(pick_a, a, b)
    zeros = (a == 0) & (b == 0)
    signs = np.signbit(a) & np.signbit(b) if largest else np.signbit(a) | np.signbit(b)
    value = np.where(zeros, np.where(signs, np.float32(-0.0), np.float32(0.0)), value)
    nan_a, nan_b = np.isnan(a), np.isnan(b)
    if kind in ("maximumf", "minimumf"):
        value = np.where(nan_a | nan_b, np.float32(np.nan), value)
    else:
        value = np.where(nan_a, b, np.where(nan_b, a, value))
    return value.astype(np.float32).view(np.uint32)


def gives_float(kind: str) -> bool:
    """Whether unit `kind` returns a float (NaNs compare as "is NaN")."""
    return kind in ("addf", "subf", "mulf", "divf", *TO_FLOAT, *EXTREMA)


def result_dtype(kind: str) -> type:
    """The numpy type of unit `kind`'s result patterns: uint64 for an i64 result."""
    return np.uint64 if kind in ("fptosi64", "fptoui64") else np.uint32


def mismatches(kind: str, got: np.ndarray, want: np.ndarray) -> np.ndarray:
    """Indices where `got` differs from `want` (bit-exact; any NaN matches any NaN)."""
    same = got == want
    if gives_float(kind):
        same |= np.isnan(got.view(np.float32)) & np.isnan(want.view(np.float32))
    return np.flatnonzero(~same)
