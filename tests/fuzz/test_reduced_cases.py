"""Reduced fuzzer findings (tests/fuzz/cases/NAME.mlir + NAME.inputs.npz + NAME.expected.npz).

A case's header lists `// check: TARGET (SIM FLAGS)` lines, the runs that must give the
reference's outputs, and `// fails: TARGET (SIM FLAGS): ...` lines for the runs that were
still wrong when it was saved: those are strict xfails, so a fix turns them into
XPASS(strict) failures — then delete the `fails:` line (the `check:` line stays).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from unified.fuzz import targets
from unified.fuzz.runner import compare

CASES = Path(__file__).parent / "cases"
TOOL_OF = {"hw": "verilator", "rvv": "qemu-riscv64", "sw": None}
CHECK = re.compile(r"^// check: (\S+) \(([^)]*)\)", re.MULTILINE)
FAILS = re.compile(r"^// fails: (\S+) \(([^)]*)\)", re.MULTILINE)


def cases() -> list:
    out = []
    for path in sorted(CASES.glob("*.mlir")):
        if not path.with_suffix(".inputs.npz").exists():
            continue  # e.g. fuzz_a/fuzz_b: test_issue_cases.py checks those
        text = path.read_text()
        failing = dict(FAILS.findall(text))
        runs = {**dict(CHECK.findall(text)), **failing}
        for name, flags in runs.items():
            marks = [pytest.mark.xfail(strict=True, reason=f"{path.stem}: wrong on {name} "
                                       "when saved")] if name in failing else []
            out.append(pytest.param(path, name, flags, marks=marks, id=f"{path.stem}-{name}"))
    return out


@pytest.mark.parametrize(("path", "name", "flags"), cases())
def test_reduced_case(path: Path, name: str, flags: str) -> None:
    target = targets.from_flags(name, flags)
    tool = TOOL_OF[target.kind]
    missing = tool and targets.tool_missing(tool)
    if missing:
        pytest.skip(f"{tool} is missing: {missing}")
    func = re.search(r"^// fuzz: func=(\w+)", path.read_text(), re.MULTILINE).group(1)
    with np.load(path.with_suffix(".inputs.npz")) as f:
        given = {k: f[k] for k in f.files}
    with np.load(path.with_suffix(".expected.npz")) as f:
        want = {k: f[k] for k in f.files}
    got = targets.simulate(targets.read_source(path), func, given, target)
    diff = compare(got, want)  # bit for bit; f32: any NaN equals any NaN
    assert diff is None, diff


def test_a_case_header_names_its_target_exactly() -> None:
    for seed in range(5):
        for name in targets.ALL_TARGETS:
            target = targets.parse_target(name, seed)
            assert targets.from_flags(name, target.sim_flags()) == target
