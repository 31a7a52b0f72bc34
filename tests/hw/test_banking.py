"""Memory banking (--banks F, hls-bank-memories) in Verilator: exact against numpy, and faster.

A banked kernel's memref arguments become F memories each; `unified sim --target hw` splits
every input array into its banks and joins them back, so the user's arrays are unchanged.
"""

from __future__ import annotations

import numpy as np
import pytest
from kernel_suite import KERNELS_DIR as KERNELS

from hls.opt_pipeline import HlsOptions
from unified import simulate
from unified.core import source
from unified.core.toolchain import Call, Pass, Pipeline, worker
from unified.kernel_cache import compile_cached


@pytest.fixture(autouse=True)
def _verilator(require_tool) -> None:
    require_tool("verilator")


def test_banked_matmul_is_exact_and_faster() -> None:
    """4x4 matmul, k unrolled fully: A banked along its columns, B along its rows."""
    src = source.read(KERNELS / "matmul.mlir")
    rng = np.random.default_rng(6)
    a, b = (rng.integers(-50, 50, (4, 4)).astype(np.int32) for _ in range(2))
    inputs = {"arg0": a, "arg1": b, "arg2": np.full((4, 4), 7, np.int32)}
    opts = HlsOptions(3, unroll=4, banks=4)
    plain = simulate.run(src, "matmul", dict(inputs), "hw",
                         opt_level=HlsOptions(3, unroll=4, banks=1))
    banked = simulate.run(src, "matmul", dict(inputs), "hw", opt_level=opts)
    for result in (plain, banked):
        np.testing.assert_array_equal(result.outputs["arg2"], a @ b)
        np.testing.assert_array_equal(result.outputs["arg0"], a)
        np.testing.assert_array_equal(result.outputs["arg1"], b)
    assert banked.report["cycles"] < plain.report["cycles"]
    art = compile_cached(src.text, "matmul", opt_level=opts, path=src.path)
    layout = [(m.arg_index, m.bank, m.banks, m.bank_dim, m.shape) for m in art.memories]
    assert layout == ([(0, k, 4, 1, (4, 1)) for k in range(4)]
                      + [(1, k, 4, 0, (1, 4)) for k in range(4)] + [(2, 0, 1, 0, (4, 4))])


def test_banked_vadd_unrolled_by_two() -> None:
    """1-D vadd unrolled by 2 and banked by 2: the step-2 loop runs over the bank index."""
    src = source.read(KERNELS / "vadd.mlir")
    rng = np.random.default_rng(7)
    x, y = (rng.integers(-1000, 1000, 8).astype(np.int32) for _ in range(2))
    inputs = {"arg0": x, "arg1": y, "arg2": np.zeros(8, np.int32)}
    opts = HlsOptions(2, banks=2)
    result = simulate.run(src, "vadd", inputs, "hw", opt_level=opts)
    np.testing.assert_array_equal(result.outputs["arg2"], x + y)
    np.testing.assert_array_equal(result.outputs["arg0"], x)
    assert result.report["memories"] == "; ".join(
        f"arg{i} in 2 banks along dimension 0" for i in range(3))
    art = compile_cached(src.text, "vadd", opt_level=opts, path=src.path)
    assert [(m.label, m.shape) for m in art.memories] == [
        (f"arg{i}.bank{k}", (4,)) for i in range(3) for k in range(2)]
    assert "divsi" not in art.ir["scf"] and "muli" not in art.ir["scf"]  # no divider, no scaling


def test_port_bound_counts_each_bank() -> None:
    """gemm-like loop nest fully unrolled: the bound of the banked IR has one memory per bank."""
    src = source.read(KERNELS / "matmul.mlir")
    steps = [Pipeline("builtin.module(func.func(affine-loop-unroll{unroll-factor=4}),canonicalize)"),
             Pass("hls-bank-memories", {"factor": "4"}),
             Call("hls.port_bound:port_bound", {"func": "matmul"})]
    bound = worker("mlir").run_full(src.text, steps, print_module=False).values[0]
    assert sorted(bound.by_memory) == sorted(
        [f"arg{i}.bank{k}" for i in (0, 1) for k in range(4)] + ["arg2"])
    assert bound.by_memory["arg0.bank3"].loads == 16  # one of A's 64 loads in four
    assert bound.cycles == 16


def test_banked_kernel_with_a_scratch_buffer() -> None:
    """scratch.mlir at -O3 (fully unrolled): its arguments in 8 banks, its allocated buffer
    whole inside the core (the trailing memory, after the banks)."""
    src = source.read(KERNELS / "scratch.mlir")
    a = np.random.default_rng(8).integers(-1000, 1000, 8).astype(np.int32)
    opts = HlsOptions(3, banks=8)
    result = simulate.run(src, "scratch", {"arg0": a, "arg1": np.zeros(8, np.int32)}, "hw",
                          opt_level=opts)
    np.testing.assert_array_equal(result.outputs["arg1"], 3 * a + 3 * a[::-1])
    art = compile_cached(src.text, "scratch", opt_level=opts, path=src.path)
    assert [m.label for m in art.memories] == [f"arg{i}.bank{k}" for i in (0, 1) for k in range(8)]


STENCIL = """
func.func @k(%a: memref<12xi32>, %b: memref<3x6xi32>) {
  affine.for %i = 0 to 12 {
    %v = affine.load %a[%i] : memref<12xi32>
    %w = arith.addi %v, %v : i32
    affine.store %w, %a[%i] : memref<12xi32>
  }
  affine.for %r = 0 to 3 {
    affine.for %j = 1 to 5 {
      %x = affine.load %b[%r, %j - 1] : memref<3x6xi32>
      %y = affine.load %b[%r, %j + 1] : memref<3x6xi32>
      %s = arith.addi %x, %y : i32
      affine.store %s, %b[%r, %j] : memref<3x6xi32>
    }
  }
  return
}
"""


@pytest.mark.parametrize("factor", [2, 3])
def test_banks_that_do_not_divide_every_loop(tmp_path, factor: int) -> None:
    """Unroll and banks by 2 and 3 on loops of 12 and 4 (a remainder loop, a lower bound of
    1, each row reading what the previous iteration wrote): exact, and fewer cycles."""
    path = tmp_path / "k.mlir"
    path.write_text(STENCIL)
    src = source.read(path)
    rng = np.random.default_rng(factor)
    a = rng.integers(-100, 100, 12).astype(np.int32)
    b = rng.integers(-100, 100, (3, 6)).astype(np.int32)
    want = b.copy()
    for j in range(1, 5):
        want[:, j] = want[:, j - 1] + want[:, j + 1]
    plain = simulate.run(src, "k", {"arg0": a, "arg1": b}, "hw", opt_level=1)
    banked = simulate.run(src, "k", {"arg0": a, "arg1": b}, "hw",
                          opt_level=HlsOptions(1, unroll=factor, banks=factor))
    np.testing.assert_array_equal(banked.outputs["arg0"], 2 * a)
    np.testing.assert_array_equal(banked.outputs["arg1"], want)
    assert banked.report["cycles"] < plain.report["cycles"]


def test_replicated_mvt_is_exact_and_faster() -> None:
    """PolyBench mvt at -O3: A, read by rows and by columns, is held twice (8 banks along
    each dimension); x1 and x2 against numpy, far fewer cycles than with one memory each."""
    src = source.read(KERNELS.parent / "polybench" / "mvt.mlir")
    rng = np.random.default_rng(12)
    x = {f"arg{i}": rng.integers(-100, 100, 8).astype(np.int32) for i in range(4)}
    x["arg4"] = a = rng.integers(-100, 100, (8, 8)).astype(np.int32)
    plain = simulate.run(src, "mvt", dict(x), "hw", opt_level=HlsOptions(3, banks=1))
    banked = simulate.run(src, "mvt", dict(x), "hw", opt_level=HlsOptions(3))
    for result in (plain, banked):
        np.testing.assert_array_equal(result.outputs["arg0"], x["arg0"] + a @ x["arg2"])
        np.testing.assert_array_equal(result.outputs["arg1"], x["arg1"] + a.T @ x["arg3"])
        np.testing.assert_array_equal(result.outputs["arg4"], a)
    # (1.9x at -O3: the one-memory version's loops run at one iteration a cycle as well)
    assert 3 * banked.report["cycles"] < 2 * plain.report["cycles"]
    art = compile_cached(src.text, "mvt", opt_level=HlsOptions(3), path=src.path)
    assert [m.label for m in art.memories if m.arg_index == 4] == \
        [f"arg4.bank{k}" for k in range(8)] + [f"arg4.copy1.bank{k}" for k in range(8)]
