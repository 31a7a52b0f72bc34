"""f32 kernels: the reference's IEEE-754 binary32 semantics, the "float" profile's generator,
the bit-exact comparison, and a small real slice on Verilator and the host."""

from __future__ import annotations

import dataclasses
import hashlib

import numpy as np
import pytest

from unified.fuzz import targets
from unified.fuzz.desc import (
    Aff,
    Arg,
    Bin,
    Cast,
    Cmp,
    Const,
    For,
    Kernel,
    Load,
    Select,
    Store,
    Unary,
    finalize,
    types,
    walk,
)
from unified.fuzz.generator import features, fit_bounds, generate, make_inputs, products
from unified.fuzz.printer import to_mlir
from unified.fuzz.reference import (
    Undefined,
    f32_bits,
    float_binary,
    float_cast,
    float_compare,
    int_to_f32,
    run,
    to_f32,
)
from unified.fuzz.runner import compare, kernel_seed, run_kernel

FLOAT = features("float")
NAN, INF = f32_bits(float("nan")), f32_bits(float("inf"))
NEG_ZERO, TINY = 0x80000000, 0x00000001  # -0, the least subnormal


def b(x: float) -> int:
    return f32_bits(x)


@pytest.mark.parametrize(("op", "x", "y", "want"), [
    ("addf", 1.0, 2.0 ** -24, 1.0),  # a tie: to even
    ("addf", 1.0, 3 * 2.0 ** -24, 1.0 + 2.0 ** -22),  # above the tie: up
    ("subf", 0.0, 0.0, 0.0), ("mulf", -0.0, 5.0, -0.0),
    ("mulf", 2.0 ** -100, 2.0 ** -40, 2.0 ** -140),  # a subnormal result, kept
    ("divf", 1.0, 0.0, float("inf")), ("divf", -1.0, 0.0, float("-inf")),
    ("divf", 1.0, 3.0, float(np.float32(1 / 3))),
    ("maximumf", -0.0, 0.0, 0.0), ("minimumf", 0.0, -0.0, -0.0), ("maximumf", 3.0, -7.0, 3.0),
])
def test_float_ops_round_once_to_nearest_even(op: str, x: float, y: float, want: float) -> None:
    assert float_binary(op, b(x), b(y)) == b(want)


def test_nan_and_infinity() -> None:
    assert np.isnan(to_f32(float_binary("addf", INF, b(float("-inf")))))
    assert np.isnan(to_f32(float_binary("maximumf", NAN, b(1.0))))
    assert float_binary("subf", TINY, TINY) == 0  # x - x = +0
    for pred, want in [("oeq", 0), ("one", 0), ("ord", 0), ("une", 1), ("uno", 1), ("ult", 1)]:
        assert float_compare(pred, NAN, b(1.0)) == want
    assert float_compare("oeq", NEG_ZERO, 0) == 1 and float_compare("olt", NEG_ZERO, 0) == 0
    assert float_compare("one", b(1.0), b(2.0)) == 1 and float_compare("ueq", b(1.0), b(1.0)) == 1


def test_conversions() -> None:
    assert int_to_f32(2 ** 24 + 1) == b(2.0 ** 24)  # tie: to even
    assert int_to_f32(2 ** 24 + 3) == b(2.0 ** 24 + 4)
    assert int_to_f32(-(2 ** 63)) == b(-(2.0 ** 63))
    assert float_cast("uitofp", 0xFFFFFFFF, "i32", "f32") == b(2.0 ** 32)  # rounds up
    assert float_cast("sitofp", 0xFFFFFFFF, "i32", "f32") == b(-1.0)
    assert float_cast("sitofp", 0x80, "i8", "f32") == b(-128.0)
    assert float_cast("fptosi", b(-7.9), "f32", "i32") == (-7) & 0xFFFFFFFF  # toward zero
    assert float_cast("fptoui", b(255.9), "f32", "i8") == 255
    assert float_cast("fptoui", b(-0.5), "f32", "i16") == 0
    for x, t in [(128.0, "i8"), (float("nan"), "i32"), (2.0 ** 31, "i32"), (-1.0, "i64")]:
        op = "fptoui" if x == -1.0 else "fptosi"
        with pytest.raises(Undefined):
            float_cast(op, b(x), "f32", t)


@pytest.mark.parametrize("bits", [8, 16, 32, 64])
def test_the_clamp_bounds_convert(bits: int) -> None:
    for op in ("fptosi", "fptoui"):
        lo, hi = fit_bounds(op, bits)
        assert float(np.float32(lo)) == lo and float(np.float32(hi)) == hi
        for x in (lo, hi):
            float_cast(op, b(x), "f32", f"i{bits}")  # in range: no Undefined
        above = max(np.nextafter(np.float32(hi), np.float32(np.inf)), np.float32(hi + 1))
        with pytest.raises(Undefined):
            float_cast(op, b(float(above)), "f32", f"i{bits}")


def test_compare_is_bitwise_and_nans_are_equal() -> None:
    want = {"arg0": np.array([np.nan, 0.0, 1.5], np.float32)}
    assert compare({"arg0": np.array([-np.nan, 0.0, 1.5], np.float32)}, want) is None
    assert compare({"arg0": np.array([np.nan, -0.0, 1.5], np.float32)}, want) is not None
    bits = np.array([0x7FC00001, 0, 0x3FC00000], np.uint32).view(np.int32)
    assert compare({"arg0": bits}, want) is None  # outputs as bit patterns


def test_default_profiles_draw_the_same_kernels() -> None:
    """The integer profiles' random streams do not change with floats (a campaign reruns
    kernel I with --only I): a digest of 20 kernels and inputs of each, as before floats."""
    h = hashlib.sha256()
    for profile in ("full", "basic"):
        for index in range(10):
            seed = kernel_seed(61, index)
            kernel = generate(seed, features(profile))
            h.update(to_mlir(kernel).encode())
            for name, value in make_inputs(kernel, seed).items():
                h.update(name.encode() + value.tobytes())
    assert h.hexdigest() == "ebd1e5afeb732d72a55074da783630bce4e913f3a18b2a5d996a4d269f821602"


def test_float_kernels_are_well_defined_and_exact_for_software() -> None:
    seen: set[str] = set()
    for seed in range(150):
        kernel = generate(seed, FLOAT)
        run(kernel, make_inputs(kernel, seed))  # raises Undefined otherwise
        env = types(kernel)
        stmts = list(walk(kernel.body)) + (kernel.helper.body if kernel.helper else [])
        held = products(kernel, stmts)
        for s in stmts:
            if isinstance(s, Bin) and s.op in ("addf", "subf"):
                assert not {s.a, s.b} & held, (seed, s)
            if isinstance(s, For):
                carried = {a for a, _ in s.iters}
                for d in s.body:
                    if isinstance(d, Bin) and d.res in s.yields and {d.a, d.b} & carried:
                        assert d.op not in ("addf", "mulf"), (seed, d)
            if isinstance(s, Cast) and s.op.startswith("fpto"):
                seen.add(s.op)
            seen.add(getattr(s, "op", type(s).__name__))
        assert all(env[a.name] != "f32" for a in kernel.args if not a.is_memref)
    assert {"addf", "subf", "mulf", "divf", "maximumf", "minimumf", "negf", "sitofp", "uitofp",
            "fptosi", "fptoui"} <= seen


def test_float_inputs_hold_specials() -> None:
    values = np.concatenate([v.reshape(-1) for seed in range(40)
                             for v in make_inputs(generate(seed, FLOAT), seed).values()
                             if v.dtype == np.float32])
    assert np.isnan(values).any() and np.isinf(values).any()
    assert ((values != 0) & (np.abs(values) < np.float32(1.1754944e-38))).any()  # subnormals


def _clamp_kernel() -> Kernel:
    """out[i] = float(fptosi(clamp(a[i])) as i8) + (-a[i]) / 3, and m[i] = max(a[i], -0)."""
    i = Aff((("i", 1),))
    body = [Const("lo", "f32", -128.0), Const("hi", "f32", 127.0), Const("three", "f32", 3.0),
            Const("nz", "f32", -0.0),
            For("i", 0, 8, 1, [
                Load("x", "a", [i]),
                Cmp("below", "ult", "x", "lo"), Select("x1", "below", "lo", "x"),
                Cmp("above", "ogt", "x1", "hi"), Select("x2", "above", "hi", "x1"),
                Cast("n", "fptosi", "x2", "i8"), Cast("f", "sitofp", "n", "f32"),
                Unary("neg", "negf", "x"), Bin("q", "divf", "neg", "three"),
                Bin("r", "addf", "f", "q"), Store("r", "out", [i]),
                Bin("m", "maximumf", "x", "nz"), Store("m", "mx", [i]),
            ])]
    return finalize(Kernel("k", [Arg("a", "f32", ndim=1), Arg("out", "f32", ndim=1),
                                 Arg("mx", "f32", ndim=1)], body))


CLAMP_IN = np.array([np.nan, np.inf, -300.5, 126.9, -0.0, 1e-45, 2.5, -7.75], np.float32)


def test_a_clamped_conversion_by_hand() -> None:
    got = run(_clamp_kernel(), {"arg0": CLAMP_IN, "arg1": np.zeros(8, np.float32),
                                "arg2": np.zeros(8, np.float32)})
    with np.errstate(all="ignore"):
        fixed = np.array([-128, 127, -128, 126, 0, 0, 2, -7], np.float32)
        want = fixed + (-CLAMP_IN) / np.float32(3)
    assert compare({"arg1": got["arg1"]}, {"arg1": want.astype(np.float32)}) is None
    mx = got["arg2"].view(np.uint32)
    assert np.isnan(got["arg2"][0]) and mx[4] == 0x80000000 and mx[5] == 1  # -0 kept, subnormal


@pytest.mark.parametrize("name", ["hw-O0", "sw"])
def test_the_clamped_conversion_on_a_target(name: str) -> None:
    if name.startswith("hw") and targets.tool_missing("verilator"):
        pytest.skip("verilator is missing")
    kernel = _clamp_kernel()
    given = {"arg0": CLAMP_IN, "arg1": np.zeros(8, np.float32), "arg2": np.zeros(8, np.float32)}
    rows_dir = __import__("tempfile").mkdtemp(prefix="fuzz-float-")
    path = __import__("pathlib").Path(rows_dir) / "k.mlir"
    path.write_text(to_mlir(kernel))
    got = targets.simulate(targets.read_source(path), "k", given, targets.parse_target(name))
    assert compare(got, run(kernel, given)) is None


# Small kernels keep Verilator quick: at most 60 iterations, 96 elements per memref.
SMALL = dataclasses.replace(FLOAT, max_iterations=60, max_elements=96)


@pytest.mark.parametrize("index", [20, 30])  # kernels with many float ops among the small ones
def test_small_float_kernels_on_hw_and_sw(index: int) -> None:
    if targets.tool_missing("verilator"):
        pytest.skip("verilator is missing")
    rows = run_kernel(kernel_seed(2025, index), index, ["hw-O0", "sw"], SMALL)
    bad = [f"{r.target}: {r.outcome}: {r.detail}" for r in rows if r.outcome != "ok"]
    assert not bad, "\n".join(bad)


def test_float_kernels_parse_and_verify(tmp_path) -> None:
    """Twenty float kernels (absf too, which the profile leaves out) through the MLIR verifier."""
    import re
    import subprocess

    with_absf = dataclasses.replace(FLOAT, ops=FLOAT.ops + ("absf",))
    text = "".join(to_mlir(generate(seed, with_absf, name=f"k{seed}")) for seed in range(20))
    assert "math.absf" in text and "arith.cmpf" in text and "arith.fptoui" in text
    path = tmp_path / "kernels.mlir"
    path.write_text(text)
    proc = subprocess.run([targets.opt_script(), str(path), "-p", ""], check=False,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert len(re.findall(r"func\.func @k\d+\(", proc.stdout)) == 20


def stores_a_quotient_and_converts(kernel: Kernel, inputs: dict) -> bool:
    """Planted 'bug': a divf result stored to memory, and a used fptosi/fptoui."""
    from unified.fuzz.edit import used_names

    used = used_names(kernel)
    stored = {s.val for s in walk(kernel.body) if isinstance(s, Store)}
    body = list(walk(kernel.body))
    return (any(isinstance(s, Bin) and s.op == "divf" and s.res in stored for s in body)
            and any(isinstance(s, Cast) and s.op.startswith("fpto") and s.res in used
                    for s in body))


def test_a_float_kernel_reduces_and_stays_defined() -> None:
    from unified.fuzz import edit
    from unified.fuzz.reduce import reduce

    kernel = next(k for k in (generate(s, FLOAT) for s in range(300))
                  if stores_a_quotient_and_converts(k, {}) and edit.size(k) > 30)
    given = make_inputs(kernel, kernel.seed)
    small, inputs = reduce(kernel, given, stores_a_quotient_and_converts, budget=300)
    assert stores_a_quotient_and_converts(small, inputs)
    assert edit.size(small) < edit.size(kernel) // 2, to_mlir(small)
    run(small, inputs)  # the clamp survives: still well defined
