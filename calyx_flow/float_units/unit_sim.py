"""Runs one float unit in Verilator on operand pairs: its results and its latency.

    sim = UnitSim.build("addf")            # SystemVerilog from our generator, cached build
    out, cycles = sim.run(left, right)     # bit patterns (uint32; uint64 for an i64 result),
                                           # per-pair latency
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from calyx_flow.float_units.vectors import result_dtype
from calyx_flow.verilator_model import VERILATOR_FLAGS
from unified.core import cache, tools
from unified.core.errors import SimulationError
from unified.core.toolchain import worker

TESTBENCH = Path(__file__).with_name("unit_testbench.cpp")
EXIT_NO_DONE = 3


def unit_verilog(kind: str) -> tuple[str, str]:
    """(file name, SystemVerilog) of float unit `kind`, generated in the pycde worker."""
    files = worker("pycde").call("module {}", "calyx_flow.float_units.export:unit_files",
                                 kinds=[kind])
    return next(iter(files.items()))


@dataclass(frozen=True)
class UnitSim:
    """A Verilator executable driving one float unit through its go/done handshake."""

    kind: str
    executable: Path

    @staticmethod
    def build(kind: str) -> UnitSim:
        """Generates unit `kind` and compiles it with the testbench (cached by content)."""
        name, text = unit_verilog(kind)
        bench = TESTBENCH.read_text()
        digest = cache.key("float-unit", tools.version("verilator") or "", name, text, bench,
                           " ".join(VERILATOR_FLAGS))

        def compile_unit(folder: Path) -> None:
            (folder / name).write_text(text)
            (folder / "unit_testbench.cpp").write_text(bench)
            tools.run("verilator", [*VERILATOR_FLAGS, "--top-module", name.removesuffix(".sv"),
                                    "--prefix", "Vunit", "-Mdir", str(folder / "obj"), "-o",
                                    "unit", str(folder / name),
                                    str(folder / "unit_testbench.cpp")], cwd=folder)
            (folder / "obj" / "unit").rename(folder / "unit")

        return UnitSim(kind, cache.entry("float-unit", digest, compile_unit) / "unit")

    def run(self, left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """`out` (bit patterns, `result_dtype(kind)`) and go-to-done cycles for each pair
        (left[i], right[i]) of unsigned integer arrays."""
        pairs = np.stack([np.asarray(left).astype("<u8"), np.asarray(right).astype("<u8")], 1)
        with tempfile.TemporaryDirectory(prefix="unified-unit-") as tmp:
            inp, out = Path(tmp) / "in.bin", Path(tmp) / "out.bin"
            inp.write_bytes(pairs.tobytes())
            proc = tools.run_program(self.executable, [str(inp), str(out)])
            if proc.returncode == EXIT_NO_DONE:
                raise SimulationError(f"float unit {self.kind}: done never came")
            if proc.returncode != 0:
                raise SimulationError(f"float unit {self.kind}: exit {proc.returncode}: "
                                      f"{proc.stderr.strip()[-2000:]}")
            words = np.frombuffer(out.read_bytes(), dtype="<u8").reshape(-1, 2)
        return words[:, 0].astype(result_dtype(self.kind)), words[:, 1].astype(np.uint32)
