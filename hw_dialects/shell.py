"""The hardware side's shell: `build_shell(kernels, platform)` wraps every core behind one bus.

The shell RTL is built with PyCDE in the `pycde` worker (see `axi_top`, `accel_shell`,
`scratchpad`); this module is the parent-side entry point, plus the two checks every
shell must pass: `verilator --lint-only` and a Yosys synthesis that infers no latch.
"""

from __future__ import annotations

import functools
import json
import re
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from calyx_flow.artifacts import HwArtifacts
from glue.register_map import RegisterMap, build_register_map
from hw_dialects.axi_top import TOP
from unified.core import cache, tools
from unified.core.errors import UnifiedError
from unified.core.platform import Platform
from unified.core.toolchain import worker

# CIRCT's convert-fsm-to-sv puts every core's state enums in a type scope of the same name,
# whose emitted guard macro would hide the second core's typedefs: clear it between cores.
TYPESCOPE_GUARD = "_TYPESCOPE_fsm_enum_typedecls"


@dataclass
class ShellArtifacts:
    """Every SystemVerilog file of the hardware side (cores and shell), its top and its map."""

    sv_files: dict[str, str]  # file name -> text, dependencies first
    top: str
    register_map: RegisterMap
    hw_ir: str = ""  # the shell in hw/comb/seq, before lowering to SystemVerilog


def build_shell(kernels: list[HwArtifacts], platform: Platform) -> ShellArtifacts:
    """Wraps `kernels` (one accelerator each, in order) in scratchpads, registers and an
    AXI4-Lite slave; returns the cores' files followed by the shell's, top `unified_top`."""
    rmap = build_register_map(kernels, platform)
    out = _generate(rmap, kernels)
    files: dict[str, str] = {}
    for hw in kernels:
        for name, text in hw.sv_files.items():
            if name in files and files[name] != text:
                raise UnifiedError(f"two hardware kernels define different files named '{name}'",
                                   hint=f"rename the module of @{hw.kernel}")
            files[name] = text
        files[f"{hw.kernel}_scope_end.sv"] = f"`undef {TYPESCOPE_GUARD}\n"
    for name, text in out["files"].items():
        if name in files and files[name] != text:  # a memory primitive may be in both
            raise UnifiedError(f"the shell's file '{name}' clashes with a kernel's file",
                               hint="rename the kernel's module")
        files[name] = text
    return ShellArtifacts(files, TOP, rmap, out["hw"])


def shell_verilog2001(kernels: list[HwArtifacts], platform: Platform) -> dict[str, str]:
    """The shell alone (no cores) as Verilog-2001 files, top `unified_top` last: the same
    PyCDE design lowered with CIRCT's Verilog-2001 options and `always @` registers."""
    return _generate(build_register_map(kernels, platform), kernels, plain_verilog=True)["files"]


def _generate(rmap: RegisterMap, kernels: list[HwArtifacts], plain_verilog: bool = False
              ) -> dict:
    """The shell's RTL from PyCDE, cached by what it depends on: the register map, the cores'
    interfaces (not their bodies) and the generator's own code."""
    interfaces = [repr((hw.kernel, hw.top, hw.clock, hw.reset, hw.go, hw.done, hw.memories,
                        hw.scalars)) for hw in kernels]
    digest = cache.key("shell", _generator_digest(), repr(rmap), *interfaces,
                       "verilog2001" if plain_verilog else "sv")

    def build(folder: Path) -> None:
        out = worker("pycde").call("module {}", "hw_dialects.axi_top:generate", rmap=rmap,
                                   kernels=kernels, plain_verilog=plain_verilog)
        (folder / "shell.json").write_text(json.dumps(out))

    return json.loads((cache.entry("shell", digest, build) / "shell.json").read_text())


@functools.cache
def _generator_digest() -> str:
    here = Path(__file__).resolve().parent
    parts: list[str | bytes] = [f"pycde=={metadata.version('pycde')}"]
    for path in (here / "axi_top.py", here / "accel_shell.py", here / "scratchpad.py",
                 here / "memory_primitive.py", here / "dma.py",
                 here.parent / "glue" / "register_map.py"):
        parts += [path.name, path.read_bytes()]
    return cache.key(*parts)


def write_files(shell: ShellArtifacts, folder: Path) -> list[Path]:
    """Writes the SystemVerilog files and `filelist.f` into `folder`; returns the file paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in shell.sv_files.items():
        (folder / name).write_text(text)
        paths.append(folder / name)
    (folder / "filelist.f").write_text("".join(f"{p.name}\n" for p in paths))
    return paths


def lint(shell: ShellArtifacts) -> str:
    """Runs `verilator --lint-only -Wall` on the whole hardware side; returns its warnings.

    Raises ToolFailed when Verilator reports an error.
    """
    with tempfile.TemporaryDirectory(prefix="unified-lint-") as tmp:
        paths = write_files(shell, Path(tmp))
        proc = tools.run("verilator", ["--lint-only", "-Wno-fatal", "-Wno-DECLFILENAME",
                                       "-Wno-UNUSEDSIGNAL", "--top-module", shell.top,
                                       *map(str, paths)], cwd=tmp)
    return proc.stderr


@dataclass(frozen=True)
class SynthReport:
    cells: int
    latches: int
    flip_flops: int
    log: str


def synthesize(shell: ShellArtifacts) -> SynthReport:
    """Synthesizes the hardware side with Yosys (`synth -flatten`); counts cells and latches."""
    with tempfile.TemporaryDirectory(prefix="unified-synth-") as tmp:
        paths = write_files(shell, Path(tmp))
        script = "".join(f"read_verilog -sv {p}\n" for p in paths)
        script += f"synth -flatten -top {shell.top}\nstat\n"
        (Path(tmp) / "synth.ys").write_text(script)
        proc = tools.run("yosys", ["-q", "-l", "synth.log", "synth.ys"], cwd=tmp)
        log = (Path(tmp) / "synth.log").read_text() + proc.stdout
    stat = log[log.rfind("Number of cells:"):]
    cells = _count(r"Number of cells:\s+(\d+)", stat)
    latches = sum(int(n) for n in re.findall(r"\$_DLATCH\w*_\s+(\d+)", stat))
    flops = sum(int(n) for n in re.findall(r"\$_S?DFF\w*_\s+(\d+)", stat))
    return SynthReport(cells, latches, flops, log)


def _count(pattern: str, text: str) -> int:
    m = re.search(pattern, text)
    return int(m.group(1)) if m else 0
