"""The CNN example co-simulated: numpy's answer under every placement tried, and the
partitioner's estimate and choice against measured figures (issue 5's 25% and 10%)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import partition_accuracy as bench

from partition import place
from unified.app import load_app


@pytest.fixture(scope="module")
def app(request):
    from unified import tools
    from unified.errors import ToolNotFound

    for tool in ("verilator", "qemu-riscv64", "riscv64-gcc", "c++"):
        try:
            tools.find(tool)
        except ToolNotFound as e:
            pytest.skip(f"{tool} is missing: {e.render()}")
    return load_app(bench.CNN)


@pytest.mark.parametrize("placement", ["auto", "hw", "sw", "relu+dense"])
def test_cosimulation_gives_numpys_answer(app, placement: str) -> None:
    inputs = bench.cnn_inputs(seed=7)
    if placement == "relu+dense":
        chosen = bench.forced(app, frozenset({"relu", "dense"}))
    else:
        chosen = place(app, placement)
    result = bench.cosimulate(app, chosen, inputs)
    np.testing.assert_array_equal(result.outputs["arg3"], bench.cnn_reference(inputs))
    hw = chosen.hw_kernels()
    assert sorted(result.report["kernels"]) == sorted(hw)
    assert all(result.report["kernels"][k]["cycles"] > 0 for k in hw)
    assert (result.report["bus_transactions"] > 0) == bool(hw)


def test_estimate_and_choice_against_measurements(app) -> None:
    acc = bench.evaluate(bench.CNN, log=lambda _line: None)
    assert len(acc.measured) == 16  # four integer kernels: every placement measured
    assert abs(acc.estimate_error) <= 0.25, acc.estimated[acc.chosen]
    assert acc.choice_loss <= 0.10
    # the composition of measured figures agrees with one whole co-simulation
    for composed, whole in acc.cosim_check.values():
        assert composed == pytest.approx(whole, rel=0.01)
    # and every placement's estimate is within 25% of its measured total
    for hw, measured in acc.measured.items():
        assert acc.estimated[hw] == pytest.approx(measured, rel=0.25), sorted(hw)
