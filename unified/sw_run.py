"""`unified sim --target sw|rvv`: one kernel on the host (shared object + ctypes) or under qemu.

Built programs are cached by content hash (the module text, the function, VLEN and the
code of the software flow), so a second run of the same kernel costs only the run.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import tempfile
import threading
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from sw_dialects import rvv_timing
from sw_dialects.harness import harness
from sw_dialects.header import check_callable
from unified.core import cache as build_cache
from unified.core import tools
from unified.core.errors import SimulationError
from unified.core.kernels import Function
from unified.core.sim_io import SimResult
from unified.core.source import Source

CALLS_FOR_COUNTING = 2  # the kernel runs 1 + this many times in the second counted run


@cache
def flow_fingerprint() -> str:
    """A hash of the software flow's code and compilers: cached builds die with any change."""
    from importlib.metadata import version

    here = Path(__file__).resolve().parent
    files = [*sorted((here.parent / "sw_dialects").glob("*.py")), here / "sw_flow.py",
             here / "sw_run.py"]
    return build_cache.key(*(f.read_bytes() for f in files), version("llvmlite"),
                           version("torch-mlir"), tools.version("riscv64-gcc") or "")


def simulate(src: Source, func: str, inputs: dict[str, np.ndarray], *, target: str = "sw",
             vlen: int = 0, count_instructions: bool = True, lmul: int = 0,
             tile: int = 0, dlen: int = 0) -> SimResult:
    """Runs @func of `src` with `inputs` (arg0, ...) on the host (`sw`) or under qemu (`rvv`).

    Outputs hold every memref argument after one call (and `ret0` for a scalar result);
    the report holds target, vlen and, for rvv with `count_instructions`, dlen, the dynamic
    instruction count of one call and its `cycles` in the RVV timing model
    (sw_dialects.rvv_timing). `vlen`/`dlen` 0: the module's unified.platform figures
    (Platform.vector_unit: VLEN 128, DLEN VLEN/2 by default).
    """
    fn = src.function(func)
    check_callable(fn, src.path, static_shapes=True)
    if target == "sw":
        lib = host_library(src.text, func, path=src.path)
        try:
            outputs = isolated(call_host, lib, fn, inputs)
        except SimulationError as e:
            e.loc = src.loc(fn.loc)
            raise
        return SimResult(outputs, {"target": "sw"})
    if target != "rvv":
        raise SimulationError(f"unknown software target '{target}'", hint="use sw or rvv")
    from unified.app import platform_of

    vlen, dlen = platform_of(src).vector_unit(vlen, dlen)
    exe = riscv_program(src.text, fn, vlen=vlen, path=src.path, lmul=lmul, tile=tile)
    with tempfile.TemporaryDirectory(prefix="unified-rvv-") as tmp:
        write_inputs(Path(tmp), fn, inputs)
        run_qemu(exe, vlen, 1, tmp)
        outputs = read_outputs(Path(tmp), fn)
        report: dict = {"target": "rvv", "vlen": vlen}
        if count_instructions:
            report["dlen"] = dlen
            report["instructions"], report["cycles"] = kernel_timing(exe, vlen, tmp, dlen=dlen)
    return SimResult(outputs, report)


# ---------------------------------------------------------------------------- building


def host_library(text: str, func: str | None, *, path: str = "<input>") -> Path:
    """A cached host shared object holding the kernel(s) of `text` (all when func is None)."""
    from sw_dialects import codegen

    host = codegen.target("host")
    digest = build_cache.key(text, func or "*", host.cpu, host.features, flow_fingerprint())

    def build(folder: Path) -> None:
        from unified.sw_flow import compile_sw

        art = compile_sw(text, functions=[func] if func else None, target="host", path=path)
        (folder / "kernel.o").write_bytes(art.objects["host"])
        tools.run("cc", ["-shared", "-o", str(folder / "kernel.so"), str(folder / "kernel.o"), "-lm"])

    return build_cache.entry("sw-host", digest, build) / "kernel.so"


def riscv_program(text: str, fn: Function, *, vlen: int = 128, path: str = "<input>",
                  target: str = "rvv", lmul: int = 0, tile: int = 0) -> Path:
    """A cached static riscv64 executable: the harness of `fn` linked with its compiled kernel.

    `lmul` groups vector registers (0: the vectorizer picks 8 or 4 per kernel); `tile` > 0
    tiles the vectorized loop nests by that size."""
    extra = ([f"lmul={lmul}"] if lmul else []) + ([f"tile={tile}"] if tile else [])
    digest = build_cache.key(text, fn.name, str(vlen), target, flow_fingerprint(), *extra)

    def build(folder: Path) -> None:
        from unified.sw_flow import compile_sw

        art = compile_sw(text, functions=[fn.name], vlen=vlen, target=target, path=path,
                         lmul=lmul, tile=tile)
        link_riscv(folder, art.objects[target], harness(fn), kernel_is_main=fn.name == "main")

    return build_cache.entry(f"sw-{target}", digest, build) / "prog"


def link_riscv(folder: Path, kernel_object: bytes, harness_c: str, *, kernel_is_main: bool = False,
               ) -> Path:
    """Links `kernel_object` with the harness source into a static rv64 executable folder/prog.

    A kernel called `main` (an application's entry) is renamed to `unified_entry_main` in the
    object, so that it does not clash with the harness's own `main`.
    """
    (folder / "kernel.o").write_bytes(kernel_object)
    if kernel_is_main:
        tools.run("riscv64-objcopy", ["--redefine-sym", "main=unified_entry_main", "kernel.o"],
                  cwd=folder)
    (folder / "harness.c").write_text(harness_c)
    tools.run("riscv64-gcc", ["-O2", "-static", "-march=rv64gc", "-mabi=lp64d", "-o", str(folder / "prog"),
                              str(folder / "harness.c"), str(folder / "kernel.o"), "-lm"])
    return folder / "prog"


# ---------------------------------------------------------------------------- running


def write_inputs(folder: Path, fn: Function, inputs: dict[str, np.ndarray]) -> None:
    """argK.bin for every argument: raw, row-major, in the argument's element type."""
    for a in fn.args:
        data = np.ascontiguousarray(np.asarray(inputs[a.name]).astype(a.numpy_dtype))
        (folder / f"{a.name}.bin").write_bytes(data.tobytes())


def read_outputs(folder: Path, fn: Function) -> dict[str, np.ndarray]:
    """Every memref argument (and `ret0`) as the harness wrote it back."""
    out: dict[str, np.ndarray] = {}
    for a in fn.args:
        if a.kind == "memref":
            raw = (folder / f"{a.name}.out.bin").read_bytes()
            out[a.name] = np.frombuffer(raw, dtype=a.numpy_dtype).reshape(a.shape).copy()
    if fn.results:
        out["ret0"] = np.frombuffer((folder / "ret0.out.bin").read_bytes(),
                                    dtype=_dtype(fn.results[0]))[0].copy()
    return out


def qemu_cpu(vlen: int, vector: bool = True) -> str:
    """The -cpu option of qemu 7.2 for rv64 with (or without) RVV 1.0 at `vlen` bits."""
    return f"rv64,v=true,vlen={vlen},vext_spec=v1.0" if vector else "rv64"


@cache
def one_insn_flag() -> str:
    """qemu's flag for one instruction per translation block: `-singlestep` until 8.0
    (Debian 12 ships 7.2), `-one-insn-per-tb` from 8.1 on (Debian 13 ships 10.0)."""
    words = (tools.version("qemu-riscv64") or "").split()
    number = words[words.index("version") + 1] if "version" in words else "0.0"
    major, minor = (int(x) for x in (number.split(".") + ["0"])[:2])
    return "-one-insn-per-tb" if (major, minor) >= (8, 1) else "-singlestep"


def run_qemu(exe: Path, vlen: int, calls: int, folder: str | Path, trace: str | None = None,
             vector: bool = True) -> None:
    """Runs the harness `exe` under qemu; with `trace`, one log line per executed instruction."""
    args = ["-cpu", qemu_cpu(vlen, vector)]
    if trace:
        args += [one_insn_flag(), "-d", "nochain,exec", "-D", trace]
    proc = tools.run("qemu-riscv64", [*args, str(exe), str(calls), str(folder)], check=False,
                     timeout=600)
    if proc.returncode != 0:
        raise SimulationError(f"the rv64 program failed under qemu (exit {proc.returncode}): "
                              f"{(proc.stdout + proc.stderr).strip()[-500:]}",
                              hint="check the inputs; an out-of-bounds index traps here")


def trace_run(exe: Path, vlen: int, calls: int, folder: str | Path, vector: bool = True,
              dlen: int = 0) -> tuple[int, int]:
    """(dynamic instructions, modelled cycles) of a whole run of `exe` calling its kernel
    `calls` times, timed by sw_dialects.rvv_timing at `vlen` and `dlen` (0: vlen/2).

    qemu with one instruction per block and `-d nochain,exec` logs a line per instruction; the
    log goes through a named pipe and is timed as it comes, never stored.
    """
    insns = rvv_timing.program(exe, [o for o in [exe.parent / "kernel.o"] if o.exists()])
    timer = rvv_timing.TraceTimer(insns, vlen, dlen or vlen // 2)
    fifo = Path(folder) / "trace.fifo"
    os.mkfifo(fifo)

    def read() -> None:
        with open(fifo, "rb") as f:
            while chunk := f.read(1 << 20):
                timer.feed(chunk)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        run_qemu(exe, vlen, calls, folder, trace=str(fifo), vector=vector)
    finally:
        try:  # qemu never opened the pipe (it failed early): release the reader
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass
        reader.join()
        fifo.unlink()
    return timer.clock.instructions, timer.clock.cycles


def count_instructions(exe: Path, vlen: int, calls: int, folder: str | Path, vector: bool = True) -> int:
    """The dynamic instruction count of a whole run of `exe`."""
    return trace_run(exe, vlen, calls, folder, vector)[0]


def kernel_timing(exe: Path, vlen: int, folder: str | Path, vector: bool = True, dlen: int = 0,
                  ) -> tuple[int, int]:
    """(instructions, modelled cycles) of one kernel call: (run with 1+k calls - run with 1
    call) / k, which leaves out start-up, input reading and the first call's set-up."""
    one = trace_run(exe, vlen, 1, folder, vector, dlen)
    many = trace_run(exe, vlen, 1 + CALLS_FOR_COUNTING, folder, vector, dlen)
    return ((many[0] - one[0]) // CALLS_FOR_COUNTING, (many[1] - one[1]) // CALLS_FOR_COUNTING)


# ---------------------------------------------------------------------------- host calls


_CTYPES = {"i1": ctypes.c_bool, "i8": ctypes.c_int8, "i16": ctypes.c_int16, "i32": ctypes.c_int32,
           "i64": ctypes.c_int64, "index": ctypes.c_int64, "f32": ctypes.c_float,
           "f64": ctypes.c_double}


def _dtype(element: str) -> str:
    return {"i1": "bool", "index": "int64", "f32": "float32", "f64": "float64"}.get(
        element, f"int{element[1:]}")


def descriptor(array: np.ndarray) -> ctypes.Structure:
    """A memref descriptor (allocated, aligned, offset, sizes, strides) viewing `array`."""
    rank = array.ndim
    fields = [("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p), ("offset", ctypes.c_int64)]
    if rank:
        fields += [("sizes", ctypes.c_int64 * rank), ("strides", ctypes.c_int64 * rank)]
    cls = type(f"MemRef{rank}d", (ctypes.Structure,), {"_fields_": fields})
    d = cls()
    d.allocated = d.aligned = array.ctypes.data
    d.offset = 0
    if rank:
        d.sizes[:] = list(array.shape)
        d.strides[:] = [s // array.itemsize for s in array.strides]
    return d


def isolated(call: Any, *args: Any) -> Any:
    """`call(*args)` in a forked child, its result sent back: a kernel that traps on the host
    (SIGFPE from an integer division by zero, SIGSEGV) becomes a SimulationError instead of
    taking this process down."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_run_and_send, args=(send, call, args))
    child.start()
    send.close()
    try:
        result = receive.recv()
    except EOFError:
        result = None
    child.join()
    if child.exitcode != 0 or result is None:
        code = -(child.exitcode or 0)
        why = signal.Signals(code).name if code > 0 else f"exit code {child.exitcode}"
        raise SimulationError(f"the kernel stopped on the host with {why}",
                              hint="an integer division by zero or an access out of bounds? "
                              "check the inputs")
    return result


def _run_and_send(send: Any, call: Any, args: tuple) -> None:
    send.send(call(*args))
    send.close()


def call_host(lib_path: Path, fn: Function, inputs: dict[str, np.ndarray], calls: int = 1,
              ) -> dict[str, np.ndarray]:
    """Calls `_mlir_ciface_<fn>` of the shared object on copies of `inputs`; returns the memrefs."""
    kernel = getattr(ctypes.CDLL(str(lib_path)), f"_mlir_ciface_{fn.name}")
    arrays: dict[str, np.ndarray] = {}
    args: list = []
    keep: list = []
    for a in fn.args:
        value = np.asarray(inputs[a.name])
        if a.kind == "memref":
            arr = np.ascontiguousarray(value.astype(a.numpy_dtype, copy=True))
            arrays[a.name] = arr
            d = descriptor(arr)
            keep.append(d)
            args.append(ctypes.byref(d))
        else:
            args.append(_CTYPES[a.element](value.item()))
    kernel.restype = _CTYPES[fn.results[0]] if fn.results else None
    for _ in range(calls):
        ret = kernel(*args)
    out = dict(arrays)
    if fn.results:
        out["ret0"] = np.asarray(ret, dtype=_dtype(fn.results[0]))
    return out
