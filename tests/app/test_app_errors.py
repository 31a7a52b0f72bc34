"""Bad unified modules and bad inputs: one located line on stderr, exit 1, no output folder."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
INPUTS = Path(__file__).parent / "inputs"
CNN = ROOT / "tests" / "cosim" / "inputs" / "cnn.mlir"

# (input file, extra args, the expected stderr after `FILE:`)
CASES = {
    "unknown-entry": (CNN, ["--entry", "classify"],
                      (r"5:1: error: the entry function @classify is not defined in this module — "
                      r"pass --entry with one of: @conv2d, @relu, @maxpool, @dense, @scale, @main")),
    "undefined-call": (INPUTS / "undefined_call.mlir", [],
                       (r"3:5: error: call to the undefined function @missing — define func\.func "
                       r"@missing in this module or fix the name")),
    "forced-hw-float": (INPUTS / "float_forced_hw.mlir", [],
                        (r"2:3: error: @halve is forced to hardware \(unified\.target = \"hw\"\) but "
                        r"it uses floating point the hardware units do not cover \(affine\.load at "
                        r".*float_forced_hw\.mlir:5:12; f32 add, sub, mul, div, compare, max/min "
                        r"and i8-i32 conversions are covered\) — set unified\.target = \"sw\" "
                        r"or \"auto\", or rewrite the kernel in integer arithmetic")),
    "implements-ports": (INPUTS / "implements_ports.mlir", [],
                         (r"4:3: error: the ports of hw\.module @double_core do not fit @double: "
                         r"no output port 'ext_mem1_addr0' \(i2\) — give it the ports a generated "
                         r"core has: .*")),
    "unknown-platform-key": (INPUTS / "unknown_platform_key.mlir", [],
                             (r"1:1: error: unknown unified\.platform entry 'fpga_family' — known "
                             r"entries: bus_width, .*")),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_compile_error_is_one_located_line(run_script, tmp_out: Path, case: str) -> None:
    path, extra, expected = CASES[case]
    out = tmp_out / "build"
    proc = run_script("unified", "compile", path, "-o", out, *extra)
    assert proc.returncode == 1, proc.stderr
    assert re.fullmatch(re.escape(str(path)) + ":" + expected + r"\n", proc.stderr), proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()
    assert [p.name for p in tmp_out.iterdir()] == []  # no temporary sibling left behind


def _cnn_inputs() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(1)
    return {"arg0": rng.integers(-8, 8, (8, 8)).astype(np.int32),
            "arg1": rng.integers(-2, 3, (3, 3)).astype(np.int32),
            "arg2": rng.integers(-2, 3, (4, 3, 3)).astype(np.int32),
            "arg3": np.zeros(4, np.float32)}


@pytest.mark.parametrize("case", ["missing", "wrong-shape"])
def test_sim_input_error_is_one_located_line(run_script, tmp_out: Path, case: str) -> None:
    inputs = _cnn_inputs()
    if case == "missing":
        del inputs["arg2"]
        expected = (r"95:3: error: input 'arg2' of @main is missing — add arg2 \(a int32 array of "
                    r"shape \(4, 3, 3\)\) to the inputs \.npz")
    else:
        inputs["arg0"] = inputs["arg0"][:6]
        expected = (r"95:3: error: input 'arg0' of @main has shape \(6, 8\), the argument needs "
                    r"\(8, 8\) — give arg0 as a int32 array of shape \(8, 8\)")
    npz = tmp_out / "in.npz"
    np.savez(npz, **inputs)
    result = tmp_out / "result.npz"
    proc = run_script("unified", "sim", CNN, "--func", "main", "--target", "sw",
                      "--inputs", npz, "--outputs", result)
    assert proc.returncode == 1, proc.stderr
    assert re.fullmatch(re.escape(str(CNN)) + ":" + expected + r"\n", proc.stderr), proc.stderr
    assert not result.exists()
