"""A bus on the Verilator model of `unified_top` for Python: `CosimBus(shell)`.

It implements the host runtime's Bus (`read32`, `write32`) with real AXI4-Lite
transactions: the co-simulation HAL linked with `bus_server.cpp`, built by Verilator once
per content and driven through pipes. With a DMA engine in the shell it also offers host
memory the engine reaches (`alloc`, `poke`, `peek`: the server process's own memory, which
the HAL serves on the engine's AXI4 port). `close()` returns the HAL's counters.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Protocol

from glue.cosim_hal import HAL_SOURCE, hal_config
from unified.core import cache, tools
from unified.core.errors import SimulationError

SERVER_SOURCE = Path(__file__).with_name("bus_server.cpp")


class Hardware(Protocol):
    """What the bus needs of the built hardware side (hw_dialects.shell.Hardware)."""

    register_map: Any
    top: str
    sv_files: dict[str, str]


def build_server(shell: Hardware) -> Path:
    """The bus-server executable of `shell` (cached by the content of everything it is built of)."""
    from calyx_flow.verilator_model import VERILATOR_FLAGS

    config, hal, server = hal_config(shell.register_map), HAL_SOURCE.read_text(), \
        SERVER_SOURCE.read_text()
    flags = (*VERILATOR_FLAGS, "--top-module", shell.top)
    digest = cache.key("bus-server", tools.version("verilator") or "", config, hal, server,
                       " ".join(flags), *[p for item in shell.sv_files.items() for p in item])

    def build(folder: Path) -> None:
        (folder / "hal_config.h").write_text(config)
        (folder / "cosim_hal.cpp").write_text(hal)
        (folder / "bus_server.cpp").write_text(server)
        (folder / "rtl").mkdir()
        sv = []
        for name, text in shell.sv_files.items():
            sv.append(folder / "rtl" / name)
            sv[-1].write_text(text)
        tools.run("verilator", [*flags, "-Mdir", str(folder / "obj"), "-o", "bus_server",
                                "-CFLAGS", f"-I{folder}", *map(str, sv),
                                str(folder / "cosim_hal.cpp"), str(folder / "bus_server.cpp")],
                  cwd=folder, timeout=1800)
        shutil.move(str(folder / "obj" / "bus_server"), str(folder / "bus_server"))
        shutil.rmtree(folder / "obj")

    return cache.entry("bus-server", digest, build) / "bus_server"


class CosimBus:
    """Read and write 32-bit words of the model's address space, one AXI4-Lite transaction each."""

    def __init__(self, shell: Hardware, *, max_cycles: int = 10_000_000):
        self._tmp = tempfile.mkdtemp(prefix="unified-bus-")
        self._report = Path(self._tmp) / "counters.json"
        env = dict(os.environ, UNIFIED_COSIM_REPORT=str(self._report),
                   UNIFIED_MAX_CYCLES=str(max_cycles))
        self._proc = tools.start_program(build_server(shell), [], env=env)

    def _ask(self, request: str) -> str:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(request + "\n")
        answer = self._proc.stdout.readline()
        if not answer:
            err = self._proc.stderr.read() if self._proc.stderr else ""
            raise SimulationError(f"the bus model stopped: {err.strip()[-300:]}")
        return answer.strip()

    def read32(self, addr: int) -> int:
        return int(self._ask(f"r {addr}"))

    def write32(self, addr: int, value: int) -> None:
        self._ask(f"w {addr} {value & 0xFFFF_FFFF}")

    def alloc(self, nbytes: int) -> int:
        """The address of `nbytes` of zeroed host memory (64-byte aligned) for the DMA engine."""
        return int(self._ask(f"a {nbytes}"))

    def poke(self, addr: int, words: list[int]) -> None:
        """Stores 32-bit `words` into host memory from `addr`."""
        self._ask(f"p {addr} {len(words)} " + " ".join(str(w & 0xFFFF_FFFF) for w in words))

    def peek(self, addr: int, count: int) -> list[int]:
        """`count` 32-bit words of host memory from `addr`."""
        return [int(v) for v in self._ask(f"k {addr} {count}").split()] if count else []

    def close(self) -> dict[str, Any]:
        """Ends the model; its counters (cycles, reads, writes, per-kernel go-to-done cycles)."""
        if self._proc.poll() is None:
            assert self._proc.stdin is not None
            self._proc.stdin.close()
            self._proc.wait(timeout=60)
        counters = json.loads(self._report.read_text()) if self._report.exists() else {}
        shutil.rmtree(self._tmp, ignore_errors=True)
        return counters
