"""The partitioner's parts: call counts through loops, the search under an area budget."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from partition import search
from partition.cost_model import KernelCost
from unified.app import estimated_placement, load_app
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
    assert d.reason == ('hardware: forced by unified.target = "hw" in the source (estimates: '
                        f"{d.hw_cycles + d.transfer_cycles:.0f} cycles per call in hardware "
                        f"with the transfer, {d.sw_cycles:.0f} in software)")


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
    best = min((search.total_cycles(set(hw), costs, {}, platform), hw)
               for r in range(6) for hw in itertools.combinations(costs, r)
               if sum(costs[k].luts for k in hw) <= 410)
    assert choice.total_cycles == pytest.approx(best[0])
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
