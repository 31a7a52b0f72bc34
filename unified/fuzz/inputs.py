"""Input arrays for a generated kernel: small values, and now and then a type's extremes."""

from __future__ import annotations

import numpy as np

from unified.fuzz.desc import Kernel, width


def numpy_dtype(t: str) -> np.dtype:
    """The numpy integer dtype of an element type (i8 -> int8, ...)."""
    return np.dtype(f"int{width(t)}")


def make_inputs(kernel: Kernel, seed: int) -> dict[str, np.ndarray]:
    """Inputs arg0, arg1, ...: values in [-100, 100] plus, now and then, a type's extremes."""
    rng = np.random.default_rng(seed)
    out: dict[str, np.ndarray] = {}
    for k, a in enumerate(kernel.args):
        dt = numpy_dtype(a.elem)
        info = np.iinfo(dt)
        extremes = np.array([info.min, info.max, -1, 0, 1, info.min + 1, info.max - 1], dtype=dt)
        shape = a.shape if a.is_memref else ()
        values = rng.integers(-100, 101, size=shape).astype(dt)
        pick = rng.random(size=shape) < (0.05 if a.is_memref else 0.15)
        values = np.where(pick, extremes[rng.integers(0, len(extremes), size=shape)], values)
        out[f"arg{k}"] = np.asarray(values, dtype=dt)
    return out
