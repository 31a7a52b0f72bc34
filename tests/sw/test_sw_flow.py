"""The software flow's interface: levels, dumps, files, header, CLI and errors."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from sw_suite import EXAMPLES

from unified.core import tools
from unified.core.errors import UnifiedError
from unified.sw_flow import compile_sw, write_sw

INPUTS = Path(__file__).parent / "inputs"


def test_levels_and_dump_dir(tmp_path: Path) -> None:
    text = (EXAMPLES / "saxpy_f32.mlir").read_text()
    art = compile_sw(text, stop_after="vector", dump_dir=tmp_path, module="saxpy")
    assert "vector<32xf32>" in art.ir["vector"] and not art.objects and not art.llvm_ir
    assert sorted(p.name for p in tmp_path.iterdir()) == ["saxpy.affine.mlir", "saxpy.vector.mlir"]
    llvm = compile_sw(art.ir["vector"], start_at="vector", stop_after="llvm").ir["llvm"]
    assert "llvm.func @_mlir_ciface_saxpy_f32" in llvm and "vector.transfer_read" not in llvm
    whole = compile_sw(llvm, start_at="llvm", stop_after="object")
    assert whole.objects["rvv"][:4] == b"\x7fELF" and "define void @saxpy_f32(" in whole.llvm_ir


def test_selects_kernels_and_callees_drops_hardware() -> None:
    art = compile_sw((INPUTS / "mixed.mlir").read_text(), functions=["double"], target="host")
    assert [f.name for f in art.functions] == ["helper", "double"]
    assert "define void @double(" in art.llvm_ir and "@other" not in art.llvm_ir
    assert "_mlir_ciface_double(struct MemRef_f32_1d *arg0);" in art.header
    assert "float _mlir_ciface_helper(float arg0);" in art.header


def test_write_sw_and_header_compiles(tmp_path: Path, require_tool: Callable[[str], str]) -> None:
    require_tool("riscv64-gcc")
    art = compile_sw((EXAMPLES / "matmul_f32.mlir").read_text(), module="mm")
    files = write_sw(art, tmp_path / "sw")
    assert sorted(p.name for p in files) == ["mm.h", "mm.ll", "mm.rvv.o"]
    header = (tmp_path / "sw" / "mm.h").read_text()
    assert "struct MemRef_f32_2d {" in header
    assert ("void matmul_f32(\n  float *arg0_allocated, float *arg0_aligned, int64_t arg0_offset, "
            "int64_t arg0_size0, int64_t arg0_size1, int64_t arg0_stride0, int64_t arg0_stride1,\n"
            ) in header
    assert "void _mlir_ciface_matmul_f32(\n  struct MemRef_f32_2d *arg0,\n" in header
    # a C user of the header links against the object: both conventions resolve
    user = tmp_path / "user.c"
    user.write_text('#include "mm.h"\nstatic float a[256], b[256], c[256];\nint main(void) {\n'
                    "  struct MemRef_f32_2d A = {a, a, 0, {16, 16}, {16, 1}}, B = A, C = A;\n"
                    "  B.allocated = B.aligned = b; C.allocated = C.aligned = c;\n"
                    "  _mlir_ciface_matmul_f32(&A, &B, &C);\n"
                    "  matmul_f32(a, a, 0, 16, 16, 16, 1, b, b, 0, 16, 16, 16, 1, c, c, 0, 16, 16, 16, 1);\n"
                    "  return 0;\n}\n")
    tools.run("riscv64-gcc", ["-Wall", "-Werror", "-static", f"-I{tmp_path / 'sw'}", str(user),
                              str(tmp_path / "sw" / "mm.rvv.o"), "-o", str(tmp_path / "user")])
    elf = (tmp_path / "user").read_bytes()
    assert elf[:4] == b"\x7fELF" and elf[18] == 243  # EM_RISCV


def test_cli_sim_rvv_counts_kernel_instructions(tmp_path: Path, require_tool: Callable[[str], str],
                                                run_script: Callable[..., subprocess.CompletedProcess[str]]
                                                ) -> None:
    """`unified sim --target rvv`: outputs equal numpy; the count excludes program start-up."""
    require_tool("riscv64-gcc")
    require_tool("qemu-riscv64")
    rng = np.random.default_rng(3)
    a, b = (rng.integers(-9, 9, 100).astype(np.int32) for _ in range(2))
    np.savez(tmp_path / "in.npz", arg0=a, arg1=b, arg2=np.zeros(100, np.int32))
    proc = run_script("unified", "sim", EXAMPLES / "vadd_i32.mlir", "--func", "vadd_i32",
                      "--target", "rvv", "--inputs", tmp_path / "in.npz", "--outputs",
                      tmp_path / "out.npz", "--report", tmp_path / "r.json")
    assert proc.returncode == 0, proc.stderr
    np.testing.assert_array_equal(np.load(tmp_path / "out.npz")["arg2"], a + b)
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["target"] == "rvv" and report["vlen"] == 128
    # 3 whole 32-lane vectors and one masked tail: a few dozen instructions, where start-up
    # alone (libc, reading the inputs) runs tens of thousands.
    assert 10 < report["instructions"] < 100, report


def test_two_results_compile_but_do_not_simulate() -> None:
    """C cannot receive two results: the header says so, and simulating it is a located error."""
    from unified.core import source
    from unified.sw_run import simulate

    path = INPUTS / "two_results.mlir"
    art = compile_sw(path.read_text(), path=str(path), target="host")
    assert "// @pair is compiled but not declared here: @pair returns i32, i32;" in art.header
    assert "_mlir_ciface_pair(" not in art.header
    with pytest.raises(UnifiedError) as info:
        simulate(source.read(path), "pair", {"arg0": np.zeros(4, np.int32)}, target="sw")
    assert re.fullmatch(r".*two_results\.mlir:2:1: error: @pair returns i32, i32; software kernels "
                        r"return nothing or one scalar — write results into a memref argument "
                        r"instead", info.value.render())


def test_unknown_function_is_an_error(run_script: Callable[..., subprocess.CompletedProcess[str]]
                                      ) -> None:
    proc = run_script("unified", "sim", EXAMPLES / "vadd_i32.mlir", "--func", "nope", "--target", "sw")
    assert proc.returncode == 1
    assert re.fullmatch(r".*vadd_i32\.mlir:1:1: error: no function @nope in this module — functions "
                        r"here: @vadd_i32\n", proc.stderr)


@pytest.mark.parametrize("target", ["sw", "rvv"])
def test_entry_main_runs_beside_the_harness_main(target: str, require_tool: Callable[[str], str]
                                                 ) -> None:
    require_tool("cc" if target == "sw" else "qemu-riscv64")
    from unified.core import source
    from unified.sw_run import simulate

    src = source.read(INPUTS / "with_main.mlir")
    result = simulate(src, "main", {"arg0": np.arange(8, dtype=np.int32)}, target=target,
                      count_instructions=False)
    np.testing.assert_array_equal(result.outputs["arg0"], 4 * np.arange(8))
