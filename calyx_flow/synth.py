"""Area figures (Yosys) and lint (Verilator) for a compiled kernel, cached by content.

`area(art)`: `cells` after a generic `synth -flatten`; `luts`, `ffs`, `dsps` after
`synth_xilinx -flatten` (7-series cells); `latches` found right after `proc` (must be 0).
`lint(art)`: the errors of `verilator --lint-only`, an empty list when the RTL is clean.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from calyx_flow.artifacts import HwArtifacts
from unified.core import cache, tools
from unified.core.errors import UnifiedError

_LATCH_CELLS = ("$dlatch", "$adlatch", "$dlatchsr", "$_DLATCH_", "$_DLATCHSR_")


class SynthesisFailed(UnifiedError):
    """Yosys rejected the generated SystemVerilog (a compiler bug, not a user mistake)."""


def area(art: HwArtifacts) -> dict[str, int]:
    """{"cells", "luts", "ffs", "dsps", "latches"} of `art`'s top module, from Yosys."""
    digest = _digest("yosys-area", tools.version("yosys") or "", art)
    folder = cache.entry("yosys-area", digest, lambda tmp: _synthesize(tmp, art))
    return json.loads((folder / "area.json").read_text())


def latches(art: HwArtifacts) -> int:
    """How many latches Yosys infers in `art` right after `proc` (seconds, where area takes minutes)."""
    digest = _digest("yosys-latches", tools.version("yosys") or "", art)
    folder = cache.entry("yosys-latches", digest, lambda tmp: _synthesize(tmp, art, full=False))
    return json.loads((folder / "area.json").read_text())["latches"]


def lint(art: HwArtifacts) -> list[str]:
    """The error lines `verilator --lint-only -Wno-fatal` reports for `art` ([] when clean)."""
    digest = _digest("verilator-lint", tools.version("verilator") or "", art)
    folder = cache.entry("verilator-lint", digest, lambda tmp: _lint(tmp, art))
    return json.loads((folder / "errors.json").read_text())


def _digest(kind: str, version: str, art: HwArtifacts) -> str:
    return cache.key(kind, version, art.top,
                     *[part for name, text in art.sv_files.items() for part in (name, text)])


def _write_rtl(folder: Path, art: HwArtifacts) -> list[str]:
    names = []
    for name, text in art.sv_files.items():
        (folder / name).write_text(text)
        names.append(name)
    return names


def _synthesize(out: Path, art: HwArtifacts, *, full: bool = True) -> None:
    with tempfile.TemporaryDirectory(prefix="unified-yosys-") as tmp:
        work = Path(tmp)
        files = _write_rtl(work, art)
        script = _yosys_script(files, art.top, full)
        (work / "area.ys").write_text(script)
        proc = tools.run("yosys", ["-q", "-s", "area.ys"], cwd=work, check=False)
        if proc.returncode != 0:
            errors = [ln for ln in (proc.stdout + proc.stderr).splitlines() if "ERROR" in ln]
            raise SynthesisFailed(f"yosys could not synthesize {art.top} (@{art.kernel}): "
                                  + ("; ".join(errors) or f"exit {proc.returncode}"),
                                  hint="this is a compiler bug: report it with the kernel")
        rtl = _cell_counts(work / "rtl.json")
        if not full:
            figures = {"latches": _count(rtl, lambda c: c.startswith(_LATCH_CELLS))}
            (out / "area.json").write_text(json.dumps(figures, indent=2) + "\n")
            return
        generic, xilinx = _cell_counts(work / "generic.json"), _cell_counts(work / "xilinx.json")
    figures = {
        "cells": sum(generic.values()),
        "luts": _count(xilinx, lambda c: re.fullmatch(r"LUT[1-6]", c) is not None),
        "ffs": _count(xilinx, lambda c: c.startswith("FD")),
        "dsps": _count(xilinx, lambda c: c.startswith("DSP48")),
        "latches": _count(rtl, lambda c: c.startswith(_LATCH_CELLS)),
    }
    (out / "area.json").write_text(json.dumps(figures, indent=2) + "\n")


def _yosys_script(files: list[str], top: str, full: bool) -> str:
    lines = [
        f"read_verilog -sv -I. {' '.join(files)}",
        f"hierarchy -check -top {top}",
        "proc",
        "flatten",  # yosys 0.23 writes broken `stat -json` for a hierarchy of 3+ levels
        "tee -q -o rtl.json stat -json",  # latches show up here, before any mapping
    ]
    if not full:
        return "\n".join(lines) + "\n"
    return "\n".join([
        *lines,
        "design -save rtl",
        f"synth -flatten -top {top}",
        "tee -q -o generic.json stat -json",
        "design -load rtl",
        f"synth_xilinx -flatten -top {top}",
        "tee -q -o xilinx.json stat -json",
    ]) + "\n"


def _cell_counts(path: Path) -> dict[str, int]:
    data = json.loads(path.read_text())
    return {str(k): int(v) for k, v in data["design"].get("num_cells_by_type", {}).items()}


def _count(cells: dict[str, int], match: Callable[[str], bool]) -> int:
    return sum(n for cell, n in cells.items() if match(cell))


def _lint(out: Path, art: HwArtifacts) -> None:
    with tempfile.TemporaryDirectory(prefix="unified-lint-") as tmp:
        files = _write_rtl(Path(tmp), art)
        proc = tools.run("verilator", ["--lint-only", "-Wno-fatal", "--top-module", art.top,
                                       "-I.", *files], cwd=tmp, check=False)
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("%Error")]
    if proc.returncode != 0 and not errors:
        errors = [f"verilator exited {proc.returncode}: {proc.stderr.strip()[-500:]}"]
    (out / "errors.json").write_text(json.dumps(errors, indent=2) + "\n")
