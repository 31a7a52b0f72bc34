"""Data-parallel loops become RVV code: read the disassembly of the rv64gcv object."""

from __future__ import annotations

import pytest
from sw_suite import EXAMPLES, require

from sw_dialects.disasm import disassemble, mnemonics
from unified.sw_flow import compile_sw

# kernel -> instructions its loop must use (a vector configuration, vector memory, vector math);
# "a|b" accepts either (LLVM picks vfmacc or vfmadd by register allocation)
EXPECTED = {
    "vadd_i32": {"vsetivli", "vle32.v", "vadd.vv", "vse32.v"},
    "matmul_f32": {"vsetivli", "vle32.v", "vfmacc.vf", "vse32.v"},
    "matmul_i32": {"vsetivli", "vle32.v", "vmacc.vx", "vse32.v"},
    "conv2d_f32": {"vsetivli", "vle32.v", "vfmacc.vf|vfmadd.vf", "vse32.v"},
    "dense_f64": {"vsetivli", "vle64.v", "vfmacc.vf", "vse64.v"},
    "stencil_f32": {"vsetivli", "vle32.v", "vfadd.vv", "vfmul.vf", "vse32.v"},
    "relu_f32": {"vsetivli", "vle32.v", "vfmax.vv", "vse32.v"},
    "maxpool_f32": {"vsetvli", "vlseg2e32.v", "vfmax.vv", "vse32.v"},
    "sum_i32": {"vle32.v", "vadd.vv", "vredsum.vs"},
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_rvv_instructions(name: str) -> None:
    require("riscv64-objdump")
    path = EXAMPLES / f"{name}.mlir"
    art = compile_sw(path.read_text(), functions=[name], target="rvv", path=str(path))
    used = mnemonics(art.objects["rvv"], name)
    missing = [want for want in EXPECTED[name] if not set(want.split("|")) & used]
    assert not missing, f"missing {missing}; has {sorted(used)}"


def test_scalar_target_has_no_vector_code() -> None:
    require("riscv64-objdump")
    path = EXAMPLES / "matmul_f32.mlir"
    art = compile_sw(path.read_text(), target="rv64gc", path=str(path))
    used = mnemonics(art.objects["rv64gc"], "matmul_f32")
    assert "fmadd.s" in used and not any(m.startswith("v") for m in used), sorted(used)


def test_wider_vlen_uses_more_lanes() -> None:
    """Lanes follow VLEN: 16 x i32 (LMUL 4) at VLEN=128, 32 x i32 (still LMUL 4) at VLEN=256."""
    require("riscv64-objdump")
    path = EXAMPLES / "vadd_i32.mlir"
    text = path.read_text()
    narrow = disassemble(compile_sw(text, vlen=128, path=str(path)).objects["rvv"])["vadd_i32"]
    wide = disassemble(compile_sw(text, vlen=256, path=str(path)).objects["rvv"])["vadd_i32"]
    assert "vsetivli\tzero,16,e32,m4,ta,ma" in narrow, narrow
    assert any(i.startswith("vsetvli") and i.endswith("e32,m4,ta,ma") for i in wide), wide
    assert "li\ta0,-32" in wide and "li\ta0,-16" in narrow  # the vector loop's step
