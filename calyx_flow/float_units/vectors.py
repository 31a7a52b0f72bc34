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
]
I32_SPECIALS = [0, 1, -1, 2, 3, 7, 2**31 - 1, -2**31, -2**31 + 1, 2**24, 2**24 + 1,
                2**24 + 3, 2**25 + 2, 2**25 + 6, -(2**24 + 1), 16777217 * 4 + 2, 0x7FFFFFC0,
                0x7FFFFFBF, 1000000, -123456789]


def _random_floats(rng: np.random.Generator, n: int) -> np.ndarray:
    """n bit patterns: half uniform over all patterns, half near each other in size."""
    uniform = rng.integers(0, 2**32, n // 2, dtype=np.uint64).astype(np.uint32)
    scale = np.float32(2.0) ** rng.integers(-30, 30, n - n // 2).astype(np.float32)
    near = (rng.standard_normal(n - n // 2).astype(np.float32) * scale).view(np.uint32)
    return np.concatenate([uniform, near])


def operand_pairs(kind: str, *, random: int = 2000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(left, right) uint32 arrays: every pair of special values, then `random` random pairs
    (for sitofp the left operands are integers; unary units get right = 0)."""
    rng = np.random.default_rng(seed)
    if kind == "sitofp":
        specials = np.array(I32_SPECIALS, dtype=np.int64).astype(np.int32).view(np.uint32)
        numbers = rng.integers(-2**31, 2**31, random, dtype=np.int64).astype(np.int32)
        shifts = rng.integers(0, 31, random)
        left = np.concatenate([specials, (numbers >> shifts).astype(np.int32).view(np.uint32)])
        return left, np.zeros_like(left)
    specials = np.array(F32_SPECIALS, dtype=np.uint32)
    if kind == "fptosi":
        left = np.concatenate([specials, _random_floats(rng, random)])
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
        if kind == "sitofp":
            return left.view(np.int32).astype(np.float32).view(np.uint32)
        if kind == "fptosi":
            wide = np.trunc(a.astype(np.float64))
            fits = (wide >= -2.0**31) & (wide < 2.0**31)
            return np.where(fits, np.where(fits, wide, 0).astype(np.int64), -2**31
                            ).astype(np.int32).view(np.uint32)
        if kind.startswith("cmpf_"):
            outcomes = {"lt": a < b, "eq": a == b, "gt": a > b,
                        "uno": np.isnan(a) | np.isnan(b)}
            hit = np.zeros(a.shape, dtype=bool)
            for name in PREDICATES[kind[len("cmpf_"):]]:
                hit |= outcomes[name]
            return hit.astype(np.uint32)
    raise ValueError(f"no reference for float unit {kind}")


EXTREMA = ("maximumf", "minimumf", "maxnumf", "minnumf")


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
    return kind in ("addf", "subf", "mulf", "divf", "sitofp", *EXTREMA)


def mismatches(kind: str, got: np.ndarray, want: np.ndarray) -> np.ndarray:
    """Indices where `got` differs from `want` (bit-exact; any NaN matches any NaN)."""
    same = got == want
    if gives_float(kind):
        same |= np.isnan(got.view(np.float32)) & np.isnan(want.view(np.float32))
    return np.flatnonzero(~same)
