"""What the hardware flow hands to simulation, synthesis and the shell: files and ports."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MemPort:
    """The external-memory ports of one memref argument of the generated core.

    Ports are `{prefix}addr0..addrN-1`, `{prefix}write_data`, `{prefix}write_en`,
    `{prefix}read_data`, `{prefix}done` (Calyx's ext_mem convention, flattened or N-D).
    A banked argument (hls-bank-memories) has one MemPort per bank: bank `bank` of `banks`
    holds the elements whose index along `bank_dim` is `bank` mod `banks`, in order. A
    replicated read-only argument has a second set of banks, `copy` 1 (filled alike).
    """

    arg_index: int
    prefix: str
    shape: tuple[int, ...]  # of this memory: the memref argument, or one bank of it
    element: str  # "i32", ...
    data_width: int
    addr_widths: tuple[int, ...]  # one per address port (1 when the memref was flattened)
    read_latency: int = 1  # cycles from address to read_data
    bank: int = 0
    banks: int = 1  # 1: the whole argument
    bank_dim: int = 0
    copy: int = 0

    @property
    def arg_shape(self) -> tuple[int, ...]:
        """The shape of the user's memref argument (the bank's, `banks` times along bank_dim)."""
        return tuple(n * self.banks if d == self.bank_dim else n for d, n in enumerate(self.shape))

    def region(self) -> tuple[slice, ...]:
        """The numpy index of this memory's elements in the argument's array: array[region()]."""
        return tuple(slice(self.bank, None, self.banks) if d == self.bank_dim else slice(None)
                     for d in range(len(self.shape)))

    @property
    def label(self) -> str:
        """`arg2`, or `arg2.bank3` for a bank (`arg2.copy1.bank3` in a second copy)."""
        return (f"arg{self.arg_index}" + (f".copy{self.copy}" if self.copy else "")
                + (f".bank{self.bank}" if self.banks > 1 else ""))


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
    # per loop of the schedule (pre-order): {"line", "trips", "interval"} — the initiation
    # interval in cycles, what pipelining (hls-pipeline-loops) and unrolling bring down
    loops: list[dict[str, int | None]] = field(default_factory=list)
    ir: dict[str, str] = field(default_factory=dict)  # IR level -> text, for --dump-dir

    def banking(self) -> str:
        """How each memref argument is held, e.g. `arg2 in 8 banks along dimension 1; arg3
        whole (some access's bank is not a compile-time constant)`."""
        parts, whole = [], []
        for m in self.memories:
            if m.banks > 1 and m.bank == 0:
                copy = f" (copy {m.copy}: the loads that need it)" if m.copy else ""
                parts.append(f"arg{m.arg_index} in {m.banks} banks along dimension "
                             f"{m.bank_dim}{copy}")
            elif m.banks == 1:
                whole.append(f"arg{m.arg_index}")
        if whole:
            parts.append(f"{', '.join(whole)} whole (some access's bank is not a compile-time "
                         "constant)")
        return "; ".join(parts)
