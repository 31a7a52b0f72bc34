"""Every kernel of examples/sw on the host and under qemu-riscv64 (RVV), against numpy."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from sw_suite import CASES, case

from unified.core import source
from unified.sw_run import simulate


def _check(outputs: dict[str, np.ndarray], expected: dict[str, np.ndarray]) -> None:
    for name, want in expected.items():
        got = outputs[name]
        if np.issubdtype(np.asarray(want).dtype, np.floating):
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5, err_msg=name)
        else:
            np.testing.assert_array_equal(got, want, err_msg=name)


@pytest.mark.parametrize("name", sorted(CASES))
def test_host(name: str, require_tool: Callable[[str], str]) -> None:
    require_tool("cc")
    path, inputs, expected = case(name)
    result = simulate(source.read(path), name, inputs, target="sw")
    assert result.report["target"] == "sw"
    _check(result.outputs, expected)


@pytest.mark.parametrize("name", sorted(CASES))
def test_rvv_qemu(name: str, require_tool: Callable[[str], str]) -> None:
    require_tool("riscv64-gcc")
    require_tool("qemu-riscv64")
    path, inputs, expected = case(name, seed=1)
    result = simulate(source.read(path), name, inputs, target="rvv", count_instructions=False)
    assert result.report == {"target": "rvv", "vlen": 128}
    _check(result.outputs, expected)


@pytest.mark.parametrize("vlen", [256, 512])
def test_rvv_other_vlen(vlen: int, require_tool: Callable[[str], str]) -> None:
    require_tool("riscv64-gcc")
    require_tool("qemu-riscv64")
    path, inputs, expected = case("matmul_i32", seed=2)
    result = simulate(source.read(path), "matmul_i32", inputs, target="rvv", vlen=vlen,
                      count_instructions=False)
    _check(result.outputs, expected)
