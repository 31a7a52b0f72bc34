"""The shell lints clean and synthesizes without latches; the driver compiles warning-free for
the host and riscv64 and agrees with the register map; bring-your-own RTL is checked."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from cosim_cases import CNN, DOUBLE, need

from glue.driver_c import emit_driver
from glue.register_map import build_register_map
from hw_dialects import check_implements
from hw_dialects.implements import artifacts_for_module
from hw_dialects.shell import build_shell, lint, synthesize
from unified.core import source, tools
from unified.core.kernels import HwModule
from unified.core.platform import Platform

C_FLAGS = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-c"]


@pytest.fixture(scope="module")
def cnn():
    return source.read(CNN)


@pytest.fixture(scope="module")
def two_cores(cnn):
    """The generated relu core and the hand-written double core behind one top."""
    from unified.kernel_cache import compile_cached

    double = source.read(DOUBLE)
    relu = compile_cached(cnn.text, "relu", path=cnn.path)
    byo = artifacts_for_module(double.text, "double_core", double.function("double"))
    return build_shell([relu, byo], Platform())


def test_shell_lints_clean(two_cores):
    need("verilator")
    warnings = lint(two_cores)
    assert "%Warning" not in warnings and "%Error" not in warnings, warnings
    assert two_cores.top == "unified_top"
    assert [a.kernel for a in two_cores.register_map.accels] == ["relu", "double"]


def test_shell_synthesizes_without_latches(two_cores):
    need("yosys")
    report = synthesize(two_cores)
    assert report.latches == 0
    # relu's two 6x6 and double's two 4-element i32 scratchpads are flip-flops, at least
    assert report.flip_flops >= 32 * (36 + 36 + 4 + 4)


@pytest.mark.parametrize("compiler", ["cc", "riscv64-gcc"])
@pytest.mark.parametrize("hal", [False, True])
def test_driver_compiles_warning_free(cnn, tmp_path, compiler, hal):
    need(compiler)
    kernels = [cnn.function(k) for k in ("conv2d", "relu", "maxpool", "dense")]
    from calyx_flow.artifacts import HwArtifacts
    from hw_dialects.implements import core_interface

    arts = [HwArtifacts(fn.name, fn.name, {}, *core_interface(fn)) for fn in kernels]
    files = emit_driver("cnn", build_register_map(arts, Platform()), kernels)
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    extra = ["-DUNIFIED_MMIO_HAL"] if hal else []
    proc = tools.run(compiler, [*C_FLAGS, *extra, "cnn_accel.c", "-o", "cnn_accel.o"],
                     cwd=tmp_path, check=False)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    assert (tmp_path / "cnn_accel.o").stat().st_size > 0


def test_header_offsets_are_the_register_map(cnn, tmp_path):
    """A host program prints the header's macros; they equal the register map's offsets."""
    need("cc")
    from calyx_flow.artifacts import HwArtifacts
    from hw_dialects.implements import core_interface

    fn = cnn.function("dense")
    rmap = build_register_map([HwArtifacts("dense", "dense", {}, *core_interface(fn))],
                              Platform(mmio_base=0x8000_0000))
    for name, text in emit_driver("cnn", rmap, [fn]).items():
        (tmp_path / name).write_text(text)
    (tmp_path / "show.c").write_text(
        '#include <stdio.h>\n#include "cnn_accel.h"\nint main(void) {\n'
        '  printf("%x %x %x %x %u\\n", CNN_DENSE_BASE, CNN_DENSE_MEM0, CNN_DENSE_MEM1,\n'
        '         CNN_DENSE_MEM2, CNN_DENSE_MEM1_ELEMENTS);\n  return 0;\n}\n')
    tools.run("cc", ["-Wall", "-Werror", "show.c", "-o", "show"], cwd=tmp_path)
    out = tools.run_program(tmp_path / "show", []).stdout.split()
    pads = rmap.accels[0].scratchpads
    assert out == [f"{0x8000_0000:x}", *(f"{p.offset:x}" for p in pads), "36"]
    assert [p.offset for p in pads] == [0x40, 0x100, 0x200]  # 9, 36, 4 words, size-aligned


def test_check_implements_lists_every_mismatch():
    double = source.read(DOUBLE)
    fn = double.function("double")
    good = double.info.hw_modules["double_core"]
    assert check_implements(good, fn) == []
    ports = [p for p in good.ports if not p[0].startswith("ext_mem1_")]
    ports = [("ext_mem0_read_data", "in", 16) if p[0] == "ext_mem0_read_data" else p
             for p in ports] + [("debug", "out", 8)]
    bad = HwModule("bad_core", "double", tuple(ports), good.loc)
    assert check_implements(bad, fn) == [
        "port 'ext_mem0_read_data' is input i16; the kernel needs input i32",
        "no output port 'ext_mem1_addr0' (i2)",
        "no output port 'ext_mem1_write_data' (i32)",
        "no output port 'ext_mem1_write_en' (i1)",
        "no input port 'ext_mem1_read_data' (i32)",
        "no input port 'ext_mem1_done' (i1)",
        "port 'debug' is not part of @double's core interface",
    ]


def test_python_host_class_drives_the_model(tmp_path):
    """The generated <app>_host.py runs the hand-written core through real AXI4-Lite."""
    need("verilator")
    from glue.cosim_bus import CosimBus
    from glue.host_py import emit_host

    double = source.read(DOUBLE)
    fn = double.function("double")
    shell = build_shell([artifacts_for_module(double.text, "double_core", fn)], Platform())
    for name, text in emit_host("double_rtl", shell.register_map, [fn]).items():
        (tmp_path / name).write_text(text)
    sys.path.insert(0, str(tmp_path))
    try:
        import double_rtl_host
    finally:
        sys.path.remove(str(tmp_path))
    values = np.array([1, -2, 3, 1 << 20], np.int32)
    bus = CosimBus(shell)
    acc = double_rtl_host.accelerators(bus)["double"]
    src_out, dst_out = acc(values, np.zeros(4, np.int32))
    cycles = acc.cycles()
    counters = bus.close()
    np.testing.assert_array_equal(dst_out, 2 * values)
    np.testing.assert_array_equal(src_out, values)
    assert cycles == counters["kernels"]["double"]["cycles"] == 4  # one element per cycle
    assert counters["writes"] == 4 + 4 + 1
