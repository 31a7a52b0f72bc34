"""Kernels the fuzzer and CIRCT's test suite found leaking tracebacks or internal dumps: each
now gets one located message that says what to change (exit 1, nothing written)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

INPUTS = Path(__file__).parent / "inputs"

CASES = {
    # file, target, the whole message after "FILE:1:1: error: "
    "si32": ("si32.mlir", "sw", ("argument 0 of @k has the si32 element type; arith works on "
             "signless integers — declare it as i32 (signedness lives in the ops: divsi, divui, "
             "extsi, ...)")),
    "dynamic-shape": ("dyn.mlir", "hw", ("argument 0 of @k is a memref<?xi32> with a dynamic "
                      "size — give every dimension a static size (the shell, the driver and "
                      "the harness size their buffers from it)")),
    "index-memref": ("idx.mlir", "hw", ("argument 0 of @k is a memref<4xindex>: index has no "
                     "fixed width in hardware — store i32 or i64 elements (arith.index_cast "
                     "the index first)")),
    "zero-d-memref": ("zerod.mlir", "hw", ("argument 0 of @k is a memref<i32>: a hardware "
                      "memory needs at least one dimension — declare it as memref<1xi32> and "
                      "index it with [0]")),
    "does-nothing": ("empty.mlir", "hw", ("the hardware kernel @k does nothing: there is no "
                     "hardware to build — give it work, or run it in software "
                     "(unified.target = \"sw\")")),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_one_located_message(run_script, tmp_out: Path, case: str) -> None:
    name, target, message = CASES[case]
    path = INPUTS / name
    inputs = tmp_out / "in.npz"
    arrays = {"idx.mlir": {"arg0": np.zeros(4, np.int64)},
              "zerod.mlir": {"arg0": np.array(7, np.int32), "arg1": np.array(0, np.int32)},
              "empty.mlir": {"arg0": np.zeros(4, np.int32)}}
    np.savez(inputs, **arrays.get(name, {"arg0": np.zeros(4, np.int32),
                                         "arg1": np.zeros(4, np.int32)}))
    out = tmp_out / "out.npz"
    proc = run_script("unified", "sim", path, "--func", "k", "--target", target,
                      "--inputs", inputs, "--outputs", out)
    assert proc.returncode == 1, proc.stderr
    assert re.fullmatch(re.escape(f"{path}:1:1: error: {message}") + "\n", proc.stderr), \
        proc.stderr
    assert not out.exists()


def test_compile_refuses_a_signed_signature_before_writing(run_script, tmp_out: Path) -> None:
    path = INPUTS / "si32.mlir"
    proc = run_script("unified", "compile", path, "-o", tmp_out / "build")
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"{path}:1:1: error: argument 0 of @k has the si32 element")
    assert not (tmp_out / "build").exists()


@pytest.mark.parametrize("level", ["0", "3"])
def test_a_buffer_only_written_still_builds(run_script, tmp_out: Path, require_tool,
                                            level: str) -> None:
    """The inliner's canonicalize used to drop the buffer after its shape was counted, so the
    harness looked for ports the core no longer had (the build stopped in make)."""
    require_tool("verilator")
    inputs, out = tmp_out / "in.npz", tmp_out / "out.npz"
    np.savez(inputs, arg0=np.array(5, np.int32), arg1=np.zeros(1, np.int32))
    proc = run_script("unified", "sim", INPUTS / "write_only_buffer.mlir", "--func", "k",
                      "--target", "hw", "-O", level, "--inputs", inputs, "--outputs", out)
    assert proc.returncode == 0, proc.stderr
    with np.load(out) as got:
        assert got["arg1"].tolist() == [5]


@pytest.mark.parametrize("flags", [["-O", "3"], ["-O", "2"], ["-O", "1", "--unroll", "2"]])
def test_a_loop_with_a_dynamic_bound_stays_rolled(run_script, tmp_out: Path, require_tool,
                                                  flags: list[str]) -> None:
    """Unrolling `0 to %n` needs a remainder bound (a divider, a multiplier) that
    lower-scf-to-calyx put into the loop test's combinational group ("not combinational")."""
    require_tool("verilator")
    inputs, out = tmp_out / "in.npz", tmp_out / "out.npz"
    np.savez(inputs, arg0=np.arange(16, dtype=np.int32), arg1=np.zeros(1, np.int32),
             arg2=np.array(5, np.int64))
    proc = run_script("unified", "sim", INPUTS / "dynamic_bound_sum.mlir", "--func", "k",
                      "--target", "hw", *flags, "--inputs", inputs, "--outputs", out)
    assert proc.returncode == 0, proc.stderr
    with np.load(out) as got:
        assert got["arg1"].tolist() == [0 + 1 + 2 + 3 + 4]
