"""The kernel generator: deterministic per seed, well defined, and MLIR that parses."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from unified.fuzz import targets
from unified.fuzz.desc import Bin, Const, For, If, Load, Store, aff_bounds, var_ranges, walk
from unified.fuzz.generator import features, generate, make_inputs
from unified.fuzz.printer import to_mlir
from unified.fuzz.reference import run

SEEDS = range(30)


def test_same_seed_same_kernel_and_inputs() -> None:
    for seed in (0, 7, 123456):
        assert to_mlir(generate(seed)) == to_mlir(generate(seed))
        a, b = make_inputs(generate(seed), seed), make_inputs(generate(seed), seed)
        assert a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)
    assert len({to_mlir(generate(s)) for s in SEEDS}) == len(SEEDS)


def test_accesses_stay_inside_the_memref_shapes() -> None:
    for seed in range(200):
        kernel = generate(seed)
        mems = kernel.memrefs()
        for s, ranges in var_ranges(kernel.body):
            if isinstance(s, Load | Store):
                shape = mems[s.mem][1]
                for e, extent in zip(s.idx, shape, strict=True):
                    lo, hi = aff_bounds(e, ranges)
                    assert 0 <= lo and hi < extent, (seed, s)


def test_kernels_are_small_and_well_defined() -> None:
    for seed in range(200):
        kernel = generate(seed)
        run(kernel, make_inputs(kernel, seed))  # raises Undefined otherwise


def test_full_profile_covers_the_feature_list() -> None:
    ops: set[str] = set()
    kinds: set[str] = set()
    for seed in range(300):
        kernel = generate(seed)
        for s in walk(kernel.body):
            kinds.add(type(s).__name__)
            if isinstance(s, Bin):
                ops.add(s.op)
            if isinstance(s, For) and s.iters:
                kinds.add("iter_args")
            if isinstance(s, If):
                kinds.add("scf.if" if s.cond else "affine.if")
        if kernel.helper:
            kinds.add("helper")
    assert {"divsi", "divui", "remsi", "remui", "shli", "shrsi", "shrui", "minsi", "maxui",
            "muli", "xori"} <= ops
    assert {"Call", "Alloc", "Fill", "Cast", "Cmp", "Select", "iter_args", "scf.if",
            "affine.if", "helper"} <= kinds


def test_basic_profile_is_i32_loops_without_extras() -> None:
    for seed in range(40):
        kernel = generate(seed, features("basic"))
        assert {a.elem for a in kernel.args} == {"i32"}
        assert kernel.helper is None
        assert not any(isinstance(s, If) for s in walk(kernel.body))
        assert all(s.type == "i32" for s in walk(kernel.body) if isinstance(s, Const))


def test_thirty_kernels_parse_and_verify(tmp_path: Path) -> None:
    text = "".join(to_mlir(generate(seed, name=f"k{seed}")) for seed in SEEDS)
    path = tmp_path / "kernels.mlir"
    path.write_text(text)
    proc = subprocess.run([targets.opt_script(), str(path), "-p", ""], check=False,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert len(re.findall(r"func\.func @k\d+\(", proc.stdout)) == len(SEEDS)


@pytest.mark.parametrize("without", [["calls", "allocs"], ["divsi", "divui", "remsi", "remui"]])
def test_without_removes_features(without: list[str]) -> None:
    feats = features("full", without)
    for seed in range(60):
        kernel = generate(seed, feats)
        names = {type(s).__name__ for s in walk(kernel.body)}
        names |= {s.op for s in walk(kernel.body) if isinstance(s, Bin)}
        assert not names & set(without) and not (names & {"Call", "Alloc"} and "calls" in without)


def test_padding_only_grows_shapes_and_keeps_the_kernel() -> None:
    padded_any = False
    for seed in range(60):
        padded, plain = generate(seed), generate(seed, features("full", ["pad_shapes"]))
        for a, b in zip(padded.args, plain.args, strict=True):
            assert a.name == b.name and a.elem == b.elem
            if a.is_memref:
                assert all(x >= y for x, y in zip(a.shape, b.shape, strict=True))
                padded_any |= a.shape != b.shape
        assert padded.body == plain.body
    assert padded_any
