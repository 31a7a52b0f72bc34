"""Every kernel of examples/kernels compiled to SystemVerilog, run in Verilator, checked with numpy.

A missing Verilator is a visible skip; everything else must match the reference exactly.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest

from calyx_flow import synth
from unified import simulate
from unified.core import source, tools
from unified.core.errors import SimulationError, ToolNotFound
from unified.kernel_cache import compile_cached

sys.path.insert(0, str(Path(__file__).parent))
from kernel_suite import KERNELS, KERNELS_DIR, Kernel

pytest.importorskip("unified.hw_flow", reason="the hardware compile flow (unified.hw_flow) is absent")


@pytest.fixture(scope="module", autouse=True)
def _verilator() -> None:
    try:
        tools.find("verilator")
    except ToolNotFound as e:
        pytest.skip(f"Verilator is missing: {e.render()}")


def _run(kernel: Kernel, inputs: dict[str, np.ndarray], **kw) -> simulate.SimResult:
    return simulate.run(source.read(kernel.path), kernel.func, inputs, "hw", **kw)


@pytest.mark.parametrize("kernel", KERNELS, ids=lambda k: k.func)
def test_kernel_matches_numpy(kernel: Kernel) -> None:
    rng = np.random.default_rng(zlib.crc32(kernel.func.encode()))
    inputs = kernel.inputs(rng)
    want = kernel.reference({k: v.copy() for k, v in inputs.items()})
    first = _run(kernel, inputs)
    memrefs = {k for k, v in inputs.items() if np.ndim(v) > 0}
    assert set(first.outputs) == memrefs
    for name in sorted(memrefs):
        got = first.outputs[name]
        assert got.dtype == want[name].dtype, name
        np.testing.assert_array_equal(got, want[name], err_msg=f"@{kernel.func} {name}")
    assert first.report["target"] == "hw"
    assert first.report["cycles"] > 0
    # The same kernel again (compiled and built from the cache): same numbers, same cycles.
    second = _run(kernel, inputs)
    assert second.report["cycles"] == first.report["cycles"]
    for name in memrefs:
        np.testing.assert_array_equal(second.outputs[name], first.outputs[name])


def test_cycle_limit_is_a_located_error() -> None:
    kernel = next(k for k in KERNELS if k.func == "matmul")
    inputs = kernel.inputs(np.random.default_rng(1))
    with pytest.raises(SimulationError) as info:
        _run(kernel, inputs, max_cycles=50)
    text = info.value.render()
    assert re.fullmatch(r".*matmul\.mlir:2:1: error: @matmul did not finish within 50 cycles "
                        r"\(done never went high\) — raise --max-cycles .*", text), text


def test_kernel_that_never_finishes_stops_at_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "spin.mlir"
    path.write_text(
        "func.func @spin(%out: memref<1xi32>) {\n"
        "  %c0 = arith.constant 0 : index\n"
        "  %c1 = arith.constant 1 : i32\n"
        "  %init = arith.constant 0 : i32\n"
        "  %r = scf.while (%x = %init) : (i32) -> i32 {\n"
        "    %ok = arith.cmpi sge, %x, %init : i32\n"  # x only ever grows from 0: always true
        "    scf.condition(%ok) %x : i32\n"
        "  } do {\n"
        "  ^bb0(%y: i32):\n"
        "    %n = arith.ori %y, %c1 : i32\n"
        "    scf.yield %n : i32\n"
        "  }\n"
        "  memref.store %r, %out[%c0] : memref<1xi32>\n"
        "  return\n"
        "}\n")
    with pytest.raises(SimulationError, match=r"@spin did not finish within 2000 cycles") as info:
        simulate.run(source.read(path), "spin", {"arg0": np.zeros(1, np.int32)}, "hw",
                     max_cycles=2000)
    assert str(info.value.loc) == f"{path}:1:1"


def test_wrong_input_shape_is_a_located_error() -> None:
    kernel = next(k for k in KERNELS if k.func == "vadd")
    inputs = kernel.inputs(np.random.default_rng(2))
    inputs["arg1"] = np.zeros(7, np.int32)
    with pytest.raises(SimulationError) as info:
        _run(kernel, inputs)
    assert re.fullmatch(r".*vadd\.mlir:1:1: error: input 'arg1' of @vadd has shape \(7,\), the "
                        r"argument needs \(8,\) — give arg1 as a int32 array of shape \(8,\)",
                        info.value.render()), info.value.render()


def test_cli_writes_outputs_report_and_waves(tmp_path: Path) -> None:
    kernel = next(k for k in KERNELS if k.func == "dot")
    inputs = kernel.inputs(np.random.default_rng(3))
    np.savez(tmp_path / "in.npz", **inputs)
    exe = Path(sys.executable).with_name("unified")
    proc = subprocess.run(
        [str(exe), "sim", str(KERNELS_DIR / "dot.mlir"), "--func", "dot", "--target", "hw",
         "--inputs", str(tmp_path / "in.npz"), "--outputs", str(tmp_path / "out.npz"),
         "--report", str(tmp_path / "r.json"), "--vcd", str(tmp_path / "w.vcd"), "-O", "0"],
        check=False, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["target"] == "hw" and report["kernel"] == "dot" and report["cycles"] > 0
    with np.load(tmp_path / "out.npz") as out:
        assert sorted(out.files) == ["arg0", "arg1", "arg2"]
        np.testing.assert_array_equal(out["arg2"], kernel.reference(inputs)["arg2"])
    waves = (tmp_path / "w.vcd").read_text()
    assert "$enddefinitions" in waves and "ext_mem" in waves
    # The traced model counts the same cycles as the untraced one.
    assert _run(kernel, inputs).report["cycles"] == report["cycles"]



@pytest.mark.parametrize("kernel", KERNELS, ids=lambda k: k.func)
def test_kernel_lints_clean(kernel: Kernel) -> None:
    art = compile_cached(kernel.path.read_text(), kernel.func, path=str(kernel.path))
    assert synth.lint(art) == []



def _need_yosys() -> None:
    try:
        tools.find("yosys")
    except ToolNotFound as e:
        pytest.skip(f"Yosys is missing: {e.render()}")


@pytest.mark.parametrize("kernel", KERNELS, ids=lambda k: k.func)
def test_kernel_has_no_latch(kernel: Kernel) -> None:
    _need_yosys()
    art = compile_cached(kernel.path.read_text(), kernel.func, path=str(kernel.path))
    assert synth.latches(art) == 0


# Full synthesis takes Yosys about a minute a kernel (many for a divider): a few representatives.
@pytest.mark.parametrize("func", ["vadd", "relu", "scratch", "matmul"])
def test_kernel_area(func: str) -> None:
    _need_yosys()
    kernel = next(k for k in KERNELS if k.func == func)
    art = compile_cached(kernel.path.read_text(), kernel.func, path=str(kernel.path))
    figures = synth.area(art)
    assert figures["latches"] == 0
    assert figures["luts"] > 0 and figures["ffs"] > 0 and figures["cells"] > figures["luts"] // 4
    assert (figures["dsps"] > 0) == (func in ("matmul", "scratch"))  # the kernels that multiply


def _bench_module():
    spec = importlib.util.spec_from_file_location(
        "hw_latency", Path(__file__).resolve().parents[2] / "bench" / "hw_latency.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["bicg", "gesummv"])
def test_polybench_kernel_matches_numpy(name: str) -> None:
    """The benchmark's own kernels and references stay right (bicg: 2-D; gesummv: scalars)."""
    bench = next(b for b in _bench_module().BENCHES if b.name == name)
    path = Path(__file__).resolve().parents[2] / "examples" / "polybench" / f"{name}.mlir"
    inputs = bench.inputs(np.random.default_rng(5))
    want = bench.reference({k: v.copy() for k, v in inputs.items()})
    result = simulate.run(source.read(path), bench.func, inputs, "hw")
    for arg, value in want.items():
        if np.ndim(value):
            np.testing.assert_array_equal(result.outputs[arg], value, err_msg=f"{name} {arg}")
    assert result.report["cycles"] > 64  # at least one cycle per element of the 8x8 matrix
