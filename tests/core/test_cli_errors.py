"""User mistakes give one `file:line:col: error: what — how to fix` line, exit code 1, no traceback."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import numpy as np
import pytest

# Line 4 misses the `:` before the type; MLIR points at column 25, where `i32` starts.
BAD_SYNTAX = """\
func.func @f(%a: memref<4xi32>) {
  %c0 = arith.constant 0 : index
  %v = memref.load %a[%c0] : memref<4xi32>
  %w = arith.addi %v, %v i32
  return
}
"""

GOOD = """\
func.func @add(%a: i32, %b: i32) -> i32 {
  %s = arith.addi %a, %b : i32
  return %s : i32
}
"""


@pytest.fixture
def bad_file(tmp_out: Path) -> Path:
    path = tmp_out / "bad.mlir"
    path.write_text(BAD_SYNTAX)
    return path


@pytest.fixture
def good_file(tmp_out: Path) -> Path:
    path = tmp_out / "good.mlir"
    path.write_text(GOOD)
    return path


@pytest.mark.parametrize("command", [
    ["unified-opt", "{file}"],
    ["unified-opt", "{file}", "-p", "mlir(builtin.module(canonicalize))"],
    ["unified", "sim", "{file}", "--func", "f", "--target", "sw"],
    ["unified", "sim", "{file}", "--func", "f", "--target", "hw"],
], ids=["unified-opt", "unified-opt-pipeline", "sim-sw", "sim-hw"])
def test_syntax_error_is_one_located_line(run_script, bad_file: Path, command: list[str]) -> None:
    proc = run_script(*[a.format(file=bad_file) for a in command])
    assert proc.returncode == 1, proc.stderr
    assert re.fullmatch(
        re.escape(f"{bad_file}:4:25: error: expected ':' — fix the MLIR syntax at that place") + "\n",
        proc.stderr,
    ), proc.stderr
    assert proc.stdout == ""


def test_unknown_pass_names_the_known_ones(run_script, good_file: Path) -> None:
    proc = run_script("unified-opt", good_file, "-p", "nonexistent")
    assert proc.returncode == 1, proc.stderr
    assert re.fullmatch(
        r"error: unknown pass 'nonexistent': neither ours nor registered in any MLIR build — "
        r"our passes are: [a-z0-9-]+(, [a-z0-9-]+)*; upstream and CIRCT passes are taken by "
        r"their mlir-opt/circt-opt names \(unified-opt --list shows them\), or as "
        r"BUILD\(PIPELINE\) with BUILD one of mlir, circt, pycde\n",
        proc.stderr,
    ), proc.stderr
    assert proc.stdout == ""


def test_unknown_upstream_pass_is_a_user_error(run_script, good_file: Path) -> None:
    proc = run_script("unified-opt", good_file, "-p", "circt(builtin.module(no-such-pass))")
    assert proc.returncode == 1, proc.stderr
    assert re.fullmatch(
        re.escape(f"{good_file}: error: cannot parse pass pipeline 'builtin.module(no-such-pass)': "
                  "'no-such-pass' does not refer to a registered pass or pass pipeline — ")
        + r"spell the pipeline as .*\n",
        proc.stderr,
    ), proc.stderr


def test_missing_input_file(run_script, tmp_out: Path) -> None:
    missing = tmp_out / "nowhere.mlir"
    proc = run_script("unified-opt", missing)
    assert proc.returncode == 1
    assert proc.stderr == (
        f"error: cannot read '{missing}': No such file or directory — check the path\n"
    )


def test_list_shows_every_registered_pass(run_script) -> None:
    from unified.core import passes

    passes._discover()
    proc = run_script("unified-opt", "--list")
    assert proc.returncode == 0, proc.stderr
    ours, upstream = proc.stdout.split("\n\n")
    assert [line.split()[0] for line in ours.splitlines()[1:]] == sorted(passes.REGISTRY)
    listed = {line.split()[0]: line.split("[")[1].rstrip("]")
              for line in upstream.splitlines()[1:]}
    assert listed["lower-affine"] == "mlir"
    assert listed["lower-scf-to-calyx"] == "circt"
    assert listed["cse"] == "mlir, circt" and listed["canonicalize"] == "mlir, circt"


@pytest.mark.parametrize("spec", ["lower-affine", "builtin.module(lower-affine)",
                                  "lower-affine,cse"])
def test_bare_upstream_pass_names_run_in_the_build_that_has_them(run_script, tmp_out: Path,
                                                                 spec: str) -> None:
    loop = tmp_out / "loop.mlir"
    loop.write_text("func.func @f(%m: memref<4xi32>) {\n  affine.for %i = 0 to 4 {\n"
                    "    %v = affine.load %m[%i] : memref<4xi32>\n"
                    "    affine.store %v, %m[%i] : memref<4xi32>\n  }\n  return\n}\n")
    proc = run_script("unified-opt", loop, "-p", spec)
    assert proc.returncode == 0, proc.stderr
    assert "scf.for" in proc.stdout and "affine.for" not in proc.stdout


def test_missing_tool_exits_2_and_names_the_package(run_script, tmp_out: Path) -> None:
    """With only the venv on PATH the riscv64 tools are gone: exit code 2 and the apt command."""
    inputs = tmp_out / "in.npz"
    np.savez(inputs, arg0=np.arange(4, dtype=np.int32), arg1=np.ones(4, dtype=np.int32))
    kernel = tmp_out / "copy.mlir"
    kernel.write_text(COPY_KERNEL)
    env = {"PATH": str(Path(sys.executable).parent), "HOME": os.environ.get("HOME", str(tmp_out))}
    proc = run_script("unified", "sim", kernel, "--func", "copy", "--target", "rvv",
                      "--inputs", inputs, "--outputs", tmp_out / "out.npz", env=env)
    assert proc.returncode == 2, proc.stderr
    assert re.fullmatch(r"error: '[\w.+-]+' is not installed — install it with: "
                        r"apt-get install [\w .+-]+\n", proc.stderr), proc.stderr


COPY_KERNEL = """\
func.func @copy(%a: memref<4xi32>, %b: memref<4xi32>) {
  affine.for %i = 0 to 4 {
    %v = affine.load %a[%i] : memref<4xi32>
    affine.store %v, %b[%i] : memref<4xi32>
  }
  return
}
"""
