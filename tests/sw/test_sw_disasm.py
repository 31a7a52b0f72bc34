"""Data-parallel loops become RVV code: read the disassembly of the rv64gcv object."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sw_suite import EXAMPLES

from sw_dialects.disasm import disassemble, mnemonics
from unified.sw_flow import compile_sw

# kernel -> instructions its loop must use (a vector configuration, vector memory, vector math);
# "a|b" accepts either (LLVM picks vfmacc or vfmadd by register allocation)
EXPECTED = {
    "vadd_i32": {"vsetivli|vsetvli", "vle32.v", "vadd.vv", "vse32.v"},
    "matmul_f32": {"vsetivli|vsetvli", "vle32.v", "vfmacc.vf|vfmadd.vf", "vse32.v"},
    "matmul_i32": {"vsetivli|vsetvli", "vle32.v", "vmacc.vx|vmadd.vx", "vse32.v"},
    "conv2d_f32": {"vsetivli|vsetvli", "vle32.v", "vfmacc.vf|vfmadd.vf", "vse32.v"},
    "dense_f64": {"vsetivli|vsetvli", "vle64.v", "vfmacc.vf|vfmadd.vf", "vse64.v"},
    "stencil_f32": {"vsetivli|vsetvli", "vle32.v", "vfadd.vv", "vfmul.vf", "vse32.v"},
    "relu_f32": {"vsetivli|vsetvli", "vle32.v", "vfmax.vv", "vse32.v"},
    "maxpool_f32": {"vsetvli|vsetivli", "vlseg2e32.v|vlse32.v", "vfmax.vv", "vse32.v"},
    "absdiff_i16": {"vsetivli|vsetvli", "vle16.v", "vsub.vv", "vse16.v"},
    "sum_i32": {"vle32.v", "vadd.vv", "vredsum.vs"},
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_rvv_instructions(name: str, require_tool: Callable[[str], str]) -> None:
    require_tool("riscv64-objdump")
    path = EXAMPLES / f"{name}.mlir"
    art = compile_sw(path.read_text(), functions=[name], target="rvv", path=str(path))
    used = mnemonics(art.objects["rvv"], name)
    missing = [want for want in EXPECTED[name] if not set(want.split("|")) & used]
    assert not missing, f"missing {missing}; has {sorted(used)}"


def test_scalar_target_has_no_vector_code(require_tool: Callable[[str], str]) -> None:
    require_tool("riscv64-objdump")
    path = EXAMPLES / "matmul_f32.mlir"
    art = compile_sw(path.read_text(), target="rv64gc", path=str(path))
    used = mnemonics(art.objects["rv64gc"], "matmul_f32")
    assert "fmadd.s" in used and not any(m.startswith("v") for m in used), sorted(used)


def test_wider_vlen_uses_more_lanes(require_tool: Callable[[str], str]) -> None:
    """Lanes follow VLEN: 32 x i32 at VLEN=128 and 64 x i32 at VLEN=256, both in LMUL 8."""
    require_tool("riscv64-objdump")
    path = EXAMPLES / "vadd_i32.mlir"
    text = path.read_text()
    for vlen, lanes in ((128, 32), (256, 64)):
        vector_ir = compile_sw(text, vlen=vlen, stop_after="vector").ir["vector"]
        assert f"vector<{lanes}xi32>" in vector_ir
        code = disassemble(compile_sw(text, vlen=vlen).objects["rvv"])["vadd_i32"]
        assert any(i.startswith("vset") and i.endswith("e32,m8,ta,ma") for i in code), code
