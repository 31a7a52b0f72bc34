"""A kernel that traps on the host (an integer division by zero) is a located error, exit 1."""

from __future__ import annotations

import numpy as np

DIV = """func.func @div(%x: memref<4xi32>, %d: i32) {
  affine.for %i = 0 to 4 {
    %v = affine.load %x[%i] : memref<4xi32>
    %q = arith.divsi %v, %d : i32
    affine.store %q, %x[%i] : memref<4xi32>
  }
  return
}
"""


def test_division_by_zero_is_an_error_not_a_crash(tmp_path, run_script):
    kernel = tmp_path / "div.mlir"
    kernel.write_text(DIV)
    for d, want in ((0, None), (2, [0, 0, 1, 1])):
        np.savez(tmp_path / "in.npz", arg0=np.arange(4, dtype=np.int32),
                 arg1=np.array(d, dtype=np.int32))
        proc = run_script("unified", "sim", kernel, "--func", "div", "--target", "sw",
                          "--inputs", tmp_path / "in.npz", "--outputs", tmp_path / "out.npz")
        if want is None:
            assert proc.returncode == 1
            assert f"{kernel}:1:1: error: the kernel stopped on the host with SIGFPE" \
                in proc.stderr
            assert "Traceback" not in proc.stderr
        else:
            assert proc.returncode == 0, proc.stderr
            assert list(np.load(tmp_path / "out.npz")["arg0"]) == want
