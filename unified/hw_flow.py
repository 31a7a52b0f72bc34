"""The hardware flow: one kernel from func/affine MLIR to SystemVerilog, stage by IR level.

    art = compile_kernel(text, "vadd", path="vadd.mlir")
    art.sv_files   # {"control_vadd.sv": ..., "vadd.sv": ...}, dependencies first
    art.memories   # MemPort per memref argument (per bank of a banked one): ext_mem ports

The top module's interface: `clk`, `reset`, `go` (held high from start) and `done`; one
`in<i>` port per integer scalar argument, in order; per memref argument one ext_mem port
set, N-D memrefs keeping one address port per dimension (row-major, no flattening):
`read_data` must follow the address in the same cycle (read latency 0), a write lands on
the clock edge where `write_en` is high and `done` is high the cycle after. Text crosses
from upstream MLIR to the older circt wheel in custom form (overflow flags dropped).
"""

from __future__ import annotations

import dataclasses
from itertools import takewhile
from pathlib import Path

from calyx_flow.artifacts import HwArtifacts, MemPort, ScalarPort
from calyx_flow.export_sv import VERILOG_2001_OPTIONS
from hls.bank_memories import BankLayout
from hls.opt_pipeline import FOR_TO_WHILE, LOWER_CALYX_TO_HW, optimise
from unified.core.errors import UnifiedError, VerifyError
from unified.core.kernels import Arg
from unified.core.pipeline import Stage, run_stages
from unified.core.toolchain import Call, Pass, Pipeline, worker

LEVELS = ("affine", "scf", "calyx", "hw", "sv")


def stages(func: str, path: str = "<input>", opt_level: int = 0, *, memrefs: int = 0,
           buffers: tuple[tuple[int, ...], ...] = (), plain_verilog: bool = False) -> list[Stage]:
    """The hardware flow for kernel @func as named stages (-O`opt_level`: hls.opt_pipeline).

    `buffers` are the shapes of its allocs (`memrefs`, the number of memref arguments, is no
    longer needed: the buffers are the trailing memories, however many banks precede). With
    `plain_verilog`, controllers become comb/seq logic (no enums) and registers `always @`.
    """
    controllers = ((Pipeline("builtin.module(convert-fsm-to-core)"),) if plain_verilog else
                   (Pipeline("builtin.module(convert-fsm-to-sv)"), Pass("sv-comb-defaults")))
    always_ff = "false" if plain_verilog else "true"
    where = {"path": path}
    scratch = {"top": func,  # buffers: the trailing ext_mems (banking adds memories before)
               "shapes": ";".join("x".join(map(str, s)) for s in buffers)}
    return optimise([
        # one kernel and its callees, rejected with a location if it holds unsupported ops
        Stage("affine", "pycde", (Pass("extract-kernel", {"func": func, **where}),
                                  Pass("check-hw-kernel", {"func": func, **where}))),
        # calls inlined, allocs → arguments; affine → scf; for → while (no calyx.repeat in FSMs);
        # after the last canonicalize: ifs → selects, max/min → cmp + select, no overflow flags
        Stage("scf", "mlir", (
            # no canonicalize in the inliner: a buffer only written would vanish after its
            # shape was counted for scratch-memories
            Pipeline("builtin.module(inline{default-pipeline=},symbol-dce)"),
            Pass("hoist-allocs", {"func": func}),
            Pipeline("builtin.module(lower-affine)"),  # -O3 pipelines scf.for loops here
            Pipeline(FOR_TO_WHILE),
            Pass("if-conversion"), Pass("legalize-for-calyx"), Pass("drop-overflow-flags"),
            Pass("float-to-bits"))),  # f32 as i32 patterns, float ops as placeholder cells
        # scf → Calyx (circt wheel): memref arguments become ext_mem ports, allocs memory cells
        Stage("calyx", "circt", (Pipeline(f"builtin.module(lower-scf-to-calyx{{top-level-function="
                                          f"{func}}})"),)),
        # what the wheels lack (par, comb groups, clocks, idle ports, memories), Calyx → FSM → hw
        Stage("hw", "pycde", (
            Pass("calyx-serialize-par"), Pass("remove-comb-groups"), Pass("insert-clock-reset"),
            Pass("tie-unused-outputs"),
            Pipeline("builtin.module(calyx.component(lower-calyx-to-fsm,materialize-calyx-to-fsm,"
                     "calyx-remove-groups-fsm))"),
            Pipeline(LOWER_CALYX_TO_HW),  # -O1+ ungates data inputs just before (opt_pipeline)
            Pass("bind-float-units"),  # IEEE-754 units where the float placeholders stand
            *controllers, Pass("scratch-memories", scratch))),
        # registers → sv always blocks, cleaned up for export
        Stage("sv", "pycde", (Pipeline(f"builtin.module(lower-seq-to-sv{{lower-to-always-ff="
                                       f"{always_ff}}},canonicalize,"
                                       "hw.module(hw-cleanup,prettify-verilog))"),)),
    ], opt_level)


def compile_kernel(text: str, func: str, *, opt_level: int = 0, path: str = "<input>",
                   dump_dir: Path | str | None = None, stop_after: str | None = None
                   ) -> HwArtifacts:
    """Compiles kernel @func of module `text` to SystemVerilog files and its port description.

    Raises VerifyError (floats, unsupported ops) located in `path`, PassFailedError with a
    reproducer otherwise. With `stop_after`, stops at that IR level (`sv_files` stays empty).
    """
    folder = Path(dump_dir) if dump_dir is not None else None
    art = HwArtifacts(kernel=func, top=func, sv_files={})
    try:
        args = _arguments(text, func)
        flow = _stages_for(text, func, path, opt_level, args)
        for stage in flow:
            text = run_stages(text, [stage], dump_dir=folder, name=func)
            art.ir[stage.level] = text
            if stage.level == stop_after:
                break
        if "calyx" in art.ir:
            ports = worker("pycde").call(art.ir["calyx"], "calyx_flow.interface:top_ports", top=func)
            _fill_interface(art, args, ports, _layout(art.ir["scf"], func, args))
            hw = next(s for s in flow if s.level == "hw")
            art.estimated_cycles, timings = _estimate(art.ir["scf"], art.ir["calyx"], func, hw)
            art.loops = [dataclasses.asdict(t) for t in timings]
        if "sv" in art.ir:
            art.sv_files = worker("pycde").call(art.ir["sv"], "calyx_flow.export_sv:export_files")
            if folder is not None:
                _write(folder / "sv", art.sv_files)
    except UnifiedError as e:
        raise e.with_file(path) from None
    return art


def verilog2001(art: HwArtifacts, *, opt_level: int = 0) -> dict[str, str]:
    """The same kernel as plain Verilog-2001 files (what pyverilog 1.3 and older tools read).

    The controllers are lowered to plain comb/seq logic (no SystemVerilog enums) from the
    kernel's Calyx IR, and exported with CIRCT's Verilog-2001 lowering options. Pass the
    -O level `art` was compiled at, so that the schedule is the same.
    """
    if "calyx" not in art.ir:
        raise UnifiedError(f"kernel @{art.kernel} was not compiled down to the calyx level")
    source = art.ir["affine"]
    late = [s for s in _stages_for(source, art.kernel, "<input>", opt_level,
                                   _arguments(source, art.kernel), plain_verilog=True)
            if s.level in ("hw", "sv")]
    text = run_stages(art.ir["calyx"], late, name=art.kernel)
    files = worker("pycde").call(text, "calyx_flow.export_sv:export_files",
                                 options=VERILOG_2001_OPTIONS)
    return {f"{Path(name).stem}.v": body for name, body in files.items()}


def _estimate(scf: str, calyx: str, func: str, hw: Stage) -> tuple[int | None, list]:
    """Cycles from go to done by the FSM schedule (exact when the loop bounds are constants)
    and each loop's timing (calyx_flow.schedule.LoopTiming)."""
    trips = worker("mlir").call(scf, "hls.trip_counts:while_trip_counts", func=func)
    calyx_passes = list(takewhile(lambda step: isinstance(step, Pass), hw.steps))
    estimate = Call("calyx_flow.schedule:schedule", {"top": func, "trips": trips})
    return worker(hw.build).run_full(calyx, [*calyx_passes, estimate], print_module=False).values[0]


def _arguments(text: str, func: str) -> tuple[Arg, ...]:
    functions = worker("pycde").call(text, "unified.core.kernels:describe").functions
    if func not in functions:
        have = ", ".join(f"@{n}" for n in functions) or "none"
        raise VerifyError(f"no function @{func} in this module", hint=f"functions here: {have}")
    return functions[func].args


def _stages_for(text: str, func: str, path: str, opt_level: int, args: tuple[Arg, ...],
                plain_verilog: bool = False) -> list[Stage]:
    """`stages` with the kernel's memref count and buffer shapes read from `text`."""
    shapes = worker("pycde").call(text, "hls.hoist_allocs:alloc_shapes", func=func)
    return stages(func, path, opt_level, memrefs=sum(a.kind == "memref" for a in args),
                  buffers=tuple(shape for shape, _ in shapes), plain_verilog=plain_verilog)


def file_list(art: HwArtifacts) -> str:
    """The file list (one name a line, dependencies first) for simulators and synthesis."""
    return "".join(f"{name}\n" for name in art.sv_files)


def _layout(scf: str, func: str, args: tuple[Arg, ...]) -> list[BankLayout]:
    """Where each memref argument of the compiled kernel comes from (a bank or a whole one),
    as the banking recorded it on the function (whatever the level's default banks are)."""
    layout = worker("mlir").call(scf, "hls.bank_memories:bank_layout", func=func)
    kinds = {a.index: a.kind for a in args}
    return [b for b in layout if kinds.get(b.arg) == "memref"]  # hoisted buffers come last


def _fill_interface(art: HwArtifacts, args: tuple[Arg, ...], ports: list,
                    layout: list[BankLayout]) -> None:
    by_flag = {flag: p.name for p in ports for flag in p.flags}
    art.clock, art.reset = by_flag.get("clk", "clk"), by_flag.get("reset", "reset")
    art.go, art.done = by_flag.get("go", "go"), by_flag.get("done", "done")
    scalars = [a for a in args if a.kind == "scalar"]
    for mem_id, bank in enumerate(layout):
        arg = args[bank.arg]
        shape = tuple(n // bank.factor if d == bank.dim else n for d, n in enumerate(arg.shape))
        mine = [p for p in ports if p.mem_id == mem_id]
        addrs = sorted((p for p in mine if p.mem_tag == "addr"), key=lambda p: p.addr_idx or 0)
        data = next(p for p in mine if p.mem_tag == "read_data")
        prefix = data.name[: -len("read_data")]
        art.memories.append(MemPort(arg.index, prefix, shape, arg.element, data.width,
                                    tuple(p.width for p in addrs), read_latency=0,
                                    bank=bank.bank, banks=bank.factor, bank_dim=bank.dim,
                                    copy=bank.copy))
    plain = [p for p in ports if not p.output and p.mem_id is None and not p.flags]
    for arg, port in zip(scalars, plain):
        art.scalars.append(ScalarPort(arg.index, port.name, port.width))


def _write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in files.items():
        (folder / name).write_text(body)
    (folder / "filelist.f").write_text("".join(f"{n}\n" for n in files))
