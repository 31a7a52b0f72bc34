"""The CNN example co-simulated: software on the host, hardware kernels in Verilator behind
the AXI4-Lite shell, reached through the generated C driver."""

from __future__ import annotations

import numpy as np
import pytest
from cosim_cases import CNN, cnn_inputs, cnn_reference, expected_transactions, need

from partition.placement import Placement
from unified import cosim
from unified.app import estimated_placement, load_app
from unified.core import sim_io, source


def _run(placement: Placement | None, seed: int = 0):
    src = source.read(CNN)
    inputs = sim_io.check_inputs(src.function("main"), cnn_inputs(seed), src.path)
    return inputs, cosim.simulate(src, "main", inputs, placement=placement)


def _forced(app, hw: set[str]) -> Placement:
    """Every kernel in software except those in `hw` (the partitioner's own decisions kept)."""
    placement = estimated_placement(app, "sw")
    for k, decision in placement.decisions.items():
        decision.target = "hw" if k in hw else "sw"
    return placement


@pytest.fixture(scope="module")
def all_hw():
    need("verilator", "cc", "objcopy")
    app = load_app(CNN)
    return _run(estimated_placement(app, "hw"))


def test_five_hardware_kernels_give_numpys_answer(all_hw):
    """Every kernel in hardware, the f32 @scale too (our IEEE-754 units, f32 words on the bus
    as bit patterns): numpy's answer bit for bit."""
    inputs, result = all_hw
    assert result.report["placement"] == {"conv2d": "hw", "relu": "hw", "maxpool": "hw",
                                          "dense": "hw", "scale": "hw"}
    np.testing.assert_array_equal(result.outputs["arg3"], cnn_reference(inputs))
    np.testing.assert_array_equal(result.outputs["arg0"], inputs["arg0"])  # inputs untouched


def test_bus_transactions_are_what_the_register_map_implies(all_hw):
    """The driver moves each scratchpad of at least the map's `min_words` words in one DMA
    transfer each way (seven register writes, then polls of the engine), smaller ones one
    AXI4-Lite transaction per word (27 words is the break-even at cnn.mlir's 2-cycle bus)."""
    _, result = all_hw
    report = result.report
    assert report["register_map"]["dma"]["min_words"] == 27
    app = load_app(CNN)
    read_only = {(k, a.index) for k in app.kernels() for a in app.function(k).args
                 if a.read_only}
    assert read_only == {("conv2d", 0), ("conv2d", 1), ("relu", 0), ("maxpool", 0),
                         ("dense", 0), ("dense", 1), ("scale", 0)}
    writes, reads = expected_transactions(report["register_map"], read_only)
    # conv2d 64 (DMA, in only) + 9 + 36 (DMA, both ways); relu 36 (DMA in) + 36 (DMA both
    # ways); maxpool 36 (DMA, in only) + 9; dense 9 + 36 (DMA, in only) + 4; scale 4 + 4: a
    # start each. Memrefs a kernel only loads are not copied back.
    assert writes == (7 + 9 + 7 + 7 + 1) + (21 + 1) + (7 + 9 + 1) + (9 + 7 + 4 + 1) + 9
    assert report["bus_writes"] == writes
    assert report["bus_reads"] == reads + report["poll_reads"]
    assert report["bus_transactions"] == report["bus_writes"] + report["bus_reads"]
    assert all(k["runs"] == 1 for k in report["kernels"].values())
    assert report["kernels"]["relu"]["writes"] == 1  # its data went through the engine
    dma = report["dma"]
    # 6 scratchpads of >= 27 words go in; conv2d's and relu's outputs come back
    assert dma["read_bursts"] == 6 and dma["write_bursts"] == 2
    assert dma["read_beats"] == 64 + 36 + 36 + 36 + 36 + 36 and dma["write_beats"] == 2 * 36
    assert dma["read_beats"] + dma["write_beats"] == dma["beats_requested"]


def test_transfer_estimates_match_the_measured_bus_cycles(all_hw):
    """The cost model's transfer per kernel (32-bit DMA bursts for scratchpads of 27 words and
    more, AXI4-Lite words for the rest) against the co-simulation: a kernel's bus cycles less
    the go-to-done cycles its polls overlap. Measured: within 4% for each kernel (dense
    104 against 100; a word read back costs a cycle more since the shell answers reads a
    cycle late)."""
    from partition import cost_model

    _, result = all_hw
    app = load_app(CNN)
    for k, measured in result.report["kernels"].items():
        model = cost_model.transfer(app.function(k), app.platform)[1]
        assert model == pytest.approx(measured["bus_cycles"] - measured["cycles"], rel=0.05), k


def test_kernel_cycles_match_the_bare_core_in_verilator(all_hw):
    """Go-to-done cycles behind the shell equal those of the core alone (calyx_flow's bench)."""
    from unified import hw_sim

    inputs, result = all_hw
    src = source.read(CNN)
    img, w = inputs["arg0"], inputs["arg1"]
    conv = np.array([[np.sum(img[i:i + 3, j:j + 3] * w) for j in range(6)] for i in range(6)])
    bare = hw_sim.simulate(src, "relu", {"arg0": conv.astype(np.int32),
                                         "arg1": np.zeros((6, 6), np.int32)})
    assert result.report["kernels"]["relu"]["cycles"] == bare.report["cycles"]
    assert result.report["cycles"] == sum(k["cycles"] for k in result.report["kernels"].values())


def test_mixed_placement_gives_numpys_answer():
    need("verilator", "cc", "objcopy")
    app = load_app(CNN)
    inputs, result = _run(_forced(app, {"relu", "dense"}), seed=1)
    np.testing.assert_array_equal(result.outputs["arg3"], cnn_reference(inputs))
    assert set(result.report["kernels"]) == {"relu", "dense"}
    assert result.report["kernels"]["relu"]["cycles"] > 0
    assert result.report["bus_writes"] == (3 * 7 + 1) + (9 + 7 + 4 + 1)  # DMA: 36 words


def test_automatic_placement_gives_numpys_answer():
    """--target auto decides as `unified compile` does: @relu in hardware (forced by its
    unified.target), the other kernels in software (cheaper there on RVV; @scale is float)."""
    need("verilator", "cc", "objcopy")
    inputs, result = _run(None, seed=2)
    np.testing.assert_array_equal(result.outputs["arg3"], cnn_reference(inputs))
    assert result.report["placement"] == {"conv2d": "sw", "relu": "hw", "maxpool": "sw",
                                          "dense": "sw", "scale": "sw"}
    assert sorted(result.report["kernels"]) == ["relu"]
    assert result.report["bus_writes"] == 3 * 7 + 1  # 36-word DMA transfers: two in, one back
    assert result.report["cycles"] == sum(k["cycles"] for k in result.report["kernels"].values())
