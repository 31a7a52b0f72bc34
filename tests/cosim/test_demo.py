"""The demo (examples/cnn.mlir, an 8 -> 8 channel convolution layer and its CNN): the cost
model places the convolution and the dense layer in hardware because they win there, and
the whole application, co-simulated through the driver, gives numpy's answer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from cosim_cases import need

from unified import cosim
from unified.core import sim_io, source
from unified.cosim import auto_placement

DEMO = Path(__file__).resolve().parents[2] / "examples" / "cnn.mlir"


def _inputs(seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {"arg0": rng.integers(-8, 8, (8, 10, 10)).astype(np.int32),
            "arg1": rng.integers(-3, 4, (8, 8, 3, 3)).astype(np.int32),
            "arg2": rng.integers(-3, 4, (10, 8, 4, 4)).astype(np.int32),
            "arg3": np.zeros(10, np.float32)}


def _reference(inputs: dict[str, np.ndarray]) -> np.ndarray:
    img, w, fw = (inputs[k].astype(np.int64) for k in ("arg0", "arg1", "arg2"))
    conv = np.zeros((8, 8, 8), np.int64)
    for ky in range(3):
        for kx in range(3):
            conv += np.einsum("oc,cyx->oyx", w[:, :, ky, kx], img[:, ky:ky + 8, kx:kx + 8])
    pool = np.maximum(conv, 0).reshape(8, 4, 2, 4, 2).max(axis=(2, 4))
    logits = np.einsum("cij,ocij->o", pool, fw).astype(np.int32).astype(np.float32)
    return logits * np.float32(0.0078125)


def test_heavy_kernels_go_to_hardware_on_cost_and_cosimulate_exactly():
    need("verilator", "cc", "objcopy")
    _, placement = auto_placement(str(DEMO), "main", opt_level=3)  # as `unified compile`
    decisions = placement.decisions
    assert {k: d.target for k, d in decisions.items()} == {
        "conv2d": "hw", "relu": "hw", "maxpool": "sw", "dense": "hw", "scale": "sw"}
    for kernel in ("conv2d", "dense"):  # chosen, not forced: hardware is faster with the copies
        d = decisions[kernel]  # (both clocks are 100 MHz in the demo's platform)
        assert d.reason.startswith("hardware: "), d.reason
        assert d.hw_cycles + d.transfer_cycles < d.sw_cycles, d

    src = source.read(DEMO)
    inputs = sim_io.check_inputs(src.function("main"), _inputs(3), src.path)
    result = cosim.simulate(src, "main", inputs, placement=placement, opt_level=3)
    np.testing.assert_array_equal(result.outputs["arg3"], _reference(inputs))
    assert sorted(result.report["kernels"]) == ["conv2d", "dense", "relu"]
    # the convolution's cycles as its schedule estimated them
    assert result.report["kernels"]["conv2d"]["cycles"] == decisions["conv2d"].hw_cycles
