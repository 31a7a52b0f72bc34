"""The fuzzer's one door into the compiler: every project import happens here, lazily.

Modules are moving (`unified.source` -> `unified.core.source`, ...): each import tries the
new place first, then the old one, so a move needs no change elsewhere in `unified.fuzz`.
A target name (`hw-O3`, `hw-rand`, `sw`, `rvv256`, ...) becomes a `Target` here too.
"""

from __future__ import annotations

import importlib
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

ALL_TARGETS = ("hw-O0", "hw-O1", "hw-O2", "hw-O3", "hw-rand", "sw", "rvv128", "rvv256", "rvv512")
UNSUPPORTED_MARKS = ("not supported", "cannot be compiled", "unsupported")


def _module(*names: str) -> ModuleType:
    """The first of `names` that imports (later names are the pre-refactor places)."""
    error: ImportError | None = None
    for name in names:
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name is None or not name.startswith(e.name):
                raise  # the module is there but something it imports is not
            error = e
    assert error is not None
    raise error


def errors() -> ModuleType:
    """The project's errors module (UnifiedError and its subclasses)."""
    return _module("unified.core.errors", "unified.errors")


def unified_error() -> type[Exception]:
    """The base class of every error the flows raise on purpose."""
    return errors().UnifiedError


def read_source(path: str | Path) -> Any:
    """The project's parsed `Source` of an MLIR file (`source.read`)."""
    return _module("unified.core.source", "unified.source").read(path)


def hls_options(level: int, unroll: int | None = None, banks: int | None = None,
                pipeline: bool | None = None) -> Any:
    """`hls.opt_pipeline.HlsOptions` with these knobs."""
    return _module("hls.opt_pipeline").HlsOptions(level, unroll, banks, pipeline)


@dataclass(frozen=True)
class Target:
    """One way to run a kernel: a `unified sim` target with its options."""

    name: str  # as the user wrote it: hw-O2, hw-rand, sw, rvv128, ...
    kind: str  # hw | sw | rvv
    level: int = 0
    unroll: int | None = None
    banks: int | None = None
    pipeline: bool | None = None
    vlen: int = 128

    def describe(self) -> str:
        """`hw -O1 unroll=4 banks=2 pipeline=on`, `rvv vlen=256`, `sw`."""
        if self.kind == "hw":
            return "hw " + str(hls_options(self.level, self.unroll, self.banks, self.pipeline))
        return f"rvv vlen={self.vlen}" if self.kind == "rvv" else "sw"

    def sim_flags(self) -> str:
        """The `unified sim` flags that run this target."""
        if self.kind == "hw":
            flags = [f"--target hw -O {self.level}"]
            flags += [f"--unroll {self.unroll}"] if self.unroll else []
            flags += [f"--banks {self.banks}"] if self.banks else []
            flags += [] if self.pipeline is None else [f"--pipeline {'on' if self.pipeline else 'off'}"]
            return " ".join(flags)
        return f"--target rvv --vlen {self.vlen}" if self.kind == "rvv" else "--target sw"


def parse_target(name: str, seed: int = 0) -> Target:
    """`hw-O0`..`hw-O3`, `hw-rand` (knobs drawn from `seed`), `sw`, `rvv128|256|512`."""
    if name == "sw":
        return Target(name, "sw")
    if name.startswith("rvv") and name[3:].isdigit():
        return Target(name, "rvv", vlen=int(name[3:]))
    if name.startswith("hw-O") and name[4:].isdigit() and int(name[4:]) <= 3:
        return Target(name, "hw", level=int(name[4:]))
    if name == "hw-rand":
        rng = random.Random(seed * 7919 + 17)
        return Target(name, "hw", level=rng.randint(0, 3), unroll=rng.choice((2, 4)),
                      banks=rng.choice((2, 4)), pipeline=True)
    raise ValueError(f"unknown target '{name}' (known: {', '.join(ALL_TARGETS)})")


def from_flags(name: str, flags: str) -> Target:
    """The Target that `Target.sim_flags()` printed as `flags` (e.g. from a case's header)."""
    words = flags.split()
    opts = dict(zip(words[::2], words[1::2]))
    kind = opts.get("--target", "sw")
    pipeline = opts.get("--pipeline")
    return Target(name, kind, level=int(opts.get("-O", 0)),
                  unroll=int(opts["--unroll"]) if "--unroll" in opts else None,
                  banks=int(opts["--banks"]) if "--banks" in opts else None,
                  pipeline=None if pipeline is None else pipeline == "on",
                  vlen=int(opts.get("--vlen", 128)))


def simulate(src: Any, func: str, inputs: dict[str, np.ndarray], target: Target, *,
             max_cycles: int = 2_000_000) -> dict[str, np.ndarray]:
    """Runs @func of `src` on `target` (`unified.simulate.run`); the memref arguments after."""
    run = _module("unified.simulate").run
    opts = hls_options(target.level, target.unroll, target.banks, target.pipeline)
    result = run(src, func, inputs, target.kind, opt_level=opts, vlen=target.vlen,
                 max_cycles=max_cycles)
    return result.outputs


def is_unsupported(message: str) -> bool:
    """Whether a flow's error says a construct is not supported (not a wrong result)."""
    return any(mark in message.lower() for mark in UNSUPPORTED_MARKS)


def render(error: Exception) -> str:
    """A flow error as one line (`file:line:col: error: what — how`); a long one cut in the middle."""
    text = " ".join((error.render() if hasattr(error, "render") else str(error)).split())
    return text if len(text) <= 700 else f"{text[:250]} [...] {text[-450:]}"


def import_ray() -> Any:
    """The `ray` module, or a UnifiedError saying how to install it."""
    try:
        return importlib.import_module("ray")
    except ImportError:
        raise unified_error()("--ray needs the 'ray' package, which is not installed",
                              hint="pip install ray, or leave out --ray for the local "
                              "process pool") from None


def tool_missing(name: str) -> str | None:
    """Why `name` (verilator, qemu-riscv64, ...) cannot run here, or None if it can."""
    try:
        tools = _module("unified.core.tools", "unified.tools")
    except ImportError:
        return None if shutil.which(name) else f"{name} not found on PATH"
    try:
        tools.find(name)
    except unified_error() as e:
        return render(e)
    return None


def opt_script() -> str:
    """The `unified-opt` script of this environment (for a quick parse of generated text)."""
    candidate = Path(sys.executable).parent / "unified-opt"
    return str(candidate) if candidate.exists() else "unified-opt"
