"""The hardware kernel suite (examples/kernels/*.mlir): random inputs and numpy references.

Each entry names a kernel file and function, makes inputs (arg0, ...) from a seeded
generator and computes, with Python integers, every memref argument after the run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

KERNELS_DIR = Path(__file__).resolve().parents[2] / "examples" / "kernels"
POLYBENCH_DIR = Path(__file__).resolve().parents[2] / "examples" / "polybench"

Arrays = dict[str, np.ndarray]


@dataclass(frozen=True)
class Kernel:
    file: str
    func: str
    inputs: Callable[[np.random.Generator], Arrays]
    reference: Callable[[Arrays], Arrays]  # the memref arguments after the run

    @property
    def path(self) -> Path:
        return KERNELS_DIR / self.file


def _ints(rng: np.random.Generator, shape: tuple[int, ...], dtype: str, lo: int = -1000,
          hi: int = 1000) -> np.ndarray:
    return rng.integers(lo, hi, size=shape).astype(dtype)


def _wrap(values: np.ndarray, dtype: str) -> np.ndarray:
    """Python-integer results wrapped to `dtype` as the hardware's two's complement does."""
    bits = np.dtype(dtype).itemsize * 8
    flat = [int(v) & ((1 << bits) - 1) for v in np.asarray(values, dtype=object).reshape(-1)]
    return np.array(flat, dtype=f"uint{bits}").view(dtype).reshape(np.shape(values))


def _obj(a: np.ndarray) -> np.ndarray:
    return a.astype(object)


def _c_div(a: int, b: int) -> tuple[int, int]:
    """divsi/remsi: the quotient rounds toward zero, the remainder takes the dividend's sign."""
    q = abs(a) // abs(b) * (1 if (a >= 0) == (b >= 0) else -1)
    return q, a - q * b


def _vadd(x: Arrays) -> Arrays:
    return {**x, "arg2": _wrap(_obj(x["arg0"]) + _obj(x["arg1"]), "int32")}


def _dot(x: Arrays) -> Arrays:
    return {**x, "arg2": _wrap(np.array([np.dot(_obj(x["arg0"]), _obj(x["arg1"]))]), "int32")}


def _matmul(x: Arrays) -> Arrays:
    return {**x, "arg2": _wrap(_obj(x["arg0"]).dot(_obj(x["arg1"])), "int32")}


def _relu(x: Arrays) -> Arrays:
    return {"arg0": np.maximum(x["arg0"], 0)}


def _sat_add(x: Arrays) -> Arrays:
    s = x["arg0"].astype(np.int16) + x["arg1"].astype(np.int16)
    return {**x, "arg2": np.clip(s, -128, 127).astype(np.int8)}


def _saxpy_div(x: Arrays) -> Arrays:
    a, b, d = (int(x[k]) for k in ("arg0", "arg1", "arg2"))
    y, r = [], []
    for i, v in enumerate(x["arg3"].tolist()):
        s = _wrap(np.array(a * v + b), "int32").item()
        q, rem = _c_div(s, d)
        y.append(q)
        r.append(rem + ((i << i) & 0xFFFFFFFF))
    return {**x, "arg4": _wrap(np.array(y), "int32"), "arg5": _wrap(np.array(r), "int32")}


def _scratch(x: Arrays) -> Arrays:
    tmp = _obj(x["arg0"]) * 3
    return {**x, "arg1": _wrap(tmp + tmp[::-1], "int32")}


def _stencil(x: Arrays) -> Arrays:
    a, out = _obj(x["arg0"]), x["arg1"].copy()
    s = a[1:5, 1:5] + a[0:4, 1:5] + a[2:6, 1:5] + a[1:5, 0:4] + a[1:5, 2:6]
    out[1:5, 1:5] = _wrap(s, "int32") >> 2
    return {**x, "arg1": out}


def _cube3d(x: Arrays) -> Arrays:
    i, j, k = np.indices((2, 2, 3))
    return {**x, "arg1": _wrap(_obj(x["arg0"]) * (i + j + k), "int32")}


def _mac_i16(x: Arrays) -> Arrays:
    a = x["arg0"].astype(np.uint16).astype(object)  # zero-extended
    b = _obj(x["arg1"])  # sign-extended
    total = int((a * b).sum())
    unsigned = total & ((1 << 64) - 1)
    rest = unsigned // 3 + unsigned % 3
    return {**x, "arg2": _wrap(np.array([total, rest]), "int64")}


KERNELS: list[Kernel] = [
    Kernel("vadd.mlir", "vadd",
           lambda r: {"arg0": _ints(r, (8,), "int32", -2**31, 2**31),
                      "arg1": _ints(r, (8,), "int32", -2**31, 2**31),
                      "arg2": np.zeros(8, np.int32)}, _vadd),
    Kernel("dot.mlir", "dot",
           lambda r: {"arg0": _ints(r, (8,), "int32", -50000, 50000),
                      "arg1": _ints(r, (8,), "int32", -50000, 50000),
                      "arg2": np.zeros(1, np.int32)}, _dot),
    Kernel("matmul.mlir", "matmul",
           lambda r: {"arg0": _ints(r, (4, 4), "int32"), "arg1": _ints(r, (4, 4), "int32"),
                      "arg2": _ints(r, (4, 4), "int32")}, _matmul),
    Kernel("relu.mlir", "relu", lambda r: {"arg0": _ints(r, (16,), "int32")}, _relu),
    Kernel("sat_i8.mlir", "sat_add_i8",
           lambda r: {"arg0": _ints(r, (16,), "int8", -128, 128),
                      "arg1": _ints(r, (16,), "int8", -128, 128),
                      "arg2": np.zeros(16, np.int8)}, _sat_add),
    Kernel("scalars.mlir", "saxpy_div",
           lambda r: {"arg0": np.array(int(r.integers(-300, 300)), np.int32),
                      "arg1": np.array(int(r.integers(-5000, 5000)), np.int32),
                      "arg2": np.array(int(r.choice([-7, -3, 5, 11])), np.int32),
                      "arg3": _ints(r, (8,), "int32"), "arg4": np.zeros(8, np.int32),
                      "arg5": np.zeros(8, np.int32)}, _saxpy_div),
    Kernel("scratch.mlir", "scratch",
           lambda r: {"arg0": _ints(r, (8,), "int32"), "arg1": np.zeros(8, np.int32)}, _scratch),
    Kernel("stencil2d.mlir", "stencil2d",
           lambda r: {"arg0": _ints(r, (6, 6), "int32"), "arg1": _ints(r, (6, 6), "int32")},
           _stencil),
    Kernel("cube3d.mlir", "cube3d",
           lambda r: {"arg0": _ints(r, (2, 2, 3), "int32"), "arg1": np.zeros((2, 2, 3), np.int32)},
           _cube3d),
    Kernel("mac_i16.mlir", "mac_i16",
           lambda r: {"arg0": _ints(r, (2, 4), "int16", -2**15, 2**15),
                      "arg1": _ints(r, (2, 4), "int16", -2**15, 2**15),
                      "arg2": np.zeros(2, np.int64)}, _mac_i16),
]
