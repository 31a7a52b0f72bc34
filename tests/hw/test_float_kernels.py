"""f32 kernels through the hardware flow in Verilator, bit-exact against numpy float32
doing the same operations in the same order; the schedule's cycle count equals
Verilator's."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from calyx_flow.float_units.vectors import reference
from unified import hw_flow
from unified.core import source
from unified.core.errors import VerifyError
from unified.hw_sim import simulate
from unified.kernel_cache import compile_cached

KERNELS = Path(__file__).parent / "inputs" / "f32_kernels.mlir"
RNG = np.random.default_rng(7)
SPECIALS = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-45, -3e-39, 3.4e38],
                    dtype=np.float32)


def _relu(a: np.ndarray) -> list[np.ndarray]:
    with np.errstate(invalid="ignore"):
        return [a, np.where(a > 0, a, np.float32(0)).astype(np.float32)]


def _dot(a: np.ndarray, b: np.ndarray) -> list[np.ndarray]:
    acc = np.float32(0)
    for x, y in zip(a, b):
        acc = np.float32(acc + np.float32(x * y))
    return [a, b, np.array([acc], dtype=np.float32)]


def _gemm(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> list[np.ndarray]:
    out = c.copy()
    for i in range(4):
        for j in range(4):
            for k in range(4):
                out[i, j] = np.float32(out[i, j] + np.float32(a[i, k] * b[k, j]))
    return [a, b, out]


def _mix(a: np.ndarray, n: np.ndarray) -> list[np.ndarray]:
    with np.errstate(all="ignore"):
        m = -(a - n.astype(np.float32))
        s = m * np.float32(0.5)
        r = np.where((s < a) | np.isnan(s) | np.isnan(a), s, m).astype(np.float32)
        wide = np.trunc(r.astype(np.float64))
        fits = (wide >= -2.0**31) & (wide < 2.0**31)
        q = np.where(fits, np.where(fits, wide, 0), -2**31).astype(np.int64).astype(np.int32)
    return [a, n, r, q]


def _ratio(a: np.ndarray, b: np.ndarray) -> list[np.ndarray]:
    with np.errstate(all="ignore"):
        return [a, b, np.maximum(a / b, np.float32(-1.0)).astype(np.float32)]


def _narrow(n: np.ndarray) -> list[np.ndarray]:
    return [n, (n.astype(np.float32) * np.float32(2.5)).astype(np.int16)]


def _convert(u: np.ndarray, w: np.ndarray, b: np.ndarray, f: np.ndarray) -> list[np.ndarray]:
    """The conversions as the units define them (vectors.reference: numpy's casts where the
    value fits, the stated out-of-range results elsewhere)."""
    as_float = [reference(kind, x.view(np.uint32 if x.itemsize == 4 else np.uint64), x)
                for kind, x in (("uitofp", u), ("sitofp64", w))]
    bits = f.view(np.uint32)
    ints = [reference(kind, bits, bits) for kind in ("fptoui", "fptosi64", "fptoui64")]
    return [u, w, b, f, *(x.view(np.float32) for x in as_float), b.view(np.uint8).astype(np.float32),
            ints[0].view(np.int32), ints[1].view(np.int64), ints[2].view(np.int64),
            reference("fptoui", bits, bits).astype(np.uint8).view(np.int8)]


CASES = {
    "relu": (lambda: [np.concatenate([SPECIALS, RNG.standard_normal(8).astype(np.float32)]),
                      np.zeros(16, np.float32)], _relu),
    "dot": (lambda: [RNG.standard_normal(16).astype(np.float32),
                     RNG.standard_normal(16).astype(np.float32), np.zeros(1, np.float32)],
            _dot),
    "gemm": (lambda: [RNG.standard_normal((4, 4)).astype(np.float32),
                      RNG.standard_normal((4, 4)).astype(np.float32),
                      RNG.standard_normal((4, 4)).astype(np.float32)], _gemm),
    "ratio": (lambda: [np.float32([1.0, -3.0, 0.0, 5.0, np.inf, 1e-40, 7.0, -2.5]),
                       np.float32([3.0, 0.5, 0.0, 0.0, -2.0, 3e38, -1e-45, -2.5]),
                       np.zeros(8, np.float32)], _ratio),
    "narrow": (lambda: [np.int8([0, 1, -1, 127, -128, 3, -77, 50]), np.zeros(8, np.int16)],
               _narrow),
    "convert": (lambda: [np.uint32([0, 1, 2**31, 2**32 - 1, 16777217, 0x80000081, 3000000001,
                                    12345]).view(np.int32),
                         np.int64([0, -1, 2**63 - 1, -2**63, 2**53 + 1, -(2**40) - 3,
                                   123456789012345, 7]),
                         np.uint8([0, 1, 127, 128, 255, 200, 3, 9]).view(np.int8),
                         np.float32([0.0, -0.75, 3.9e9, 1.8e19, 2.5, np.nan, 255.9, -1e30]),
                         *(np.zeros(8, np.float32) for _ in range(3)), np.zeros(8, np.int32),
                         np.zeros(8, np.int64), np.zeros(8, np.int64), np.zeros(8, np.int8)],
                _convert),
    "mix": (lambda: [np.concatenate([SPECIALS[:6], np.float32([2.5, -7.25])]),
                     np.int32([3, -1, 0, 2**31 - 1, 5, -2**31, 2, -8]),
                     np.zeros(8, np.float32), np.zeros(8, np.int32)], _mix),
}


def _same(got: np.ndarray, want: np.ndarray) -> bool:
    if got.dtype == np.float32:
        return bool(np.all((got.view(np.uint32) == want.view(np.uint32))
                           | (np.isnan(got) & np.isnan(want))))
    return bool(np.array_equal(got, want))


@pytest.mark.parametrize("opt", [0, 1, 3])
@pytest.mark.parametrize("kernel", sorted(CASES))
def test_float_kernel_bit_exact(kernel: str, opt: int, require_tool) -> None:
    require_tool("verilator")
    art = compile_cached(KERNELS.read_text(), kernel, opt_level=opt, path=str(KERNELS))
    assert any(name.startswith("unified_f32_") for name in art.sv_files)
    assert "comb.divu" not in art.ir["sv"]  # the placeholder dividers are gone
    make, reference = CASES[kernel]
    inputs = make()
    want = reference(*inputs[:reference.__code__.co_argcount])
    result = simulate(source.read(KERNELS), kernel,
                      {f"arg{i}": x for i, x in enumerate(inputs)}, opt_level=opt)
    for arg, expected in enumerate(want):
        got = result.outputs[f"arg{arg}"]
        assert _same(got, expected), f"@{kernel} -O{opt} arg{arg}: {got} != {expected}"
    assert result.report["cycles"] == result.report["estimated_cycles"]


def test_unsupported_float_op_is_located(tmp_path: Path) -> None:
    src = tmp_path / "rem.mlir"
    src.write_text("func.func @k(%a: memref<4xf32>) {\n"
                   "  %x = affine.load %a[0] : memref<4xf32>\n"
                   "  %y = arith.remf %x, %x : f32\n"
                   "  affine.store %y, %a[0] : memref<4xf32>\n  return\n}\n")
    with pytest.raises(VerifyError) as info:
        hw_flow.compile_kernel(src.read_text(), "k", path=str(src))
    assert info.value.render().startswith(f"{src}:3:")
    assert "'arith.remf' cannot be compiled to hardware" in info.value.render()


def test_unified_sim_runs_an_f32_kernel(tmp_path: Path, run_script, require_tool) -> None:
    require_tool("verilator")
    a = RNG.standard_normal(16).astype(np.float32)
    b = RNG.standard_normal(16).astype(np.float32)
    np.savez(tmp_path / "in.npz", arg0=a, arg1=b, arg2=np.zeros(1, np.float32))
    proc = run_script("unified", "sim", KERNELS, "--func", "dot", "--target", "hw",
                      "--inputs", tmp_path / "in.npz", "--outputs", tmp_path / "out.npz",
                      "--report", tmp_path / "r.json")
    assert proc.returncode == 0, proc.stderr
    out = np.load(tmp_path / "out.npz")
    assert _same(out["arg2"], _dot(a, b)[2])
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["cycles"] == report["estimated_cycles"] > 0


ABSF = """
func.func @k(%a: memref<8xf32>) {
  affine.for %i = 0 to 8 {
    %x = affine.load %a[%i] : memref<8xf32>
    %y = math.absf %x : f32
    affine.store %y, %a[%i] : memref<8xf32>
  }
  return
}
"""


def test_absf_is_the_sign_bit_cleared_in_hardware(tmp_path: Path, run_script,
                                                  require_tool) -> None:
    """math.absf, which the CIRCT builds cannot parse, reaches hardware as the sign bit
    cleared (hls-absf-to-bits): -0, -inf, a negative NaN and a negative subnormal included."""
    require_tool("verilator")
    src = tmp_path / "absf.mlir"
    src.write_text(ABSF)
    bits = np.array([0xBFC00000, 0x80000000, 0xFF800000, 0xFFC00001, 0x80000001, 0x3F800000,
                     0x7F7FFFFF, 0x00000000], np.uint32)
    np.savez(tmp_path / "in.npz", arg0=bits.view(np.float32))
    proc = run_script("unified", "sim", src, "--func", "k", "--target", "hw",
                      "--inputs", tmp_path / "in.npz", "--outputs", tmp_path / "out.npz")
    assert proc.returncode == 0, proc.stderr
    out = np.load(tmp_path / "out.npz")["arg0"].view(np.uint32)
    np.testing.assert_array_equal(out, bits & 0x7FFFFFFF)
