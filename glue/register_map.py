"""The register map of the hardware side: where each accelerator's registers and scratchpads sit.

Every accelerator owns one `platform.window` of the MMIO space, starting at
`platform.mmio_base` in kernel order. Inside a window (byte offsets, 32-bit bus words):

    0x000  CTRL    write: bit0 start (ignored while busy; clears done), bit1 clear done,
                   bit2 interrupt enable.  read: bit0 busy, bit1 done, bit2 interrupt enable
    0x004  CYCLES  read-only: cycles from go to done of the last run
    0x010  ARGn    one register per scalar argument (two words, low first, above 32 bits)
    ....   MEMn    one scratchpad window per memref argument, aligned to its power-of-two size
    ....   MEMn_Bb one window per bank instead, when the argument was banked (--banks F): bank b
                   holds, row-major, the elements whose index along the banked dimension is
                   b mod F (the driver copies each element to its bank)
    ....   MEMn_C1_Bb the banks of a second copy of a read-only argument that the core reads
                   both by rows and by columns: the driver fills both, reads back copy 0

Scratchpads hold ONE ELEMENT PER BUS WORD, row-major: an i8 or i16 element is written in the
low bits of its word (upper bits ignored) and read back zero-extended. This wastes bus
bandwidth on narrow elements but keeps the scratchpad a plain array the core indexes
directly; elements wider than the bus are not supported in hardware.

With `platform.dma` (and a scratchpad large enough to use it) the window after the last
accelerator's holds the DMA engine's registers
(hw_dialects/dma.py), which move words between host memory and a scratchpad in AXI4 bursts
(the driver uses it for scratchpads of at least `DmaMap.min_words` words, where one transfer
costs less than that many AXI4-Lite transactions):

    0x00  DMA_CTRL    write: bit0 start (ignored while busy). read: bit0 busy, bit1 done,
                      bit2 error (a read or write burst answered SLVERR/DECERR)
    0x08  DMA_HOST_LO / 0x0c DMA_HOST_HI   host byte address (aligned to a beat)
    0x10  DMA_ACCEL   the target accelerator's index
    0x14  DMA_OFFSET  the first word inside the target's window (byte offset / 4)
    0x18  DMA_LENGTH  words to move
    0x1c  DMA_DIR     0: host to accelerator, 1: accelerator to host
    0x20  DMA_BURSTS  read-only: bursts the last transfer took
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from math import prod

from calyx_flow.artifacts import HwArtifacts
from partition.cost_model import dma_min_words
from unified.core.errors import UnifiedError
from unified.core.platform import REGISTER_BYTES, Platform, scratchpad_span

CTRL = 0x000
CYCLES = 0x004
ARGS_BASE = 0x010
CTRL_START, CTRL_DONE, CTRL_IE = 1, 2, 4  # CTRL bits
DMA_CTRL, DMA_HOST_LO, DMA_HOST_HI, DMA_ACCEL = 0x00, 0x08, 0x0C, 0x10
DMA_OFFSET, DMA_LENGTH, DMA_DIR, DMA_BURSTS = 0x14, 0x18, 0x1C, 0x20
DMA_BUSY, DMA_DONE, DMA_ERROR = 1, 2, 4  # DMA_CTRL bits
DMA_REGISTERS = (
    (DMA_CTRL, "DMA_CTRL", "rw", "start (bit0); read: busy (bit0), done (bit1), error (bit2)"),
    (DMA_HOST_LO, "DMA_HOST_LO", "rw", "host byte address, low word (aligned to a beat)"),
    (DMA_HOST_HI, "DMA_HOST_HI", "rw", "host byte address, high word"),
    (DMA_ACCEL, "DMA_ACCEL", "rw", "target accelerator (its index)"),
    (DMA_OFFSET, "DMA_OFFSET", "rw", "first word in the target's window (byte offset / 4)"),
    (DMA_LENGTH, "DMA_LENGTH", "rw", "words to move"),
    (DMA_DIR, "DMA_DIR", "rw", "0: host to accelerator, 1: accelerator to host"),
    (DMA_BURSTS, "DMA_BURSTS", "ro", "bursts the last transfer took"),
)


@dataclass(frozen=True)
class ScalarReg:
    """A scalar argument's register: `words` consecutive bus words from `offset`."""

    arg_index: int
    offset: int
    bits: int
    words: int


@dataclass(frozen=True)
class Scratchpad:
    """A memref argument's scratchpad: `elements` words from `offset`, `span` bytes reserved."""

    arg_index: int
    mem_index: int  # position among the memref arguments (the core's ext_mem<N>)
    offset: int
    span: int  # power of two >= elements * 4
    shape: tuple[int, ...]  # of this scratchpad: the argument, or one bank of it
    element: str
    bits: int
    bank: int = 0
    banks: int = 1  # 1: the whole argument
    bank_dim: int = 0
    copy: int = 0  # a replicated read-only argument's second set of banks: 1

    @property
    def elements(self) -> int:
        return prod(self.shape)

    @property
    def name(self) -> str:
        """`MEM2`, or `MEM2_B3` for bank 3 of argument 2 (`MEM2_C1_B3` in its copy 1)."""
        return (f"MEM{self.arg_index}" + (f"_C{self.copy}" if self.copy else "")
                + (f"_B{self.bank}" if self.banks > 1 else ""))

    def source_index(self, i: int) -> int:
        """The row-major index in the user's array of this scratchpad's element `i`."""
        inner = prod(self.shape[self.bank_dim + 1:])
        size = self.shape[self.bank_dim]
        outer, rest = divmod(i, inner * size)
        along, low = divmod(rest, inner)
        return ((outer * size * self.banks) + along * self.banks + self.bank) * inner + low


@dataclass(frozen=True)
class AccelMap:
    """One accelerator: kernel name, absolute base address and its argument registers."""

    kernel: str
    index: int
    base: int
    scalars: tuple[ScalarReg, ...]
    scratchpads: tuple[Scratchpad, ...]

    def transactions_per_call(self) -> tuple[int, int]:
        """(writes, reads) one driver call makes besides polling CTRL: every memref is copied
        in (into each copy) and back, every scalar written, CTRL written once to start."""
        words = sum(s.elements for s in self.scratchpads)
        back = sum(s.elements for s in self.scratchpads if s.copy == 0)  # copies: read-only
        return words + sum(s.words for s in self.scalars) + 1, back


@dataclass(frozen=True)
class DmaMap:
    """The DMA engine: its register window, AXI4 master width and host memory latency."""

    base: int
    width: int  # bits per AXI4 beat, 32 or 64
    latency: int  # host memory cycles from an address to its first data beat (co-simulation)
    min_words: int  # smaller scratchpads go word by word (cheaper than programming the engine)


@dataclass(frozen=True)
class RegisterMap:
    """The register map of every accelerator behind one bus (the `unified_top` module)."""

    bus_width: int
    mmio_base: int
    window: int
    accels: tuple[AccelMap, ...]
    dma: DmaMap | None = None  # None: memrefs cross word by word over AXI4-Lite

    def accel(self, kernel: str) -> AccelMap:
        for a in self.accels:
            if a.kernel == kernel:
                return a
        raise KeyError(kernel)

    def to_dict(self) -> dict:
        """Plain data for report.json (addresses as integers, offsets relative to the base)."""
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    def to_markdown(self) -> str:
        """A table per accelerator, for report.md."""
        lines = [(f"Bus: AXI4-Lite, {self.bus_width}-bit data, one window of "
                 f"0x{self.window:x} bytes per accelerator from 0x{self.mmio_base:08x}."), ""]
        for a in self.accels:
            lines += [f"### @{a.kernel} at 0x{a.base:08x}", "",
                      "| offset | name | access | contents |", "|---|---|---|---|",
                      f"| 0x{CTRL:03x} | CTRL | rw | start (bit0), done (bit1), irq enable (bit2) |",
                      f"| 0x{CYCLES:03x} | CYCLES | ro | cycles go to done of the last run |"]
            rows = [(s.offset, f"ARG{s.arg_index}", "rw", f"i{s.bits} scalar, {s.words} word(s)")
                    for s in a.scalars]
            rows += [(m.offset, m.name, "rw", _contents(m)) for m in a.scratchpads]
            lines += [f"| 0x{o:03x} | {n} | {acc} | {what} |" for o, n, acc, what in sorted(rows)]
            lines.append("")
        if self.dma is not None:
            lines += [f"### DMA engine at 0x{self.dma.base:08x}", "",
                      (f"AXI4 master, {self.dma.width}-bit INCR bursts of up to 256 beats, none "
                       "crossing 4 KiB; the C driver moves every scratchpad of at least "
                       f"{self.dma.min_words} words with it (smaller ones word by word)."), "",
                      "| offset | name | access | contents |", "|---|---|---|---|"]
            lines += [f"| 0x{o:03x} | {n} | {acc} | {what} |" for o, n, acc, what in DMA_REGISTERS]
            lines.append("")
        return "\n".join(lines)


def _contents(m: Scratchpad) -> str:
    words = f"{m.elements} words (0x{m.span:x} bytes reserved)"
    if m.banks == 1:
        return f"memref<{'x'.join(map(str, m.shape))}x{m.element}>, {words}"
    whole = tuple(n * m.banks if d == m.bank_dim else n for d, n in enumerate(m.shape))
    copy = f"copy {m.copy} (read-only, filled like copy 0): " if m.copy else ""
    return (f"{copy}bank {m.bank} of {m.banks} of memref<{'x'.join(map(str, whole))}x{m.element}>: "
            f"the elements whose index along dimension {m.bank_dim} is {m.bank} mod {m.banks}, "
            f"{words}")


def _pow2(n: int) -> int:
    return 1 << max(0, (n - 1).bit_length())


def window_bytes(hw: HwArtifacts) -> int:
    """Bytes of one accelerator's window its registers and scratchpads take (each
    scratchpad aligned to its power-of-two span); more than `window` does not fit."""
    return _layout(hw)[2]


def _layout(hw: HwArtifacts) -> tuple[list[ScalarReg], list[Scratchpad], int]:
    """The scalar registers and scratchpads of kernel `hw`, and the bytes they end at."""
    scalars, offset = [], ARGS_BASE
    for s in sorted(hw.scalars, key=lambda s: s.arg_index):
        words = (s.width + 31) // 32
        scalars.append(ScalarReg(s.arg_index, offset, s.width, words))
        offset += 4 * words
    pads, offset = [], max(REGISTER_BYTES, _pow2(offset))
    for mem_index, m in enumerate(sorted(hw.memories, key=lambda m: (m.arg_index, m.copy, m.bank))):
        span = scratchpad_span(prod(m.shape))
        offset = (offset + span - 1) // span * span
        pads.append(Scratchpad(m.arg_index, mem_index, offset, span, tuple(m.shape), m.element,
                               m.data_width, m.bank, m.banks, m.bank_dim, m.copy))
        offset += span
    return scalars, pads, offset


def build_register_map(kernels: list[HwArtifacts], platform: Platform) -> RegisterMap:
    """Lays out every kernel's registers and scratchpads; an error when one does not fit."""
    if platform.bus_width != 32:
        raise UnifiedError(f"bus width {platform.bus_width} is not supported by the shell",
                           hint="use bus_width = 32 in unified.platform")
    if platform.dma_width not in (32, 64):
        raise UnifiedError(f"DMA width {platform.dma_width} is not supported",
                           hint="use dma_width = 32 or 64 in unified.platform")
    if platform.window & (platform.window - 1) or platform.mmio_base % platform.window:
        raise UnifiedError(f"MMIO window 0x{platform.window:x} must be a power of two dividing "
                           f"the base 0x{platform.mmio_base:x}",
                           hint="fix window / mmio_base in unified.platform")
    accels = []
    for index, hw in enumerate(kernels):
        for m in hw.memories:
            if m.data_width > platform.bus_width:
                raise UnifiedError(f"@{hw.kernel}: {m.element} elements are wider than the "
                                   f"{platform.bus_width}-bit bus",
                                   hint="keep this kernel in software (unified.target = \"sw\")")
        scalars, pads, offset = _layout(hw)
        if offset > platform.window:
            raise UnifiedError(f"@{hw.kernel} needs 0x{offset:x} bytes of registers and "
                               f"scratchpads; the platform gives 0x{platform.window:x}",
                               hint="raise `window` in unified.platform or use smaller memrefs")
        accels.append(AccelMap(hw.kernel, index, platform.mmio_base + index * platform.window,
                               tuple(scalars), tuple(pads)))
    min_words = dma_min_words(platform)  # no engine where no scratchpad would use it
    used = min_words and any(p.elements >= min_words for a in accels for p in a.scratchpads)
    dma = DmaMap(platform.mmio_base + len(accels) * platform.window, platform.dma_width,
                 platform.dma_latency, min_words) if used else None
    return RegisterMap(platform.bus_width, platform.mmio_base, platform.window, tuple(accels), dma)
