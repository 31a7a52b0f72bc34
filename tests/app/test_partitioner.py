"""The partitioner's parts: call counts through loops, the search under an area budget."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from partition import search
from partition.cost_model import KernelCost
from unified.app import estimated_placement, load_app
from unified.core.durations import human
from unified.core.errors import PartitionError
from unified.core.platform import Platform

LOOPS = """\
module attributes {unified.platform = {area_budget_luts = 10 : i64}} {
  func.func @leaf(%a: memref<4xi32>) {
    %one = arith.constant 1 : i32
    affine.for %i = 0 to 4 {
      %x = affine.load %a[%i] : memref<4xi32>
      %y = arith.addi %x, %one : i32
      affine.store %y, %a[%i] : memref<4xi32>
    }
    return
  }
  func.func @step(%a: memref<4xi32>) {
    affine.for %i = 0 to 2 {
      func.call @leaf(%a) : (memref<4xi32>) -> ()
    }
    return
  }
  func.func @main(%a: memref<4xi32>) {
    affine.for %i = 0 to 6 step 2 {
      func.call @step(%a) : (memref<4xi32>) -> ()
    }
    func.call @leaf(%a) : (memref<4xi32>) -> ()
    return
  }
}
"""


@pytest.fixture
def loops_app(tmp_path: Path):
    path = tmp_path / "loops.mlir"
    path.write_text(LOOPS)
    return load_app(path)


def test_calls_per_run_multiply_through_loops(loops_app) -> None:
    assert loops_app.kernels() == ["step", "leaf"]
    assert loops_app.graph.calls == {"main": 1, "step": 3, "leaf": 3 * 2 + 1}
    leaf = loops_app.profile.functions["leaf"].ops
    assert (leaf["load"], leaf["store"], leaf["alu"], leaf["iter"]) == (4, 4, 4, 4)


def test_partition_hw_keeps_non_leaf_kernels_and_the_budget(loops_app) -> None:
    p = estimated_placement(loops_app, "hw")
    assert p.decisions["step"].target == "sw"
    assert p.decisions["step"].reason == "software: it calls @leaf; only leaf kernels become hardware"
    assert p.decisions["leaf"].calls == 7
    luts = p.decisions["leaf"].hw_luts
    assert p.decisions["leaf"].target == "sw"
    assert p.decisions["leaf"].reason == (f"software: --partition hw, but its {luts} LUTs do not "
                                          "fit the area budget (10 left)")

def test_forced_hardware_over_the_area_budget_is_located(tmp_path: Path) -> None:
    path = tmp_path / "budget.mlir"
    path.write_text(LOOPS.replace("func.func @leaf(%a: memref<4xi32>) {",
                                  'func.func @leaf(%a: memref<4xi32>) attributes '
                                  '{unified.target = "hw"} {'))
    with pytest.raises(PartitionError) as e:
        estimated_placement(load_app(path))
    assert re.fullmatch(re.escape(str(path)) + r":1:1: error: the kernels forced to hardware "
                        r"need \d+ LUTs, the area budget is 10 — raise unified\.platform's "
                        r"area_budget_luts or force fewer kernels to hardware", e.value.render())


def test_forced_hardware_reason_keeps_both_estimates(tmp_path: Path) -> None:
    path = tmp_path / "forced.mlir"
    path.write_text(LOOPS.replace("area_budget_luts = 10 ", "area_budget_luts = 100000 ").replace(
        "func.func @leaf(%a: memref<4xi32>) {",
        'func.func @leaf(%a: memref<4xi32>) attributes {unified.target = "hw"} {'))
    d = estimated_placement(load_app(path)).decisions["leaf"]
    assert d.target == "hw" and d.hw_cycles and d.sw_cycles
    # the default platform: CPU and accelerator at 100 MHz, 10 ns a cycle on either side
    assert d.reason == ('hardware: forced by unified.target = "hw" in the source (estimates: '
                        f"{human(10 * (d.hw_cycles + d.transfer_cycles))} per call in hardware "
                        f"with the transfer, {human(10 * d.sw_cycles)} in software)")


def test_placement_compares_time_across_clocks() -> None:
    """Software in CPU cycles at cpu_mhz, hardware and bus in cycles at clock_mhz: the same
    cycle counts flip the placement when the accelerator's clock slows down."""
    costs = {"k": KernelCost("k", sw_cycles=1000.0, hw_cycles=400.0, transfer_cycles=100.0,
                             transfer_bytes=0, luts=10)}
    fast = search.choose(costs, {}, Platform(cpu_mhz=1000.0, clock_mhz=1000.0),
                         forced_hw=set(), free=["k"])
    assert fast.hw == {"k"} and fast.total_ns == pytest.approx(500.0)  # 500 cycles at 1 GHz
    slow = Platform(cpu_mhz=1000.0, clock_mhz=100.0)
    assert costs["k"].hw_total_ns(slow) == pytest.approx(5000.0)  # 500 cycles at 100 MHz
    choice = search.choose(costs, {}, slow, forced_hw=set(), free=["k"])
    assert choice.hw == frozenset() and choice.total_ns == pytest.approx(1000.0)
    assert choice.total_cycles == pytest.approx(1000.0)  # CPU cycles at 1 GHz


def _costs(n: int) -> dict[str, KernelCost]:
    # kernel i: software 100 + 10 i cycles, hardware 50 + transfer 20, area 100 + 30 i LUTs
    return {f"k{i}": KernelCost(f"k{i}", 100.0 + 10 * i, 50.0, 20.0, 0, luts=100 + 30 * i)
            for i in range(n)}


def test_exact_search_finds_the_best_placement_within_the_budget() -> None:
    costs = _costs(5)
    platform = Platform(area_budget_luts=410)
    choice = search.choose(costs, {}, platform, forced_hw=set(), free=list(costs))
    assert choice.exact and choice.luts <= 410
    # k3 + k4 (410 LUTs) save 60 + 70 cycles; the three smallest (390 LUTs) only 30+40+50
    assert choice.hw == {"k3", "k4"}
    best = min((search.total_ns(set(hw), costs, {}, platform), hw)
               for r in range(6) for hw in itertools.combinations(costs, r)
               if sum(costs[k].luts for k in hw) <= 410)
    assert choice.total_ns == pytest.approx(best[0])
    assert choice.hw == frozenset(best[1])


def test_greedy_search_for_large_graphs_respects_budget_and_forced() -> None:
    costs = _costs(search.EXACT_LIMIT + 4)
    platform = Platform(area_budget_luts=2_000)
    choice = search.choose(costs, {}, platform, forced_hw={"k19"}, free=[
        k for k in costs if k != "k19"])
    assert not choice.exact
    assert "k19" in choice.hw and choice.luts <= 2_000
    all_sw = search.total_cycles(set(), costs, {}, platform)
    assert choice.total_cycles < all_sw
