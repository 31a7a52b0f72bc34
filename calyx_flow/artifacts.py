"""What the hardware flow hands to simulation, synthesis and the shell: files and ports."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MemPort:
    """The external-memory ports of one memref argument of the generated core.

    Ports are `{prefix}addr0..addrN-1`, `{prefix}write_data`, `{prefix}write_en`,
    `{prefix}read_data`, `{prefix}done` (Calyx's ext_mem convention, flattened or N-D).
    """

    arg_index: int
    prefix: str
    shape: tuple[int, ...]  # of the memref argument
    element: str  # "i32", ...
    data_width: int
    addr_widths: tuple[int, ...]  # one per address port (1 when the memref was flattened)
    read_latency: int = 1  # cycles from address to read_data


@dataclass(frozen=True)
class ScalarPort:
    arg_index: int
    port: str
    width: int


@dataclass
class HwArtifacts:
    """A kernel compiled to SystemVerilog: its files, its top module and its interface."""

    kernel: str
    top: str
    sv_files: dict[str, str]  # file name -> text, in dependency order
    memories: list[MemPort] = field(default_factory=list)
    scalars: list[ScalarPort] = field(default_factory=list)
    clock: str = "clk"
    reset: str = "reset"
    go: str = "go"
    done: str = "done"
    estimated_cycles: int | None = None
    ir: dict[str, str] = field(default_factory=dict)  # IR level -> text, for --dump-dir
