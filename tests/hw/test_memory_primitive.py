"""The memory primitive is inferred as RAM by Yosys (LUT-RAM, block RAM read on the falling
edge, registers below the threshold), lints clean, and is what scratch buffers and shell
scratchpads are built from: block RAMs keep every cycle count of asynchronous reads."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from hw_dialects.memory_primitive import BLOCK_FROM_BITS, REGISTER_BELOW, Ram
from unified.core import tools

KERNELS = Path(__file__).resolve().parents[2] / "examples" / "kernels"


def _cells(ram: Ram, target: str, tmp_path: Path) -> dict[str, int]:
    """Yosys `synth_<target>` cell counts of `ram` alone (I/O buffers left out)."""
    (tmp_path / ram.file_name).write_text(ram.verilog())
    script = f"read_verilog {ram.file_name}; synth_{target} -top {ram.name}; " \
        "tee -q -o cells.json stat -json"
    tools.run("yosys", ["-q", "-p", script], cwd=tmp_path)
    cells = json.loads((tmp_path / "cells.json").read_text())["design"]["num_cells_by_type"]
    return {c: n for c, n in cells.items() if "BUF" not in c}


@pytest.mark.parametrize(("ram", "target", "want"), [
    (Ram(32, 8), "xilinx", {"RAM32M": 6}),  # 8 x 32, async: distributed RAM, 6 bits each
    # the falling-edge read: Yosys 0.23 inverts the clock in a LUT (Vivado folds it into the
    # RAMB18's IS_CLKARDCLK_INVERTED)
    (Ram(16, 512, block=True), "xilinx", {"RAMB18E1": 1, "INV": 1}),
    (Ram(32, 8), "ecp5", {"TRELLIS_DPR16X4": 8}),  # 16 x 4 bits each
])
def test_yosys_infers_a_ram(ram: Ram, target: str, want: dict[str, int], tmp_path: Path,
                            require_tool: Callable[[str], str]) -> None:
    require_tool("yosys")
    assert _cells(ram, target, tmp_path) == want


def test_block_ram_is_a_dp16kd_on_ecp5(tmp_path: Path,
                                               require_tool: Callable[[str], str]) -> None:
    require_tool("yosys")
    assert _cells(Ram(16, 512, block=True), "ecp5", tmp_path).get("DP16KD") == 1


def test_below_the_threshold_it_is_registers(tmp_path: Path,
                                             require_tool: Callable[[str], str]) -> None:
    require_tool("yosys")
    cells = _cells(Ram(32, REGISTER_BELOW - 1), "xilinx", tmp_path)
    assert cells == {"FDRE": 32 * (REGISTER_BELOW - 1)}


@pytest.mark.parametrize("ram", [Ram(32, 36, read_ports=2), Ram(8, 1), Ram(16, 5, block=True)])
def test_lints_clean_with_wall(ram: Ram, tmp_path: Path,
                               require_tool: Callable[[str], str]) -> None:
    require_tool("verilator")
    (tmp_path / ram.file_name).write_text(ram.verilog())
    proc = tools.run("verilator", ["--lint-only", "-Wall", ram.file_name], cwd=tmp_path,
                     check=False)
    assert proc.returncode == 0 and "%Warning" not in proc.stderr, proc.stderr


def test_size_chooses_the_kind() -> None:
    """Block RAM from BLOCK_FROM_BITS bits on, LUT-RAM below."""
    assert Ram.sized(32, BLOCK_FROM_BITS // 32).block
    assert not Ram.sized(32, BLOCK_FROM_BITS // 32 - 1).block
    assert Ram.sized(8, BLOCK_FROM_BITS // 8).block and not Ram.sized(8, 8).block


def test_scratch_buffer_is_block_ram(require_tool: Callable[[str], str]) -> None:
    """scratch.mlir's allocated 8 x i32 buffer (256 bits): the primitive's block RAM file is
    among the core's files and synth_xilinx counts a RAMB18 and no LUT-RAM for it."""
    require_tool("yosys")
    from calyx_flow import synth
    from unified.core import source
    from unified.kernel_cache import compile_cached

    src = source.read(KERNELS / "scratch.mlir")
    art = compile_cached(src.text, "scratch", path=src.path)
    assert Ram(32, 8, block=True).file_name in art.sv_files
    area = synth.area(art)
    assert area["bram18"] == 1 and area["lutram"] == 0 and area["latches"] == 0


COPY = """
func.func @copy(%a: memref<4x4xi32>, %b: memref<16xi32>) {
  affine.for %i = 0 to 4 {
    affine.for %j = 0 to 4 {
      %v = affine.load %a[%i, %j] : memref<4x4xi32>
      affine.store %v, %b[%i * 4 + %j] : memref<16xi32>
    }
  }
  return
}
"""


def _run_through_the_shell(tmp_path: Path, text: str, func: str, args: list, opt_level=0):
    """Compiles @func of `text`, builds its shell (checked lint clean), runs it once through
    the generated host class on a Verilator model; returns (shell, the arguments after)."""
    import sys

    from glue.cosim_bus import CosimBus
    from glue.host_py import emit_host
    from hw_dialects.shell import build_shell, lint
    from unified.core import source
    from unified.core.platform import Platform
    from unified.kernel_cache import compile_cached

    path = tmp_path / f"{func}.mlir"
    path.write_text(text)
    src = source.read(path)
    shell = build_shell([compile_cached(src.text, func, opt_level=opt_level, path=str(path))],
                        Platform())
    warnings = lint(shell)
    assert "%Warning" not in warnings and "%Error" not in warnings, warnings
    for name, body in emit_host(f"{func}_app", shell.register_map, [src.function(func)]).items():
        (tmp_path / name).write_text(body)
    sys.path.insert(0, str(tmp_path))
    try:
        host = __import__(f"{func}_app_host")
    finally:
        sys.path.remove(str(tmp_path))
    bus = CosimBus(shell)
    try:
        return shell, host.accelerators(bus)[func](*args)
    finally:
        bus.close()


def test_two_scratchpads_share_one_ram_and_run_exactly(tmp_path: Path,
                                                       require_tool: Callable[[str], str]) -> None:
    """A 4x4 and a 16-word scratchpad are two shell modules around one 16 x 32 RAM: the shell
    lints clean and the generated host class moves the words in and out through the bus."""
    require_tool("verilator")
    a = np.arange(16, dtype=np.int32).reshape(4, 4) * -7 + 3
    shell, (a_out, b_out) = _run_through_the_shell(tmp_path, COPY, "copy",
                                                   [a, np.zeros(16, np.int32)])
    assert sorted(n for n in shell.sv_files if n.startswith(("scratchpad_", "unified_ram_"))) \
        == ["scratchpad_16xi32_a4_l0.sv", "scratchpad_4x4xi32_a2_2_l0.sv",
            Ram(32, 16, block=True).file_name]
    np.testing.assert_array_equal(a_out, a)
    np.testing.assert_array_equal(b_out, a.reshape(-1))


def test_banked_matmul_runs_exactly_through_the_shell(tmp_path: Path,
                                                      require_tool: Callable[[str], str]) -> None:
    """matmul at -O3 with 4 banks: A's banks are 4x1 (a dimension of size 1, whose address
    the scratchpad ORs in), B's 1x4; the product through the bus is numpy's."""
    require_tool("verilator")
    from hls.opt_pipeline import HlsOptions

    rng = np.random.default_rng(14)
    a, b = (rng.integers(-500, 500, (4, 4)).astype(np.int32) for _ in range(2))
    shell, outs = _run_through_the_shell(tmp_path, (KERNELS / "matmul.mlir").read_text(),
                                         "matmul", [a, b, np.zeros((4, 4), np.int32)],
                                         HlsOptions(3, unroll=4, banks=4))
    assert "scratchpad_4x1xi32_a2_1_l0.sv" in shell.sv_files
    np.testing.assert_array_equal(outs[2], a @ b)
