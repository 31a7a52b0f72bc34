"""`unified dse` on vadd: -O0/-O1 hardware and one VLEN, measured for real, cached, plotted.

The sweep runs on a copy of vadd.mlir with a unique comment, so its points are measured
afresh while the content-keyed Verilator models and Yosys results of the shared cache
still serve it (~15 s); the rerun must then come from the cache with the same numbers.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from dse_suite import csv_rows, rerun, run

from unified.core import tools
from unified.dse.pareto import dominates, front

ROOT = Path(__file__).resolve().parents[2]
VADD = ROOT / "examples" / "kernels" / "vadd.mlir"
OPTIONS = ("--func", "vadd", "--opt-levels", "0,1", "--vlens", "128")
ARGS = ("dse", VADD, *OPTIONS)


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    """Runs the sweep twice in a fresh cache: {"cold", "warm", "warm_seconds", "dir"}."""
    for tool in ("verilator", "yosys", "qemu-riscv64", "riscv64-gcc"):
        if tools.version(tool) is None:
            pytest.skip(f"{tool} is not installed")
    out = tmp_path_factory.mktemp("dse")
    kernel = out / "vadd.mlir"
    kernel.write_text(f"// dse test {uuid.uuid4()}\n" + VADD.read_text())
    cold = run("dse", kernel, *OPTIONS, "--csv", out / "cold.csv", "--plot", out / "front.png")
    assert cold.returncode == 0, cold.stderr
    warm, seconds = rerun("dse", kernel, *OPTIONS, "--csv", out / "warm.csv")
    return {"cold": cold, "warm": warm, "warm_seconds": seconds, "dir": out, "kernel": kernel}


def test_csv_holds_real_measurements(sweep):
    rows = csv_rows(sweep["dir"] / "cold.csv")
    hw = {int(r["opt_level"]): r for r in rows if r["kind"] == "hw"}
    sw = [r for r in rows if r["kind"] == "sw"]
    assert sorted(hw) == [0, 1] and len(sw) == 1
    assert all(r["correct"] == "True" for r in rows)
    for r in hw.values():
        assert int(r["cycles"]) > 8 and int(r["luts"]) > 0  # 8 elements, at least a cycle each
    assert int(sw[0]["vlen"]) == 128 and int(sw[0]["instructions"]) > 0
    assert int(hw[1]["cycles"]) <= int(hw[0]["cycles"])


def test_progress_line_per_point_and_front_printed(sweep):
    lines = [ln for ln in sweep["cold"].stderr.splitlines() if ln.startswith("[")]
    assert len(lines) == 3 and lines[-1].startswith("[3/3]")
    assert "Pareto front" in sweep["cold"].stdout


def test_printed_front_is_non_dominated(sweep):
    rows = [r for r in csv_rows(sweep["dir"] / "cold.csv") if r["kind"] == "hw"]
    points = [(int(r["cycles"]), int(r["luts"])) for r in rows]
    best = front(points, lambda p: p)
    assert best and all(not dominates(q, p) for p in best for q in points)
    table = sweep["cold"].stdout
    for r in rows:
        on_front = (int(r["cycles"]), int(r["luts"])) in best
        assert (f"hw -O{r['opt_level']}" in table) == on_front


def test_rerun_hits_the_cache(sweep):
    assert sweep["warm_seconds"] < 15
    assert "(cached)" in sweep["warm"].stderr and " s)" not in sweep["warm"].stderr
    strip = [{k: v for k, v in r.items() if k != "seconds"} for r in csv_rows(sweep["dir"] / "cold.csv")]
    again = [{k: v for k, v in r.items() if k != "seconds"} for r in csv_rows(sweep["dir"] / "warm.csv")]
    assert strip == again


def test_plot_is_a_png(sweep):
    data = (sweep["dir"] / "front.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000


def test_optuna_picks_points_of_the_space(sweep):
    pytest.importorskip("optuna", reason="optuna is optional: pip install optuna")
    out = sweep["dir"] / "optuna.csv"
    result = run("dse", sweep["kernel"], *OPTIONS, "--optuna", "3", "--csv", out)
    assert result.returncode == 0, result.stderr
    cold = {(r["kind"], r["opt_level"], r["vlen"]): r["cycles"] + r["instructions"]
            for r in csv_rows(sweep["dir"] / "cold.csv")}
    rows = csv_rows(out)
    assert 1 <= len(rows) <= 3  # trials of one batch may pick the same point
    for r in rows:  # every point the search picked was measured by the sweep: same figures
        assert cold[(r["kind"], r["opt_level"], r["vlen"])] == r["cycles"] + r["instructions"]


def test_ray_missing_is_one_line_error():
    try:
        import ray  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("ray is installed here")
    result = run(*ARGS, "--ray", "auto")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install ray" in lines[0] and "Traceback" not in result.stderr


def test_pareto_front_keeps_only_non_dominated():
    points = [(1, 9), (2, 5), (3, 5), (4, 1), (5, 5)]
    assert front(points, lambda p: p) == [(1, 9), (2, 5), (4, 1)]
