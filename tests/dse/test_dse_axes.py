"""`unified dse` along the hardware knobs (unroll, banks, pipeline) and software tiling.

Hardware: vadd at -O1/-O2 with unroll auto/2, banks 1/2 and pipeline auto/on, measured in
Verilator and Yosys. -O2 is -O1 unrolled by 2, so its points share the flow of an -O1 point
and are measured once. A point the flow cannot build (a float kernel in hardware, or a knob
whose pass the flow lacks) is a failed row, not a failed sweep. Software: a 16x16 matmul untiled and tiled under
qemu, and a skewed in-place stencil that tiling would break, left untiled.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from dse_suite import csv_rows, rerun, run

from unified.core import tools

ROOT = Path(__file__).resolve().parents[2]
VADD = ROOT / "examples" / "kernels" / "vadd.mlir"
INPUTS = Path(__file__).parent / "inputs"
HW_AXES = ("--func", "vadd", "--opt-levels", "1,2", "--unroll", "auto,2", "--banks", "1,2",
           "--pipeline", "auto,on", "--vlens", "none")


def _need(*names: str) -> None:
    for tool in names:
        if tools.version(tool) is None:
            pytest.skip(f"{tool} is not installed")


@pytest.fixture(scope="module")
def hw_sweep(tmp_path_factory):
    """The hardware sweep, then the same command again: {"first", "again", "seconds", "dir"}."""
    _need("verilator", "yosys")
    out = tmp_path_factory.mktemp("dse-hw")
    first = run("dse", VADD, *HW_AXES, "--csv", out / "first.csv", "--plot", out / "hw.png")
    assert first.returncode == 0, first.stderr
    again, seconds = rerun("dse", VADD, *HW_AXES, "--csv", out / "again.csv")
    return {"first": first, "again": again, "seconds": seconds, "dir": out}


def _knobs(row: dict[str, str]) -> tuple[str, str, str, str]:
    return row["opt_level"], row["unroll"], row["banks"], row["pipeline"]


def test_hw_rows_cover_every_knob_combination(hw_sweep):
    rows = csv_rows(hw_sweep["dir"] / "first.csv")
    assert sorted(_knobs(r) for r in rows) == sorted(
        (o, u, b, p) for o in "12" for u in ("auto", "2") for b in "12" for p in ("auto", "on"))
    for r in rows:
        assert r["kind"] == "hw" and r["vlen"] == r["tile"] == ""
        if r["error"]:  # the one knob the flow may lack (or fail on): pipelining
            assert r["pipeline"] == "on" and r["correct"] == "False" and r["cycles"] == ""
        else:
            assert r["correct"] == "True" and int(r["cycles"]) > 8 and int(r["luts"]) > 0


def test_unrolling_and_banking_change_the_figures(hw_sweep):
    rows = {_knobs(r): r for r in csv_rows(hw_sweep["dir"] / "first.csv")}
    plain, unrolled = rows[("1", "auto", "1", "auto")], rows[("1", "2", "1", "auto")]
    banked = rows[("1", "2", "2", "auto")]
    assert int(unrolled["cycles"]) < int(plain["cycles"])  # two elements a step
    assert int(banked["cycles"]) < int(unrolled["cycles"])  # their loads on two ports at once
    assert int(unrolled["luts"]) > int(plain["luts"])


def test_points_with_one_flow_are_measured_once(hw_sweep):
    rows = {_knobs(r): r for r in csv_rows(hw_sweep["dir"] / "first.csv")}
    o2, o1_u2 = rows[("2", "auto", "1", "auto")], rows[("1", "2", "1", "auto")]
    assert o2["same_as"] == "hw -O1 u2" and o1_u2["same_as"] == ""
    assert (o2["cycles"], o2["luts"]) == (o1_u2["cycles"], o1_u2["luts"])
    stderr = hw_sweep["first"].stderr
    assert "hw -O2: " in stderr and "(same flow as hw -O1 u2)" in stderr


def test_failed_points_are_rows_not_a_failed_sweep(tmp_path):
    _need("qemu-riscv64", "riscv64-gcc")
    kernel = INPUTS / "scale_f64.mlir"  # floats: the hardware flow rejects it, software runs it
    result = run("dse", kernel, "--func", "scale_f64", "--opt-levels", "0,1", "--vlens", "128",
                 "--csv", tmp_path / "f.csv")
    assert result.returncode == 0, result.stderr
    rows = csv_rows(tmp_path / "f.csv")
    why = (f"{kernel}:2:1: error: argument 0 of @scale_f64 has floating-point type "
           "memref<8xf64>, which cannot be compiled to hardware — use integer or fixed-point")
    assert [(r["kind"], r["correct"]) for r in rows] == [("hw", "False")] * 2 + [("sw", "True")]
    assert all(r["error"].startswith(why) and r["cycles"] == "" for r in rows[:2])
    assert not rows[2]["error"] and int(rows[2]["instructions"]) > 0
    assert f"Failed points\n  hw -O0: {why}" in result.stdout
    assert re.search(rf"^\[\d/3\] hw -O1: failed: {re.escape(why)}", result.stderr, re.MULTILINE)


def test_labels_and_front_name_the_knobs(hw_sweep):
    table = hw_sweep["first"].stdout.split("Failed points")[0]
    assert "hw -O1 u2 b2" in table  # the fastest point is on the front
    assert "hw -O2" not in table  # twins of -O1 points are not repeated there
    assert (hw_sweep["dir"] / "hw.png").read_bytes()[:4] == b"\x89PNG"


def test_hw_rerun_is_cached(hw_sweep):
    assert hw_sweep["seconds"] < 15 and " s)" not in hw_sweep["again"].stderr
    drop = ("seconds",)
    first = [{k: v for k, v in r.items() if k not in drop} for r in csv_rows(hw_sweep["dir"] / "first.csv")]
    again = [{k: v for k, v in r.items() if k not in drop} for r in csv_rows(hw_sweep["dir"] / "again.csv")]
    assert first == again


def test_optuna_searches_the_knobs(hw_sweep):
    pytest.importorskip("optuna", reason="optuna is optional: pip install 'unified[dse]'")
    out = hw_sweep["dir"] / "optuna.csv"
    result = run("dse", VADD, *HW_AXES, "--optuna", "3", "--csv", out)
    assert result.returncode == 0, result.stderr
    swept = {_knobs(r): (r["cycles"], r["luts"], r["error"]) for r in csv_rows(hw_sweep["dir"] / "first.csv")}
    rows = csv_rows(out)
    assert 1 <= len(rows) <= 3
    for r in rows:  # each point the search chose is one of the sweep's, with its figures
        assert swept[_knobs(r)] == (r["cycles"], r["luts"], r["error"])


@pytest.mark.parametrize("kernel, func, changes", [("matmul16.mlir", "matmul16", True),
                                                   ("skew.mlir", "skew", False)])
def test_tiles_stay_correct(tmp_path, kernel, func, changes):
    _need("qemu-riscv64", "riscv64-gcc")
    out = tmp_path / "sw.csv"
    result = run("dse", INPUTS / kernel, "--func", func, "--opt-levels", "none", "--vlens", "128",
                 "--tiles", "0,2,4", "--csv", out)
    assert result.returncode == 0, result.stderr
    rows = {int(r["tile"]): r for r in csv_rows(out)}
    assert sorted(rows) == [0, 2, 4]
    assert all(r["kind"] == "sw" and r["correct"] == "True" and not r["error"] for r in rows.values())
    counts = np.array([int(rows[t]["instructions"]) for t in (0, 2, 4)])
    # matmul16: tiles add loop control (qemu counts no cache misses); skew: left untiled
    assert bool((counts[1:] != counts[0]).all()) == changes
    assert changes or (counts == counts[0]).all()
    assert "sw vlen=128 tile=2: " in result.stderr


@pytest.mark.parametrize("flag, value, message", [
    ("--unroll", "0,2", r"error: every --unroll factor must be at least 1 — e\.g\. --unroll 1,2,4"),
    ("--banks", "0", r"error: every --banks factor must be at least 1 — e\.g\. --banks 1,2,4"),
    ("--tiles", "-2", r"error: a tile size is 0 \(untiled\) or positive — e\.g\. --tiles 0,2,4"),
])
def test_bad_axis_values_are_one_line_errors(flag, value, message):
    result = run("dse", VADD, "--func", "vadd", flag, value)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.fullmatch(message, result.stderr.strip())


def test_pipeline_axis_takes_on_off_auto():
    result = run("dse", VADD, "--func", "vadd", "--pipeline", "on,maybe")
    assert result.returncode == 2
    assert re.search(r"--pipeline: 'on,maybe' is not a comma-separated list of on, off and auto$",
                     result.stderr.strip())


def test_a_knob_without_its_pass_fails_its_point(monkeypatch):
    from unified.dse import runner
    from unified.dse.points import Point
    from unified.dse.runner import hw_flow_key

    monkeypatch.setitem(runner.KNOB_PASSES, "banks", "hls-no-such-pass")
    key, why = hw_flow_key(Point("hw", opt_level=1, unroll=2, banks=2))
    assert key == "" and why == ("--banks needs the hls-no-such-pass pass, which this hardware "
                                 "flow does not have yet")
    key, why = hw_flow_key(Point("hw", opt_level=1, unroll=2))
    assert key and why == ""
    assert hw_flow_key(Point("hw", opt_level=2))[0] == key  # -O2 is -O1 unrolled by 2
