"""The reference interpreter against hand-computed values of the MLIR arith semantics."""

from __future__ import annotations

import numpy as np
import pytest

from unified.fuzz.desc import Aff, Arg, Bin, Const, For, If, Kernel, Load, Store, finalize
from unified.fuzz.reference import Undefined, binary, cast, compare, run, signed


def s(v: int, bits: int = 8) -> int:
    """-7 as the bit pattern of an i8, etc."""
    return v & ((1 << bits) - 1)


@pytest.mark.parametrize(("op", "a", "b", "want"), [
    ("divsi", -7, 2, -3), ("divsi", 7, -2, -3), ("divsi", -7, -2, 3),  # toward zero
    ("remsi", -7, 2, -1), ("remsi", 7, -2, 1), ("remsi", -7, -2, -1),  # sign of the dividend
    ("floordivsi", -7, 2, -4), ("floordivsi", 7, 2, 3), ("floordivsi", -8, 2, -4),
    ("ceildivsi", -7, 2, -3), ("ceildivsi", 7, 2, 4), ("ceildivsi", 7, -2, -3),
    ("divui", -7, 2, 124), ("remui", -7, 2, 1),  # 249 / 2 and 249 % 2 on the bit pattern
    ("shrsi", -8, 1, -4), ("shrui", -8, 1, 124), ("shli", 0x40, 1, -128), ("shli", 3, 7, -128),
    ("shrsi", -128, 7, -1), ("shrui", -128, 7, 1),
    ("minsi", -1, 1, -1), ("minui", -1, 1, 1), ("maxsi", -1, 1, 1), ("maxui", -1, 1, -1),
    ("addi", 127, 1, -128), ("subi", -128, 1, 127), ("muli", 16, 16, 0), ("muli", -3, 5, -15),
    ("andi", -1, 0x0F, 15), ("ori", 0x70, 0x0F, 127), ("xori", -1, 1, -2),
])
def test_binary_ops_on_i8(op: str, a: int, b: int, want: int) -> None:
    assert signed(binary(op, s(a), s(b), 8), 8) == want


def test_int_min_by_minus_one_is_undefined_for_signed_division_only() -> None:
    for op in ("divsi", "remsi", "floordivsi", "ceildivsi"):
        with pytest.raises(Undefined):
            binary(op, s(-128), s(-1), 8)
    assert binary("divui", s(-128), s(-1), 8) == 0  # 128 / 255
    for op in ("divsi", "divui", "remsi", "remui"):
        with pytest.raises(Undefined):
            binary(op, 5, 0, 8)


def test_shift_by_the_width_is_undefined() -> None:
    for op in ("shli", "shrsi", "shrui"):
        assert binary(op, 1, 31, 32) in (1 << 31, 0)
        with pytest.raises(Undefined):
            binary(op, 1, 32, 32)
        with pytest.raises(Undefined):
            binary(op, 1, s(-1, 32), 32)  # the amount is unsigned: 2**32 - 1


@pytest.mark.parametrize(("pred", "a", "b", "want"), [
    ("slt", -1, 1, 1), ("ult", -1, 1, 0), ("sgt", -1, 1, 0), ("ugt", -1, 1, 1),
    ("sle", -128, 127, 1), ("ule", -128, 127, 0), ("sge", 5, 5, 1), ("uge", 0, -1, 0),
    ("eq", -1, 255, 1), ("ne", 3, 3, 0),
])
def test_cmpi_predicates(pred: str, a: int, b: int, want: int) -> None:
    assert compare(pred, s(a), s(b), 8) == want


def test_casts_keep_or_extend_the_bit_pattern() -> None:
    assert cast("extsi", s(-1), 8, 32) == 0xFFFFFFFF
    assert cast("extui", s(-1), 8, 32) == 255
    assert cast("extsi", s(100), 8, 64) == 100
    assert cast("extui", 1, 1, 16) == 1 and cast("extsi", 1, 1, 16) == 0xFFFF  # i1 true
    assert cast("trunci", 0x12345678, 32, 8) == 0x78
    assert signed(cast("trunci", 0x1FF80, 32, 8), 8) == -128
    assert signed(cast("trunci", s(-129, 16), 16, 8), 8) == 127
    assert cast("index_cast", 300, 64, 8) == 44


def test_a_kernel_with_iter_args_an_if_and_a_memory_reduction() -> None:
    """out[i] += sum_j a[i, j] * 3 (i32), and out[i] = -out[i] where i >= 2."""
    reduce = For("j", 0, 4, 1, [Load("x", "a", [Aff((("i", 1),)), Aff((("j", 1),))]),
                                Bin("m", "muli", "x", "three"), Bin("acc2", "addi", "acc", "m")],
                 iters=[("acc", "zero")], yields=["acc2"], results=["sum"])
    body = [Const("zero", "i32", 0), Const("three", "i32", 3),
            For("i", 0, 3, 1, [
                reduce,
                Load("old", "out", [Aff((("i", 1),))]),
                Bin("new", "addi", "old", "sum"),
                Store("new", "out", [Aff((("i", 1),))]),
                If(None, [Aff((("i", 1),), -2)],
                   then=[Bin("neg", "subi", "zero", "new"), Store("neg", "out", [Aff((("i", 1),))])]),
            ])]
    kernel = finalize(Kernel("k", [Arg("a", "i32", ndim=2), Arg("out", "i32", ndim=1)], body))
    assert [a.shape for a in kernel.args] == [(3, 4), (3,)]
    a = np.arange(12, dtype=np.int32).reshape(3, 4) - 5
    a[2, 1] = np.iinfo(np.int32).max  # wraps
    out = np.array([1, 2, 3], dtype=np.int32)
    got = run(kernel, {"arg0": a, "arg1": out})
    want = out.astype(np.int64) + (a.astype(np.int64) * 3).sum(axis=1)
    want[2] = -want[2]
    assert np.array_equal(got["arg1"], want.astype(np.int32)) and got["arg1"].dtype == np.int32
    assert np.array_equal(got["arg0"], a)


def test_out_of_bounds_access_is_undefined() -> None:
    kernel = finalize(Kernel("k", [Arg("a", "i16", ndim=1)],
                             [For("i", 0, 3, 1, [Load("x", "a", [Aff((("i", 1),))])])]))
    kernel.args[0].shape = (2,)
    with pytest.raises(Undefined, match="outside shape"):
        run(kernel, {"arg0": np.zeros(2, np.int16)})
