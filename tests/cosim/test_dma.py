"""The DMA engine: a kernel's memrefs cross in AXI4 bursts through the C driver and come back
exact, the co-simulation's protocol checker stops a planted violation, and the cost model's
transfer terms count bursts at the platform's width and agree with the measured cycles."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from cosim_cases import DOUBLE, need

from partition import cost_model
from unified.core.platform import Platform

APP = Path(__file__).parent / "inputs" / "dma_affine.mlir"


def _app(tmp_path: Path, width: int) -> Path:
    path = tmp_path / f"dma_affine_{width}.mlir"
    path.write_text(APP.read_text().replace("WIDTH", str(width)))
    return path


@pytest.mark.parametrize("width", [64])  # 32 bits: the CNN's tests (tests/cosim/test_cnn_cosim.py)
def test_a_kernel_runs_exactly_through_the_dma(tmp_path, width):
    """300-word memrefs in and out through the engine: numpy's answer, every beat asked for
    moved, bursts within 256 beats and 4 KiB, and the cost model's transfer estimate within
    10% of the co-simulation's cycles (1.5% measured)."""
    need("verilator", "cc", "objcopy")
    from unified import cosim
    from unified.app import load_app
    from unified.core import sim_io, source

    path = _app(tmp_path, width)
    src = source.read(path)
    x = np.arange(300, dtype=np.int32) * 7 - 1000
    inputs = sim_io.check_inputs(src.function("main"),
                                 {"arg0": x, "arg1": np.zeros(300, np.int32)}, src.path)
    result = cosim.simulate(src, "main", inputs)
    np.testing.assert_array_equal(result.outputs["arg1"], 3 * x + 1)
    np.testing.assert_array_equal(result.outputs["arg0"], x)
    report = result.report
    dma, beats = report["dma"], 300 * 32 // width
    # both memrefs in, only the written one back (the kernel only loads arg0)
    assert dma["read_beats"] == 2 * beats and dma["write_beats"] == beats
    assert dma["beats_requested"] == 3 * beats
    fewest = -(-beats // 256)  # a memref's bursts, one more where a 4 KiB line splits one
    assert 2 * fewest <= dma["read_bursts"] <= 2 * fewest + 2
    assert fewest <= dma["write_bursts"] <= fewest + 1
    assert report["bus_writes"] == 3 * 7 + 1 and report["bus_reads"] == report["poll_reads"]
    kernel = report["kernels"]["affine"]
    measured = kernel["bus_cycles"] - kernel["cycles"]  # the run overlaps its polls
    app = load_app(path)
    _, model = cost_model.transfer(app.function("affine"), app.platform)
    assert abs(model - measured) <= 0.1 * measured, (model, measured)


def test_protocol_checker_stops_a_missing_wlast(tmp_path):
    """A shell whose engine never raises WLAST (a test-only switch): a transfer into the
    accelerator passes (the slave drives RLAST), the first one back stops the model with
    the checker's message."""
    need("verilator")
    from glue.cosim_bus import CosimBus
    from glue.host_runtime import Accelerator
    from glue.register_map import DmaMap, build_register_map
    from hw_dialects.implements import artifacts_for_module
    from hw_dialects.shell import ShellArtifacts
    from unified.core import source
    from unified.core.errors import SimulationError
    from unified.core.toolchain import worker

    double = source.read(DOUBLE)
    fn = double.function("double")
    art = artifacts_for_module(double.text, "double_core", fn)
    # the engine is left out where no scratchpad reaches `min_words`: put it in for these
    words = build_register_map([art], Platform())
    rmap = replace(words, dma=DmaMap(words.mmio_base + words.window, 32, 8, 1))
    out = worker("pycde").call("module {}", "hw_dialects.axi_top:generate", rmap=rmap,
                               kernels=[art], dma_fault="no_wlast")
    shell = ShellArtifacts({**art.sv_files, **out["files"]}, "unified_top", rmap)
    bus = CosimBus(shell)
    signature = [{"kind": "memref", "dtype": "int32", "shape": [4]}] * 2
    acc = Accelerator(bus, rmap.to_dict()["accels"][0], signature, rmap.to_dict()["dma"])
    values = np.array([3, -4, 5, 1 << 30], np.int32)
    acc.load((values, np.zeros(4, np.int32)))
    acc.start()
    acc.wait()
    pad = rmap.accels[0].scratchpads[1]
    assert [acc.read(pad.offset + 4 * i) for i in range(4)] == list((2 * values).view(np.uint32))
    with pytest.raises(SimulationError, match=r"AXI4 protocol violation on the DMA port at "
                       r"cycle \d+: WLAST is 0 on beat 4 of a 4-beat burst"):
        acc.unload()
    bus.close()


def _kernel(shape: tuple[int, ...]):
    from unified.core.kernels import Arg, Function

    args = (Arg(0, "memref", "i32", shape), Arg(1, "memref", "i32", shape))
    return Function("k", args, (), "hw", False, ("k.mlir", 1, 1))


def test_cost_model_counts_bursts_at_the_platforms_width():
    """Bursts: at most 256 beats and 4 KiB; a transfer costs its seven register writes and a
    poll, (2 + latency) cycles a burst and a word a cycle; small memrefs go word by word."""
    p32 = Platform(bus_cycles_per_beat=2, dma_latency=8)
    p64 = Platform(bus_cycles_per_beat=2, dma_latency=8, dma_width=64)
    assert [cost_model.dma_bursts(n, p32) for n in (1, 256, 257, 2000)] == [1, 1, 2, 8]
    assert [cost_model.dma_bursts(n, p64) for n in (1, 512, 513, 2000)] == [1, 1, 2, 4]
    assert cost_model.dma_transfer_cycles(300, p32) == 2 * (2 + 8) + 300 + 8 * 2
    assert cost_model.dma_transfer_cycles(300, p64) == 1 * (2 + 8) + 300 + 8 * 2
    assert cost_model.dma_min_words(p32) == 27  # 27 words: 8*2 + 10 + 27 = 53 < 54
    assert cost_model.dma_min_words(Platform(dma=False)) == 0
    big, small = _kernel((6, 6)), _kernel((3, 3))
    # two memrefs in and back: four transfers, plus start and one poll of the core
    assert cost_model.transfer(big, p32)[1] == 4 * (10 + 36 + 16) + 2 * 2
    # word by word, each word read back a cycle longer (the shell's read latency)
    assert cost_model.transfer(big, Platform(bus_cycles_per_beat=2, dma=False))[1] == \
        (4 * 36 + 2) * 2 + 2 * 36
    assert cost_model.transfer(small, p32)[1] == (4 * 9 + 2) * 2 + 2 * 9  # under 27 words
    # banks: each bank its own transfer, so 4 banks of 9 words go word by word
    assert cost_model.transfer(big, p32, banks={0: 4, 1: 4})[1] == (4 * 36 + 2) * 2 + 2 * 36
