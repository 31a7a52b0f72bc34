"""Shared pieces of the co-simulation tests: the CNN's numpy reference and tool checks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from unified.core import tools
from unified.core.errors import ToolNotFound

ROOT = Path(__file__).resolve().parents[2]
# the first demo (a one-channel 8x8 convolution): small, and every kernel loses in hardware
CNN = Path(__file__).parent / "inputs" / "cnn.mlir"
DOUBLE = Path(__file__).parent / "inputs" / "double_rtl.mlir"
AXPY = Path(__file__).parent / "inputs" / "axpy_twice.mlir"


def need(*names: str) -> None:
    """Skips the test, naming the package, when a tool is missing."""
    for name in names:
        try:
            tools.find(name)
        except ToolNotFound as e:
            pytest.skip(f"{name} is missing: {e.render()}")


def cnn_inputs(seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {"arg0": rng.integers(-8, 8, (8, 8)).astype(np.int32),
            "arg1": rng.integers(-3, 4, (3, 3)).astype(np.int32),
            "arg2": rng.integers(-3, 4, (4, 3, 3)).astype(np.int32),
            "arg3": np.zeros(4, np.float32)}


def cnn_reference(inputs: dict[str, np.ndarray]) -> np.ndarray:
    """cnn.mlir's @main in numpy: conv 3x3, ReLU, 2x2 max-pool, dense, scale."""
    img, w, fw = inputs["arg0"], inputs["arg1"], inputs["arg2"]
    conv = np.array([[np.sum(img[i:i + 3, j:j + 3] * w) for j in range(6)] for i in range(6)])
    pool = np.maximum(conv, 0).reshape(3, 2, 3, 2).max(axis=(1, 3))
    logits = np.einsum("ij,oij->o", pool, fw).astype(np.float32)
    return logits * np.float32(0.0078125)


def expected_transactions(register_map: dict, read_only: set[tuple[str, int]] = frozenset()
                          ) -> tuple[int, int]:
    """(writes, reads besides polls) of one call of every accelerator in `register_map` (a
    report's): a DMA transfer each way (seven register writes) for every scratchpad of at
    least `min_words` words, one transaction per word for the others (copies are filled,
    not read back, and neither are the (kernel, argument) pairs in `read_only`: memrefs the
    kernel only loads), one write per scalar word and one start."""
    from partition.cost_model import DMA_PROGRAM_WRITES

    dma = register_map.get("dma")
    writes = reads = 0
    for accel in register_map["accels"]:
        for m in accel["scratchpads"]:
            words = int(np.prod(m["shape"]))
            by_dma = dma is not None and words >= dma["min_words"]
            back = 0 if m["copy"] or (accel["kernel"], m["arg_index"]) in read_only else 1
            writes += (DMA_PROGRAM_WRITES * (1 + back)) if by_dma else words
            reads += 0 if by_dma else words * back
        writes += sum(s["words"] for s in accel["scalars"]) + 1
    return writes, reads
