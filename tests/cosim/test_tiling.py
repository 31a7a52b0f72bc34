"""tile-for-hw (partition/tile_for_hw.py): kernels over the on-chip memory budget run as
software tile loops around a tile kernel, exactly; a kernel that cannot be tiled is a
located error."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from cosim_cases import need

INPUTS = Path(__file__).parent / "inputs"
GEMM16 = INPUTS / "gemm16_small_budget.mlir"
ORDERED = INPUTS / "ordered_update.mlir"
UNTILEABLE = INPUTS / "untileable_hw.mlir"
SHAPES = INPUTS / "tiling_shapes.mlir"


def test_gemm16_tiled_cosimulates_exactly():
    """The tile kernel in Verilator behind the shell, the tile loops on the host: C += A B."""
    need("verilator", "cc", "objcopy")
    from unified import cosim
    from unified.app import load_app
    from unified.core import sim_io

    app = load_app(GEMM16)
    [t] = app.tilings
    assert (t["kernel"], t["tile_kernel"], t["trips"]) == ("gemm", "gemm_tile", (16, 16, 16))
    assert t["bytes_whole"] == 3072 and t["bytes_tile"] <= 1024 == t["budget"]
    assert t["calls"] == 16 * 16 * 16 // np.prod(t["tile"]) > 1
    rng = np.random.default_rng(7)
    a, b, c = (rng.integers(-1000, 1000, (16, 16)).astype(np.int32) for _ in range(3))
    inputs = sim_io.check_inputs(app.function("main"), {"arg0": a, "arg1": b, "arg2": c},
                                 app.path)
    result = cosim.simulate(app.src, "main", inputs)
    np.testing.assert_array_equal(result.outputs["arg2"], c + a @ b)
    assert result.report["placement"] == {"gemm": "sw", "gemm_tile": "hw"}
    assert result.report["kernels"]["gemm_tile"]["runs"] == t["calls"]


def test_ordered_updates_keep_their_order_on_the_host():
    """x = 3x - a is not associative: j is split, k stays whole, and the tiled module (run on
    the host) gives numpy's answer for the original loop order."""
    need("cc")
    from unified import sw_run
    from unified.app import load_app
    from unified.core import sim_io

    app = load_app(ORDERED)
    [t] = app.tilings
    assert (t["tile"], t["calls"]) == ((1, 3, 4), 4)
    rng = np.random.default_rng(3)
    a = rng.integers(-9, 9, (2, 6, 4)).astype(np.int32)
    x = rng.integers(-9, 9, 2).astype(np.int32)
    inputs = sim_io.check_inputs(app.function("main"), {"arg0": a, "arg1": x}, app.path)
    result = sw_run.simulate(app.src, "main", inputs, target="sw")
    want = x.astype(np.int64)
    for j in range(6):
        for k in range(4):
            want = (3 * want - a[:, j, k]).astype(np.int32).astype(np.int64)
    np.testing.assert_array_equal(result.outputs["arg1"], want.astype(np.int32))


def test_tiled_shapes_match_the_original_on_the_host():
    """Transposed, offset, strided, ordered, chained and convolution accesses: the tiled
    module and the original, both run on the host, agree on every output bit for bit."""
    need("cc")
    from unified import sw_run
    from unified.app import load_app
    from unified.core import sim_io, source
    from unified.measure import sample_inputs

    app = load_app(SHAPES)
    assert sorted(t["kernel"] for t in app.tilings) == ["chained", "conv", "ordered", "stencil",
                                                        "strided", "transpose_add"]
    assert all(t["bytes_tile"] <= 256 < t["bytes_whole"] and t["calls"] > 1
               for t in app.tilings)
    original = source.read(SHAPES)
    inputs = sim_io.check_inputs(app.function("main"), sample_inputs(app.function("main"), 5),
                                 app.path)
    tiled = sw_run.simulate(app.src, "main", inputs, target="sw").outputs
    whole = sw_run.simulate(original, "main", inputs, target="sw").outputs
    assert tiled.keys() == whole.keys()
    for name in whole:
        np.testing.assert_array_equal(tiled[name], whole[name], err_msg=name)


def test_tile_choice_keeps_ordered_updates_in_order():
    """X[i] updated over (i, j, k) from A[i][j][k] in order, 16 words of budget: a loop not
    indexing X may be split only when the free loops before it are split to 1 and the ones
    after it are whole."""
    from partition.tile_for_hw import Access, Nest, choose_tile, keeps_order

    a = Access(((1, 0, 0), (0, 1, 0), (0, 0, 1)), (0, 0, 0))
    nest = Nest([], (2, 6, 8), {0: a, 1: Access(((1, 0, 0),), (0,))}, [1], (), {0: 4, 1: 4})
    assert choose_tile(nest, 64) == (1, 3, 4)  # associative: the fewest words moved
    nest.ordered = ((1, 2),)
    assert [keeps_order(nest, t) for t in ((1, 3, 4), (2, 3, 8), (2, 1, 4), (1, 6, 8))] \
        == [False, True, True, True]
    assert choose_tile(nest, 64) == (1, 1, 8)
    assert choose_tile(nest, 12) == (1, 1, 2)  # free loops split to 1, then k


def test_untileable_kernel_forced_to_hardware_is_located(tmp_out, run_script):
    proc = run_script("unified", "compile", UNTILEABLE, "-o", tmp_out / "build")
    assert proc.returncode == 1
    assert re.fullmatch(
        re.escape(f"{UNTILEABLE}:4:3: error: @gemm is forced to hardware and its memref "
                  "arguments take 3072 bytes, more than the on-chip memory budget (1024 bytes), "
                  "but it cannot be tiled: its loops are not perfectly nested — raise "
                  "onchip_memory_bytes in unified.platform, write the kernel as one perfect "
                  "affine loop nest, or set unified.target = \"auto\"") + r"\n", proc.stderr)
    assert not (tmp_out / "build").exists()
