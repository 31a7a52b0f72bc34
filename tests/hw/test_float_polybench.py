"""PolyBench bicg in binary32 (examples/polybench_f32/bicg.mlir) at -O3 in Verilator, bit for
bit against plain loops over np.float32 scalars in the kernel's order (the hardware does
not reassociate, so neither does the reference)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from unified import simulate
from unified.core import source

KERNEL = Path(__file__).resolve().parents[2] / "examples" / "polybench_f32" / "bicg.mlir"
F = np.float32


def _bicg(a: np.ndarray, p: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    s, q = np.zeros(8, F), np.zeros(8, F)
    for i in range(8):
        for j in range(8):
            s[j] = F(s[j] + F(r[i] * a[i, j]))
            q[i] = F(q[i] + F(a[i, j] * p[j]))
    return s, q


def test_bicg_f32_o3_bit_exact(require_tool) -> None:
    require_tool("verilator")
    rng = np.random.default_rng(13)
    a = rng.standard_normal((8, 8)).astype(F)
    p, r = rng.standard_normal(8).astype(F), rng.standard_normal(8).astype(F)
    # s and q start as garbage: the kernel must zero them itself
    inputs = {"arg0": a, "arg1": np.full(8, 7.0, F), "arg2": np.full(8, -3.0, F),
              "arg3": p, "arg4": r}
    result = simulate.run(source.read(KERNEL), "bicg", inputs, "hw", opt_level=3)
    s, q = _bicg(a, p, r)
    for name, want in (("arg1", s), ("arg2", q)):
        got = result.outputs[name]
        assert got.dtype == np.float32
        assert np.array_equal(got.view(np.uint32), want.view(np.uint32)), \
            f"{name}: {got} != {want}"
    assert np.array_equal(result.outputs["arg0"], a)
