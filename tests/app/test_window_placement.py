"""A kernel whose scratchpads, laid out as the shell aligns them, overflow the accelerator's
window stays in software with that reason, although the IR's unaligned estimate fits."""

from __future__ import annotations

import json
from pathlib import Path

# 0x40 of registers, then a 16-byte, a 256-byte and a 16-byte scratchpad: 352 bytes
# unaligned (fits 0x200), but the 256-byte one starts at 0x100 and the last ends at 0x210
APP = """
module attributes {unified.platform = {window = 512 : i64}} {
  func.func @copy3(%a: memref<4xi32>, %b: memref<64xi32>, %c: memref<4xi32>) {
    affine.for %i = 0 to 4 {
      %x = affine.load %a[%i] : memref<4xi32>
      %y = affine.load %b[%i] : memref<64xi32>
      %s = arith.addi %x, %y : i32
      affine.store %s, %c[%i] : memref<4xi32>
    }
    return
  }
}
"""


def test_a_kernel_over_the_window_as_laid_out_stays_in_software(run_script, tmp_out: Path):
    app = tmp_out / "window.mlir"
    app.write_text(APP)
    out = tmp_out / "build"
    proc = run_script("unified", "compile", app, "-o", out, "--no-sim", "--partition", "hw",
                      "-O", "0")
    assert proc.returncode == 0, proc.stderr
    kernel = json.loads((out / "report.json").read_text())["kernels"]["copy3"]
    assert kernel["target"] == "sw"
    assert "it needs 0x210 bytes of MMIO space for its scratchpads as laid out" in \
        kernel["reason"], kernel["reason"]
