"""Mutated modules and input arrays through `unified compile` and `unified sim`: exit 0 or 1
with a located message, never a traceback, and no half-written output folder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from unified.fuzz.bad_input import MUTATIONS, run_one

ROOT = Path(__file__).resolve().parents[2]
KERNEL = ROOT / "examples" / "kernels" / "dot.mlir"


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize("mutation", MUTATIONS)
def test_bad_input_keeps_the_contract(mutation: str, seed: int) -> None:
    text = KERNEL.read_text()
    assert "func.func @dot" in text
    rng = np.random.default_rng(seed)
    inputs = {"arg0": rng.integers(-9, 9, 8).astype(np.int32),
              "arg1": rng.integers(-9, 9, 8).astype(np.int32),
              "arg2": np.zeros(1, np.int32)}
    outcomes = run_one(KERNEL, "dot", inputs, mutation, seed)
    assert outcomes
    broken = [(o.command, o.exit_code, o.problem, o.stderr) for o in outcomes if o.problem]
    assert broken == []
