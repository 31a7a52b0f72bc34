"""Loops of segment loads software-pipelined (sw-pipeline-segment-loads) and their addresses
computed first (sw-hoist-segment-addresses): the IR shape each pass leaves, and the values
under qemu (RVV at two VLENs) against numpy, bit for bit."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from unified.core import source
from unified.sw_flow import compile_sw
from unified.sw_run import simulate

KERNELS = Path(__file__).parent / "inputs" / "segment_rows.mlir"

# pool_rows: six row pairs, unrolled by 2 and rotated: the first pair's top row is loaded
# before the loop, the loop runs over the first two double steps, and the third (rows 8-11)
# is peeled after it; inside, each load comes before the maxes of the one before it.
POOL_ROWS = """
CHECK-LABEL: func.func @pool_rows
CHECK:       affine.vector_load %arg0[0, 0]
CHECK:       affine.for %[[I:[a-z0-9]+]]{{.*}} = 0 to 4 step 2 iter_args(%[[E:[a-z0-9]+]] = %{{[0-9]+}}, %[[O:[a-z0-9]+]] =
CHECK-NEXT:    affine.vector_load %arg0[%[[I]] * 2 + 1, 0]
CHECK-NEXT:    vector.shuffle
CHECK-NEXT:    vector.shuffle
CHECK-NEXT:    arith.maxnumf %[[E]], %[[O]]
CHECK-NEXT:    affine.vector_load %arg0[%[[I]] * 2 + 2, 0]
CHECK:         affine.vector_load %arg0[%[[I]] * 2 + 3, 0]
CHECK:         affine.vector_store %{{.*}}, %arg1[%[[I]], 0]
CHECK:         affine.vector_load %arg0[%[[I]] * 2 + 4, 0]
CHECK:         affine.vector_store %{{.*}}, %arg1[%[[I]] + 1, 0]
CHECK-NEXT:    affine.yield
CHECK:       affine.vector_load %arg0[9, 0]
CHECK:       affine.vector_store %{{.*}}, %arg1[4, 0]
CHECK:       affine.vector_load %arg0[11, 0]
CHECK:       affine.vector_store %{{.*}}, %arg1[5, 0]
CHECK-NEXT:  return
"""

# pair_rows_i32: five row pairs, an odd count: rotated but not unrolled
PAIR_ROWS = """
CHECK-LABEL: func.func @pair_rows_i32
CHECK:       affine.vector_load %arg0[0, 0]
CHECK:       affine.for %[[I:[a-z0-9]+]]{{.*}} = 0 to 4 iter_args(
CHECK-NEXT:    affine.vector_load %arg0[%[[I]] * 2 + 1, 0]
CHECK:         affine.vector_load %arg0[%[[I]] * 2 + 2, 0]
CHECK:         affine.yield
CHECK:       affine.vector_load %arg0[9, 0]
"""

FILECHECK = Path(sys.executable).parent / "filecheck"  # the venv's (PyPI filecheck)

# pool_update reads the buffer it writes: no load may move above a store, nothing changes
POOL_UPDATE = """
CHECK-LABEL: func.func @pool_update
CHECK:       affine.for %{{[a-z0-9]+}}{{.*}} = 0 to 6 {
CHECK-NOT:   iter_args
CHECK:       return
"""


def _vector_ir(name: str) -> str:
    art = compile_sw(KERNELS.read_text(), functions=[name], vlen=128, target="rvv",
                     stop_after="vector")
    return art.ir["vector"]


@pytest.mark.parametrize(("name", "checks"), [("pool_rows", POOL_ROWS),
                                              ("pair_rows_i32", PAIR_ROWS),
                                              ("pool_update", POOL_UPDATE)])
def test_vector_ir_shape(name: str, checks: str, tmp_path: Path) -> None:
    """The vector level of each kernel, through filecheck."""
    if not FILECHECK.exists():
        pytest.skip(f"filecheck is missing from the venv ({FILECHECK}): pip install filecheck")
    check_file = tmp_path / "checks.txt"
    check_file.write_text(checks)
    proc = subprocess.run([str(FILECHECK), str(check_file)], input=_vector_ir(name), text=True,
                          capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_addresses_first() -> None:
    """In the LLVM dialect, the loop body computes every segment load's address before its
    first load (each in a register of its own, none waiting for an addi)."""
    art = compile_sw(KERNELS.read_text(), functions=["pool_rows"], vlen=128, target="rvv",
                     stop_after="llvm")
    text = art.ir["llvm"]
    body = text[text.index("^bb2"):]
    body = body[:body.index("llvm.br")]
    lines = [line for line in body.splitlines() if "llvm.load" in line or "getelementptr" in line]
    loads = [n for n, line in enumerate(lines) if "llvm.load" in line]
    segment_addresses = {m[1] for line in lines if "llvm.load" in line
                         for m in [re.search(r"llvm.load (%\d+)", line)] if m}
    assert len(loads) == 4
    for n, line in enumerate(lines):
        if "getelementptr" in line and line.split("=")[0].strip() in segment_addresses:
            assert n < loads[0], body


def _expected(name: str, x: np.ndarray) -> np.ndarray:
    if name == "pair_rows_i32":
        with np.errstate(over="ignore"):
            return (x[0::2, 0::2] + x[0::2, 1::2]) * (x[1::2, 0::2] - x[1::2, 1::2])
    return np.maximum(np.maximum(x[0::2, 0::2], x[0::2, 1::2]),
                      np.maximum(x[1::2, 0::2], x[1::2, 1::2]))


@pytest.mark.parametrize("vlen", [128, 256])
@pytest.mark.parametrize("name", ["pool_rows", "pair_rows_i32"])
def test_rvv_values(name: str, vlen: int, require_tool: Callable[[str], str]) -> None:
    """Every output of the pipelined loops (the prologue's row, the loop's, the peeled
    last iteration's) matches numpy under qemu."""
    require_tool("qemu-riscv64")
    require_tool("riscv64-gcc")
    rng = np.random.default_rng(7)
    src = source.read(KERNELS)
    fn = src.function(name)
    (rows, cols), out_shape = fn.args[0].shape, fn.args[1].shape
    if name == "pair_rows_i32":
        x = rng.integers(-2**31, 2**31, (rows, cols), dtype=np.int64).astype(np.int32)
        out = np.zeros(out_shape, np.int32)
    else:
        x = rng.standard_normal((rows, cols)).astype(np.float32)
        out = np.zeros(out_shape, np.float32)
    result = simulate(src, name, {"arg0": x, "arg1": out}, target="rvv", vlen=vlen,
                      count_instructions=False)
    np.testing.assert_array_equal(result.outputs["arg1"], _expected(name, x))


OPS = {"addi": np.add, "subi": np.subtract, "muli": np.multiply, "maxsi": np.maximum}
RANDOM_KERNEL = """func.func @k(%a: memref<{ra}x{ca}xi32>, %b: memref<{rb}x{cb}xi32>,
                  %out: memref<{ro}x{co}xi32>) {{
  affine.for %i = 0 to {rows} {{
    affine.for %j = 0 to {cols} {{
      %x = affine.load %a[2 * %i + {oa}, 2 * %j] : memref<{ra}x{ca}xi32>
      %y = affine.load %a[2 * %i + {oa}, 2 * %j + 1] : memref<{ra}x{ca}xi32>
      %z = affine.load %b[{sb} * %i, 2 * %j] : memref<{rb}x{cb}xi32>
      %w = affine.load %b[{sb} * %i, 2 * %j + 1] : memref<{rb}x{cb}xi32>
      %p = arith.{op1} %x, %w : i32
      %q = arith.{op2} %z, %y : i32
      %r = arith.{op1} %p, %q : i32
      affine.store %r, %out[%i + {oo}, %j] : memref<{ro}x{co}xi32>
    }}
  }}
  return
}}
"""


@pytest.mark.parametrize("seed", range(6))
def test_random_row_loops(seed: int, tmp_path: Path, require_tool: Callable[[str], str]) -> None:
    """Random row and column counts, row offsets and strides, and ops over two segment pairs a
    row: RVV at three VLENs agrees with numpy bit for bit (a small differential fuzz of the
    pipelining: unrolled or not, rotated, the last row peeled)."""
    require_tool("qemu-riscv64")
    require_tool("riscv64-gcc")
    rng = np.random.default_rng(300 + seed)
    rows, cols = int(rng.integers(5, 13)), int(rng.choice([4, 8, 12, 16, 24]))
    oa, sb, oo = int(rng.integers(0, 3)), int(rng.integers(1, 4)), int(rng.integers(0, 2))
    op1, op2 = (list(OPS)[int(k)] for k in rng.integers(0, len(OPS), 2))
    ra, rb, ro = 2 * rows + oa, sb * (rows - 1) + 1, rows + oo
    shapes = {"ra": ra, "ca": 2 * cols, "rb": rb, "cb": 2 * cols, "ro": ro, "co": cols}
    path = tmp_path / "k.mlir"
    path.write_text(RANDOM_KERNEL.format(rows=rows, cols=cols, oa=oa, sb=sb, oo=oo, op1=op1,
                                         op2=op2, **shapes))
    ints = lambda *s: rng.integers(-2**31, 2**31, s, dtype=np.int64).astype(np.int32)
    inputs = {"arg0": ints(ra, 2 * cols), "arg1": ints(rb, 2 * cols), "arg2": ints(ro, cols)}
    a, b = inputs["arg0"], inputs["arg1"]
    x, y = a[oa:oa + 2 * rows:2, 0::2], a[oa:oa + 2 * rows:2, 1::2]
    z, w = b[0:sb * (rows - 1) + 1:sb, 0::2], b[0:sb * (rows - 1) + 1:sb, 1::2]
    want = inputs["arg2"].copy()
    with np.errstate(over="ignore"):
        want[oo:oo + rows] = OPS[op1](OPS[op1](x, w), OPS[op2](z, y))
    for vlen in (128, 256, 512):
        result = simulate(source.read(path), "k", inputs, target="rvv", vlen=vlen,
                          count_instructions=False)
        np.testing.assert_array_equal(result.outputs["arg2"], want, err_msg=f"VLEN {vlen}")
