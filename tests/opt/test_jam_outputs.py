"""hls-jam-outputs at -O3: a convolution's and a matrix product's output channels side by
side in one loop, each from its own weight bank, run exactly and at one iteration a cycle,
with the schedule's estimate equal to Verilator's count."""

from __future__ import annotations

import numpy as np
import pytest

from hls.opt_pipeline import HlsOptions
from unified import hw_sim
from unified.core import source

CI, CO, H = 4, 8, 4  # input channels, output channels, output rows and columns

CONV = f"""
func.func @conv(%in: memref<{CI}x{H + 2}x{H + 2}xi32>, %w: memref<{CO}x{CI}x3x3xi32>,
                %out: memref<{CO}x{H}x{H}xi32>) {{
  affine.for %co = 0 to {CO} {{
    affine.for %y = 0 to {H} {{
      affine.for %x = 0 to {H} {{
        affine.for %ci = 0 to {CI} {{
          affine.for %ky = 0 to 3 {{
            affine.for %kx = 0 to 3 {{
              %a = affine.load %in[%ci, %y + %ky, %x + %kx] : memref<{CI}x{H + 2}x{H + 2}xi32>
              %b = affine.load %w[%co, %ci, %ky, %kx] : memref<{CO}x{CI}x3x3xi32>
              %c = affine.load %out[%co, %y, %x] : memref<{CO}x{H}x{H}xi32>
              %p = arith.muli %a, %b : i32
              %s = arith.addi %c, %p : i32
              affine.store %s, %out[%co, %y, %x] : memref<{CO}x{H}x{H}xi32>
            }}
          }}
        }}
      }}
    }}
  }}
  return
}}
"""

N = 16
GEMM = f"""
func.func @gemm(%A: memref<{N}x{N}xi32>, %B: memref<{N}x{N}xi32>, %C: memref<{N}x{N}xi32>) {{
  affine.for %i = 0 to {N} {{
    affine.for %j = 0 to {N} {{
      affine.for %k = 0 to {N} {{
        %a = affine.load %A[%i, %k] : memref<{N}x{N}xi32>
        %b = affine.load %B[%k, %j] : memref<{N}x{N}xi32>
        %c = affine.load %C[%i, %j] : memref<{N}x{N}xi32>
        %p = arith.muli %a, %b : i32
        %s = arith.addi %c, %p : i32
        affine.store %s, %C[%i, %j] : memref<{N}x{N}xi32>
      }}
    }}
  }}
  return
}}
"""


@pytest.fixture(autouse=True)
def _needs_verilator(require_tool) -> None:
    require_tool("verilator")


def _run(text: str, func: str, inputs: dict, tmp_path) -> hw_sim.SimResult:
    path = tmp_path / f"{func}.mlir"
    path.write_text(text)
    run = hw_sim.simulate(source.read(path), func, inputs, opt_level=HlsOptions(level=3))
    assert run.report["cycles"] == run.report["estimated_cycles"], run.report
    return run


def _ints(rng: np.random.Generator, *shape: int) -> np.ndarray:
    return rng.integers(-2**31, 2**31, shape, dtype=np.int64).astype(np.int32)


def test_convolution_jams_its_output_channels(tmp_path):
    rng = np.random.default_rng(7)
    image, w, out = _ints(rng, CI, H + 2, H + 2), _ints(rng, CO, CI, 3, 3), _ints(rng, CO, H, H)
    run = _run(CONV, "conv", {"arg0": image, "arg1": w, "arg2": out}, tmp_path)
    want = out.astype(np.int64)
    for ky in range(3):
        for kx in range(3):  # wrapping products and sums: int64 then truncated is exact
            want += np.einsum("oc,cyx->oyx", w[:, :, ky, kx].astype(np.int64),
                              image[:, ky:ky + H, kx:kx + H].astype(np.int64))
    np.testing.assert_array_equal(run.outputs["arg2"], want.astype(np.int32))
    assert "arg1 in 8 banks along dimension 0" in run.report["memories"], run.report
    # the input channels innermost at one iteration a cycle, 8 products each (plus the
    # pipeline's front iteration); the window's loops around 4 of them cost about as much
    # again (2,464 cycles; 12,956 unjammed)
    inner = [loop for loop in run.report["loops"] if loop["interval"] == 1]
    assert inner and all(loop["trips"] <= CI + 1 for loop in inner), run.report["loops"]
    macs = CO * H * H * CI * 9
    assert run.report["cycles"] < macs / 1.8, (run.report["cycles"], macs)


def test_matrix_product_jams_its_columns(tmp_path):
    rng = np.random.default_rng(8)
    a, b, c = _ints(rng, N, N), _ints(rng, N, N), _ints(rng, N, N)
    run = _run(GEMM, "gemm", {"arg0": a, "arg1": b, "arg2": c}, tmp_path)
    want = (c.astype(np.int64) + (a.astype(np.int64) @ b.astype(np.int64))).astype(np.int32)
    np.testing.assert_array_equal(run.outputs["arg2"], want)
    assert "arg1 in 8 banks along dimension 1" in run.report["memories"], run.report
    # 16 x 2 runs of the k loop at one iteration a cycle, a few cycles around each
    assert run.report["cycles"] < N * N * N / 4, run.report["cycles"]


# an int8 convolution as the ONNX importer writes a QLinearConv: per output, a one-word
# accumulator set from the bias, the window summed into it, the output written from it
QCONV = f"""
func.func @qconv(%in: memref<{CI}x{H + 2}x{H + 2}xi8>, %w: memref<{CO}x{CI}x3x3xi8>,
                 %bias: memref<{CO}xi32>, %out: memref<{CO}x{H}x{H}xi8>) {{
  %six = arith.constant 6 : i32
  %acc = memref.alloc() : memref<1x1xi32>
  affine.for %co = 0 to {CO} {{
    affine.for %y = 0 to {H} {{
      affine.for %x = 0 to {H} {{
        %b = affine.load %bias[%co] : memref<{CO}xi32>
        affine.store %b, %acc[0, 0] : memref<1x1xi32>
        affine.for %ci = 0 to {CI} {{
          affine.for %ky = 0 to 3 {{
            affine.for %kx = 0 to 3 {{
              %a = affine.load %in[%ci, %y + %ky, %x + %kx] : memref<{CI}x{H + 2}x{H + 2}xi8>
              %k = affine.load %w[%co, %ci, %ky, %kx] : memref<{CO}x{CI}x3x3xi8>
              %a32 = arith.extsi %a : i8 to i32
              %k32 = arith.extsi %k : i8 to i32
              %p = arith.muli %a32, %k32 : i32
              %s0 = affine.load %acc[0, 0] : memref<1x1xi32>
              %s = arith.addi %s0, %p : i32
              affine.store %s, %acc[0, 0] : memref<1x1xi32>
            }}
          }}
        }}
        %r = affine.load %acc[0, 0] : memref<1x1xi32>
        %q = arith.shrsi %r, %six : i32
        %t = arith.trunci %q : i32 to i8
        affine.store %t, %out[%co, %y, %x] : memref<{CO}x{H}x{H}xi8>
      }}
    }}
  }}
  return
}}
"""


def test_fused_int8_convolution_jams_with_a_register_per_output(tmp_path):
    rng = np.random.default_rng(9)
    image = rng.integers(-128, 128, (CI, H + 2, H + 2)).astype(np.int8)
    w = rng.integers(-128, 128, (CO, CI, 3, 3)).astype(np.int8)
    bias = rng.integers(-5000, 5000, CO).astype(np.int32)
    out = np.zeros((CO, H, H), np.int8)
    run = _run(QCONV, "qconv", {"arg0": image, "arg1": w, "arg2": bias, "arg3": out}, tmp_path)
    acc = np.broadcast_to(bias[:, None, None].astype(np.int64), (CO, H, H)).copy()
    for ky in range(3):
        for kx in range(3):
            acc += np.einsum("oc,cyx->oyx", w[:, :, ky, kx].astype(np.int64),
                             image[:, ky:ky + H, kx:kx + H].astype(np.int64))
    np.testing.assert_array_equal(run.outputs["arg3"], (acc >> 6).astype(np.int8))
    assert "arg1 in 8 banks along dimension 0" in run.report["memories"], run.report
    # the input channels innermost at one iteration a cycle, eight products in it (2,352
    # cycles; 13,084 with the accumulator in memory and one output at a time)
    assert [loop["interval"] for loop in run.report["loops"]][-1] == 1, run.report["loops"]
    assert run.report["cycles"] < CO * H * H * CI * 9 / 1.8, run.report["cycles"]
