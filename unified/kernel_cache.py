"""Compiled kernels kept by content: the same source, function and -O level compile once.

The key also covers the compiler's own Python sources and the MLIR wheels' versions, so
a change to any pass recompiles instead of serving stale SystemVerilog.
"""

from __future__ import annotations

import functools
import pickle
from importlib import metadata
from pathlib import Path

from calyx_flow.artifacts import HwArtifacts
from hls.opt_pipeline import HlsOptions, hls_options
from unified.core import cache
from unified.core.errors import ParseError
from unified.core.source import PARSER_BUILD, SOFTWARE_BUILD
from unified.core.toolchain import Pass, worker

_ROOT = Path(__file__).resolve().parent.parent
_COMPILER_PACKAGES = ("unified", "hls", "calyx_flow", "hw_dialects")
# Commands that never shape a kernel's hardware: editing them keeps the cache.
_NOT_COMPILER = ("unified/serve", "unified/fuzz", "unified/dse")
_WHEELS = ("circt", "pycde", "torch-mlir")


@functools.lru_cache(maxsize=1)
def compiler_digest() -> str:
    """A digest of the compiler's Python sources and wheel versions."""
    parts: list[str | bytes] = []
    for package in _COMPILER_PACKAGES:
        for path in sorted((_ROOT / package).rglob("*.py")):
            name = path.relative_to(_ROOT).as_posix()
            if not name.startswith(_NOT_COMPILER):
                parts += [name, path.read_bytes()]
    for wheel in _WHEELS:
        try:
            parts.append(f"{wheel}=={metadata.version(wheel)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{wheel} missing")
    return cache.key(*parts)


def compile_cached(text: str, func: str, *, opt_level: int | HlsOptions = 0,
                   path: str = "-") -> HwArtifacts:
    """`hw_flow.compile_kernel(text, func, ...)`, taken from the cache when compiled before."""
    from unified import hw_flow

    digest = cache.key("hw-kernel", compiler_digest(), text, func, str(hls_options(opt_level).resolved()))

    def compile_into(folder: Path) -> None:
        art = hw_flow.compile_kernel(readable_by_circt(text, func, path), func,
                                     opt_level=opt_level, path=path)
        (folder / "artifacts.pickle").write_bytes(pickle.dumps(art))

    folder = cache.entry("hw-kernel", digest, compile_into)
    return pickle.loads((folder / "artifacts.pickle").read_bytes())


def readable_by_circt(text: str, func: str, path: str) -> str:
    """Module `text` as the hardware flow's CIRCT builds can parse it: unchanged when pycde
    parses it (hand-written hw.modules need pycde), else only @func and its callees, cut out
    by upstream MLIR, which knows what software kernels use and CIRCT lacks (math.roundeven),
    with `math.absf` as the sign-bit operation it is (hls.absf_to_bits)."""
    try:
        worker(PARSER_BUILD).run_full(text, [], print_module=False)
        return text
    except ParseError:
        return worker(SOFTWARE_BUILD).run(text, [Pass("extract-kernel",
                                                      {"func": func, "path": path}),
                                                 Pass("hls-absf-to-bits")])
