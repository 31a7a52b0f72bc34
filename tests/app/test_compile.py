"""`unified compile` on the bundled CNN: the files each placement writes and the report."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from unified.core import tools
from unified.core.durations import human

ROOT = Path(__file__).resolve().parents[2]
CNN = ROOT / "tests" / "cosim" / "inputs" / "cnn.mlir"
INT_KERNELS = ["conv2d", "relu", "maxpool", "dense"]
HW_KERNELS = [*INT_KERNELS, "scale"]  # f32 @scale too, through our IEEE-754 units


def _compile(run_script, out: Path, *args: str) -> dict:
    proc = run_script("unified", "compile", CNN, "-o", out, "--no-sim", *args, timeout=900)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return json.loads((out / "report.json").read_text())


def test_partition_sw_writes_software_only(run_script, tmp_out: Path) -> None:
    # the CNN with @relu left to the partitioner: --partition sw then places every kernel
    app = tmp_out / "cnn.mlir"
    app.write_text(CNN.read_text().replace('unified.target = "hw"', 'unified.target = "auto"'))
    out = tmp_out / "build"
    proc = run_script("unified", "compile", app, "-o", out, "--no-sim", "--partition", "sw",
                      timeout=900)
    assert proc.returncode == 0, proc.stderr
    report = json.loads((out / "report.json").read_text())
    assert sorted(p.name for p in out.iterdir()) == ["report.json", "report.md", "sw"]
    assert {p.name for p in (out / "sw").iterdir()} >= {"cnn.ll", "cnn.rvv.o", "cnn.h"}
    assert (out / "sw" / "cnn.rvv.o").read_bytes()[:4] == b"\x7fELF"
    assert {k: v["target"] for k, v in report["kernels"].items()} == dict.fromkeys(
        [*INT_KERNELS, "scale"], "sw")
    assert report["kernels"]["conv2d"]["reason"] == "software: --partition sw"
    assert report["kernels"]["scale"]["reason"] == "software: --partition sw"  # f32 could go
    # every software kernel is defined in the LLVM IR; nothing is left to hardware
    ll = (out / "sw" / "cnn.ll").read_text()
    for k in [*INT_KERNELS, "scale", "main"]:
        assert f"@{k}(" in ll and f"define void @{k}(" in ll


def test_a_kernels_own_target_wins_over_partition_sw(run_script, tmp_out: Path) -> None:
    out = tmp_out / "build"
    report = _compile(run_script, out, "--partition", "sw")
    assert sorted(p.name for p in out.iterdir()) == ["driver", "hw", "report.json", "report.md",
                                                     "sw"]
    kernels = report["kernels"]
    assert {k: v["target"] for k, v in kernels.items()} == {
        "conv2d": "sw", "relu": "hw", "maxpool": "sw", "dense": "sw", "scale": "sw"}
    assert kernels["maxpool"]["reason"] == "software: --partition sw"
    assert kernels["relu"]["reason"].startswith('hardware: forced by unified.target = "hw"')
    assert [a["kernel"] for a in report["register_map"]["accels"]] == ["relu"]
    ll = (out / "sw" / "cnn.ll").read_text()
    assert "define void @relu(" not in ll and "@_mlir_ciface_relu(" in ll
    assert "define void @conv2d(" in ll


def test_partition_hw_writes_every_side(run_script, require_tool, tmp_out: Path) -> None:
    require_tool("yosys")
    out = tmp_out / "build"
    report = _compile(run_script, out, "--partition", "hw", "--verilog")
    kernels = report["kernels"]
    assert [k for k, v in kernels.items() if v["target"] == "hw"] == HW_KERNELS, kernels
    for k in HW_KERNELS:
        v = kernels[k]
        assert v["reason"].startswith('hardware: forced by unified.target = "hw"' if k == "relu"
                                      else "hardware: --partition hw")
        assert v["cycles"] > 0 and v["luts"] > 0 and v["cells"] > 0 and v["area_source"] == "yosys"
    files = (out / "hw" / "filelist.f").read_text().split()
    assert files[-1] == "unified_top.sv" and all((out / "hw" / f).exists() for f in files)
    assert all(f"{k}.sv" in files for k in HW_KERNELS)
    assert (out / "hw" / "verilog2001" / "unified_top.v").exists()
    assert sorted(p.name for p in (out / "driver").iterdir())[:2] == ["cnn_accel.c", "cnn_accel.h"]
    accels = [a["kernel"] for a in report["register_map"]["accels"]]
    assert accels == HW_KERNELS
    # the driver compiles warning-free for the host and for riscv64
    for compiler in ("cc", "riscv64-gcc"):
        require_tool(compiler)
        obj = tmp_out / f"driver.{compiler}.o"
        tools.run(compiler, ["-std=c11", "-Wall", "-Wextra", "-Werror", "-c",
                             str(out / "driver" / "cnn_accel.c"), "-o", str(obj)])
        assert obj.read_bytes()[:4] == b"\x7fELF"
    # the software side calls the hardware kernels through the driver: declared, not defined
    ll = (out / "sw" / "cnn.ll").read_text()
    for k in HW_KERNELS:
        assert f"define void @{k}(" not in ll and f"@_mlir_ciface_{k}(" in ll


def test_auto_placement_is_the_cheapest_estimate(run_script, tmp_out: Path) -> None:
    report = _compile(run_script, tmp_out / "build")
    kernels = report["kernels"]

    def total(hw: set[str]) -> float:  # nanoseconds: each side at its own clock
        t = 0.0
        for k, v in kernels.items():
            per = (v["hw_estimate_ns"] + v["transfer_ns"] if k in hw else v["sw_estimate_ns"])
            t += v["calls"] * per
        return t

    # @relu is forced to hardware (unified.target = "hw"): the minimum is over the
    # placements of the four free kernels (the f32 @scale among them) with relu in hardware
    free = [k for k in HW_KERNELS if k != "relu"]
    totals = {}
    for picks in itertools.product((False, True), repeat=len(free)):
        hw = frozenset({"relu", *(k for k, p in zip(free, picks) if p)})
        totals[hw] = total(hw)
    chosen = frozenset(k for k, v in kernels.items() if v["target"] == "hw")
    assert "relu" in chosen and len(totals) == 16
    assert totals[chosen] == pytest.approx(min(totals.values()))
    assert kernels["relu"]["reason"].startswith(
        'hardware: forced by unified.target = "hw" in the source (estimates: ')
    own = report["estimated_total_ns"] - totals[chosen]
    assert own == pytest.approx(report["entry_estimate_ns"])  # calls, allocations
    for k in INT_KERNELS:
        v = kernels[k]
        assert v["hw_estimate_source"] in ("schedule", "ir"), v
        assert human(v["sw_estimate_ns"]) in v["reason"], v  # the reason holds the SW estimate
    md = (tmp_out / "build" / "report.md").read_text()
    assert all(f"| @{k} | **{kernels[k]['target']}** |" in md for k in kernels)


def test_verilog_variant_parses_in_pyverilog(run_script, require_tool, tmp_out: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """--verilog: generated (@relu) and hand-written (@double) cores and the shell, all as
    Verilog-2001 that pyverilog parses and iverilog -g2001 elaborates, nothing left in cwd."""
    require_tool("iverilog")
    pytest.importorskip("pyverilog", reason="pyverilog is not installed (pip install pyverilog)")
    from unified.core.verilog_parse import parse_verilog

    double = ROOT / "tests" / "cosim" / "inputs" / "double_rtl.mlir"
    monkeypatch.chdir(tmp_out)
    for app, core in ((CNN, "relu"), (double, "double_core")):
        out = tmp_out / app.stem
        proc = run_script("unified", "compile", app, "-o", out, "--no-sim", "--verilog",
                          timeout=900)
        assert proc.returncode == 0, proc.stderr
        folder = out / "hw" / "verilog2001"
        names = (folder / "filelist.f").read_text().split()
        assert names[-1] == "unified_top.v" and f"{core}.v" in names
        for name in names:
            text = (folder / name).read_text()
            assert not re.search(r"\b(typedef|enum|always_comb|always_ff|logic)\b", text), name
        ast = parse_verilog([folder / n for n in names])
        modules = {d.name for d in ast.description.definitions}
        assert {"unified_top", core} | {Path(n).stem for n in names} <= modules
        tools.run("iverilog", ["-g2001", "-s", "unified_top", "-o", str(tmp_out / "top.vvp"),
                               *[str(folder / n) for n in names]])  # ToolFailed on an error
    assert sorted(p.name for p in tmp_out.iterdir()) == ["cnn", "double_rtl", "top.vvp"]


def test_stop_after_an_ir_level_writes_that_ir_only(run_script, tmp_out: Path) -> None:
    out = tmp_out / "build"
    report = _compile(run_script, out, "--stop-after", "scf")
    assert sorted(p.name for p in out.iterdir()) == ["ir", "report.json", "report.md"]
    ir = sorted(p.name for p in (out / "ir").iterdir())
    assert ir == sorted(["cnn.unified.mlir", "cnn.vector.mlir",
                         *[f"{k}.{lvl}.mlir" for k in HW_KERNELS for lvl in ("affine", "scf")]])
    assert "scf.while" in (out / "ir" / "relu.scf.mlir").read_text()
    assert report["kernels"] == {}  # stopped before the placement


def test_a_failed_compile_leaves_the_previous_output_whole(run_script, tmp_out: Path) -> None:
    out = tmp_out / "build"
    out.mkdir()
    (out / "report.md").write_text("the previous build\n")
    bad = Path(__file__).parent / "inputs" / "undefined_call.mlir"
    proc = run_script("unified", "compile", bad, "-o", out)
    assert proc.returncode == 1 and "call to the undefined function @missing" in proc.stderr
    assert sorted(p.name for p in tmp_out.iterdir()) == ["build"]
    assert (out / "report.md").read_text() == "the previous build\n"


def test_hand_written_core_replaces_the_generated_one(run_script, tmp_out: Path) -> None:
    app = ROOT / "tests" / "cosim" / "inputs" / "double_rtl.mlir"
    out = tmp_out / "build"
    proc = run_script("unified", "compile", app, "-o", out, "--no-sim", timeout=900)
    assert proc.returncode == 0, proc.stderr
    report = json.loads((out / "report.json").read_text())
    double = report["kernels"]["double"]
    assert double["target"] == "hw"
    assert double["reason"] == "hardware: implemented by hw.module @double_core"
    assert double["cycles"] is None and double["cycles_source"] == "unknown"
    assert "double_core.sv" in (out / "hw" / "filelist.f").read_text().split()
    assert "define void @double(" not in (out / "sw" / "double_rtl.ll").read_text()
