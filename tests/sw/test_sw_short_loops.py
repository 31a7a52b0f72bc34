"""Loops shorter than their memrefs, on the host and under qemu (RVV), against numpy: the
vector code must not write past a loop's last iteration (the tail keeps its input values)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from unified.core import source
from unified.sw_run import simulate

KERNELS = Path(__file__).parent / "inputs" / "short_loops.mlir"

Case = tuple[dict[str, np.ndarray], Callable[[dict[str, np.ndarray]], dict[str, np.ndarray]]]


def _replaced(array: np.ndarray, index: tuple[slice, ...], values: np.ndarray) -> np.ndarray:
    out = array.copy()
    out[index] = values
    return out


def _divsi(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Integer division rounding toward zero (arith.divsi), not numpy's floor."""
    return (np.sign(a) * np.sign(b) * (np.abs(a) // np.abs(b))).astype(a.dtype)


def _case(name: str, rng: np.random.Generator) -> Case:
    ints = lambda *shape: rng.integers(-99, 99, shape).astype(np.int32)
    floats = lambda *shape: rng.standard_normal(shape).astype(np.float32)
    if name == "add_head_i32":
        return ({"arg0": ints(16), "arg1": ints(16), "arg2": ints(16)},
                lambda i: {"arg2": _replaced(i["arg2"], np.s_[:12], i["arg0"][:12] + i["arg1"][:12])})
    if name == "scale_head_f32":
        return ({"arg0": floats(8), "arg1": floats(8)},
                lambda i: {"arg1": _replaced(i["arg1"], np.s_[:5], i["arg0"][:5] * np.float32(3))})
    if name == "copy_middle_i32":
        return ({"arg0": ints(64), "arg1": ints(64)},
                lambda i: {"arg1": _replaced(i["arg1"], np.s_[3:45], i["arg0"][3:45])})
    if name == "relu_rows_f32":
        return ({"arg0": floats(6, 24), "arg1": floats(6, 24)},
                lambda i: {"arg1": _replaced(i["arg1"], np.s_[:, 1:20], np.maximum(i["arg0"][:, :19], 0))})
    if name == "sum_middle_i32":
        return ({"arg0": ints(64), "arg1": ints(1)},
                lambda i: {"arg1": np.array([i["arg0"][3:45].sum()], np.int32)})
    if name == "div_head_i32":
        divisors = np.concatenate([rng.integers(1, 9, 12), np.zeros(4)]).astype(np.int32)
        return ({"arg0": ints(16), "arg1": divisors, "arg2": ints(16)},
                lambda i: {"arg2": _replaced(i["arg2"], np.s_[:12], _divsi(i["arg0"][:12], i["arg1"][:12]))})
    assert name == "triangle_f32"
    return ({"arg0": floats(20, 20)},
            lambda i: {"arg0": np.where(np.tri(20, dtype=bool), 2 * i["arg0"], i["arg0"])})


NAMES = ["add_head_i32", "scale_head_f32", "copy_middle_i32", "relu_rows_f32", "sum_middle_i32",
         "triangle_f32", "div_head_i32"]


def _check(name: str, target: str, **options: int) -> None:
    inputs, reference = _case(name, np.random.default_rng(7))
    expected = reference(inputs)
    result = simulate(source.read(KERNELS), name, inputs, target=target, **options)
    for arg, want in expected.items():
        np.testing.assert_array_equal(result.outputs[arg], want, err_msg=f"{name} {arg}")


@pytest.mark.parametrize("name", NAMES)
def test_host(name: str, require_tool: Callable[[str], str]) -> None:
    require_tool("cc")
    _check(name, "sw")


@pytest.mark.parametrize("vlen", [128, 256])
@pytest.mark.parametrize("name", NAMES)
def test_rvv_qemu(name: str, vlen: int, require_tool: Callable[[str], str]) -> None:
    require_tool("riscv64-gcc")
    require_tool("qemu-riscv64")
    _check(name, "rvv", vlen=vlen, count_instructions=False)
