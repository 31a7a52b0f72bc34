"""The software test suite: each kernel of examples/sw with inputs and a numpy reference."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "sw"

Inputs = dict[str, np.ndarray]


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _ints(rng: np.random.Generator, shape: tuple[int, ...], lo: int = -50, hi: int = 50) -> np.ndarray:
    return rng.integers(lo, hi, shape).astype(np.int32)


def _floats(rng: np.random.Generator, shape: tuple[int, ...], dtype: type = np.float32) -> np.ndarray:
    return rng.standard_normal(shape).astype(dtype)


def _conv(img: np.ndarray, w: np.ndarray) -> np.ndarray:
    n = img.shape[0] - w.shape[0] + 1
    out = np.zeros((n, n), img.dtype)
    for ki in range(w.shape[0]):
        for kj in range(w.shape[1]):
            out += img[ki:ki + n, kj:kj + n] * w[ki, kj]
    return out


def _cases() -> dict[str, tuple[Callable[[np.random.Generator], Inputs], Callable[[Inputs], Inputs]]]:
    return {
        "vadd_i32": (lambda r: {"arg0": _ints(r, (100,)), "arg1": _ints(r, (100,)),
                                "arg2": np.zeros(100, np.int32)},
                     lambda i: {"arg2": i["arg0"] + i["arg1"]}),
        "absdiff_i16": (lambda r: {"arg0": r.integers(-999, 999, (5, 40)).astype(np.int16),
                                   "arg1": r.integers(-999, 999, (5, 40)).astype(np.int16),
                                   "arg2": np.zeros((5, 40), np.int16)},
                        lambda i: {"arg2": np.abs(i["arg0"] - i["arg1"])}),
        "relu_f32": (lambda r: {"arg0": _floats(r, (12, 20)), "arg1": np.zeros((12, 20), np.float32)},
                     lambda i: {"arg1": np.maximum(i["arg0"], 0)}),
        "matmul_f32": (lambda r: {"arg0": _floats(r, (16, 16)), "arg1": _floats(r, (16, 16)),
                                  "arg2": _floats(r, (16, 16))},
                       lambda i: {"arg2": i["arg2"] + i["arg0"] @ i["arg1"]}),
        "matmul_i32": (lambda r: {"arg0": _ints(r, (8, 12)), "arg1": _ints(r, (12, 10)),
                                  "arg2": _ints(r, (8, 10))},
                       lambda i: {"arg2": i["arg0"] @ i["arg1"]}),
        "conv2d_f32": (lambda r: {"arg0": _floats(r, (10, 10)), "arg1": _floats(r, (3, 3)),
                                  "arg2": np.zeros((8, 8), np.float32)},
                       lambda i: {"arg2": _conv(i["arg0"], i["arg1"])}),
        "dense_f64": (lambda r: {"arg0": _floats(r, (32,), np.float64),
                                 "arg1": _floats(r, (32, 24), np.float64),
                                 "arg2": _floats(r, (24,), np.float64), "arg3": np.zeros(24)},
                      lambda i: {"arg3": i["arg0"] @ i["arg1"] + i["arg2"]}),
        "sum_i32": (lambda r: {"arg0": _ints(r, (203,), -1000, 1000), "arg1": np.zeros(1, np.int32)},
                    lambda i: {"arg1": np.array([i["arg0"].sum()], np.int32)}),
        "dot_f64": (lambda r: {"arg0": _floats(r, (37,), np.float64), "arg1": _floats(r, (37,), np.float64)},
                    lambda i: {"ret0": np.dot(i["arg0"], i["arg1"])}),
        "saxpy_f32": (lambda r: {"arg0": np.array(1.5, np.float32), "arg1": _floats(r, (50,)),
                                 "arg2": _floats(r, (50,))},
                      lambda i: {"arg2": i["arg0"] * i["arg1"] + i["arg2"]}),
        "scale3d_i32": (lambda r: {"arg0": _ints(r, (3, 4, 21)), "arg1": np.array(-7, np.int32),
                                   "arg2": np.array(11, np.int32),
                                   "arg3": np.zeros((3, 4, 21), np.int32)},
                        lambda i: {"arg3": i["arg0"] * i["arg1"] + i["arg2"]}),
        "maxpool_f32": (lambda r: {"arg0": _floats(r, (8, 32)), "arg1": np.zeros((4, 16), np.float32)},
                        lambda i: {"arg1": i["arg0"].reshape(4, 2, 16, 2).max(axis=(1, 3))}),
        "sigmoid_f32": (lambda r: {"arg0": _floats(r, (30,)), "arg1": np.zeros(30, np.float32)},
                        lambda i: {"arg1": 1 / (1 + np.exp(-i["arg0"]))}),
        "stencil_f32": (lambda r: {"arg0": _floats(r, (12, 12)), "arg1": np.zeros((10, 10), np.float32)},
                        lambda i: {"arg1": np.float32(0.2) * (
                            i["arg0"][1:11, 1:11] + i["arg0"][0:10, 1:11] + i["arg0"][2:12, 1:11]
                            + i["arg0"][1:11, 0:10] + i["arg0"][1:11, 2:12])}),
    }


CASES = _cases()


def case(name: str, seed: int = 0) -> tuple[Path, Inputs, Inputs]:
    """(example path, inputs, expected outputs) of kernel `name`."""
    make, reference = CASES[name]
    inputs = make(_rng(seed))
    return EXAMPLES / f"{name}.mlir", inputs, reference(inputs)

