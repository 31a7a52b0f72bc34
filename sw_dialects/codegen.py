"""LLVM IR -> optimised machine code with llvmlite: rv64gcv (RVV 1.0, lp64d), rv64gc, or the host.

llvmlite holds its own LLVM (22), not an MLIR build, so this runs in the main process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from unified.core.errors import PassFailedError

RISCV_TRIPLE = "riscv64-unknown-linux-gnu"


@dataclass(frozen=True)
class Target:
    """A code generation target: LLVM triple, CPU, features and ABI."""

    name: str  # "rvv" | "rv64gc" | "host"
    triple: str
    cpu: str
    features: str
    abi: str = ""


def target(name: str, vlen: int = 128) -> Target:
    """The target called `name`: `rvv` (rv64gcv, VLEN >= vlen), `rv64gc` (scalar) or `host`."""
    if name == "rvv":
        return Target(name, RISCV_TRIPLE, "generic-rv64", f"+m,+a,+f,+d,+c,+v,+zvl{vlen}b", "lp64d")
    if name == "rv64gc":
        return Target(name, RISCV_TRIPLE, "generic-rv64", "+m,+a,+f,+d,+c", "lp64d")
    if name == "host":
        llvm = _llvm()
        return Target(name, llvm.get_process_triple(), llvm.get_host_cpu_name(),
                      llvm.get_host_cpu_features().flatten())
    raise ValueError(f"unknown software target '{name}' (rvv, rv64gc or host)")


@cache
def _llvm() -> Any:
    import llvmlite.binding as llvm

    llvm.initialize_all_targets()
    llvm.initialize_all_asmprinters()
    # The pre-RA machine scheduler hoists every vector load of straight-line code above the
    # stores and spills register groups at LMUL 8; the vectorizer's order needs no help.
    llvm.set_option("unified", "-enable-misched=false")
    return llvm


def _machine(t: Target) -> Any:
    llvm = _llvm()
    return llvm.Target.from_triple(t.triple).create_target_machine(
        cpu=t.cpu, features=t.features, opt=3, reloc="pic", codemodel="default", abiname=t.abi)


def optimize(llvm_ir: str, t: Target) -> str:
    """Runs LLVM's -O3 pipeline for target `t` on `llvm_ir` and returns the optimised IR."""
    return str(_optimized(llvm_ir, t))


def emit_object(llvm_ir: str, t: Target) -> bytes:
    """An ELF relocatable object for target `t` from (unoptimised) LLVM IR text."""
    return _machine(t).emit_object(_optimized(llvm_ir, t))


def emit_assembly(llvm_ir: str, t: Target) -> str:
    """The assembly of `llvm_ir` for target `t` (for reading, after -O3)."""
    return _machine(t).emit_assembly(_optimized(llvm_ir, t))


def _optimized(llvm_ir: str, t: Target) -> Any:
    llvm = _llvm()
    try:
        module = llvm.parse_assembly(llvm_ir)
        module.verify()
    except RuntimeError as e:
        raise PassFailedError(f"LLVM rejected the translated module: {e}", stage="object") from None
    machine = _machine(t)
    module.triple = t.triple
    module.data_layout = str(machine.target_data)
    tuning = llvm.create_pipeline_tuning_options(speed_level=3)
    tuning.loop_vectorization = True
    tuning.slp_vectorization = True
    # Vector loops are unrolled at the affine level already; LLVM's full unrolling of them
    # hoists every load and spills register groups (LMUL 8 leaves four).
    tuning.loop_unrolling = t.name != "rvv"
    builder = llvm.create_pass_builder(machine, tuning)
    builder.getModulePassManager().run(module, builder)
    return module
