"""`unified sim --target auto`: the application co-simulated as partitioned.

One host program holds the software module compiled for the host, the C harness of the
entry, the generated C driver and the simulation HAL, which turns the driver's MMIO reads
and writes into AXI4-Lite transactions on the Verilator model of `unified_top` and answers
its DMA engine's bursts from the program's own memory. The
program is built by `verilator --exe` once per content (unified.cache).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from calyx_flow.artifacts import HwArtifacts
from partition.placement import Placement
from unified.core import cache, tools
from unified.core.errors import SimulationError, UnifiedError
from unified.core.progress import Progress
from unified.core.sim_io import SimResult
from unified.core.source import Source
from unified.core.toolchain import worker

EXIT_CYCLE_LIMIT = 3
EXIT_BUS_ERROR = 4
EXIT_PROTOCOL = 5  # the HAL caught the DMA engine breaking the AXI4 protocol
ENTRY_SYMBOL = "unified_entry_main"


@dataclass
class CosimProgram:
    """A built co-simulation program and what it was built from."""

    executable: Path
    register_map: object  # hw_dialects.register_map.RegisterMap
    hw_kernels: list[str]


def simulate(src: Source, func: str, inputs: dict[str, np.ndarray], *, opt_level: int = 0,
             vlen: int = 128, max_cycles: int = 10_000_000,
             placement: Placement | None = None, progress: bool = False) -> SimResult:
    """Runs @func of `src` (the entry) with checked `inputs` as placed: hardware kernels in
    Verilator behind the shell, reached through the C driver; the rest on the host.

    The report holds `cycles` (hardware cycles go to done, all kernels); per kernel its cycles,
    runs, bus reads/writes and the cycles they took; bus transactions (reads, writes, polls of
    CTRL); `bus_cycles`, every cycle the model was clocked (transfers, polling and the runs
    they overlap); `dma`, the DMA engine's bursts and beats by direction, the beats its bursts
    asked for and the cycles it was busy; the placement and the register map.
    """
    from unified.app import load_app
    from unified.sw_run import read_outputs, write_inputs

    if placement is None:
        with Progress(f"placing @{func}'s kernels") if progress else nullcontext():
            app, placement = auto_placement(src.path, func, opt_level=opt_level, vlen=vlen)
    else:
        app = load_app(src.path, entry=func)
    fn = app.function(func)
    with Progress(f"building the co-simulation of @{func}") if progress else nullcontext():
        program = build_program(app, func, placement, opt_level=opt_level, vlen=vlen)
    with tempfile.TemporaryDirectory(prefix="unified-cosim-") as tmp:
        folder = Path(tmp)
        write_inputs(folder, fn, inputs)
        env = dict(os.environ, UNIFIED_COSIM_REPORT=str(folder / "cosim.json"),
                   UNIFIED_MAX_CYCLES=str(max_cycles))
        proc = _run(program.executable, folder, env,
                    f"co-simulating @{func}" if progress else None)
        if proc.returncode == EXIT_CYCLE_LIMIT:
            raise SimulationError(f"the co-simulation of @{func} ran {max_cycles} cycles without "
                                  "finishing", src.loc(fn.loc),
                                  hint="raise --max-cycles, or check the kernel's loop bounds")
        if proc.returncode == EXIT_PROTOCOL:
            raise SimulationError(f"the co-simulation of @{func} stopped: "
                                  f"{proc.stderr.strip().splitlines()[-1]}", src.loc(fn.loc),
                                  hint="the DMA engine (hw_dialects/dma.py) is wrong; rerun with "
                                       "dma = false in unified.platform to bypass it")
        if proc.returncode != 0:
            raise SimulationError(f"the co-simulation of @{func} failed (exit {proc.returncode}): "
                                  f"{(proc.stdout + proc.stderr).strip()[-500:]}", src.loc(fn.loc),
                                  hint="check the inputs; rerun with --target sw to compare")
        outputs = read_outputs(folder, fn)
        counters = _counters(folder / "cosim.json", program.hw_kernels)
    kernels = counters["kernels"]
    report = {
        "target": "auto",
        "function": func,
        "cycles": sum(k["cycles"] for k in kernels.values()),
        "kernels": kernels,
        "bus_transactions": counters["reads"] + counters["writes"],
        "bus_reads": counters["reads"],
        "bus_writes": counters["writes"],
        "poll_reads": counters["ctrl_reads"],
        "bus_cycles": counters["bus_cycles"],
        "dma": counters.get("dma", {}),
        "placement": {k: d.target for k, d in placement.decisions.items()},
        "register_map": program.register_map.to_dict(),
    }
    return SimResult(outputs, report)


def _run(executable: Path, folder: Path, env: dict[str, str], what: str | None):
    """Runs the co-simulation program, taking the HAL's `cosim-progress CYCLES RUNS` lines
    out of its output; with `what`, they feed a progress line (unified/core/progress.py)."""
    shown = Progress(what) if what else None

    def on_line(line: str) -> bool:
        if not line.startswith("cosim-progress "):
            return False
        if shown is not None:
            cycles, runs = line.split()[1:3]
            shown.update(f"{int(cycles) / 1e6:.1f}M bus cycles, {runs} accelerator runs")
        return True

    with shown or nullcontext():
        return tools.run_program_watched(executable, ["1", str(folder)], on_line, env=env,
                                         timeout=3600)


def auto_placement(path: str, entry: str, *, opt_level: int = 0, vlen: int = 128):
    """(App, Placement) exactly as `unified compile --partition auto` decides: software
    profile, hardware schedules and Yosys area of the candidates, then the search."""
    from unified import compiler

    b = compiler.Build(path, Path(tempfile.gettempdir()), "auto", opt_level, vlen, False, False,
                       entry, None, lambda _line: None)
    try:
        for stage in (compiler.load, compiler.vector, compiler.hardware, compiler.area,
                      compiler.partition):
            stage(b)
    except UnifiedError as e:
        raise e.with_file(path) from None
    return b.app, b.placement


def _counters(path: Path, hw_kernels: list[str]) -> dict:
    if path.exists():
        return json.loads(path.read_text())
    # No bus access at all (every kernel in software): the HAL never started.
    return {"bus_cycles": 0, "reads": 0, "writes": 0, "ctrl_reads": 0,
            "kernels": {k: {"cycles": 0, "runs": 0, "reads": 0, "writes": 0, "bus_cycles": 0}
                        for k in hw_kernels}}


def hardware_kernels(app, placement: Placement, opt_level: int = 0) -> list[HwArtifacts]:
    """The core of every kernel placed in hardware: generated, or the hand-written hw.module."""
    from hw_dialects.implements import artifacts_for_module
    from unified.kernel_cache import compile_cached

    arts = []
    for k in placement.hw_kernels():
        fn, impl = app.function(k), app.implementation(k)
        try:
            if impl is not None:
                arts.append(artifacts_for_module(app.src.text, impl.name, fn))
            else:
                arts.append(compile_cached(app.src.text, k, opt_level=opt_level, path=app.path))
        except UnifiedError as e:
            raise e.with_file(app.path) from None
    for k in placement.sw_kernels():
        if app.function(k).declaration:
            raise SimulationError(f"@{k} has no body, so it cannot run in software",
                                  app.loc(app.function(k).loc),
                                  hint=f"place @{k} in hardware (its hw.module implements it)")
    return arts


def build_program(app, func: str, placement: Placement, *, opt_level: int = 0,
                  vlen: int = 128) -> CosimProgram:
    """The co-simulation program of entry @func under `placement` (cached by content)."""
    from calyx_flow.verilator_model import VERILATOR_FLAGS
    from glue.cosim_hal import HAL_SOURCE, hal_config
    from glue.driver_c import emit_driver
    from glue.register_map import build_register_map
    from hw_dialects.axi_top import TOP
    from hw_dialects.shell import build_shell, write_files
    from sw_dialects.harness import harness
    from unified.sw_run import flow_fingerprint

    hw_kernels = placement.hw_kernels()
    arts = hardware_kernels(app, placement, opt_level)
    shell = build_shell(arts, app.platform) if arts else None  # none: nothing on the bus
    rmap = shell.register_map if shell else build_register_map([], app.platform)
    driver = emit_driver(app.name, rmap, [app.function(k) for k in hw_kernels]) if shell else {}
    sw_text = worker(app.src.build).call(app.src.text, "partition.split:split",
                                         hw_kernels=hw_kernels)["sw"]
    harness_c = harness(app.function(func))
    config = hal_config(rmap)
    hal = HAL_SOURCE.read_text()
    flags = (*VERILATOR_FLAGS, "--top-module", TOP)
    sv_files = shell.sv_files if shell else {}
    digest = cache.key("cosim", tools.version("verilator") or "", flow_fingerprint(), sw_text,
                       func, str(vlen), harness_c, config, hal, " ".join(flags),
                       *[p for name, text in {**sv_files, **driver}.items() for p in (name, text)])

    def build(folder: Path) -> None:
        from unified.sw_flow import compile_sw

        sw = compile_sw(sw_text, functions=[func], vlen=vlen, target="host", path=app.path,
                        module=app.name)
        (folder / "software.o").write_bytes(sw.objects["host"])
        if func == "main":  # the entry must not be the C program's main (the harness's)
            tools.run("objcopy", ["--redefine-sym", f"main={ENTRY_SYMBOL}", "software.o"],
                      cwd=folder)
        for name, text in driver.items():
            (folder / name).write_text(text)
        (folder / "harness.c").write_text(harness_c)
        (folder / "hal_config.h").write_text(config)
        (folder / "cosim_hal.cpp").write_text(hal)
        tools.run("cc", ["-O1", "-c", "harness.c", "-o", "harness.o"], cwd=folder)
        if shell is None:  # nothing on the bus: the software and its harness alone
            tools.run("cc", ["-o", "cosim", "software.o", "harness.o", "-lm"], cwd=folder)
            return
        c_file = f"{app.name}_accel.c"
        tools.run("cc", ["-O1", "-std=c11", "-Wall", "-Wextra", "-Werror", "-DUNIFIED_MMIO_HAL",
                         "-c", c_file, "-o", "driver.o"], cwd=folder)
        sv = write_files(shell, folder / "rtl")
        objects = [str(folder / o) for o in ("software.o", "driver.o", "harness.o")]
        tools.run("verilator", [*flags, "-Mdir", str(folder / "obj"), "-o", "cosim",
                                "-CFLAGS", f"-I{folder}", *[a for o in objects
                                                            for a in ("-LDFLAGS", o)],
                                "-LDFLAGS", "-lm", *map(str, sv),
                                str(folder / "cosim_hal.cpp")], cwd=folder, timeout=1800)
        shutil.move(str(folder / "obj" / "cosim"), str(folder / "cosim"))
        shutil.rmtree(folder / "obj")

    folder = cache.entry("cosim", digest, build)
    return CosimProgram(folder / "cosim", rmap, hw_kernels)
