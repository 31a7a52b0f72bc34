"""A small real differential slice: three random kernels on Verilator -O0/-O3 and the host.

Every memref argument must equal the reference interpreter's bit for bit. The campaign
seed is fixed, so a failure here reruns alone with
`python -m unified.fuzz --seed 2024 --only I --targets hw-O0,hw-O3,sw --profile full`.
"""

from __future__ import annotations

import dataclasses

import pytest

from unified.fuzz import targets
from unified.fuzz.generator import features, generate, make_inputs
from unified.fuzz.reference import run
from unified.fuzz.runner import kernel_seed, run_kernel

CAMPAIGN = 2024
NAMES = ["hw-O0", "hw-O3", "sw"]
# Small kernels keep Verilator quick: at most 60 iterations, 128 elements per memref.
SMALL = dataclasses.replace(features("full"), max_iterations=60, max_elements=128)


def test_the_slice_kernels_compute_something() -> None:
    for index in range(3):
        seed = kernel_seed(CAMPAIGN, index)
        kernel = generate(seed, SMALL)
        given = make_inputs(kernel, seed)
        changed = [k for k, v in run(kernel, given).items() if (v != given[k]).any()]
        assert changed, f"kernel {index} leaves every memref as it was"


@pytest.mark.parametrize("index", range(3))
def test_no_mismatch_on_hw_and_sw(index: int) -> None:
    missing = targets.tool_missing("verilator")
    if missing:
        pytest.skip(f"verilator is missing: {missing}")
    rows = run_kernel(kernel_seed(CAMPAIGN, index), index, NAMES, SMALL)
    assert [r.target for r in rows] == NAMES
    bad = [f"{r.target}: {r.outcome}: {r.detail}" for r in rows if r.outcome != "ok"]
    assert not bad, "\n".join(bad)
