"""The state `unified compile`'s stages share: options in, artifacts out, report figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from calyx_flow.artifacts import HwArtifacts
from hls.opt_pipeline import HlsOptions
from partition.cost_model import KernelCost
from partition.placement import Placement
from unified.app import App


@dataclass
class Build:
    """What the stages share: options in, artifacts out, figures for the report."""

    path: str
    out: Path  # the temporary folder that becomes OUT
    partition: str
    opt_level: int | HlsOptions
    vlen: int
    verilog: bool
    simulate: bool
    entry: str
    dump_dir: Path | None
    progress: Callable[[str], None]
    stop_level: str | None = None  # an IR level of --stop-after
    app: App | None = None
    costs: dict[str, KernelCost] = field(default_factory=dict)
    hw: dict[str, HwArtifacts] = field(default_factory=dict)  # compiled hardware candidates
    placement: Placement | None = None
    vector_text: str = ""  # the whole module at the software flow's vector level
    sw_text: str = ""  # the software module (vector level), hardware kernels declared
    sw_ir: dict[str, str] = field(default_factory=dict)  # software levels after vector
    shell: Any = None
    driver_files: list[str] = field(default_factory=list)
    simulated: dict[str, dict[str, Any]] = field(default_factory=dict)  # kernel -> report
    measured_sw: dict[str, int] = field(default_factory=dict)  # kernel -> modelled RVV cycles
    measured_sw_instructions: dict[str, int] = field(default_factory=dict)  # qemu's count
    timings: dict[str, float] = field(default_factory=dict)
    apart: dict[str, float] = field(default_factory=dict)  # cached builds, timed apart
    notes: list[str] = field(default_factory=list)
    timing: bool = False  # --timing: place and route the cores and the shell
    placed: dict[str, Any] = field(default_factory=dict)  # kernel -> place_route.Timing
    placed_shell: Any = None  # the shell's place_route.Timing
    shell_area: dict[str, dict] = field(default_factory=dict)  # kernel -> its shell's Yosys area
    dlen: int = 0  # --dlen: the RVV timing model's datapath bits (0: the platform's)
