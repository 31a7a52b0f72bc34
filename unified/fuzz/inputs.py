"""Input arrays for a generated kernel: small values, and now and then a type's extremes
(f32: small integers, fractions, values of any magnitude, subnormals, ±0, ±inf and NaN)."""

from __future__ import annotations

import numpy as np

from unified.fuzz.desc import Kernel, is_float, width

# f32 values that are rare at random: ±0, ±inf, NaN, the least and greatest subnormal, the
# least normal, the greatest finite value, ±1, and 2^24 + 2 (past the last odd integer)
SPECIAL_F32 = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-45, -1e-45, 1.1754942e-38,
                        1.1754944e-38, -1.1754944e-38, 3.4028235e38, -3.4028235e38, 1.0, -1.0,
                        16777218.0], dtype=np.float32)


def numpy_dtype(t: str) -> np.dtype:
    """The numpy dtype of an element type (i8 -> int8, ..., f32 -> float32)."""
    return np.dtype(np.float32) if is_float(t) else np.dtype(f"int{width(t)}")


def float_values(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Random f32s: 40% integers in [-100, 100], 30% in [-10, 10), 20% of magnitude
    2^-40..2^40, 10% from SPECIAL_F32."""
    kind = rng.random(size=shape)
    ints = rng.integers(-100, 101, size=shape).astype(np.float32)
    small = rng.uniform(-10, 10, size=shape).astype(np.float32)
    wide = (rng.choice((-1.0, 1.0), size=shape) * rng.uniform(1, 2, size=shape)
            * np.exp2(rng.integers(-40, 41, size=shape))).astype(np.float32)
    special = SPECIAL_F32[rng.integers(0, len(SPECIAL_F32), size=shape)]
    return np.where(kind < 0.4, ints, np.where(kind < 0.7, small,
                                               np.where(kind < 0.9, wide, special)))


def make_inputs(kernel: Kernel, seed: int) -> dict[str, np.ndarray]:
    """Inputs arg0, arg1, ...: values in [-100, 100] plus, now and then, a type's extremes."""
    rng = np.random.default_rng(seed)
    out: dict[str, np.ndarray] = {}
    for k, a in enumerate(kernel.args):
        shape = a.shape if a.is_memref else ()
        if is_float(a.elem):
            out[f"arg{k}"] = np.asarray(float_values(rng, shape), dtype=np.float32)
            continue
        dt = numpy_dtype(a.elem)
        info = np.iinfo(dt)
        extremes = np.array([info.min, info.max, -1, 0, 1, info.min + 1, info.max - 1], dtype=dt)
        values = rng.integers(-100, 101, size=shape).astype(dt)
        pick = rng.random(size=shape) < (0.05 if a.is_memref else 0.15)
        values = np.where(pick, extremes[rng.integers(0, len(extremes), size=shape)], values)
        out[f"arg{k}"] = np.asarray(values, dtype=dt)
    return out
