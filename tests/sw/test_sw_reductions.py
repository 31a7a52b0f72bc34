"""Vector sums kept in several accumulators and reduced once after the loop
(sw-split-accumulators) or started from their first vector (sw-sum-from-first), on the host
and under qemu (RVV), against numpy: integer sums bit for bit (wrapping), the float sum
within a re-association tolerance."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from unified.core import source
from unified.sw_flow import compile_sw
from unified.sw_run import simulate

KERNELS = Path(__file__).parent / "inputs" / "reductions.mlir"


def _case(name: str, rng: np.random.Generator) -> tuple[dict[str, np.ndarray], np.ndarray]:
    if name == "sum_i32":
        a = rng.integers(-2**31, 2**31, 4100, dtype=np.int64).astype(np.int32)
        return {"arg0": a, "arg1": np.zeros(1, np.int32)}, np.array([a.sum(dtype=np.int32)])
    if name == "sum_f32":
        a = rng.standard_normal(2048).astype(np.float32)
        return {"arg0": a, "arg1": np.zeros(1, np.float32)}, np.array([a.sum(dtype=np.float64)])
    a, b = (rng.integers(-300, 300, 1024).astype(np.int16) for _ in range(2))
    return ({"arg0": a, "arg1": b, "arg2": np.zeros(1, np.int16)},
            np.array([(a * b).sum(dtype=np.int16)]))


NAMES = ["sum_i32", "sum_f32", "dot_i16"]


def _check(name: str, target: str, **options: int) -> None:
    inputs, want = _case(name, np.random.default_rng(11))
    result = simulate(source.read(KERNELS), name, inputs, target=target, **options)
    got = result.outputs[f"arg{len(inputs) - 1}"]
    if name == "sum_f32":  # summed in another order than numpy's: float rounding differs
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-4)
    else:
        np.testing.assert_array_equal(got, want.astype(got.dtype))


@pytest.mark.parametrize("name", NAMES)
def test_host(name: str, require_tool: Callable[[str], str]) -> None:
    require_tool("cc")
    _check(name, "sw")


@pytest.mark.parametrize("vlen", [128, 256, 512])
@pytest.mark.parametrize("name", NAMES)
def test_rvv_qemu(name: str, vlen: int, require_tool: Callable[[str], str]) -> None:
    require_tool("riscv64-gcc")
    require_tool("qemu-riscv64")
    _check(name, "rvv", vlen=vlen, count_instructions=False)


def test_sum_accumulators_per_target() -> None:
    """At VLEN 128 the i32 sum runs in vector<32xi32> (LMUL 8). The host unrolls it and keeps
    two accumulators; for the X280 (rvv) one add per 16-cycle load already hides the add's
    4-cycle latency, so the loop stays rolled with one accumulator, started from the first
    vector (sw-sum-from-first) instead of a zero vector."""
    def vector_ir(target: str) -> str:
        return compile_sw(KERNELS.read_text(), functions=["sum_i32"], vlen=128, target=target,
                          stop_after="vector").ir["vector"]

    host = vector_ir("host")
    assert ":2 = affine.for" in host and "-> (vector<32xi32>, vector<32xi32>)" in host
    rvv = vector_ir("rvv")
    assert ":2 = affine.for" not in rvv and "= 32 to 4096 step 32 iter_args" in rvv
