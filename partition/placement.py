"""The partitioner's result: where each kernel runs and why, with both estimates."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Decision:
    kernel: str
    target: str  # "hw" | "sw"
    reason: str  # one sentence a person can read
    sw_cycles: float | None = None  # CPU cycles per call (estimate)
    hw_cycles: float | None = None  # accelerator cycles per call, go to done (estimate)
    transfer_cycles: float | None = None  # bus cycles to move arguments in and out per call
    hw_luts: int | None = None  # area if placed in hardware
    calls: int = 1  # calls per run of the entry


@dataclass
class Placement:
    decisions: dict[str, Decision] = field(default_factory=dict)
    estimated_total_cycles: float | None = None

    def hw_kernels(self) -> list[str]:
        return [k for k, d in self.decisions.items() if d.target == "hw"]

    def sw_kernels(self) -> list[str]:
        return [k for k, d in self.decisions.items() if d.target == "sw"]
