"""The platform model a unified module carries in `unified.platform`, with its defaults."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Platform:
    """Bus, clock, area and CPU figures the partitioner and the glue generator work with."""

    bus_width: int = 32  # bits per AXI4-Lite data beat
    mmio_base: int = 0x4000_0000  # first accelerator's register window
    window: int = 0x1_0000  # bytes of address space per accelerator
    clock_mhz: float = 100.0
    area_budget_luts: int = 20_000  # Xilinx LUTs available for accelerators
    vlen: int = 128  # RISC-V vector length in bits
    dlen: int = 0  # bits the vector datapath handles a cycle (0: vlen / 2, as SiFive's X280)
    cpu_mhz: float = 100.0  # CPU clock (cycles are converted through it)
    bus_cycles_per_beat: int = 4  # AXI4-Lite: address + data + response handshakes

    def __post_init__(self) -> None:
        if not self.dlen:
            object.__setattr__(self, "dlen", self.vlen // 2)

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
