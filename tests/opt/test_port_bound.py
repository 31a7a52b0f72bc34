"""hls.port_bound: loads and stores x trip counts per memory, over its ports."""

from __future__ import annotations

import pytest

from unified.core.errors import UnifiedError
from unified.core.toolchain import worker

GEMM = """
func.func @gemm(%alpha: i32, %beta: i32, %C: memref<8x8xi32>, %A: memref<8x8xi32>,
                %B: memref<8x8xi32>) {
  affine.for %i = 0 to 8 {
    affine.for %j = 0 to 8 {
      %c = affine.load %C[%i, %j] : memref<8x8xi32>
      %cb = arith.muli %c, %beta : i32
      affine.store %cb, %C[%i, %j] : memref<8x8xi32>
    }
    affine.for %k = 0 to 8 {
      affine.for %j = 0 to 8 step 2 {
        %a = affine.load %A[%i, %k] : memref<8x8xi32>
        %b = affine.load %B[%k, %j] : memref<8x8xi32>
        %p = arith.muli %a, %b : i32
        %c = affine.load %C[%i, %j] : memref<8x8xi32>
        %s = arith.addi %c, %p : i32
        affine.store %s, %C[%i, %j] : memref<8x8xi32>
      }
    }
  }
  return
}
"""

DYNAMIC = """
func.func @k(%A: memref<?xi32>, %n: index) {
  affine.for %i = 0 to %n {
    %a = affine.load %A[%i] : memref<?xi32>
    affine.store %a, %A[%i] : memref<?xi32>
  }
  return
}
"""


def test_gemm_counts_every_access_times_its_trip_counts():
    bound = worker("mlir").call(GEMM, "hls.port_bound:port_bound", func="gemm")
    c, a, b = bound.by_memory["arg2"], bound.by_memory["arg3"], bound.by_memory["arg4"]
    assert (c.loads, c.stores) == (64 + 256, 64 + 256)  # the j loop of the update has step 2
    assert (a.loads, a.stores) == (256, 0)
    assert (b.loads, b.stores) == (256, 0)
    assert bound.cycles == 640 and bound.busiest == "arg2"


def test_more_ports_lower_the_bound():
    bound = worker("mlir").call(GEMM, "hls.port_bound:port_bound", func="gemm",
                                ports={"arg2": 4}, default_ports=2)
    assert bound.by_memory["arg2"].cycles == 160
    assert bound.by_memory["arg3"].cycles == 128
    assert bound.cycles == 160


def test_dynamic_bounds_are_reported_at_the_loop():
    with pytest.raises(UnifiedError, match="constant bounds") as info:
        worker("mlir").call(DYNAMIC, "hls.port_bound:port_bound", func="k")
    assert info.value.loc is not None and info.value.loc.line == 3
