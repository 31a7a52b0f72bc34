"""-O1..-O3 (hls.opt_pipeline) stay exact against numpy in Verilator and save cycles."""

from __future__ import annotations

import numpy as np
import pytest

from calyx_flow import verilator_model
from hls import opt_pipeline
from unified import hw_flow, hw_sim
from unified.core import source, tools
from unified.core.errors import ToolNotFound

AXPY = """
func.func @axpy(%a: i32, %x: memref<8xi32>, %y: memref<8xi32>) {
  affine.for %i = 0 to 8 {
    %xv = affine.load %x[%i] : memref<8xi32>
    %p = arith.muli %a, %xv : i32
    %yv = affine.load %y[%i] : memref<8xi32>
    %s = arith.addi %yv, %p : i32
    affine.store %s, %y[%i] : memref<8xi32>
  }
  return
}
"""


def _needs_verilator() -> None:
    try:
        tools.find("verilator")
    except ToolNotFound as e:
        pytest.skip(f"verilator is missing: {e.hint}")


def _run(level: int, tmp_path, x: np.ndarray, y: np.ndarray, a: int) -> tuple[np.ndarray, int]:
    path = tmp_path / "axpy.mlir"
    path.write_text(AXPY)
    inputs = {"arg0": np.array(a, np.int32), "arg1": x, "arg2": y}
    run = hw_sim.simulate(source.read(path), "axpy", inputs, opt_level=level)
    return run.outputs["arg2"], run.report["cycles"]


def test_every_level_is_exact_and_optimised_levels_are_faster(tmp_path):
    _needs_verilator()
    rng = np.random.default_rng(1)
    x = rng.integers(-1000, 1000, 8).astype(np.int32)
    y = rng.integers(-1000, 1000, 8).astype(np.int32)
    want = (y + 7 * x).astype(np.int32)
    cycles = {}
    for level in range(4):
        got, cycles[level] = _run(level, tmp_path, x, y.copy(), 7)
        np.testing.assert_array_equal(got, want, err_msg=f"-O{level}")
    assert cycles[1] < cycles[0] and cycles[2] < cycles[1], cycles


def test_level_zero_adds_nothing():
    stages = hw_flow.stages("k", memrefs=1)
    assert opt_pipeline.optimise(stages, 0) == list(stages)
    o1 = {s.level: s for s in opt_pipeline.optimise(stages, 1)}
    steps = tuple(opt_pipeline.calyx_steps(1))
    assert o1["hw"].steps[:len(steps)] == steps
    assert opt_pipeline.affine_steps(1)[0] in o1["scf"].steps


# Two stores to one word per iteration, the second's value computed from the first's: the
# merged groups of -O1+ must run every arm to its end (their done registers keep the
# guard that is their value: calyx-ungate-data leaves `g ? 1` alone).
SUM_OF_SQUARES = """
func.func @ss(%A: memref<8xi32>, %B: memref<2xi32>) {
  affine.for %i = 0 to 8 step 2 {
    %a = affine.load %A[%i] : memref<8xi32>
    %m = arith.muli %a, %a : i32
    %s = affine.load %B[1] : memref<2xi32>
    %t = arith.addi %s, %m : i32
    affine.store %t, %B[1] : memref<2xi32>
    %i1 = affine.apply affine_map<(d0) -> (d0 + 1)>(%i)
    %a2 = affine.load %A[%i1] : memref<8xi32>
    %m2 = arith.muli %a2, %a2 : i32
    %t2 = arith.addi %t, %m2 : i32
    affine.store %t2, %B[1] : memref<2xi32>
  }
  return
}
"""


@pytest.mark.parametrize("level", [1, 3])
def test_chained_stores_to_one_word_are_exact(level):
    _needs_verilator()
    a = np.arange(1, 9, dtype=np.int32)
    art = hw_flow.compile_kernel(SUM_OF_SQUARES, "ss", opt_level=level)
    arrays = [a, np.zeros(2, np.int32)]  # -O3 banks them: each memory gets its region
    run = verilator_model.build(art).run([arrays[m.arg_index][m.region()] for m in art.memories],
                                         [], max_cycles=100_000)
    for m, value in zip(art.memories, run.memories):
        arrays[m.arg_index][m.region()] = value
    assert list(arrays[1]) == [0, int((a * a).sum())]
    if art.estimated_cycles is not None:
        assert art.estimated_cycles == run.cycles


DOT = """
func.func @dot(%A: memref<16xi32>, %B: memref<16xi32>, %C: memref<1xi32>) {
  %z = arith.constant 0 : i32
  %r = affine.for %i = 0 to 16 iter_args(%acc = %z) -> i32 {
    %a = affine.load %A[%i] : memref<16xi32>
    %b = affine.load %B[%i] : memref<16xi32>
    %p = arith.muli %a, %b : i32
    %s = arith.addi %acc, %p : i32
    affine.yield %s : i32
  }
  affine.store %r, %C[0] : memref<1xi32>
  return
}
"""


def test_pipelined_loop_is_exact_and_reports_its_interval():
    _needs_verilator()
    a = np.arange(16, dtype=np.int32)
    b = (np.arange(16) * 3 - 7).astype(np.int32)
    runs = {}
    for pipeline in (False, True):
        opts = opt_pipeline.HlsOptions(1, pipeline=pipeline)
        art = hw_flow.compile_kernel(DOT, "dot", opt_level=opts)
        run = verilator_model.build(art).run([a, b, np.zeros(1, np.int32)], [],
                                             max_cycles=100_000)
        assert int(np.asarray(run.memories[2]).reshape(1)[0]) == int((a * b).sum())
        assert art.estimated_cycles == run.cycles
        runs[pipeline] = (run.cycles, art.loops)
    (plain, plain_loops), (piped, piped_loops) = runs[False], runs[True]
    # the kernel loop runs 16 - 2 times (prologue and epilogue take the two other stages)
    assert [lp["trips"] for lp in plain_loops] == [16]
    assert [lp["trips"] for lp in piped_loops] == [14]
    assert piped < plain and all(lp["interval"] for lp in piped_loops)
