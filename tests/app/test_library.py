"""A module without @main is a kernel library: every public function is exported alone."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VADD = ROOT / "examples" / "kernels" / "vadd.mlir"


def test_partition_hw_exports_each_core_with_its_area(run_script, tmp_out: Path,
                                                      require_tool) -> None:
    require_tool("yosys")
    out = tmp_out / "lib"
    proc = run_script("unified", "compile", VADD, "--partition", "hw", "-o", out, "--no-sim",
                      "-O", "1")
    assert proc.returncode == 0, proc.stderr
    assert "unified: hardware kernel @vadd (-O1)\n" in proc.stderr  # not "(-O-O1)"
    files = (out / "hw" / "filelist.f").read_text().split()
    assert "vadd.sv" in files and (out / "hw" / "vadd.sv").read_text().count("module vadd") == 1
    report = json.loads((out / "report.json").read_text())
    assert report["entry"] is None
    vadd = report["kernels"]["vadd"]
    assert vadd["target"] == "hw" and vadd["reason"] == "hardware: --partition hw"
    assert vadd["luts"] > 0 and vadd["area_source"] == "yosys"
    assert report["estimated_total_cycles"] > 0
    md = (out / "report.md").read_text()
    assert "A kernel library (no @main: every public function is a kernel, called once)" in md
    assert re.search(r"^Estimated total: [\d,]+ CPU cycles for one call of each kernel", md, re.MULTILINE)
    assert (out / "driver" / "vadd_accel.h").exists()


def test_partition_sw_exports_each_object_and_header(run_script, tmp_out: Path) -> None:
    out = tmp_out / "lib"
    proc = run_script("unified", "compile", VADD, "--partition", "sw", "-o", out, "--no-sim")
    assert proc.returncode == 0, proc.stderr
    assert (out / "sw" / "vadd.rvv.o").read_bytes()[:4] == b"\x7fELF"
    assert "vadd(" in (out / "sw" / "vadd.h").read_text()
    assert not (out / "hw").exists()
    report = json.loads((out / "report.json").read_text())
    assert report["kernels"]["vadd"]["target"] == "sw"
    assert report["estimated_total_cycles"] == report["kernels"]["vadd"]["sw_estimate_cycles"]


def test_a_module_with_nothing_public_says_so(run_script, tmp_out: Path) -> None:
    path = tmp_out / "private.mlir"
    path.write_text("func.func private @k(%a: memref<4xi32>) {\n  return\n}\n")
    proc = run_script("unified", "compile", path, "-o", tmp_out / "out")
    assert proc.returncode == 1
    assert re.fullmatch(rf"{re.escape(str(path))}:1:1: error: the module defines no public "
                        r"function: there is nothing to compile — add a func.func with a body "
                        r"\(or drop `private` from one\)\n", proc.stderr), proc.stderr
    assert not (tmp_out / "out").exists()
