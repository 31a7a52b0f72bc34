"""Each IEEE-754 unit in Verilator, bit-exact against numpy float32 on a fixed vector set:
every pair of special values (±0, ±inf, NaNs, subnormals, extreme normals, half-way
rounding cases) and ~2,000 random pairs; NaN results compare as "is NaN". Each unit's
done comes exactly its stated latency after go."""

from __future__ import annotations

import numpy as np
import pytest

from calyx_flow.float_units.ieee754 import PREDICATES
from calyx_flow.float_units.unit_sim import UnitSim
from calyx_flow.float_units.units import latency
from calyx_flow.float_units.vectors import (
    EXTREMA,
    TO_FLOAT,
    TO_INT,
    mismatches,
    operand_pairs,
    reference,
)

KINDS = ["addf", "subf", "mulf", "divf", *TO_FLOAT, *TO_INT, *EXTREMA,
         *(f"cmpf_{p}" for p in PREDICATES)]


@pytest.mark.parametrize("kind", KINDS)
def test_unit_bit_exact(kind: str, require_tool) -> None:
    require_tool("verilator")
    left, right = operand_pairs(kind, random=2000, seed=13)
    got, cycles = UnitSim.build(kind).run(left, right)
    want = reference(kind, left, right)
    bad = mismatches(kind, got, want)
    shown = [f"{left[i]:08x} {right[i]:08x}: got {got[i]:08x}, want {want[i]:08x}"
             for i in bad[:5]]
    assert len(got) == len(left) >= 2000
    assert not len(bad), f"{kind}: {len(bad)} of {len(left)} differ: {shown}"
    assert set(cycles.tolist()) == {latency(kind)}


def test_vectors_hold_the_special_cases() -> None:
    left, right = operand_pairs("addf", random=2000, seed=13)
    a, b = left.view(np.float32), right.view(np.float32)
    with np.errstate(all="ignore"):
        assert np.isnan(a).any() and np.isinf(b).any() and (a == 0).any()
        tiny = np.abs(a) < np.finfo(np.float32).tiny
        assert (tiny & (a != 0)).any()  # subnormal operands
        sums = a + b
        assert (np.abs(sums) < np.finfo(np.float32).tiny).any()


def test_out_of_range_conversions_follow_the_stated_rule() -> None:
    """fptosi: the most negative integer (x86, numpy); fptoui: saturated as RISC-V's
    fcvt.wu.s/fcvt.lu.s (NaN: all ones); arith leaves both poison."""
    values = np.float32([np.nan, np.inf, -np.inf, 5e9, -5e9, -1.0, -0.5, 1.5e19, 2.5])
    bits = values.view(np.uint32)
    assert reference("fptosi", bits, bits).view(np.int32).tolist() == [
        -2**31, -2**31, -2**31, -2**31, -2**31, -1, 0, -2**31, 2]
    assert reference("fptoui", bits, bits).tolist() == [
        2**32 - 1, 2**32 - 1, 0, 2**32 - 1, 0, 0, 0, 2**32 - 1, 2]
    assert reference("fptosi64", bits, bits).view(np.int64).tolist() == [
        -2**63, -2**63, -2**63, 5 * 10**9, -5 * 10**9, -1, 0, -2**63, 2]
    assert reference("fptoui64", bits, bits).tolist() == [
        2**64 - 1, 2**64 - 1, 0, 5 * 10**9, 0, 0, 0, 15000000520515485696, 2]
