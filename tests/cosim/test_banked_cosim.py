"""A banked kernel behind the shell: the C driver copies each element into its bank and back."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from cosim_cases import AXPY, need

from hls.opt_pipeline import HlsOptions
from unified import cosim
from unified.core import sim_io, source


def test_axpy_banked_by_two_through_the_shell():
    """axpy_twice at -O2 --banks 2: every memref is two scratchpads; the run is exact and
    the driver moves as many words as without banks."""
    need("verilator", "cc", "objcopy")
    src = source.read(AXPY)
    a, x, y = np.int32(-3), np.arange(8, dtype=np.int32) - 4, np.arange(8, dtype=np.int32) * 5
    inputs = sim_io.check_inputs(src.function("main"), {"arg0": np.array(a), "arg1": x,
                                                        "arg2": y}, src.path)
    result = cosim.simulate(src, "main", inputs, opt_level=HlsOptions(2, banks=2))
    y1 = a * x + y
    np.testing.assert_array_equal(result.outputs["arg2"], a * (y1 * y1) + y1)
    np.testing.assert_array_equal(result.outputs["arg1"], x)
    report = result.report
    axpy = next(m for m in report["register_map"]["accels"] if m["kernel"] == "axpy")
    assert [(p["arg_index"], p["bank"], p["banks"], list(p["shape"])) for p in axpy["scratchpads"]] == [
        (1, 0, 2, [4]), (1, 1, 2, [4]), (2, 0, 2, [4]), (2, 1, 2, [4])]
    assert report["bus_writes"] == 2 * (16 + 1 + 1) + (16 + 1)


def test_banked_shell_lints_clean_and_the_map_says_banks():
    """The shell of a banked core: one scratchpad per bank, Verilator lint clean, and the
    register map table names each bank and what it holds."""
    need("verilator")
    from hw_dialects.shell import build_shell, lint
    from unified.core.platform import Platform
    from unified.kernel_cache import compile_cached

    src = source.read(AXPY)
    art = compile_cached(src.text, "axpy", opt_level=HlsOptions(2, banks=2), path=src.path)
    shell = build_shell([art], Platform())
    warnings = lint(shell)
    assert "%Warning" not in warnings and "%Error" not in warnings, warnings
    table = shell.register_map.to_markdown()
    assert ("| 0x050 | MEM1_B1 | rw | bank 1 of 2 of memref<8xi32>: the elements whose index "
            "along dimension 0 is 1 mod 2, 4 words (0x10 bytes reserved) |") in table


def test_python_host_class_drives_a_banked_core(tmp_path):
    """The generated <app>_host.py writes each element into its bank and joins them back."""
    need("verilator")
    import sys

    from glue.cosim_bus import CosimBus
    from glue.host_py import emit_host
    from hw_dialects.shell import build_shell
    from unified.core.platform import Platform
    from unified.kernel_cache import compile_cached

    src = source.read(AXPY)
    fn = src.function("axpy")
    art = compile_cached(src.text, "axpy", opt_level=HlsOptions(2, banks=2), path=src.path)
    shell = build_shell([art], Platform())
    for name, text in emit_host("axpy_banked", shell.register_map, [fn]).items():
        (tmp_path / name).write_text(text)
    sys.path.insert(0, str(tmp_path))
    try:
        import axpy_banked_host
    finally:
        sys.path.remove(str(tmp_path))
    x, y = np.arange(8, dtype=np.int32) * 7 - 20, np.arange(8, dtype=np.int32) * -3
    bus = CosimBus(shell)
    try:
        x_out, y_out = axpy_banked_host.accelerators(bus)["axpy"](5, x, y)
    finally:
        bus.close()
    np.testing.assert_array_equal(y_out, 5 * x + y)
    np.testing.assert_array_equal(x_out, x)


def test_compile_reports_the_banks(tmp_path, run_script):
    """`unified compile --banks 2`: report.md says which arguments were banked (at -O1 the
    loops are not unrolled, so no bank is a constant and every argument stays whole)."""
    need("verilator", "cc")
    banked = "arg1 in 2 banks along dimension 0; arg2 in 2 banks along dimension 0"
    whole = "arg1, arg2 whole (some access's bank is not a compile-time constant)"
    for level, axpy in (("2", banked), ("1", whole)):
        out = tmp_path / f"O{level}"
        proc = run_script("unified", "compile", AXPY, "-o", out, "-O", level, "--banks", "2",
                          "--no-sim", "-q")
        assert proc.returncode == 0, proc.stderr
        assert f"- @axpy memories: {axpy}\n" in (out / "report.md").read_text()
    header = (tmp_path / "O2" / "driver" / "axpy_twice_accel.h").read_text()
    assert "#define AXPY_TWICE_AXPY_MEM2_B1_ELEMENTS 4u" in header


def test_driver_places_each_element_in_its_bank(tmp_path):
    """The C driver of a 2-D kernel banked along columns (A) and rows (B), compiled with
    -Wall -Wextra -Werror -pedantic, run against a HAL that records every bus write: each
    element lands at its bank's offset, row-major inside the bank, and comes back."""
    need("cc")
    from glue.driver_c import emit_driver
    from glue.register_map import build_register_map
    from unified.core import tools
    from unified.core.platform import Platform
    from unified.kernel_cache import compile_cached

    path = tmp_path / "mm.mlir"
    path.write_text(MATMUL)
    src = source.read(path)
    fn = src.function("matmul")
    art = compile_cached(src.text, "matmul", opt_level=HlsOptions(3, unroll=4, banks=4),
                         path=str(path))
    rmap = build_register_map([art], Platform(mmio_base=0, dma=False))  # word by word
    pads = rmap.accels[0].scratchpads
    assert [(p.arg_index, p.banks, p.bank_dim) for p in pads] == [(0, 4, 1)] * 4 + [
        (1, 4, 0)] * 4 + [(2, 1, 0)]
    for name, text in emit_driver("mm", rmap, [fn]).items():
        (tmp_path / name).write_text(text)
    (tmp_path / "hal.c").write_text(HAL_RECORDER)
    tools.run("cc", ["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-DUNIFIED_MMIO_HAL",
                     "hal.c", "mm_accel.c", "-o", "hal"], cwd=tmp_path)
    written = {}
    for line in tools.run_program(tmp_path / "hal", []).stdout.splitlines():
        offset, value = line.split()
        written[int(offset, 16)] = int(value)
    a = np.arange(16).reshape(4, 4)  # the recorder's arrays: A[i][j] = 4i + j, B = 100 + that
    for p in pads:
        full = (a if p.arg_index == 0 else 100 + a if p.arg_index == 1 else 200 + a)
        assert [written[p.offset + 4 * i] for i in range(p.elements)] == \
            list(full.reshape(-1)[[p.source_index(i) for i in range(p.elements)]]), p.name
        assert list(full[tuple(slice(p.bank, None, p.banks) if d == p.bank_dim else slice(None)
                               for d in range(2))].reshape(-1)) == \
            [int(full.reshape(-1)[p.source_index(i)]) for i in range(p.elements)]


MATMUL = (Path(__file__).resolve().parents[2] / "examples" / "kernels" / "matmul.mlir").read_text()

# A HAL that prints every write inside the accelerator's window, reports done at once and
# reads back what was written (so the copy-back runs the same index expressions).
HAL_RECORDER = r"""
#include <stdint.h>
#include <stdio.h>
#include "mm_accel.h"
static uint32_t words[4096];
uint32_t unified_mmio_read32(uintptr_t addr) {
  return addr == 0 ? MM_CTRL_DONE : words[(addr & 0x3fffu) / 4u];
}
void unified_mmio_write32(uintptr_t addr, uint32_t value) {
  if (addr >= 0x40u) printf("%lx %u\n", (unsigned long)addr, value);
  words[(addr & 0x3fffu) / 4u] = value;
}
int main(void) {
  int32_t a[16], b[16], c[16], back[16];
  for (int i = 0; i < 16; i++) { a[i] = i; b[i] = 100 + i; c[i] = 200 + i; back[i] = a[i]; }
  if (mm_matmul(a, b, c) != 0) return 1;
  for (int i = 0; i < 16; i++) if (a[i] != back[i]) return 2;  /* joined back in place */
  return 0;
}
"""


def test_replicated_argument_through_the_shell():
    """mvt at -O3: A in two copies of 8 banks (rows, columns); the driver writes A into both
    and reads back only copy 0; the run is exact."""
    need("verilator", "cc", "objcopy")
    src = source.read(Path(AXPY).with_name("mvt_app.mlir"))
    rng = np.random.default_rng(11)
    raw = {f"arg{i}": rng.integers(-100, 100, 8).astype(np.int32) for i in range(4)}
    raw["arg4"] = rng.integers(-100, 100, (8, 8)).astype(np.int32)
    inputs = sim_io.check_inputs(src.function("main"), raw, src.path)
    result = cosim.simulate(src, "main", inputs, opt_level=HlsOptions(3))
    a = raw["arg4"]
    np.testing.assert_array_equal(result.outputs["arg0"], raw["arg0"] + a @ raw["arg2"])
    np.testing.assert_array_equal(result.outputs["arg1"], raw["arg1"] + a.T @ raw["arg3"])
    np.testing.assert_array_equal(result.outputs["arg4"], a)
    pads = result.report["register_map"]["accels"][0]["scratchpads"]
    assert sorted({(p["arg_index"], p["copy"], p["bank_dim"]) for p in pads if p["banks"] > 1}) \
        == [(2, 0, 0), (3, 0, 0), (4, 0, 1), (4, 1, 0)]
    assert result.report["bus_writes"] == 4 * 8 + 2 * 64 + 1
    # back: x1 and x2 only (the kernel only loads y1, y2 and A)
    assert result.report["bus_reads"] == 2 * 8 + result.report["poll_reads"]


def test_transfer_estimate_counts_every_copy(tmp_path):
    """The partitioner's bus estimate for mvt at -O3 fills A twice (two copies), as the
    driver does: 4 vectors and A in, one more A, and the 2 vectors it writes out."""
    from unified import compiler

    report = compiler.compile_app(Path(AXPY).with_name("mvt_app.mlir"), tmp_path / "out",
                                  partition="hw", opt_level=HlsOptions(3), simulate=False,
                                  progress=None)
    assert report["kernels"]["mvt"]["transfer_bytes"] == 4 * (4 * 8 + 2 * 64 + 2 * 8)
