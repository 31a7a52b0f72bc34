"""The hardware compile flow (unified.hw_flow): every example kernel to lint-clean SystemVerilog.

Numbers are checked in test_kernels_numeric.py (Verilator against numpy); here: the ports
compile_kernel describes, Verilator's -Wall lint, Yosys without latches, the Verilog-2001
variant through pyverilog, stop-after/dump-dir, and the located errors users see.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Callable
from functools import cache
from math import ceil, log2
from pathlib import Path

import numpy as np
import pytest

from calyx_flow.artifacts import HwArtifacts
from unified.core import tools
from unified.core.errors import VerifyError
from unified.hw_flow import LEVELS, compile_kernel, verilog2001

sys.path.insert(0, str(Path(__file__).parent))
from kernel_suite import KERNELS, KERNELS_DIR, Kernel

# Kernels beyond the numeric suite: conditionals (if-conversion), a call (inlined), a min bound.
EXTRA = [
    Kernel("cond.mlir", "cond",
           lambda r: {"arg0": r.integers(-99, 99, 8).astype("int32"), "arg1": np.array(1000)},
           lambda a: {"arg0": np.abs(a["arg0"]) + np.where(np.arange(8) >= 4, 1000, 0)}),
    Kernel("call.mlir", "call", lambda r: {"arg0": r.integers(-99, 99, 4).astype("int32")},
           lambda a: {"arg0": a["arg0"] * a["arg0"] - 1}),
    Kernel("tiled.mlir", "tiled", lambda r: {"arg0": r.integers(-99, 99, 10).astype("int32")},
           lambda a: {"arg0": 2 * a["arg0"]}),
]



def _bitops(a: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    def wrap(t: int) -> int:
        return (t + 2**31) % 2**32 - 2**31

    rows = []
    for i, v in enumerate(int(x) for x in a["arg0"]):
        u = v & 0xFFFFFFFF
        rows.append([wrap((((v & 3) | -5) ^ v) + (u >> 3)),
                     wrap((v >> 3) + int(u <= 3 and v != -5)),
                     wrap(-((-v) // 3) + v // 3),
                     wrap(u % 3 + i % 3 + i // 2)])
    return {"arg1": np.array(rows, dtype=np.int64).astype("int32")}


EXTRA.append(Kernel("bitops.mlir", "bitops",
                    lambda r: {"arg0": r.integers(-2000, 2000, 8).astype("int32"),
                               "arg1": np.zeros((8, 4), "int32")}, _bitops))

# -Wall less the warnings about style, not about the circuit.
LINT = ["--lint-only", "-Wall", "-Wno-DECLFILENAME", "-Wno-UNUSEDSIGNAL"]


@cache
def compiled(file: str, func: str) -> HwArtifacts:
    path = KERNELS_DIR / file
    return compile_kernel(path.read_text(), func, path=str(path))


def write(files: dict[str, str], folder: Path) -> list[str]:
    for name, text in files.items():
        (folder / name).write_text(text)
    return list(files)


@pytest.mark.parametrize("kernel", KERNELS + EXTRA, ids=lambda k: k.func)
def test_kernel_compiles_to_lint_clean_sv(kernel: Kernel, require_tool: Callable[[str], str],
                                          tmp_path: Path) -> None:
    require_tool("verilator")
    art = compiled(kernel.file, kernel.func)
    names = write(art.sv_files, tmp_path)
    assert names[-1] == f"{art.top}.sv"  # dependencies first, the top last
    proc = tools.run("verilator", [*LINT, "--top-module", art.top, *names], cwd=tmp_path,
                     check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("kernel", KERNELS + EXTRA, ids=lambda k: k.func)
def test_ports_follow_the_signature(kernel: Kernel) -> None:
    art = compiled(kernel.file, kernel.func)
    inputs = kernel.inputs(np.random.default_rng(0))
    memrefs = {k: v for k, v in inputs.items() if v.ndim}
    assert [f"arg{m.arg_index}" for m in art.memories] == list(memrefs)
    for mem in art.memories:
        value = memrefs[f"arg{mem.arg_index}"]
        assert mem.shape == value.shape
        assert mem.data_width == value.dtype.itemsize * 8
        assert mem.addr_widths == tuple(max(1, ceil(log2(d))) for d in mem.shape)
        assert mem.read_latency == 0  # ext_mem: read_data follows the address combinationally
        top = art.sv_files[f"{art.top}.sv"]
        for port in ("read_data", "write_data", "write_en", "done", "addr0"):
            assert re.search(rf"\b{mem.prefix}{port}\b", top), port
    scalars = [k for k, v in inputs.items() if not v.ndim]
    assert [f"arg{s.arg_index}" for s in art.scalars] == scalars
    assert (art.clock, art.reset, art.go, art.done) == ("clk", "reset", "go", "done")


@pytest.mark.parametrize("kernel", EXTRA, ids=lambda k: k.func)
def test_extra_kernels_match_numpy(kernel: Kernel, require_tool: Callable[[str], str]) -> None:
    require_tool("verilator")
    from unified import simulate
    from unified.core import source

    inputs = kernel.inputs(np.random.default_rng(7))
    result = simulate.run(source.read(kernel.path), kernel.func, inputs, "hw")
    for name, expected in kernel.reference(inputs).items():
        np.testing.assert_array_equal(result.outputs[name], expected)
    assert result.report["cycles"] > 0


@pytest.mark.parametrize("kernel", KERNELS + EXTRA, ids=lambda k: k.func)
def test_schedule_estimate_is_the_simulated_count(kernel: Kernel,
                                                  require_tool: Callable[[str], str]) -> None:
    require_tool("verilator")
    from unified import simulate
    from unified.core import source

    art = compiled(kernel.file, kernel.func)
    if kernel.func == "tiled":  # a min() loop bound: no constant trip count, no estimate
        assert art.estimated_cycles is None
        return
    result = simulate.run(source.read(kernel.path), kernel.func,
                          kernel.inputs(np.random.default_rng(3)), "hw")
    assert art.estimated_cycles == result.report["cycles"]


@pytest.mark.parametrize("func", ["matmul", "scratch"])
def test_synthesizes_without_latches(func: str, require_tool: Callable[[str], str]) -> None:
    require_tool("yosys")
    from calyx_flow import synth

    kernel = next(k for k in KERNELS if k.func == func)
    area = synth.area(compiled(kernel.file, kernel.func))
    assert area["latches"] == 0
    assert area["cells"] > 0


@pytest.mark.parametrize("func", ["vadd", "scratch", "mac_i16"])
def test_verilog2001_variant_parses_in_pyverilog(func: str, require_tool: Callable[[str], str],
                                                 tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    require_tool("iverilog")  # pyverilog preprocesses with iverilog
    pytest.importorskip("pyverilog", reason="pyverilog is not installed (pip install pyverilog)")
    from unified.core.verilog_parse import parse_verilog

    kernel = next(k for k in KERNELS if k.func == func)
    files = verilog2001(compiled(kernel.file, kernel.func))
    assert all(name.endswith(".v") for name in files)
    assert not any(re.search(r"\b(typedef|enum|always_comb|always_ff|logic)\b", text)
                   for text in files.values())
    (tmp_path / "v").mkdir()
    names = write(files, tmp_path / "v")
    monkeypatch.chdir(tmp_path)
    ast = parse_verilog([tmp_path / "v" / n for n in names])
    modules = {d.name for d in ast.description.definitions}
    assert {Path(n).stem for n in names} <= modules
    assert [p.name for p in tmp_path.iterdir()] == ["v"]  # no parser tables left in cwd


def test_stop_after_and_dump_dir(tmp_path: Path) -> None:
    text = (KERNELS_DIR / "vadd.mlir").read_text()
    art = compile_kernel(text, "vadd", stop_after="calyx", dump_dir=tmp_path)
    assert list(art.ir) == ["affine", "scf", "calyx"]
    assert art.sv_files == {}
    assert "calyx.component @vadd" in art.ir["calyx"]
    assert "scf.while" in art.ir["scf"] and "affine.for" not in art.ir["scf"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"vadd.{lv}.mlir" for lv in
                                                          ("affine", "calyx", "scf")]
    full = compile_kernel(text, "vadd", dump_dir=tmp_path)
    assert list(full.ir) == list(LEVELS)
    assert (tmp_path / "sv" / "filelist.f").read_text().split() == list(full.sv_files)


FLOAT_KERNEL = """\
func.func @scale(%a: memref<4xi32>) {
  affine.for %i = 0 to 4 {
    %v = affine.load %a[%i] : memref<4xi32>
    %f = arith.sitofp %v : i32 to f64
    %g = arith.mulf %f, %f : f64
    %w = arith.fptosi %g : f64 to i32
    affine.store %w, %a[%i] : memref<4xi32>
  }
  return
}
"""


def test_float_kernel_is_one_located_error() -> None:
    with pytest.raises(VerifyError) as info:
        compile_kernel(FLOAT_KERNEL, "scale", path="k.mlir")
    assert re.fullmatch(
        r"k\.mlir:4:10: error: floating-point operation 'arith\.sitofp' cannot be compiled to "
        r"hardware — use integer or fixed-point arithmetic in hardware kernels, or mark the "
        r"function unified\.target = \"sw\"", info.value.render())


def test_float_argument_is_a_located_error() -> None:
    text = "func.func @f(%a: memref<4xf64>) {\n  return\n}\n"  # f32 is built (float units)
    with pytest.raises(VerifyError) as info:
        compile_kernel(text, "f", path="k.mlir")
    assert re.fullmatch(r"k\.mlir:1:1: error: argument 0 of @f has floating-point type "
                        r"memref<4xf64>, which cannot be compiled to hardware — .*",
                        info.value.render())


def test_kernel_returning_a_value_is_a_located_error() -> None:
    text = "func.func @f(%a: i32) -> i32 {\n  return %a : i32\n}\n"
    with pytest.raises(VerifyError) as info:
        compile_kernel(text, "f", path="k.mlir")
    assert re.fullmatch(r"k\.mlir:1:1: error: the hardware kernel @f returns a value — store "
                        r"its results into a memref argument instead", info.value.render())


def test_unsupported_op_is_a_located_error() -> None:
    text = ("func.func @f(%a: memref<4xi32>, %b: memref<4xi32>) {\n"
            "  memref.copy %a, %b : memref<4xi32> to memref<4xi32>\n  return\n}\n")
    with pytest.raises(VerifyError) as info:
        compile_kernel(text, "f", path="k.mlir")
    assert re.fullmatch(r"k\.mlir:2:3: error: operation 'memref\.copy' is not supported in "
                        r"hardware kernels — rewrite it with .*", info.value.render())


def test_unknown_function_lists_the_ones_there_are() -> None:
    with pytest.raises(VerifyError) as info:
        compile_kernel((KERNELS_DIR / "vadd.mlir").read_text(), "vsub", path="v.mlir")
    assert re.fullmatch(r"v\.mlir: error: no function @vsub in this module — functions here: "
                        r"@vadd", info.value.render())


def test_flow_needs_no_tool_on_path() -> None:
    assert shutil.which  # compile_kernel spawns nothing but our MLIR workers
    art = compiled("dot.mlir", "dot")
    assert set(art.sv_files) == {"control_dot.sv", "dot.sv"}
