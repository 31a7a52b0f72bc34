"""The partitioner on the CNN example against measured figures (qemu, co-simulation):
its estimate within 25%, its choice within 10% of the best placement (issue 5).
(That the co-simulation gives numpy's answer under each placement: tests/cosim.)"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import partition_accuracy as bench


def test_estimate_and_choice_against_measurements(require_tool) -> None:
    for tool in ("verilator", "qemu-riscv64", "riscv64-gcc", "c++"):
        require_tool(tool)
    acc = bench.evaluate(ROOT / "tests" / "cosim" / "inputs" / "cnn.mlir",
                         log=lambda _line: None)
    # five kernels (the f32 @scale too), @relu forced to hardware: every placement of the rest
    assert len(acc.measured) == 16 and all("relu" in hw for hw in acc.measured)
    assert abs(acc.estimate_error) <= 0.25, acc.estimated[acc.chosen]
    assert acc.choice_loss <= 0.10
    # the composition of measured figures agrees with one whole co-simulation
    for composed, whole in acc.cosim_check.values():
        assert composed == pytest.approx(whole, rel=0.01)
    # and every placement's estimate is within 25% of its measured total
    for hw, measured in acc.measured.items():
        assert acc.estimated[hw] == pytest.approx(measured, rel=0.25), sorted(hw)
