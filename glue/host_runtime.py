"""Driving unified accelerators from Python through any 32-bit bus (numpy only).

Copied verbatim next to every generated `<app>_host.py`, so it imports nothing of unified.
A bus is any object with `read32(addr) -> int` and `write32(addr, value)`: a /dev/mem
mapping on a board, or the co-simulation bus on the Verilator model. When the register map
has a DMA engine and the bus also offers host memory the engine reaches (`alloc(nbytes) ->
address`, `poke(address, words)`, `peek(address, count) -> words`), memrefs move in DMA
bursts; otherwise one register write or read per element.

    acc = Accelerator(bus, REGISTER_MAP["accels"][0], signature)
    outputs = acc(img, weights, 3)      # numpy arrays in, every memref argument back
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

CTRL, CYCLES = 0x000, 0x004
CTRL_START, CTRL_DONE, CTRL_IRQ_ENABLE = 1, 2, 4
# The DMA engine's registers (glue/register_map.py)
DMA_CTRL, DMA_HOST_LO, DMA_HOST_HI, DMA_ACCEL, DMA_OFFSET, DMA_LENGTH, DMA_DIR = \
    0x00, 0x08, 0x0C, 0x10, 0x14, 0x18, 0x1C
DMA_DONE, DMA_ERROR = 2, 4


class Bus(Protocol):
    def read32(self, addr: int) -> int: ...

    def write32(self, addr: int, value: int) -> None: ...


class Accelerator:
    """One accelerator of the register map: copy in, start, poll, copy out."""

    def __init__(self, bus: Bus, accel: dict[str, Any], signature: list[dict[str, Any]],
                 dma: dict[str, Any] | None = None):
        self.bus = bus
        self.dma = dma if dma is not None and hasattr(bus, "alloc") else None
        self.index = accel.get("index", 0)
        self._buffers: dict[int, int] = {}  # host memory per scratchpad offset (DMA)
        self.kernel = accel["kernel"]
        self.base = accel["base"]
        self.scalars = {s["arg_index"]: s for s in accel["scalars"]}
        self.scratchpads: dict[int, list[dict[str, Any]]] = {}  # an argument's banks, or itself
        for m in accel["scratchpads"]:
            self.scratchpads.setdefault(m["arg_index"], []).append(m)
        self.signature = signature  # [{"kind": "memref"|"scalar", "dtype": ..., "shape": [...]}]

    def write(self, offset: int, value: int) -> None:
        self.bus.write32(self.base + offset, int(value) & 0xFFFF_FFFF)

    def read(self, offset: int) -> int:
        return self.bus.read32(self.base + offset)

    def load(self, args: tuple[Any, ...]) -> None:
        """Writes every memref into its scratchpad and every scalar into its register."""
        if len(args) != len(self.signature):
            raise TypeError(f"{self.kernel} takes {len(self.signature)} arguments, got {len(args)}")
        for index, (value, sig) in enumerate(zip(args, self.signature)):
            if sig["kind"] == "memref":
                array = np.asarray(value, dtype=sig["dtype"]).reshape(sig["shape"])
                for pad in self.scratchpads[index]:
                    words = array[_region(pad)].reshape(-1)
                    if words.dtype == np.float32:  # f32 crosses as its bit pattern
                        words = words.view(np.uint32)
                    if self._by_dma(pad):
                        self.bus.poke(self._buffer(pad), [int(e) for e in words.tolist()])
                        self._transfer(pad, to_host=False)
                        continue
                    for i, element in enumerate(words.tolist()):
                        self.write(pad["offset"] + 4 * i, int(element))
            else:
                reg, word = self.scalars[index], int(value)
                for w in range(reg["words"]):
                    self.write(reg["offset"] + 4 * w, word >> (32 * w))

    def _by_dma(self, pad: dict[str, Any]) -> bool:
        """Whether `pad` moves with the DMA engine (small ones go word by word, as in C)."""
        return self.dma is not None and int(np.prod(pad["shape"])) >= self.dma["min_words"]

    def _buffer(self, pad: dict[str, Any]) -> int:
        """The host memory the DMA engine moves scratchpad `pad` through (allocated once)."""
        if pad["offset"] not in self._buffers:
            self._buffers[pad["offset"]] = self.bus.alloc(4 * int(np.prod(pad["shape"])))
        return self._buffers[pad["offset"]]

    def _transfer(self, pad: dict[str, Any], to_host: bool) -> None:
        """One DMA transfer between `pad` and its host buffer; waits until it is done."""
        assert self.dma is not None
        dma, host = self.dma["base"], self._buffer(pad)
        for offset, value in ((DMA_HOST_LO, host & 0xFFFF_FFFF), (DMA_HOST_HI, host >> 32),
                              (DMA_ACCEL, self.index), (DMA_OFFSET, pad["offset"] // 4),
                              (DMA_LENGTH, int(np.prod(pad["shape"]))), (DMA_DIR, int(to_host)),
                              (DMA_CTRL, 1)):
            self.bus.write32(dma + offset, value)
        while not (status := self.bus.read32(dma + DMA_CTRL)) & DMA_DONE:
            pass
        if status & DMA_ERROR:
            raise RuntimeError(f"{self.kernel}: a DMA transfer of the scratchpad at "
                               f"0x{pad['offset']:x} answered a bus error")

    def start(self, irq: bool = False) -> None:
        self.write(CTRL, CTRL_START | (CTRL_IRQ_ENABLE if irq else 0))

    def wait(self, max_polls: int = 0) -> int:
        """Polls CTRL until done; returns the number of polls (TimeoutError past max_polls)."""
        polls = 0
        while not self.read(CTRL) & CTRL_DONE:
            polls += 1
            if max_polls and polls >= max_polls:
                raise TimeoutError(f"{self.kernel}: not done after {polls} polls")
        return polls + 1

    def unload(self) -> list[np.ndarray]:
        """Every memref argument read back from its scratchpad, in argument order."""
        out = []
        for index, sig in enumerate(self.signature):
            if sig["kind"] != "memref":
                continue
            array = np.zeros(sig["shape"], dtype=sig["dtype"])
            for pad in (p for p in self.scratchpads[index] if not p.get("copy", 0)):
                count = int(np.prod(pad["shape"]))
                if self._by_dma(pad):
                    self._transfer(pad, to_host=True)
                    words = self.bus.peek(self._buffer(pad), count)
                else:
                    words = [self.read(pad["offset"] + 4 * i) for i in range(count)]
                array[_region(pad)] = _from_words(words, sig["dtype"]).reshape(pad["shape"])
            out.append(array)
        return out

    def cycles(self) -> int:
        """Cycles from go to done of the last run (the CYCLES register)."""
        return self.read(CYCLES)

    def __call__(self, *args: Any) -> list[np.ndarray]:
        self.load(args)
        self.start()
        self.wait()
        return self.unload()


def _region(pad: dict[str, Any]) -> tuple[slice, ...]:
    """The elements of the user's array a scratchpad holds: all, or one bank (every F-th
    index along the banked dimension, from the bank's number)."""
    banks, bank, dim = pad.get("banks", 1), pad.get("bank", 0), pad.get("bank_dim", 0)
    return tuple(slice(bank, None, banks) if d == dim else slice(None)
                 for d in range(len(pad["shape"])))


def _from_words(words: list[int], dtype: str) -> np.ndarray:
    raw = np.array(words, dtype=np.uint32)
    if dtype == "bool":
        return (raw & 1).astype(np.bool_)
    if dtype == "float32":
        return raw.view(np.float32)
    bits = np.dtype(dtype).itemsize * 8
    return raw.astype(f"uint{bits}").view(dtype) if bits < 32 else raw.view(np.int32).astype(dtype)
