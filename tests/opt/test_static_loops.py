"""calyx-static-loops: innermost loops whose body fits one cycle run one iteration a cycle,
exactly, with the schedule's estimate equal to Verilator's count; bodies that cannot share a
cycle keep their FSM schedule and stay exact."""

from __future__ import annotations

import numpy as np
import pytest

from hls.opt_pipeline import HlsOptions
from unified import hw_sim
from unified.core import source, tools
from unified.core.errors import ToolNotFound

N = 32

# a software-pipelined multiply-add: the product is read in the cycle its operands arrive
MAC = f"""
func.func @mac(%a: memref<{N}xi32>, %b: memref<{N}xi32>, %c: memref<{N}xi32>) {{
  affine.for %i = 0 to {N} {{
    %x = affine.load %a[%i] : memref<{N}xi32>
    %y = affine.load %b[%i] : memref<{N}xi32>
    %p = arith.muli %x, %y : i32
    %s = arith.addi %p, %x : i32
    affine.store %s, %c[%i] : memref<{N}xi32>
  }}
  return
}}
"""

# a reduction into a register (iter_args) beside a running update of one memory word
DOT = f"""
func.func @dot(%a: memref<{N}xi32>, %b: memref<{N}xi32>, %out: memref<1xi32>) {{
  %zero = arith.constant 0 : i32
  %s = affine.for %i = 0 to {N} iter_args(%acc = %zero) -> (i32) {{
    %x = affine.load %a[%i] : memref<{N}xi32>
    %y = affine.load %b[%i] : memref<{N}xi32>
    %p = arith.muli %x, %y : i32
    %n = arith.addi %acc, %p : i32
    affine.yield %n : i32
  }}
  affine.store %s, %out[0] : memref<1xi32>
  return
}}
"""

# the same memory read and written in one iteration at different words: one port, two
# addresses, so the body cannot share a cycle (the loop keeps its FSM schedule)
SHIFT = f"""
func.func @shift(%x: memref<{N}xi32>) {{
  affine.for %i = 1 to {N} {{
    %v = affine.load %x[%i - 1] : memref<{N}xi32>
    %w = arith.addi %v, %v : i32
    affine.store %w, %x[%i] : memref<{N}xi32>
  }}
  return
}}
"""

# read, then write, the same word every iteration: pipelined, iteration i + 1 reads while
# iteration i writes, two addresses on one port again; exact under the FSM
BUMP = f"""
func.func @bump(%x: memref<{N}xi32>, %y: memref<{N}xi32>) {{
  affine.for %i = 0 to {N} {{
    %v = affine.load %x[%i] : memref<{N}xi32>
    %w = arith.addi %v, %v : i32
    affine.store %w, %x[%i] : memref<{N}xi32>
    affine.store %v, %y[%i] : memref<{N}xi32>
  }}
  return
}}
"""


@pytest.fixture(autouse=True)
def _needs_verilator() -> None:
    try:
        tools.find("verilator")
    except ToolNotFound as e:
        pytest.skip(f"verilator is missing: {e.hint}")


def _run(text: str, func: str, inputs: dict, tmp_path, pipeline: bool) -> hw_sim.SimResult:
    path = tmp_path / f"{func}.mlir"
    path.write_text(text)
    opts = HlsOptions(level=1, pipeline=pipeline)
    run = hw_sim.simulate(source.read(path), func, inputs, opt_level=opts)
    assert run.report["cycles"] == run.report["estimated_cycles"], run.report
    return run


def _vectors(seed: int, count: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.integers(-1000, 1000, N).astype(np.int32) for _ in range(count)]


def test_multiply_add_runs_one_iteration_a_cycle(tmp_path):
    a, b = _vectors(1, 2)
    inputs = {"arg0": a, "arg1": b, "arg2": np.zeros(N, np.int32)}
    fast = _run(MAC, "mac", inputs, tmp_path, pipeline=True)
    slow = _run(MAC, "mac", inputs, tmp_path, pipeline=False)
    want = (a.astype(np.int64) * b + a).astype(np.int32)
    np.testing.assert_array_equal(fast.outputs["arg2"], want)
    np.testing.assert_array_equal(slow.outputs["arg2"], want)
    [loop] = fast.report["loops"]
    assert loop["interval"] == 1, loop
    # trips + 1 for the loop, a few cycles of prologue and epilogue around it
    assert fast.report["cycles"] <= N + 16 < slow.report["cycles"], (fast.report, slow.report)


def test_reduction_in_a_register_is_exact(tmp_path):
    a, b = _vectors(2, 2)
    run = _run(DOT, "dot", {"arg0": a, "arg1": b, "arg2": np.zeros(1, np.int32)}, tmp_path,
               pipeline=True)
    want = np.int32(np.sum(a.astype(np.int64) * b).astype(np.int32))
    assert run.outputs["arg2"][0] == want
    assert [loop["interval"] for loop in run.report["loops"]] == [1]


def test_two_addresses_on_one_memory_keep_the_fsm_schedule(tmp_path):
    [x] = _vectors(3, 1)
    run = _run(SHIFT, "shift", {"arg0": x.copy()}, tmp_path, pipeline=True)
    want = x.astype(np.int64)
    for i in range(1, N):
        want[i] = (2 * want[i - 1] + 2**31) % 2**32 - 2**31
    np.testing.assert_array_equal(run.outputs["arg0"], want.astype(np.int32))
    assert all(loop["interval"] > 1 for loop in run.report["loops"]), run.report["loops"]


def test_read_then_write_of_one_word_stays_exact(tmp_path):
    [x] = _vectors(4, 1)
    run = _run(BUMP, "bump", {"arg0": x.copy(), "arg1": np.zeros(N, np.int32)}, tmp_path,
               pipeline=True)
    np.testing.assert_array_equal(run.outputs["arg0"], (2 * x.astype(np.int64)).astype(np.int32))
    np.testing.assert_array_equal(run.outputs["arg1"], x)
    assert all(loop["interval"] > 1 for loop in run.report["loops"]), run.report["loops"]


# a dot product unrolled by 4 by hand: upstream's schedule has six stages, more than
# hls-pipeline-loops allows; loads_ahead splits it in three (loads, products, the sum)
DOT4 = "".join([f"""
func.func @dot4(%a: memref<{N}xi32>, %b: memref<{N}xi32>, %out: memref<1xi32>) {{
  %zero = arith.constant 0 : i32
  %s = affine.for %i = 0 to {N // 4} iter_args(%acc = %zero) -> (i32) {{
""", *[f"""    %x{k} = affine.load %a[4 * %i + {k}] : memref<{N}xi32>
    %y{k} = affine.load %b[4 * %i + {k}] : memref<{N}xi32>
    %p{k} = arith.muli %x{k}, %y{k} : i32
""" for k in range(4)], """    %s0 = arith.addi %acc, %p0 : i32
    %s1 = arith.addi %s0, %p1 : i32
    %s2 = arith.addi %s1, %p2 : i32
    %s3 = arith.addi %s2, %p3 : i32
    affine.yield %s3 : i32
  }
""", """  affine.store %s, %out[0] : memref<1xi32>
  return
}
"""])


def test_a_long_chain_is_split_after_its_loads(tmp_path):
    a, b = _vectors(5, 2)
    path = tmp_path / "dot4.mlir"
    path.write_text(DOT4)
    # -O1 with pipelining and 4 banks: the four loads of each array use four ports
    opts = HlsOptions(level=1, pipeline=True, banks=4)
    run = hw_sim.simulate(source.read(path), "dot4", {"arg0": a, "arg1": b,
                                                       "arg2": np.zeros(1, np.int32)},
                          opt_level=opts)
    assert run.report["cycles"] == run.report["estimated_cycles"], run.report
    assert run.outputs["arg2"][0] == np.int32(np.sum(a.astype(np.int64) * b).astype(np.int32))
    assert [loop["interval"] for loop in run.report["loops"]] == [1]
