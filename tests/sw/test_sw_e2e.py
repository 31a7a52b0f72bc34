"""Every kernel of examples/sw on the host and under qemu-riscv64 (RVV), against numpy."""

from __future__ import annotations

import numpy as np
import pytest
from sw_suite import CASES, case, require

from sw_dialects.run import simulate
from unified import source


def _check(outputs: dict[str, np.ndarray], expected: dict[str, np.ndarray]) -> None:
    for name, want in expected.items():
        got = outputs[name]
        if np.issubdtype(np.asarray(want).dtype, np.floating):
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5, err_msg=name)
        else:
            np.testing.assert_array_equal(got, want, err_msg=name)


@pytest.mark.parametrize("name", sorted(CASES))
def test_host(name: str) -> None:
    require("cc")
    path, inputs, expected = case(name)
    result = simulate(source.read(path), name, inputs, target="sw")
    assert result.report["target"] == "sw"
    _check(result.outputs, expected)


@pytest.mark.parametrize("name", sorted(CASES))
def test_rvv_qemu(name: str) -> None:
    require("riscv64-gcc", "qemu-riscv64")
    path, inputs, expected = case(name, seed=1)
    result = simulate(source.read(path), name, inputs, target="rvv", count_instructions=False)
    assert result.report == {"target": "rvv", "vlen": 128}
    _check(result.outputs, expected)


@pytest.mark.parametrize("vlen", [256, 512])
def test_rvv_other_vlen(vlen: int) -> None:
    require("riscv64-gcc", "qemu-riscv64")
    path, inputs, expected = case("matmul_i32", seed=2)
    result = simulate(source.read(path), "matmul_i32", inputs, target="rvv", vlen=vlen,
                      count_instructions=False)
    _check(result.outputs, expected)


def test_instruction_count_isolates_the_kernel() -> None:
    """Counting subtracts start-up: the kernel's count is small and grows with its trip count."""
    require("riscv64-gcc", "qemu-riscv64")
    path, inputs, expected = case("vadd_i32")
    result = simulate(source.read(path), "vadd_i32", inputs, target="rvv")
    _check(result.outputs, expected)
    # 100 i32 elements at 16 lanes: 7 vector iterations of a few instructions each, far
    # fewer than the ~100 loads a scalar loop would need, and far fewer than start-up.
    assert 10 < result.report["instructions"] < 120
