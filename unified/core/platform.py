"""The platform model a unified module carries in `unified.platform`, with its defaults."""

from __future__ import annotations

from dataclasses import dataclass, fields

from unified.core.errors import UnifiedError

REGISTER_BYTES = 0x40  # an accelerator's control and scalar registers, before its scratchpads


def scratchpad_span(elements: int) -> int:
    """Bytes of MMIO window a scratchpad of `elements` (one per 32-bit word) reserves: the
    power of two at or above its size, so that it is decoded by its high address bits."""
    return 1 << max(0, (4 * elements - 1).bit_length())


@dataclass(frozen=True)
class Platform:
    """Bus, clock, area and CPU figures the partitioner and the glue generator work with."""

    bus_width: int = 32  # bits per AXI4-Lite data beat
    mmio_base: int = 0x4000_0000  # first accelerator's register window
    window: int = 0x1_0000  # bytes of address space per accelerator
    clock_mhz: float = 100.0
    area_budget_luts: int = 20_000  # Xilinx LUTs available for accelerators
    onchip_memory_bytes: int = 16_384  # accelerator memory; bigger kernels are tiled
    vlen: int = 128  # RISC-V vector length in bits
    dlen: int = 0  # bits the vector datapath handles a cycle (0: vlen / 2, as SiFive's X280)
    cpu_mhz: float = 100.0  # CPU clock (cycles are converted through it)
    bus_cycles_per_beat: int = 4  # AXI4-Lite: address + data + response handshakes
    dma: bool = True  # a DMA engine moves memrefs in AXI4 bursts (False: word by word)
    dma_width: int = 32  # bits per AXI4 burst beat, 32 or 64
    dma_latency: int = 8  # host memory: bus cycles from a burst's address to its first beat

    def __post_init__(self) -> None:
        if not self.dlen:
            object.__setattr__(self, "dlen", self.vlen // 2)

    def vector_unit(self, vlen: int = 0, dlen: int = 0) -> tuple[int, int]:
        """(VLEN, DLEN) for a build or run: the flags when given (0: not given), else this
        platform's; a VLEN other than the platform's gets DLEN = VLEN/2 unless given."""
        vlen = vlen or self.vlen
        if vlen < 64 or vlen & (vlen - 1):
            raise UnifiedError(f"VLEN {vlen} is not a power of two of at least 64",
                               hint="pass --vlen 128 (or 256, 512, ...)")
        dlen = dlen or (self.dlen if vlen == self.vlen else vlen // 2)
        if dlen < 32 or dlen > vlen or dlen & (dlen - 1):
            raise UnifiedError(f"DLEN {dlen} does not fit VLEN {vlen}: the datapath is a power "
                               "of two of at least 32 bits and at most VLEN",
                               hint=f"pass --dlen {vlen // 2} (VLEN/2, as the X280) or --dlen "
                               f"{vlen}")
        return vlen, dlen

    @classmethod
    def from_dict(cls, values: dict[str, object]) -> Platform:
        """A platform from the attribute's entries; unknown keys raise KeyError with the name."""
        known = {f.name: f for f in fields(cls)}
        kwargs = {}
        for key, value in values.items():
            if key not in known:
                raise KeyError(key)
            kwargs[key] = type(getattr(cls(), key))(value)
        return cls(**kwargs)
