"""Issue 11's two fuzzer findings, kept as regressions: each target against plain Python.

fuzz_a was wrong on the host and RVV: sw-vectorize let affine-super-vectorize run along
an outer loop whose index moves by 2 rows (it read consecutive rows); now such a function is
left to LLVM's vectorizer (sw_dialects.loop_analysis.has_strided_access checks every index).
fuzz_b was wrong in Verilator at -O3: calyx-par-to-group counted a memory's done that was
still high from the write right before as the arm's own, and gated the arm's write off; now
a done only counts after the merged group's first cycle (tests/lit/opt/calyx_par_to_group).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from unified.fuzz import targets

CASES = Path(__file__).parent / "cases"
TARGETS = ("sw", "rvv128", "hw-O0", "hw-O3")
KNOWN_WRONG: set[tuple[str, str]] = set()  # (kernel, target) runs that are wrong today
TOOL_OF = {"hw": "verilator", "rvv": "qemu-riscv64", "sw": None}


def fuzz_a(in0: np.ndarray, in1: np.ndarray, out: np.ndarray) -> None:
    for i in range(5):
        for j in range(4):
            v6 = in0[i + 1, 2 * j] if in1[2 * i, 2 * j] < -7 else in1[i + 1, 2 * j]
            v11 = in0[i + 2, j + 1] if v6 < 4 else in0[2 * i, j]
            out[i, j] = v11 >> 1  # shrsi: arithmetic


def fuzz_b(in0: np.ndarray, in1: np.ndarray, out: np.ndarray) -> None:
    for i in range(6):
        for j in range(6):
            v6 = int(in0[i]) if -7 < in1[i] else int(in0[2 * i])
            out[i, j] = np.int32(np.uint32((v6 << 3) & 0xFFFFFFFF).view(np.int32))


SHAPES = {"fuzz_a": ((12, 12), (12, 12), (5, 4)), "fuzz_b": ((14,), (14,), (6, 6))}
REFERENCE = {"fuzz_a": fuzz_a, "fuzz_b": fuzz_b}


def inputs_for(name: str) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(11)
    return {f"arg{k}": rng.integers(-100, 101, size=shape).astype(np.int32)
            for k, shape in enumerate(SHAPES[name])}


def params() -> list:
    out = []
    for name in ("fuzz_a", "fuzz_b"):
        for target in TARGETS:
            marks = [pytest.mark.xfail(strict=True, reason="issue 11: wrong result today")] \
                if (name, target) in KNOWN_WRONG else []
            out.append(pytest.param(name, target, marks=marks, id=f"{name}-{target}"))
    return out


def test_the_python_references_differ_from_trivial_outputs() -> None:
    for name, ref in REFERENCE.items():
        given = inputs_for(name)
        out = given["arg2"].copy()
        ref(given["arg0"], given["arg1"], out)
        assert not np.array_equal(out, given["arg2"]) and len(np.unique(out)) > 4


@pytest.mark.parametrize(("name", "target"), params())
def test_issue_case(name: str, target: str) -> None:
    spec = targets.parse_target(target)
    tool = TOOL_OF[spec.kind]
    missing = tool and targets.tool_missing(tool)
    if missing:
        pytest.skip(f"{tool} is missing: {missing}")
    given = inputs_for(name)
    want = {k: v.copy() for k, v in given.items()}
    REFERENCE[name](want["arg0"], want["arg1"], want["arg2"])
    got = targets.simulate(targets.read_source(CASES / f"{name}.mlir"), name, given, spec)
    for k, value in want.items():
        assert np.array_equal(got[k], value), f"{k}: {got[k]} != {value}"
