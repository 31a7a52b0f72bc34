"""Area figures (Yosys) and lint (Verilator) for a compiled kernel, cached by content.

`area(art)`: `cells` after a generic `synth -flatten`; `luts`, `lutram`, `ffs`, `bram18`,
`dsps` after `synth_xilinx -flatten` (7-series cells; `luts` counts LUT sites as Vivado's
"Slice LUTs" does: logic plus `lutram`, the sites used as distributed RAM or shift registers;
`bram18` counts RAMB18 halves, a RAMB36 as two); `latches` found right after `proc` (must be 0).
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
# LUT sites each 7-series distributed-RAM or shift-register cell takes
_LUTRAM_SITES = {"RAM16X1S": 1, "RAM32X1S": 1, "RAM64X1S": 1, "RAM128X1S": 2, "RAM256X1S": 4,
                 "RAM16X1D": 2, "RAM32X1D": 2, "RAM64X1D": 2, "RAM128X1D": 4, "RAM32M": 4,
                 "RAM64M": 4, "SRL16E": 1, "SRLC16E": 1, "SRLC32E": 1}
_BRAM18_HALVES = {"RAMB18E1": 1, "RAMB36E1": 2}


class SynthesisFailed(UnifiedError):
    """Yosys rejected the generated SystemVerilog (a compiler bug, not a user mistake)."""


def area(art: HwArtifacts) -> dict[str, int]:
    """{"cells", "luts", "lutram", "ffs", "bram18", "dsps", "latches"} of `art`'s top, from Yosys."""
    digest = _digest("yosys-area-mem", tools.version("yosys") or "", art)
    folder = cache.entry("yosys-area", digest, lambda tmp: _synthesize(tmp, art))
    return json.loads((folder / "area.json").read_text())


def design_area(files: dict[str, str], top: str, blackboxes: tuple[str, ...] = ()
                ) -> dict[str, int]:
    """`xilinx_figures` of module `top` over the Verilog `files` (name -> text), the modules
    `blackboxes` left empty (their instances cost nothing): how a part of a design is split out."""
    digest = cache.key("yosys-design-area", tools.version("yosys") or "", top, *blackboxes,
                       *[part for item in files.items() for part in item])

    def build(out: Path) -> None:
        with tempfile.TemporaryDirectory(prefix="unified-yosys-") as tmp:
            for name, text in files.items():
                (Path(tmp) / name).write_text(text)
            script = [f"read_verilog -sv -I. {' '.join(files)}",
                      *(f"blackbox {m}" for m in blackboxes), f"hierarchy -check -top {top}",
                      f"synth_xilinx -flatten -top {top}", "tee -q -o xilinx.json stat -json"]
            (Path(tmp) / "area.ys").write_text("\n".join(script) + "\n")
            tools.run("yosys", ["-q", "-s", "area.ys"], cwd=tmp)
            figures = xilinx_figures(_cell_counts(Path(tmp) / "xilinx.json"))
        (out / "area.json").write_text(json.dumps(figures, indent=2) + "\n")

    return json.loads((cache.entry("yosys-design-area", digest, build) / "area.json").read_text())


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
    figures = {"cells": sum(generic.values()), **xilinx_figures(xilinx),
               "latches": _count(rtl, lambda c: c.startswith(_LATCH_CELLS))}
    (out / "area.json").write_text(json.dumps(figures, indent=2) + "\n")


def xilinx_figures(cells: dict[str, int]) -> dict[str, int]:
    """{"luts", "lutram", "ffs", "bram18", "dsps"} from `synth_xilinx`'s cell counts."""
    lutram = sum(n * _LUTRAM_SITES[c] for c, n in cells.items() if c in _LUTRAM_SITES)
    return {"luts": _count(cells, lambda c: re.fullmatch(r"LUT[1-6]", c) is not None) + lutram,
            "lutram": lutram,
            "ffs": _count(cells, lambda c: c.startswith("FD")),
            "bram18": sum(n * _BRAM18_HALVES[c] for c, n in cells.items() if c in _BRAM18_HALVES),
            "dsps": _count(cells, lambda c: c.startswith("DSP48"))}


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
